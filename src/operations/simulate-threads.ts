/**
 * Threaded edge of `simulate --batch`: the main thread reads the input and cuts it into chunks of whole lines,
 * worker threads (./simulate-worker.ts, each with its own set cache) evaluate the chunks, and the main thread
 * writes their outputs strictly in input order, so the output, the line numbers, the `--expect` report and the
 * exit code are the single thread's. A bounded number of chunks is in flight (memory stays bounded, and the
 * writer's backpressure reaches the reader). Until a worker has loaded, the main thread evaluates chunks itself, so
 * the workers' start-up costs no wall-clock time; a worker that fails has its chunks evaluated on the main thread.
 */
import type { Worker } from 'node:worker_threads';
import { warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { BatchChunk, BatchRun } from './simulate.js';
import type { ChunkJob, WorkerMessage } from './simulate-worker.js';
import { startWorker, workerUrl } from './worker-start.js';

const WORKER_URL = workerUrl('simulate-worker', import.meta.url);

/**
 * The threads `simulate --batch` evaluates lines on: an explicit count as given (1 means the main thread alone; 2
 * or more are worker threads); `auto` (or none) one thread. Every worker warms up on its own (it compiles the
 * policy sets of the lines it sees and its own JIT code: about 0.5 CPU-s on the engine corpus), so on the 2-core
 * machine the benchmarks run on, two workers were never faster than one thread: slower on 60,000 lines, equal
 * wall-clock and twice the CPU on 240,000 (docs/benchmarks.md). Machines with more cores are not measured, so
 * threads are only used when asked for.
 */
export function batchThreads(requested: number | 'auto' | undefined): number {
  if (requested !== undefined && requested !== 'auto') return Math.max(1, Math.floor(requested));
  return 1;
}

/** How the threaded part of a batch runs. */
export interface BatchThreadsOptions {
  /** Worker threads (2 or more). */
  readonly threads: number;
  /** Writes output text (newline-terminated result lines; the writer escapes them); resolves when it was taken. */
  readonly write: (text: string) => Promise<void>;
  /** A chunk is cut once this many characters are pending (default CHUNK_CHARS). */
  readonly chunkChars?: number;
  /** The worker module (default ./simulate-worker); tests start one that fails. */
  readonly workerUrl?: URL;
  /** Whether the main thread evaluates chunks while no worker has loaded yet (default true; false waits for them). */
  readonly mainWorks?: boolean;
}

/** What the threaded part of a batch did: warnings (BH3150) for failed workers, and who ran how many chunks. */
export interface BatchThreadsReport {
  readonly notes: Diagnostic[];
  readonly chunksOnWorkers: number;
  readonly chunksHere: number;
}

/** About this many characters of input make one chunk (the CLI reads a file in pieces of 65,536 bytes). */
export const CHUNK_CHARS = 65_536;

/** Chunks a worker holds at once: one to work on, one waiting, so it never idles between messages. */
const PER_WORKER = 2;

interface Slot {
  readonly job: ChunkJob;
  result: BatchChunk | undefined;
  readonly done: Promise<void>;
  settle: () => void;
}

interface Member {
  /** Undefined when it could not start. */
  readonly worker: Worker | undefined;
  ready: boolean;
  dead: boolean;
  readonly slots: Map<number, Slot>;
}

/** The state of one threaded batch: the workers, the chunks in input order, the main thread's own run. */
interface Batch {
  readonly run: BatchRun;
  readonly options: BatchThreadsOptions;
  readonly members: Member[];
  /** Chunks not written yet, in input order. */
  readonly queue: Slot[];
  /** A wake-up for the writer when a worker answers or becomes ready. */
  wake: (() => void) | undefined;
  readonly notes: Diagnostic[];
  chunksOnWorkers: number;
  chunksHere: number;
}

function newSlot(job: ChunkJob): Slot {
  let settle!: () => void;
  const done = new Promise<void>((resolve) => (settle = resolve));
  return { job, result: undefined, done, settle };
}

function wakeUp(b: Batch): void {
  const w = b.wake;
  b.wake = undefined;
  w?.();
}

/** Evaluates a chunk on the main thread (its own run, so its set cache). */
function runHere(b: Batch, slot: Slot): void {
  b.chunksHere++;
  slot.result = b.run.chunk(slot.job.text, slot.job.first, slot.job.final);
  slot.settle();
}

/** A worker failed or exited: its chunks run on the main thread, with a note (BH3150) the first time. */
function lose(b: Batch, m: Member, why: string): void {
  if (m.dead) return;
  m.dead = true;
  b.notes.push(warning('BH3150', `a simulate worker thread failed (${why}); its lines ran on the main thread, with the same results`));
  for (const slot of m.slots.values()) runHere(b, slot);
  m.slots.clear();
  wakeUp(b);
}

function startMember(b: Batch, workerData: unknown): Member {
  let worker: Worker;
  try {
    worker = startWorker(b.options.workerUrl ?? WORKER_URL, workerData);
  } catch (e) {
    const m: Member = { worker: undefined, ready: false, dead: false, slots: new Map() };
    lose(b, m, e instanceof Error ? e.message : String(e));
    return m;
  }
  const m: Member = { worker, ready: false, dead: false, slots: new Map() };
  worker.on('message', (msg: WorkerMessage) => {
    if (msg.kind === 'ready') m.ready = true;
    else {
      const slot = m.slots.get(msg.id);
      if (slot === undefined) return;
      m.slots.delete(msg.id);
      b.chunksOnWorkers++;
      slot.result = { out: msg.out, bad: msg.bad, unexpected: msg.unexpected };
      slot.settle();
    }
    wakeUp(b);
  });
  worker.on('error', (e) => lose(b, m, e.message));
  worker.on('exit', (code) => lose(b, m, `exit code ${code}`));
  return m;
}

/** Writes the chunks at the head of the queue that are done, in order, and adds their verdicts to the run. */
async function writeDone(b: Batch): Promise<void> {
  while (b.queue.length > 0 && b.queue[0]!.result !== undefined) {
    const slot = b.queue.shift()!;
    b.run.merge(slot.result!);
    if (slot.result!.out !== '') await b.options.write(slot.result!.out);
  }
}

/** Waits until a worker answers, becomes ready or fails. */
function nextEvent(b: Batch): Promise<void> {
  return new Promise((resolve) => {
    b.wake = resolve;
  });
}

/** Hands a chunk to a ready worker with room, or runs it here while no worker is ready; waits while all are busy. */
async function submit(b: Batch, job: ChunkJob): Promise<void> {
  const slot = newSlot(job);
  b.queue.push(slot);
  for (;;) {
    const alive = b.members.filter((m) => !m.dead);
    const free = alive.find((m) => m.ready && m.slots.size < PER_WORKER);
    if (free !== undefined) {
      free.slots.set(job.id, slot);
      free.worker!.postMessage(job);
      break;
    }
    if (!alive.some((m) => m.ready) && (b.options.mainWorks !== false || alive.length === 0)) {
      runHere(b, slot); // no worker has loaded yet (or none is left): this thread works meanwhile
      await new Promise<void>((resolve) => setImmediate(resolve)); // lets a worker's `ready` in
      break;
    }
    // every ready worker is busy: write what is done, else wait for an answer
    if (b.queue[0]!.result !== undefined) await writeDone(b);
    else await nextEvent(b);
  }
  await writeDone(b);
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Runs the rest of a batch on worker threads: `run` has evaluated the lines before (its unfinished last line is
 * taken over), `input` gives the remaining text. Output goes to `options.write` in input order, the verdicts into
 * `run` (bad, unexpected), as if `run` had evaluated every line. `workerOptions` are the run's SimulateOptions.
 */
export async function runBatchThreads(run: BatchRun, input: AsyncIterator<string>, workerOptions: unknown, options: BatchThreadsOptions): Promise<BatchThreadsReport> {
  const b: Batch = { run, options, members: [], queue: [], wake: undefined, notes: [], chunksOnWorkers: 0, chunksHere: 0 };
  for (let i = 0; i < options.threads; i++) b.members.push(startMember(b, workerOptions));
  const chunkChars = Math.max(1, options.chunkChars ?? CHUNK_CHARS);
  let pending = run.takeRest();
  // the last line end in `pending`, found in each new piece only: a long line without one is not searched again
  let cut = -1;
  let first = run.nextLine;
  let id = 0;
  try {
    for (let n = await input.next(); n.done !== true; n = await input.next()) {
      const at = n.value.lastIndexOf('\n');
      if (at >= 0) cut = pending.length + at;
      pending += n.value;
      if (pending.length < chunkChars || cut < 0) continue;
      const text = pending.slice(0, cut + 1);
      pending = pending.slice(cut + 1);
      cut = -1; // the rest follows the last line end
      await submit(b, { id: id++, text, first, final: false });
      first += countLines(text);
    }
    if (pending !== '') await submit(b, { id: id++, text: pending, first, final: true });
    while (b.queue.length > 0) {
      await b.queue[0]!.done;
      await writeDone(b);
    }
  } finally {
    for (const m of b.members) {
      m.dead = true; // its exit is expected now
      void m.worker?.terminate();
    }
  }
  return { notes: b.notes, chunksOnWorkers: b.chunksOnWorkers, chunksHere: b.chunksHere };
}
