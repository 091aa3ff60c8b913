/**
 * Worker-thread entry for a diff's before side: prepares the same side as the main thread (deterministic, so the
 * same indexes), asks the engine about one share of the principals (index % of === share) and posts the share back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { sideShare, startSide, type DeltaOptions, type DeltaSide } from '../delta/delta.js';

/** What the main thread sends. */
export interface DiffWorkerInput {
  readonly side: DeltaSide;
  readonly options: DeltaOptions;
  readonly share: number;
  readonly of: number;
}

const input = workerData as DiffWorkerInput;
const work = startSide(input.side, input.options);
const share = sideShare(work, (i) => i % input.of === input.share);
parentPort!.postMessage({ share, diagnostics: work.evaluator.diagnostics });
