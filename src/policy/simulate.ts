/**
 * The pure core of `bulkhead simulate`: one JSON input object in, one result object (or diagnostics) out.
 * Input shape: { request, identityPolicies, resourcePolicy?, permissionBoundary?, sessionPolicy?,
 * serviceControlPolicies?, resourceControlPolicies?, managementAccountId? } — see docs/engine.md.
 */
import { error, fail, hasErrors, ok, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../util/suggest.js';
import { evaluatePrepared, prepareRequest } from './evaluate.js';
import type { ParseOptions } from './parse.js';
import { buildPolicySet, type PolicySetInput } from './policy-set.js';
import type { SetBuilder } from './set-cache.js';
import type { Decision, RequestInput } from './types.js';
import { DEFAULT_CATALOG } from './catalog-default.js';

const INPUT_KEYS = ['request', 'identityPolicies', 'resourcePolicy', 'permissionBoundary', 'sessionPolicy', 'serviceControlPolicies', 'resourceControlPolicies', 'managementAccountId'];
const REQUEST_KEYS = ['principal', 'principalType', 'sessionName', 'federatingUser', 'action', 'resource', 'resourceAccount', 'context'];

/** What simulate prints for one request. */
export interface SimulateOutput {
  readonly decision: Decision['decision'];
  readonly blockedBy: Decision['blockedBy'];
  readonly explanation: Decision['explanation'];
  /** Only with `--explain`: notes and validation warnings. */
  readonly notes?: readonly string[];
  readonly warnings?: readonly Diagnostic[];
}

/**
 * Runs one simulate input object. Errors come back as diagnostics (with JSON paths), never as exceptions; the
 * validation warnings come with the output. `build` builds the policy set (a batch passes one that caches).
 */
export function simulate(value: unknown, explain = false, options: ParseOptions = { catalog: DEFAULT_CATALOG }, build: SetBuilder = buildPolicySet): Result<SimulateOutput> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail([error('BH3100', 'the input must be a JSON object with `request` and `identityPolicies`')]);
  }
  const v = value as Record<string, unknown>;
  const diags: Diagnostic[] = [];
  for (const k of Object.keys(v)) {
    if (!INPUT_KEYS.includes(k)) diags.push(error('BH3100', `unknown input key \`${k}\`${didYouMean(k, INPUT_KEYS)}; allowed: ${INPUT_KEYS.join(', ')}`, k));
  }
  const req = v['request'];
  if (typeof req !== 'object' || req === null || Array.isArray(req)) {
    diags.push(error('BH3100', '`request` is missing or not an object; give {principal, action, resource, ...}', 'request'));
    return fail(diags);
  }
  for (const k of Object.keys(req)) {
    if (!REQUEST_KEYS.includes(k)) diags.push(error('BH3100', `unknown request key \`${k}\`${didYouMean(k, REQUEST_KEYS)}; allowed: ${REQUEST_KEYS.join(', ')}`, `request.${k}`));
  }
  if (v['identityPolicies'] === undefined) diags.push(error('BH3100', '`identityPolicies` is missing; give an array of policy documents (it may be empty)', 'identityPolicies'));
  const prepared = prepareRequest(req as RequestInput);
  if (!prepared.ok) diags.push(...prepared.diagnostics);
  if (hasErrors(diags) || !prepared.ok) return fail(diags);
  const r = prepared.value;
  const built = build(
    v as unknown as PolicySetInput,
    r.mode === 'trust' ? 'trust' : 'resource',
    r.mode === 'kms' ? { ...options, maxSize: 32768 } : options,
  );
  if (!built.ok) return built;
  const d = evaluatePrepared(r, built.value, explain ? true : 'refs'); // the notes only when they are printed
  const base = { decision: d.decision, blockedBy: d.blockedBy, explanation: d.explanation };
  const output: SimulateOutput = explain ? { ...base, notes: d.notes, warnings: built.diagnostics } : base;
  return ok(output, built.diagnostics);
}
