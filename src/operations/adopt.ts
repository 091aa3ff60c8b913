/**
 * The `adopt` operation: read a snapshot directory (from `bulkhead collect`), turn the organization into a spec with
 * comments on what does not fit, and write it (and the id mapping) through the output guard when asked.
 */
import { adoptOrganization, type Adopted } from '../adopt/adopt.js';
import { error, fail, ok, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import type { FileWriteMode } from '../io/output.js';
import type { OrganizationModel } from '../model/organization.js';
import { loadSnapshot } from '../snapshot/load.js';
import { hostPath, type Host } from './host.js';

/** What to adopt and where to write it. */
export interface AdoptRequest {
  /** The snapshot directory (relative to the host's cwd). */
  readonly snapshot: string;
  /** Where to write the spec; without it the spec is only returned. */
  readonly out?: string;
  /** Where to write the id mapping (JSON: spec names → live ids). */
  readonly idsOut?: string;
  /** Replace existing regular files at `out` / `idsOut`. */
  readonly overwrite?: boolean;
  /** A role becomes a spec role when found in at least this many business-unit accounts; default 2. */
  readonly minRoleAccounts?: number;
}

/** The adopted spec and how its files were written. */
export interface AdoptOutcome {
  readonly adopted: Adopted;
  readonly specWritten?: FileWriteMode;
  readonly idsWritten?: FileWriteMode;
}

/** Reads a snapshot directory into the model; a path that is no directory is an error naming it. */
export async function loadSnapshotModel(path: string, host: Host, code: 'BH9202' | 'BH9203'): Promise<Result<OrganizationModel>> {
  const abs = hostPath(host, path);
  const kind = await host.files.kind(abs);
  if (kind !== 'directory') {
    const what = kind === 'missing' ? 'does not exist' : 'is not a directory';
    return fail([{ ...error(code, `snapshot \`${path}\` ${what}; give a snapshot directory written by \`bulkhead collect\``), file: path }]);
  }
  const files = await host.files.readSnapshot(abs, path);
  return files.ok ? loadSnapshot(files.value, path) : files;
}

/** Adopts the organization of a snapshot directory as a spec (see docs/adopt.md). */
export async function adopt(request: AdoptRequest, host: Host): Promise<Result<AdoptOutcome>> {
  const model = await loadSnapshotModel(request.snapshot, host, 'BH9202');
  if (!model.ok) return model;
  const adopted = adoptOrganization(model.value, { source: `snapshot \`${request.snapshot}\``, ...(request.minRoleAccounts !== undefined ? { minRoleAccounts: request.minRoleAccounts } : {}) });
  if (!adopted.ok) return adopted;
  const diagnostics: Diagnostic[] = [...model.diagnostics, ...adopted.diagnostics];
  const overwrite = request.overwrite === true;
  let specWritten: FileWriteMode | undefined;
  let idsWritten: FileWriteMode | undefined;
  if (request.out !== undefined) {
    const w = await host.files.writeFile(hostPath(host, request.out), adopted.value.yaml, { label: request.out, overwrite });
    if (!w.ok) return fail([...diagnostics, ...w.diagnostics]);
    specWritten = w.value;
  }
  if (request.idsOut !== undefined) {
    const w = await host.files.writeFile(hostPath(host, request.idsOut), `${JSON.stringify(adopted.value.ids, null, 2)}\n`, { label: request.idsOut, overwrite });
    if (!w.ok) return fail([...diagnostics, ...w.diagnostics]);
    idsWritten = w.value;
  }
  return ok({ adopted: adopted.value, ...(specWritten ? { specWritten } : {}), ...(idsWritten ? { idsWritten } : {}) }, diagnostics);
}
