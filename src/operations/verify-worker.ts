/**
 * Worker-thread entry for parallel verify: receives the prepared nodes (without their attribution, which the engine
 * does not read) and the candidate pairs of its share of the principals, asks the engine about them and posts the
 * answers back. The main thread prepares the model once; the worker repeats none of it.
 */
import { parentPort } from 'node:worker_threads';
import { createEngineEvaluator, type EngineEvaluatorOptions } from '../verify/engine-adapter.js';
import { evaluateShare, type Candidates, type EnginePrincipal, type EngineResource } from '../verify/graph.js';

/** What the main thread sends (one message, once it has prepared the model). */
export interface WorkerInput {
  /** Every principal node (the escalation questions look at a principal's peers and roles), `attr` left out. */
  readonly principals: readonly EnginePrincipal[];
  /** Every resource node, `attr` left out. */
  readonly resources: readonly EngineResource[];
  /** The candidate pairs of this share's principals (the others' lists are empty). */
  readonly candidates: Candidates;
  readonly evaluatorOptions: EngineEvaluatorOptions;
  readonly share: number;
  readonly of: number;
}

parentPort!.once('message', (input: WorkerInput) => {
  const evaluator = createEngineEvaluator(input.evaluatorOptions);
  const share = evaluateShare(input.principals, input.resources, input.candidates, evaluator, (i) => i % input.of === input.share);
  parentPort!.postMessage({ share, diagnostics: evaluator.diagnostics });
});
