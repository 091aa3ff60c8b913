/**
 * The one snapshot loader of the operations: a snapshot directory (or its files, read already) → the model, with
 * the ACTIVE accounts it has no account file for. `adopt`, `emit --adopt`, `migrate` and `verify` load snapshots
 * through it; each keeps its own code for a path that is no snapshot directory.
 */
import { fail, ok, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import type { OrganizationModel } from '../model/organization.js';
import { parseSnapshot, snapshotToModel, uncollectedAccounts, uncollectedMessage, type SharedAccountFiles } from '../snapshot/load.js';
import type { IncompleteReason } from '../verify/verify.js';
import { hostPath, type Host } from './host.js';

/**
 * The caller's error for a path that is no snapshot directory, from the message (adopt BH9202, emit --adopt BH9203,
 * migrate BH9230).
 */
export type NoSnapshotError = (message: string) => Diagnostic;

/** A loaded snapshot: the model and one reason per ACTIVE account without an account file (BH6009). */
export interface LoadedSnapshot {
  readonly model: OrganizationModel;
  readonly incomplete: readonly IncompleteReason[];
}

/**
 * A snapshot's files as the model, with one incomplete reason per ACTIVE account it has no account file for
 * (`shared`: account files parsed once across the snapshots loaded with it, see `SharedAccountFiles`).
 */
export function snapshotFilesToModel(files: ReadonlyMap<string, string>, label: string, shared?: SharedAccountFiles): Result<LoadedSnapshot> {
  const s = parseSnapshot(files, label, shared);
  if (!s.ok) return s;
  const uncollected = uncollectedAccounts(s.value); // (the model's BH6009 warnings come from the same list)
  const m = snapshotToModel(s.value, label, uncollected);
  const diagnostics = [...s.diagnostics, ...m.diagnostics];
  if (!m.ok) return fail(diagnostics);
  const incomplete = uncollected.active.map((u): IncompleteReason => ({ code: 'BH6009', reason: uncollectedMessage(u), source: u.id }));
  return ok({ model: m.value, incomplete }, diagnostics);
}

/**
 * Reads a snapshot directory (relative to the host's cwd) into the model alone (the gaps stay in the diagnostics,
 * BH6008/BH6009); a path that is no directory is an error from the caller's `noSnapshot`, naming it.
 */
export async function loadSnapshotModel(path: string, host: Host, noSnapshot: NoSnapshotError): Promise<Result<OrganizationModel>> {
  const abs = hostPath(host, path);
  const kind = await host.files.kind(abs);
  if (kind !== 'directory') {
    const what = kind === 'missing' ? 'does not exist' : 'is not a directory';
    return fail([{ ...noSnapshot(`snapshot \`${path}\` ${what}; give a snapshot directory written by \`bulkhead collect\``), file: path }]);
  }
  const files = await host.files.readSnapshot(abs, path);
  if (!files.ok) return files;
  const r = snapshotFilesToModel(files.value, path);
  return r.ok ? ok(r.value.model, r.diagnostics) : r;
}

/**
 * How many accounts or parts a loaded snapshot lacks: accounts that failed or were not collected and policies not
 * decoded (BH6008 warnings), ACTIVE accounts without a file (BH6009). Any of them makes an analysis incomplete.
 */
export function snapshotGapCount(diagnostics: readonly Diagnostic[]): number {
  return diagnostics.filter((d) => (d.code === 'BH6008' && d.severity === 'warning') || d.code === 'BH6009').length;
}
