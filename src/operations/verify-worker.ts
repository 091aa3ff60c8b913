/**
 * Worker-thread entry for parallel verify: prepares the same model deterministically, asks the engine about
 * one share of the principals (index % of === share) and posts the answers back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { OrganizationModel } from '../model/organization.js';
import { createEngineEvaluator, type EngineEvaluatorOptions } from '../verify/engine-adapter.js';
import { candidatePairs, evaluateShare } from '../verify/graph.js';
import { prepareVerify } from '../verify/verify.js';

/** What the main thread sends. */
export interface WorkerInput {
  readonly model: OrganizationModel;
  readonly spec?: OrganizationModel;
  readonly evaluatorOptions: EngineEvaluatorOptions;
  readonly share: number;
  readonly of: number;
}

const input = workerData as WorkerInput;
const prepared = prepareVerify(input.model, input.spec ? { spec: input.spec } : {});
const candidates = candidatePairs(prepared.principals, prepared.resources);
const evaluator = createEngineEvaluator(input.evaluatorOptions);
const share = evaluateShare(prepared.principals, prepared.resources, candidates, evaluator, (i) => i % input.of === input.share);
parentPort!.postMessage({ share, diagnostics: evaluator.diagnostics });
