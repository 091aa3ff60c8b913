/**
 * Threaded edge of the delta: the before side's engine questions (a full verify's) spread over worker threads,
 * principals split by index as verify's threads do; the after side and the comparison then run on the main thread
 * as `computeDelta` runs them. The delta is the same as on one thread; only the wall-clock time differs.
 */
import {
  analyseSide,
  cacheFor,
  compareSides,
  computeDelta,
  deltaFromBefore,
  finishSide,
  resolveDeltaOptions,
  sideShare,
  startSide,
  type DeltaOptions,
  type DeltaSide,
} from '../delta/delta.js';
import type { Delta } from '../delta/types.js';
import type { GraphShare } from '../verify/graph.js';
import type { DiffWorkerInput } from './diff-worker.js';
import { collectShares, runWorker, workerUrl, type ShareOutput } from './worker-start.js';

const WORKER_URL = workerUrl('diff-worker', import.meta.url);

/** `computeDelta` with the before side's engine questions on `threads` threads (the main thread included). */
export async function computeDeltaThreaded(before: DeltaSide, after: DeltaSide, given: DeltaOptions, threads: number): Promise<Delta> {
  const n = Math.max(1, Math.floor(threads));
  const options = resolveDeltaOptions(before, after, given);
  if (n === 1) return computeDelta(before, after, options);
  // the workers verify without a cache: the graph keeps the answers the after side reuses
  const plain = { ...options, reuse: false };
  const workers = Array.from({ length: n - 1 }, (_, k) => runWorker<never, ShareOutput<GraphShare>>(WORKER_URL, 'diff worker', { side: before, options: plain, share: k + 1, of: n } satisfies DiffWorkerInput).done);
  const cache = options.reuse === false ? undefined : cacheFor(before);
  const work = startSide(before, options, cache, 'engine');
  const mine = sideShare(work, (i) => i % n === 0);
  const { shares, notes } = await collectShares(workers, 'diff worker', 'BH9107', (share) => sideShare(work, (i) => i % n === share));
  const analysedBefore = finishSide(before, options, work, [mine, ...shares], notes);
  if (!cache) return compareSides({ ...before, ...analysedBefore }, { ...after, ...analyseSide(after, options) }, options);
  return deltaFromBefore(before, after, options, cache, analysedBefore);
}
