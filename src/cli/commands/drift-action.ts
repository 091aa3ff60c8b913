/** `bulkhead drift`: the `drift` operation, rendered like `diff` with drift wording. Loaded when `drift` runs. */
import { drift } from '../../operations/drift.js';
import { cliHost } from '../host.js';
import type { CliIo } from '../io.js';
import { checkDeltaArgs, finishDelta, type DeltaCliOptions } from './diff-action.js';
import type { SetExit } from './registrar.js';

/** Runs `drift`. */
export async function runDrift(io: CliIo, setExit: SetExit, spec: string, snapshot: string, opts: DeltaCliOptions): Promise<void> {
  checkDeltaArgs(opts, [spec, snapshot]);
  const host = cliHost(io);
  const result = await drift({ spec, snapshot, destroyAccountThreshold: opts.destroyThreshold, ...(opts.defaultBoundaries ? { defaultBoundaries: true } : {}) }, host);
  await finishDelta(io, setExit, result, spec.includes('@') ? spec.slice(0, spec.lastIndexOf('@')) : spec, opts, host);
}
