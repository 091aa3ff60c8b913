/**
 * The `adopt` operation: read a snapshot directory (from `bulkhead collect`), turn the organization into a spec with
 * comments on what does not fit, and write it (and the id mapping) through the output guard when asked.
 */
import { adoptOrganization, type Adopted } from '../adopt/adopt.js';
import { error, fail, ok, warning, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import type { FileWriteMode } from '../io/output.js';
import { loadSnapshotModel, snapshotGapCount } from './snapshot-input.js';
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
  /**
   * Accounts or parts the snapshot lacks (accounts that failed or were not collected, BH6008/BH6009; one per
   * warning): the spec lacks them too. The CLI says so and exits 4, as verify and migrate do.
   */
  readonly incomplete: number;
  readonly specWritten?: FileWriteMode;
  readonly idsWritten?: FileWriteMode;
}

/** Adopts the organization of a snapshot directory as a spec (see docs/adopt.md). */
export async function adopt(request: AdoptRequest, host: Host): Promise<Result<AdoptOutcome>> {
  const model = await loadSnapshotModel(request.snapshot, host, (m) => error('BH9202', m));
  if (!model.ok) return model;
  // accounts the snapshot lacks (BH6009) or parts not collected (BH6008) are missing from the spec: never "complete"
  const incomplete = snapshotGapCount(model.diagnostics);
  const lacks = `the snapshot lacks ${incomplete} account(s) or part(s) (failed or not collected)`;
  const adopted = adoptOrganization(model.value, {
    source: `snapshot \`${request.snapshot}\``,
    ...(request.minRoleAccounts !== undefined ? { minRoleAccounts: request.minRoleAccounts } : {}),
    ...(incomplete > 0 ? { incomplete: lacks } : {}),
  });
  if (!adopted.ok) return adopted;
  const gap: Diagnostic[] = incomplete > 0 ? [{ ...warning('BH9208', `${lacks}, so the adopted spec lacks them too; collect again (\`bulkhead collect --resume\` where it stopped) before applying the spec`), file: request.snapshot }] : [];
  const diagnostics: Diagnostic[] = [...model.diagnostics, ...adopted.diagnostics, ...gap];
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
  return ok({ adopted: adopted.value, incomplete, ...(specWritten ? { specWritten } : {}), ...(idsWritten ? { idsWritten } : {}) }, diagnostics);
}
