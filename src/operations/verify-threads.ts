/**
 * Threaded edge of verify: spreads the engine queries over worker threads (principals split by index), then
 * assembles the same graph a single thread would build and runs the rules. The result is identical to
 * verifyModel's; only the wall-clock time differs. Used by the CLI and the benchmark.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker as startWorkerAt, workerUrl } from './worker-start.js';
import { warning, type Diagnostic } from '../diagnostics/diagnostic.js';
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

/** A started worker: it loads its modules while the main thread prepares, then gets its input. */
interface RunningWorker {
  readonly send: (input: WorkerInput) => void;
  readonly done: Promise<{ share: GraphShare; diagnostics: Diagnostic[] }>;
}

function startWorker(): RunningWorker {
  let w: Worker | undefined;
  let failed: unknown;
  const done = new Promise<{ share: GraphShare; diagnostics: Diagnostic[] }>((resolve, reject) => {
    try {
      w = startWorkerAt(WORKER_URL);
    } catch (e) {
      // the caller falls back to the main thread (reported there as BH7103)
      failed = e;
      reject(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    w.once('message', (m: { share: GraphShare; diagnostics: Diagnostic[] }) => resolve(m));
    w.once('error', reject);
    w.once('exit', (code) => {
      if (code !== 0) reject(new Error(`verify worker exited with code ${code}`));
    });
  });
  // awaited only after the main thread's share: until then a failure must not count as unhandled
  done.catch(() => undefined);
  return { send: (input) => (failed === undefined ? w?.postMessage(input) : undefined), done };
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
  const workers = Array.from({ length: threads - 1 }, () => startWorker());
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
  const shares: GraphShare[] = [mine];
  const notes: Diagnostic[] = [];
  // the external-access rules do not read the graph: they run here while the workers finish
  options.progress?.({ step: 'external access' });
  const external = externalFindings(prepared, evaluator);
  if (workers.length > 0) options.progress?.({ step: 'engine: waiting for the other threads' });
  for (const [k, w] of workers.entries()) {
    try {
      const o = await w.done;
      shares.push(o.share);
      notes.push(...o.diagnostics);
    } catch (e) {
      // a worker that cannot start (e.g. no TypeScript loader) must not lose work: do its share here
      notes.push(warning('BH7103', `verify worker ${k + 1} failed (${e instanceof Error ? e.message : String(e)}); its share ran on the main thread`));
      shares.push(evaluateShare(prepared.principals, prepared.resources, candidates, evaluator, (i) => i % threads === k + 1));
    }
  }
  // every engine question has been asked: its caches (a large part of the heap) go before the rules run
  evaluator = undefined;
  const graph = assembleGraph(prepared.principals, prepared.resources, candidates, shares);
  // the candidate lists (one number[] per principal) are not needed by the rules: let them go now
  candidates = undefined;
  diagnostics.push(...notes);
  return finishVerify(prepared, graph, options, diagnostics, external);
}
