/**
 * `emit --adopt SNAPSHOT`, the edge half: read the snapshot, give the emitter the live organization and account ids,
 * and add `adopt-imports.tf` (OUs, policies, attachments, roles: src/emit/adopt-imports.ts) to what it wrote.
 */
import { error, fail, ok, warning, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import { adoptImportsTf, adoptionOptions } from '../emit/adopt-imports.js';
import { MANIFEST_FILE, manifestText, type EmitManifest } from '../emit/manifest.js';
import type { EmitOptions } from '../emit/terraform.js';
import type { OrganizationModel } from '../model/organization.js';
import { isIdentityCenterRole } from '../model/query.js';
import { escapeText } from '../util/escape.js';
import { compareStrings, sortedMap } from '../util/order.js';
import type { Host } from './host.js';
import { loadSnapshotModel } from './snapshot-input.js';

/** The file emit --adopt adds. */
export const ADOPT_IMPORTS_FILE = 'adopt-imports.tf';

/** The live organization of `--adopt`, and the emitter options it implies (given options win). */
export interface EmitAdoption {
  readonly live: OrganizationModel;
  readonly options: Pick<EmitOptions, 'organizationId' | 'accountIds'>;
}

/** Loads the snapshot of `--adopt` (Terraform only: CloudFormation adopts through resource-import change sets). */
export async function loadEmitAdoption(
  snapshot: string,
  format: string,
  planned: OrganizationModel,
  host: Host,
  layout: EmitOptions['terraformLayout'] = 'stacksets',
): Promise<Result<EmitAdoption>> {
  if (format !== 'terraform') {
    return fail([error('BH9203', `\`--adopt\` writes Terraform import blocks; CloudFormation adopts existing resources through a resource-import change set, which bulkhead does not write: use \`--format terraform\``)]);
  }
  const live = await loadSnapshotModel(snapshot, host, (m) => error('BH9203', m));
  if (!live.ok) return live;
  const options = adoptionOptions(planned, live.value);
  const id = live.value.organization.id;
  const notes = options.organizationId === undefined && id !== undefined
    ? [warning('BH9205', `the snapshot's organization id \`${id}\` is not \`o-\` and 10–32 lowercase letters or digits, so no import block is written for the organization; pass \`--organization-id\``)]
    : [];
  return ok({ live: live.value, options }, [...live.diagnostics, ...notes, ...stackSetConflicts(planned, live.value, layout)]);
}

/**
 * In the `stacksets` layout member-account roles are CloudFormation resources of StackSet instances, which Terraform
 * cannot import; a planned member role that already exists would make its StackSet instance fail. Say which.
 */
function stackSetConflicts(planned: OrganizationModel, live: OrganizationModel, layout: EmitOptions['terraformLayout']): Diagnostic[] {
  if (layout !== 'stacksets') return [];
  const mgmt = planned.organization.managementAccount;
  const byEmail = new Map(live.accounts.map((a) => [a.email.toLowerCase(), a.name] as const));
  const byName = new Set(live.accounts.map((a) => a.name));
  const liveName = new Map(planned.accounts.map((a) => [a.name, byEmail.get(a.email.toLowerCase()) ?? (byName.has(a.name) ? a.name : undefined)] as const));
  const existing = new Set(live.roles.map((r) => `${r.account}/${r.name}`));
  const clashes = planned.roles
    .filter((r) => r.account !== mgmt && !isIdentityCenterRole(r) && existing.has(`${liveName.get(r.account)}/${r.name}`))
    .map((r) => `${r.account}/${r.name}`)
    .sort(compareStrings);
  if (clashes.length === 0) return [];
  const shown = clashes.slice(0, 5).map((c) => `\`${escapeText(c)}\``).join(', ') + (clashes.length > 5 ? ` and ${clashes.length - 5} more` : '');
  return [warning('BH9206', `${clashes.length} planned member-account role(s) exist already (${shown}); the \`stacksets\` layout deploys them through StackSet instances, which would fail to create them and which Terraform cannot import: emit with \`--terraform-layout provider-aliases\` to import them, or remove them first`)];
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
