/**
 * Worker-thread entry for `simulate --batch` on threads: takes chunks of whole input lines (each with the number of
 * its first line), runs them through one BatchRun (so its set cache serves every chunk it gets) and posts back each
 * chunk's output (result lines, not escaped yet: the writer escapes them) with the chunk's verdict.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BatchRun, type BatchChunk, type SimulateOptions } from './simulate.js';

/** One chunk to run: `text` holds whole lines (the last one may lack its newline when `final`). */
export interface ChunkJob {
  readonly id: number;
  readonly text: string;
  readonly first: number;
  readonly final: boolean;
}

/** What the worker posts: `ready` once it is loaded, then one answer per chunk. */
export type WorkerMessage =
  | { readonly kind: 'ready' }
  | ({ readonly kind: 'chunk'; readonly id: number } & BatchChunk);

const run = new BatchRun(workerData as SimulateOptions);
parentPort!.on('message', (job: ChunkJob) => {
  const c = run.chunk(job.text, job.first, job.final);
  parentPort!.postMessage({ kind: 'chunk', id: job.id, out: c.out, bad: c.bad, unexpected: c.unexpected } satisfies WorkerMessage);
});
parentPort!.postMessage({ kind: 'ready' } satisfies WorkerMessage);
