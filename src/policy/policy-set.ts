/**
 * Builds a compiled PolicySet from raw JSON documents (the shape `bulkhead simulate` reads), validating
 * every document for its policy type and labelling each one with its JSON path for explanations.
 */
import { fail, hasErrors, ok, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import { DEFAULT_CATALOG } from './catalog-default.js';
import type { EngineCatalog } from './catalog-port.js';
import { compilePolicy, type CompiledPolicy } from './compile.js';
import type { LabeledPolicy, PolicySet } from './evaluate.js';
import { parsePolicy, type ParseOptions } from './parse.js';
import type { PolicyType } from './types.js';
import { isSerialiseError, messageValue } from '../util/message-value.js';

/** Raw policy documents for one request. */
export interface PolicySetInput {
  readonly identityPolicies: readonly unknown[];
  readonly resourcePolicy?: unknown;
  readonly permissionBoundary?: unknown;
  readonly sessionPolicy?: unknown;
  readonly serviceControlPolicies?: readonly (readonly unknown[])[];
  readonly resourceControlPolicies?: readonly (readonly unknown[])[];
  readonly managementAccountId?: string;
}

/** Options for building a policy set: parsing options, and the catalogue evaluation reads (default: the real one). */
export interface BuildOptions extends ParseOptions {
  readonly engineCatalog?: EngineCatalog;
}

/**
 * Parsed and compiled documents by their JSON text, type and size limit: a batch repeats the same policies
 * on every line, so each distinct document is validated and compiled once. Bounded; compiled policies are
 * immutable, so sharing them is safe.
 */
const cache = new Map<string, { compiled?: CompiledPolicy; diagnostics: readonly Diagnostic[] }>();
const CACHE_MAX = 2000;
const catalogIds = new WeakMap<object, number>();
let nextCatalogId = 1;
function catalogId(options: ParseOptions): number {
  if (!options.catalog) return 0;
  let id = catalogIds.get(options.catalog);
  if (id === undefined) {
    id = nextCatalogId++;
    catalogIds.set(options.catalog, id);
  }
  return id;
}

function cached(doc: unknown, type: PolicyType, options: ParseOptions): { compiled?: CompiledPolicy; diagnostics: readonly Diagnostic[] } {
  let key: string | undefined;
  try {
    key = `${type} ${options.sizeKind ?? ''} ${options.maxSize ?? ''} ${catalogId(options)} ${JSON.stringify(doc)}`;
  } catch (e) {
    if (!isSerialiseError(e)) throw e;
    key = undefined; // not serialisable: the parser reports it
  }
  const hit = key === undefined ? undefined : cache.get(key);
  if (hit) return hit;
  const r = parsePolicy(doc, type, options);
  const out = r.ok ? { compiled: compilePolicy(r.value), diagnostics: r.diagnostics } : { diagnostics: r.diagnostics };
  if (key !== undefined && key.length < 200_000) {
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(key, out);
  }
  return out;
}

function prefix(d: Diagnostic, path: string): Diagnostic {
  return { ...d, path: d.path ? `${path}.${d.path}` : path };
}

/**
 * Parses and compiles every document. `resourcePolicyType` is `trust` when the resource is a role
 * (the resource policy is then its trust policy). Returns the set only when there are no errors.
 */
export function buildPolicySet(
  input: PolicySetInput,
  resourcePolicyType: PolicyType = 'resource',
  options: BuildOptions = {},
): Result<PolicySet> {
  const diagnostics: Diagnostic[] = [];
  const one = (doc: unknown, type: PolicyType, label: string): LabeledPolicy | undefined => {
    if (typeof doc === 'object' && doc !== null && !Array.isArray(doc) && Object.keys(doc).length === 0) {
      // `{}` is a placeholder (the documented input shows one), not a policy: leave it out and say so
      diagnostics.push({ code: 'BH3103', severity: 'warning', message: `\`${label}\` is an empty object and is treated as absent; remove it or give a policy document`, path: label });
      return undefined;
    }
    const r = cached(doc, type, options);
    diagnostics.push(...r.diagnostics.map((d) => prefix(d, label)));
    return r.compiled ? { label, compiled: r.compiled } : undefined;
  };
  const list = (v: unknown, label: string): unknown[] | undefined => {
    if (Array.isArray(v)) return v;
    diagnostics.push({ code: 'BH3101', severity: 'error', message: `\`${label}\` must be an array, not ${v === null ? 'null' : typeof v}`, path: label });
    return undefined;
  };
  const identity: LabeledPolicy[] = [];
  (list(input.identityPolicies, 'identityPolicies') ?? []).forEach((d, i) => {
    const lp = one(d, 'identity', `identityPolicies[${i}]`);
    if (lp) identity.push(lp);
  });
  const levels = (v: unknown, label: string, type: PolicyType): LabeledPolicy[][] | undefined => {
    const outer = list(v, label);
    if (!outer) return undefined;
    return outer.map((lvl, i) => {
      const inner = list(lvl, `${label}[${i}]`) ?? [];
      return inner.flatMap((d, j) => one(d, type, `${label}[${i}][${j}]`) ?? []);
    });
  };
  const resource = input.resourcePolicy !== undefined ? one(input.resourcePolicy, resourcePolicyType, 'resourcePolicy') : undefined;
  const boundary = input.permissionBoundary !== undefined ? one(input.permissionBoundary, 'boundary', 'permissionBoundary') : undefined;
  const session = input.sessionPolicy !== undefined ? one(input.sessionPolicy, 'session', 'sessionPolicy') : undefined;
  const scps = input.serviceControlPolicies !== undefined ? levels(input.serviceControlPolicies, 'serviceControlPolicies', 'scp') : undefined;
  const rcps = input.resourceControlPolicies !== undefined ? levels(input.resourceControlPolicies, 'resourceControlPolicies', 'rcp') : undefined;
  if (input.managementAccountId !== undefined && (typeof input.managementAccountId !== 'string' || !/^\d{12}$/.test(input.managementAccountId))) {
    diagnostics.push({ code: 'BH3101', severity: 'error', message: `\`managementAccountId\` \`${messageValue(input.managementAccountId)}\` must be a 12-digit account id`, path: 'managementAccountId' });
  }
  if (hasErrors(diagnostics)) return fail(diagnostics);
  const set: PolicySet = {
    identity,
    catalog: options.engineCatalog ?? DEFAULT_CATALOG,
    ...(resource ? { resource } : {}),
    ...(boundary ? { boundary } : {}),
    ...(session ? { session } : {}),
    ...(scps ? { scps } : {}),
    ...(rcps ? { rcps } : {}),
    ...(input.managementAccountId !== undefined ? { managementAccountId: input.managementAccountId } : {}),
  };
  return ok(set, diagnostics);
}
