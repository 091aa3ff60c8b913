/**
 * Threaded edge of verify: spreads the engine queries over worker threads (principals split by index), then
 * assembles the same graph a single thread would build and runs the rules. The result is identical to
 * verifyModel's; only the wall-clock time differs. Used by the CLI and the benchmark.
 */
import { getHeapStatistics } from 'node:v8';
import { warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import { collectShares, runWorker, workerUrl, type ShareOutput } from './worker-start.js';
import type { OrganizationModel } from '../model/organization.js';
import { createEngineEvaluator, type EngineEvaluator, type EngineEvaluatorOptions } from '../verify/engine-adapter.js';
import {
  assembleGraph,
  candidatePairs,
  evaluateShare,
  type Candidates,
  type EnginePrincipal,
  type EngineResource,
  type GraphShare,
  type IndexList,
} from '../verify/graph.js';
import type { WorkerInput } from './verify-worker.js';
import { reportingShare } from '../verify/progress.js';
import { externalFindings, finishVerify, prepareVerify, type PreparedVerify, type VerifyOptions, type VerifyReport } from '../verify/verify.js';

/** Options for the threaded verify. */
export interface ParallelVerifyOptions extends Omit<VerifyOptions, 'evaluator'> {
  /** Threads in total, the main thread included (1 = no workers). */
  readonly threads: number;
  readonly evaluatorOptions?: EngineEvaluatorOptions;
}

const WORKER_URL = workerUrl('verify-worker', import.meta.url);

/**
 * Live heap one verify thread holds at the engine phase's end, per node (principal or resource), in bytes.
 * Source: `node --expose-gc --import tsx bench/verify-memory.ts 1000` (the synthetic organization of 1,000 accounts:
 * 19,983 principals and 49,951 resources, 69,934 nodes), heap after `gc()` at the engine phase's end: 155.5 MB on one
 * thread, 12.3 MB of it before the model exists, so (155.5 − 12.3) MB / 69,934 ≈ 2.1 KB a node. On two threads the
 * main thread held 137.7 MB and the worker 134.4 MB (its copy of the nodes 72 MB, then its evaluator and its half of
 * the answers; measured in the worker after `gc()`): each further thread costs about as much as the first, so every
 * thread is counted at the one-thread figure. 2026-12-01, Node v20.20.2.
 */
export const THREAD_BYTES_PER_NODE = 2150;

/** What a thread holds whatever the organization's size (code, the engine's catalog): 12.3 MB measured as above. */
export const THREAD_BASE_BYTES = 12 * 1048576;

/**
 * The share of the heap limit the live heaps of all threads together may take: the rest is room for the garbage
 * between two collections (with less room V8 collects again and again: 10,000 accounts on one thread, ~1.45 GB live
 * in an 1,800 MB heap, took 1.4× the CPU of the same run in a 3,000 MB heap, docs/benchmarks.md).
 */
export const THREAD_HEAP_SHARE = 0.5;

/** The estimated live heap of one verify thread for an organization of `nodes` principals and resources, bytes. */
export function threadFootprintBytes(nodes: number): number {
  return THREAD_BASE_BYTES + Math.max(0, nodes) * THREAD_BYTES_PER_NODE;
}

/**
 * The most threads whose estimated live heaps (`threadFootprintBytes` each: every worker has its own heap with its
 * own copy of the nodes) fit in `THREAD_HEAP_SHARE` of `heapLimitBytes`; at least 1. With the process's
 * `--max-old-space-size` every worker gets the same limit as the main thread (Node ignores a worker's
 * `resourceLimits.maxOldGenerationSizeMb` then), so the limit bounds each heap, and this bounds their sum.
 * `heap_size_limit` counts the young generation too: 1,992 MB under the CLI's 1,800 MB budget and 64 MB
 * semi-space (1,848 MB with V8's 16 MB). Then 1,000 accounts of the synthetic organization (~70,000 nodes) allow
 * 5 threads, 2,000 allow 3, up to 3,380 allow 2 (3,130 with 16 MB semi-spaces; 3,380 accounts on two threads
 * peaked at 1,702 MB), 5,000 and 10,000 allow 1.
 */
export function memoryThreads(nodes: number, heapLimitBytes: number): number {
  return Math.max(1, Math.floor((heapLimitBytes * THREAD_HEAP_SHARE) / threadFootprintBytes(nodes)));
}

/** The thread count verify runs on and, for an explicit count beyond `memoryThreads`, a warning (BH7250). */
export interface ThreadChoice {
  readonly threads: number;
  readonly diagnostics: readonly Diagnostic[];
}

const MB = 1048576;

/**
 * Bounds the cores' choice (`chooseThreads`) by memory: `auto` (or no count) takes at most `memoryThreads`; an
 * explicit count stays the user's, with a warning when its threads' estimated live heaps exceed the budget.
 */
export function threadsWithinMemory(nodes: number, requested: number | 'auto' | undefined, byCores: number, heapLimit: number): ThreadChoice {
  const fit = memoryThreads(nodes, heapLimit);
  if (requested === undefined || requested === 'auto') return { threads: Math.min(byCores, fit), diagnostics: [] };
  if (byCores <= fit) return { threads: byCores, diagnostics: [] };
  const each = Math.round(threadFootprintBytes(nodes) / MB);
  const message =
    `\`--threads ${byCores}\` likely exceeds the memory budget: ${nodes} principals and resources need about ${each} MB of live heap on every thread ` +
    `(each worker holds its own copy of the nodes), ${byCores * each} MB in all, more than ${Math.round(THREAD_HEAP_SHARE * 100)} % of the ` +
    `${Math.round(heapLimit / MB)} MB heap limit; use \`--threads ${fit}\` (or \`auto\`), or raise the limit (\`BULKHEAD_MAX_HEAP_MB\` for the CLI, \`--max-old-space-size\` for Node)`;
  return { threads: byCores, diagnostics: [warning('BH7250', message)] };
}

/** This process's V8 heap limit (`v8.getHeapStatistics().heap_size_limit`), bytes. */
export function heapLimitBytes(): number {
  return getHeapStatistics().heap_size_limit;
}

/** The nodes without their attribution (the engine does not read it): less to copy to a worker. */
function engineNodes(prepared: PreparedVerify): { principals: EnginePrincipal[]; resources: EngineResource[] } {
  return {
    principals: prepared.principals.map(({ attr: _attr, ...rest }) => rest),
    resources: prepared.resources.map(({ attr: _attr, ...rest }) => rest),
  };
}

/** The candidate pairs of one share's principals; the others' lists are one shared empty array (cheap to copy). */
function shareCandidates(candidates: Candidates, inShare: (i: number) => boolean): Candidates {
  const none: IndexList = new Int32Array(0);
  return {
    resources: candidates.resources.map((l, i) => (inShare(i) ? l : none)),
    roles: candidates.roles.map((l, i) => (inShare(i) ? l : none)),
    prunedPairs: candidates.prunedPairs,
  };
}

/** verifyModel with the engine work spread over `threads` threads. */
export async function verifyModelParallel(model: OrganizationModel, options: ParallelVerifyOptions): Promise<VerifyReport> {
  const threads = Math.max(1, Math.floor(options.threads));
  const evaluatorOptions = options.evaluatorOptions ?? {};
  // start the workers first: loading their modules overlaps the preparation, which only the main thread does
  const workers = Array.from({ length: threads - 1 }, () => runWorker<WorkerInput, ShareOutput<GraphShare>>(WORKER_URL, 'verify worker'));
  options.progress?.({ step: 'preparing' });
  const prepared = prepareVerify(model, options);
  let candidates: Candidates | undefined = candidatePairs(prepared.principals, prepared.resources);
  if (workers.length > 0) {
    const nodes = engineNodes(prepared);
    for (const [k, w] of workers.entries()) {
      w.send({ ...nodes, candidates: shareCandidates(candidates, (i) => i % threads === k + 1), evaluatorOptions, share: k + 1, of: threads });
    }
  }
  let evaluator: EngineEvaluator | undefined = createEngineEvaluator(evaluatorOptions);
  // the evaluator's own (live) list: what the external-access rules leave out must reach summary.incomplete
  const diagnostics = evaluator.diagnostics;
  // the main thread takes share 0 while the workers run theirs
  // the shares interleave, so the main thread's progress stands for the workers' too
  const inShare = reportingShare(prepared.principals.length, (i) => i % threads === 0, options.progress, 'engine: principals');
  const mine = evaluateShare(prepared.principals, prepared.resources, candidates, evaluator, inShare);
  // the external-access rules do not read the graph: they run here while the workers finish
  options.progress?.({ step: 'external access' });
  const external = externalFindings(prepared, evaluator);
  if (workers.length > 0) options.progress?.({ step: 'engine: waiting for the other threads' });
  // a worker that cannot start (e.g. no TypeScript loader) must not lose work: its share runs here (BH7103)
  const { shares: theirs, notes } = await collectShares(
    workers.map((w) => w.done),
    'verify worker',
    'BH7103',
    // both are still set here; they are `let`s only to be let go before the rules run
    (share) => evaluateShare(prepared.principals, prepared.resources, candidates!, evaluator!, (i) => i % threads === share),
  );
  const shares = [mine, ...theirs];
  // every engine question has been asked: its caches (a large part of the heap) go before the rules run
  evaluator = undefined;
  const graph = assembleGraph(prepared.principals, prepared.resources, candidates, shares);
  // the candidate lists (one number[] per principal) are not needed by the rules: let them go now
  candidates = undefined;
  diagnostics.push(...notes);
  return finishVerify(prepared, graph, options, diagnostics, external);
}
