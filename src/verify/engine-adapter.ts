/**
 * Adapter from verify's AccessEvaluator to the IAM engine in src/policy. Until the engine's bulk capability
 * query exists this returns undefined, and verify runs its structural rules only (the report says so).
 */
import type { AccessEvaluator } from './evaluator.js';

/** The engine-backed evaluator, or undefined when the engine is not available. */
export function createEngineEvaluator(): AccessEvaluator | undefined {
  return undefined;
}
