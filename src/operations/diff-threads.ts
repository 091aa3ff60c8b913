/**
 * Threaded edge of the delta: the before side's engine questions (a full verify's) spread over worker threads,
 * principals split by index as verify's threads do; the after side and the comparison then run on the main thread
 * as `computeDelta` runs them. The delta is the same as on one thread; only the wall-clock time differs.
 */
import { warning, type Diagnostic } from '../diagnostics/diagnostic.js';
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
import { startWorker, workerUrl } from './worker-start.js';

const WORKER_URL = workerUrl('diff-worker', import.meta.url);

interface WorkerOutput {
  readonly share: GraphShare;
  readonly diagnostics: Diagnostic[];
}

function runWorker(input: DiffWorkerInput): Promise<WorkerOutput> {
  return new Promise((resolve, reject) => {
    const w = startWorker(WORKER_URL, input);
    w.once('message', (m: WorkerOutput) => resolve(m));
    w.once('error', reject);
    w.once('exit', (code) => {
      if (code !== 0) reject(new Error(`diff worker exited with code ${code}`));
    });
  });
}

/** `computeDelta` with the before side's engine questions on `threads` threads (the main thread included). */
export async function computeDeltaThreaded(before: DeltaSide, after: DeltaSide, given: DeltaOptions, threads: number): Promise<Delta> {
  const n = Math.max(1, Math.floor(threads));
  const options = resolveDeltaOptions(before, after, given);
  if (n === 1) return computeDelta(before, after, options);
  // the workers verify without a cache: the graph keeps the answers the after side reuses
  const plain = { ...options, reuse: false };
  const workers = Array.from({ length: n - 1 }, (_, k) => runWorker({ side: before, options: plain, share: k + 1, of: n }));
  const cache = options.reuse === false ? undefined : cacheFor(before);
  const work = startSide(before, options, cache, 'engine');
  const shares: GraphShare[] = [sideShare(work, (i) => i % n === 0)];
  const notes: Diagnostic[] = [];
  for (const [k, w] of workers.entries()) {
    try {
      const o = await w;
      shares.push(o.share);
      notes.push(...o.diagnostics);
    } catch (e) {
      // a worker that cannot start must not lose work: do its share here
      notes.push(warning('BH9107', `diff worker ${k + 1} failed (${e instanceof Error ? e.message : String(e)}); its share ran on the main thread`));
      shares.push(sideShare(work, (i) => i % n === k + 1));
    }
  }
  const analysedBefore = finishSide(before, options, work, shares, notes);
  if (!cache) return compareSides({ ...before, ...analysedBefore }, { ...after, ...analyseSide(after, options) }, options);
  return deltaFromBefore(before, after, options, cache, analysedBefore);
}
