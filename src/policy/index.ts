/**
 * The IAM policy engine: parse and validate policy documents, compile them, and evaluate requests with
 * AWS's documented logic. Pure: no file access, no AWS calls, no printing. See docs/engine.md.
 */
import { DEFAULT_CATALOG } from './catalog-default.js';
import { parsePolicy as parseWith, validatePolicyDocument as validateWith, type ParseOptions, type ParseResult } from './parse.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { PolicyType } from './types.js';

export * from './types.js';
export { compilePolicy, type CompiledPolicy, type CompiledStatement } from './compile.js';
export {
  evaluatePrepared,
  evaluateRequest,
  prepareRequest,
  type EvaluateResult,
  type LabeledPolicy,
  type PolicySet,
  type PreparedRequest,
  type ResourceMode,
} from './evaluate.js';
export { buildPolicySet, type BuildOptions, type PolicySetInput } from './policy-set.js';
export { printPolicy, parseJsonText, arnProblem, parseForEvaluation, type EvaluablePolicy, type LeftOutStatement, type ParseOptions, type ParseResult } from './parse.js';
export { POLICY_SIZE_KINDS, policySizeDiagnostic, SIZE_LIMITS, type PolicySizeKind, type SizeLimit } from './limits.js';
export { type PolicyCatalog, type EngineCatalog, type CapabilityCatalog, NO_CATALOG } from './catalog-port.js';
export { DEFAULT_CATALOG, rcpServices } from './catalog-default.js';
export { classifyCaller, type Caller, type CallerKind } from './principal.js';
export { AWS_OWNED_RULES, awsOwnedActionBits, awsOwnedResourceBits, awsOwnedRule, type AwsOwnedRule } from './aws-owned.js';
export { arnService, capabilityQuery, CapabilityIndex, type CapabilityAnswer, type CapabilityResult, type CallerInput } from './bulk.js';

/** Parses and validates a policy (JSON value or text) for `type`, with the real action catalogue by default. */
export function parsePolicy(input: unknown, type: PolicyType, options: ParseOptions = {}): ParseResult {
  return parseWith(input, type, { catalog: DEFAULT_CATALOG, ...options });
}

/** Validates a policy document (for the planner and emitters); diagnostics only, with the real catalogue by default. */
export function validatePolicyDocument(input: unknown, type: PolicyType, options: ParseOptions = {}): readonly Diagnostic[] {
  return validateWith(input, type, { catalog: DEFAULT_CATALOG, ...options });
}
