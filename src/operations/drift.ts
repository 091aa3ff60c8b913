/**
 * The `drift` operation: the design (a spec) as the before side and live (a snapshot directory) as the after side
 * of the delta core, with the design's intent (phases, business units, boundaries) applied to the snapshot.
 */
import { error, fail, ok, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import { computeDelta } from '../delta/delta.js';
import type { Delta } from '../delta/types.js';
import { deltaOptions, deltaSide, loadSides, type DiffRequest } from './diff.js';
import type { Host } from './host.js';

/** A drift request: the design (spec) and live (snapshot directory). */
export interface DriftRequest extends Omit<DiffRequest, 'before' | 'after'> {
  readonly spec: string;
  readonly snapshot: string;
}

/** `bulkhead drift SPEC SNAPSHOT`: what live has that the design does not, and what it lacks, with the access. */
export async function drift(request: DriftRequest, host: Host): Promise<Result<Delta>> {
  const loaded = await loadSides({ ...request, before: request.spec, after: request.snapshot }, host);
  if (!loaded.ok) return loaded;
  const { diagnostics } = loaded.value;
  const [before, after] = [loaded.value.before.model, loaded.value.after.model];
  const wrong: Diagnostic[] = [];
  if (before.source !== 'plan') wrong.push(error('BH9106', `drift: \`${request.spec}\` is a snapshot; the first argument is the design, a spec file`));
  if (after.source !== 'snapshot') wrong.push(error('BH9106', `drift: \`${request.snapshot}\` is a spec; the second argument is live, a snapshot directory from \`bulkhead collect\``));
  if (wrong.length > 0) return fail([...diagnostics, ...wrong]);
  host.report({ kind: 'progress', operation: 'drift', message: `drift: verifying the design (${before.accounts.length} accounts) and live (${after.accounts.length})` });
  const delta = computeDelta(deltaSide(loaded.value.before, request.spec), deltaSide(loaded.value.after, request.snapshot, before), deltaOptions({ ...request, before: request.spec, after: request.snapshot }, 'drift'));
  return ok(delta, diagnostics);
}
