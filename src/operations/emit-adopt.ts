/**
 * `emit --adopt SNAPSHOT`, the edge half: read the snapshot, give the emitter the live organization and account ids,
 * and add `adopt-imports.tf` (OUs, policies, attachments, roles: src/emit/adopt-imports.ts) to what it wrote.
 */
import { error, fail, ok, warning, type Result } from '../diagnostics/diagnostic.js';
import { adoptImportsTf, adoptionOptions } from '../emit/adopt-imports.js';
import { MANIFEST_FILE, manifestText, type EmitManifest } from '../emit/manifest.js';
import type { EmitOptions } from '../emit/terraform.js';
import type { OrganizationModel } from '../model/organization.js';
import { sortedMap } from '../util/order.js';
import { loadSnapshotModel } from './adopt.js';
import type { Host } from './host.js';

/** The file emit --adopt adds. */
export const ADOPT_IMPORTS_FILE = 'adopt-imports.tf';

/** The live organization of `--adopt`, and the emitter options it implies (given options win). */
export interface EmitAdoption {
  readonly live: OrganizationModel;
  readonly options: Pick<EmitOptions, 'organizationId' | 'accountIds'>;
}

/** Loads the snapshot of `--adopt` (Terraform only: CloudFormation adopts through resource-import change sets). */
export async function loadEmitAdoption(snapshot: string, format: string, planned: OrganizationModel, host: Host): Promise<Result<EmitAdoption>> {
  if (format !== 'terraform') {
    return fail([error('BH9203', `\`--adopt\` writes Terraform import blocks; CloudFormation adopts existing resources through a resource-import change set, which bulkhead does not write: use \`--format terraform\``)]);
  }
  const live = await loadSnapshotModel(snapshot, host, 'BH9203');
  if (!live.ok) return live;
  const options = adoptionOptions(planned, live.value);
  const id = live.value.organization.id;
  const notes = options.organizationId === undefined && id !== undefined
    ? [warning('BH9205', `the snapshot's organization id \`${id}\` is not \`o-\` and 10–32 lowercase letters or digits, so no import block is written for the organization; pass \`--organization-id\``)]
    : [];
  return ok({ live: live.value, options }, [...live.diagnostics, ...notes]);
}

/** The emitted files with `adopt-imports.tf` added (and listed in the manifest) when the organization has anything to import. */
export function withAdoptImports(files: ReadonlyMap<string, string>, manifest: EmitManifest, planned: OrganizationModel, adoption: EmitAdoption): ReadonlyMap<string, string> {
  const imports = adoptImportsTf(planned, adoption.live, manifest.addresses);
  if (imports.text === undefined) return files;
  const out = new Map(files);
  out.set(ADOPT_IMPORTS_FILE, imports.text);
  out.set(MANIFEST_FILE, manifestText({ ...manifest, files: [...new Set([...manifest.files, ADOPT_IMPORTS_FILE])].sort() }));
  return sortedMap(out);
}
