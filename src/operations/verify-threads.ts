/**
 * Threaded edge of verify: spreads the engine queries over worker threads (principals split by index), then
 * assembles the same graph a single thread would build and runs the rules. The result is identical to
 * verifyModel's; only the wall-clock time differs. Used by the CLI and the benchmark.
 */
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
