/**
 * Adapter from verify's AccessEvaluator to the IAM engine in src/policy: compiles each document once, builds
 * the engine's PolicySet per (principal, resource policy, RCP levels) and asks its bulk capability query.
 * Every decision is the engine's; this file only assembles inputs and maps answers to evidence.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { warning } from '../diagnostics/diagnostic.js';
import {
  CapabilityIndex,
  compilePolicy,
  evaluateRequest,
  parsePolicy,
  type LabeledPolicy,
  type PolicySet,
  type PolicyType,
  type StatementRef,
} from '../policy/index.js';
import type { AccessEvaluator, AssumeDecision, CapabilityGrant, NamedPolicy, PrincipalContext, ResourceContext } from './evaluator.js';
import type { Capability, Evidence } from './finding.js';
import { allowedPrincipalMentions } from './policy-shape.js';

const RESOURCE_POLICY_LABEL = 'resource policy';

/** Options for the engine-backed evaluator. */
export interface EngineEvaluatorOptions {
  /** Region used for `aws:RequestedRegion` when a resource has none (default us-east-1). */
  readonly defaultRegion?: string;
  /** The organization id for `aws:PrincipalOrgID`, when known. */
  readonly organizationId?: string;
  /** How many allowed actions a grant lists (default 5). */
  readonly actionsPerGrant?: number;
  /** Skip and memoise queries where that provably cannot change the answer (default true; false for tests). */
  readonly shortcuts?: boolean;
}

/** The evaluator plus the warnings it collected (policies the engine could not parse, queries it refused). */
export interface EngineEvaluator extends AccessEvaluator {
  readonly diagnostics: Diagnostic[];
  /** Capability questions answered "nothing" without the bulk query (no identity statement for the service). */
  readonly skippedQueries: number;
  /** Capability questions answered from an ARN-independent earlier answer of the same principal. */
  readonly memoHits: number;
}

/**
 * Interning: the same statements and grants recur across thousands of resources, so identical evidence,
 * grants and grant lists are shared objects. This keeps the graph of a 1,000-account org small in memory.
 */
class Interner {
  private readonly evidence = new Map<string, Evidence>();
  private readonly grants = new Map<string, { key: string; grant: CapabilityGrant }>();
  private readonly lists = new Map<string, CapabilityGrant[]>();
  private readonly grantKeys = new WeakMap<CapabilityGrant, string>();

  ev(source: string, statement: string, effect: 'Allow' | 'Deny'): Evidence {
    const k = `${source}\u0000${statement}\u0000${effect}`;
    let e = this.evidence.get(k);
    if (!e) this.evidence.set(k, (e = { source, statement, effect }));
    return e;
  }

  grant(capability: Capability, actions: readonly string[], evidence: readonly Evidence[]): CapabilityGrant {
    const k = `${capability}\u0001${actions.join(',')}\u0001${evidence.map((e) => `${e.source}\u0000${e.statement}\u0000${e.effect}`).join('\u0002')}`;
    let g = this.grants.get(k);
    if (!g) {
      g = { key: k, grant: { capability, actions, evidence } };
      this.grants.set(k, g);
      this.grantKeys.set(g.grant, k);
    }
    return g.grant;
  }

  list(grants: CapabilityGrant[]): CapabilityGrant[] {
    if (grants.length === 0) return grants;
    const k = grants.map((g) => this.grantKeys.get(g)).join('\u0003');
    let l = this.lists.get(k);
    if (!l) this.lists.set(k, (l = grants));
    return l;
  }
}

function tagContext(prefix: string, tags: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).map(([k, v]) => [`${prefix}/${k}`, v]));
}

/** Builds the engine-backed evaluator. */
export function createEngineEvaluator(options: EngineEvaluatorOptions = {}): EngineEvaluator {
  const diagnostics: Diagnostic[] = [];
  const compiled = new Map<PolicyType, WeakMap<NamedPolicy, LabeledPolicy | null>>();
  const compile = (np: NamedPolicy, type: PolicyType): LabeledPolicy | undefined => {
    let m = compiled.get(type);
    if (!m) compiled.set(type, (m = new WeakMap()));
    const hit = m.get(np);
    if (hit !== undefined) return hit ?? undefined;
    const r = parsePolicy(np.document, type);
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    if (!r.policy || errors.length > 0) {
      diagnostics.push(
        warning(
          'BH7101',
          `${np.source} could not be evaluated and is left out of the analysis (${errors[0]?.message ?? 'invalid policy'}); fix the document`,
        ),
      );
      m.set(np, null);
      return undefined;
    }
    const lp: LabeledPolicy = { label: np.source, compiled: compilePolicy(r.policy) };
    m.set(np, lp);
    return lp;
  };
  const levels = (ls: readonly (readonly NamedPolicy[])[] | undefined, type: PolicyType) =>
    ls?.map((lvl) => lvl.flatMap((np) => compile(np, type) ?? []));

  // per-principal caches: verify asks principal by principal, so only the current one is kept
  let current: PrincipalContext | undefined;
  let identity: Pick<PolicySet, 'identity' | 'boundary' | 'scps'> | undefined;
  // indexes keyed by resource-policy *content* (many resources share a policy text, e.g. default key policies);
  // the shared compiled policy is labelled generically and evidence is relabelled per resource below
  let indexes = new Map<string, Map<unknown, CapabilityIndex>>();
  const contentKey = new WeakMap<NamedPolicy, string>();
  const keyOf = (np: NamedPolicy | undefined): string => {
    if (!np) return '';
    let k = contentKey.get(np);
    if (k === undefined) contentKey.set(np, (k = JSON.stringify(np.document)));
    return k;
  };
  const shared = new Map<string, NamedPolicy>();
  const sharedResourcePolicy = (np: NamedPolicy): NamedPolicy => {
    const k = keyOf(np);
    let s = shared.get(k);
    if (!s) shared.set(k, (s = { source: RESOURCE_POLICY_LABEL, document: np.document }));
    return s;
  };
  let identityServices = new Map<string, boolean>();
  let arnFree = new Map<string, boolean>();
  let answers = new Map<string, CapabilityGrant[]>();
  let memoHits = 0;
  const wildcardOnly = (lps: readonly LabeledPolicy[], svc: string): boolean =>
    lps.every((lp) =>
      lp.compiled.forService(svc).every((st) => st.source.notResource === undefined && st.source.resource !== undefined && st.source.resource.every((x) => x === '*')),
    );
  const arnIndependent = (base: Pick<PolicySet, 'identity' | 'boundary' | 'scps'>, svc: string): boolean => {
    let v = arnFree.get(svc);
    if (v === undefined) {
      v = wildcardOnly(base.identity, svc) && wildcardOnly(base.boundary ? [base.boundary] : [], svc) && wildcardOnly((base.scps ?? []).flat(), svc);
      arnFree.set(svc, v);
    }
    return v;
  };
  const rcpFree = new WeakMap<object, Map<string, boolean>>();
  const rcpArnIndependent = (r: ResourceContext, svc: string): boolean => {
    if (!r.rcpLevels) return true;
    let m = rcpFree.get(r.rcpLevels);
    if (!m) rcpFree.set(r.rcpLevels, (m = new Map()));
    let v = m.get(svc);
    if (v === undefined) m.set(svc, (v = wildcardOnly((levels(r.rcpLevels, 'rcp') ?? []).flat(), svc)));
    return v;
  };
  const principalSet = (p: PrincipalContext) => {
    if (current !== p) {
      current = p;
      identityServices = new Map();
      arnFree = new Map();
      answers = new Map();
      const boundary = p.boundary ? compile(p.boundary, 'boundary') : undefined;
      const scps = levels(p.scpLevels, 'scp');
      identity = {
        identity: p.identityPolicies.flatMap((np) => compile(np, 'identity') ?? []),
        ...(boundary ? { boundary } : {}),
        ...(scps ? { scps } : {}),
      };
      indexes = new Map();
    }
    return identity!;
  };
  const NO_RCP = {};
  const perGrant = options.actionsPerGrant ?? 5;
  const context = (p: PrincipalContext, tags: Readonly<Record<string, string>>, region: string | undefined) => ({
    'aws:RequestedRegion': region ?? options.defaultRegion ?? 'us-east-1',
    'aws:SecureTransport': 'true',
    ...(options.organizationId ? { 'aws:PrincipalOrgID': options.organizationId } : {}),
    ...tagContext('aws:PrincipalTag', p.tags),
    ...tagContext('aws:ResourceTag', tags),
  });

  let skipped = 0;
  const shortcuts = options.shortcuts ?? true;
  const intern = new Interner();
  const evidenceOf = (refs: readonly StatementRef[]): Evidence[] => refs.map((r) => intern.ev(r.policy, r.sid ?? `#${r.statement}`, r.effect));
  const mentionsCache = new WeakMap<NamedPolicy, ReturnType<typeof allowedPrincipalMentions>>();
  // request contexts per principal, keyed by region and resource tags (most resources share one)
  let contexts = new Map<string, Record<string, string>>();
  let contextsFor: PrincipalContext | undefined;
  const contextFor = (p: PrincipalContext, tags: Readonly<Record<string, string>>, region: string | undefined) => {
    if (contextsFor !== p) {
      contextsFor = p;
      contexts = new Map();
    }
    const key = `${region ?? ''}\u0000${Object.keys(tags).length === 0 ? '' : JSON.stringify(tags)}`;
    let c = contexts.get(key);
    if (!c) contexts.set(key, (c = context(p, tags, region)));
    return c;
  };
  return {
    diagnostics,
    get skippedQueries() {
      return skipped;
    },
    get memoHits() {
      return memoHits;
    },
    capabilities(p: PrincipalContext, r: ResourceContext): CapabilityGrant[] {
      const base = principalSet(p);
      // Necessary condition, read from the engine's own per-service statement index: without an identity
      // Allow statement that may match the service, only a resource policy naming this principal (same
      // account) can grant anything. Cross-account access always needs the identity side too.
      const svc = /^arn:[^:]*:([^:]+):/.exec(r.arn)?.[1]?.toLowerCase() ?? '';
      let mayIdentity = identityServices.get(svc);
      if (mayIdentity === undefined) {
        mayIdentity = base.identity.some((lp) => lp.compiled.forService(svc).some((st) => !st.deny));
        identityServices.set(svc, mayIdentity);
      }
      if (!mayIdentity && shortcuts) {
        if (r.accountId !== p.accountId || !r.policy) {
          skipped++;
          return [];
        }
        let m = mentionsCache.get(r.policy);
        if (!m) mentionsCache.set(r.policy, (m = allowedPrincipalMentions(r.policy.document)));
        if (!m.any && !m.arns.some((a) => a.includes(`:${p.accountId}:`))) {
          skipped++;
          return [];
        }
      }
      // Memo for resources whose answer cannot depend on their ARN: no resource policy, and every statement the
      // engine's per-service index holds for this service (identity, boundary, SCPs, RCPs) has `Resource: "*"`.
      // The engine then sees the same policies, context (same account, region, tags) and matches for each such
      // resource, so one answer serves them all.
      let memoKey: string | undefined;
      if (shortcuts && !r.policy && arnIndependent(base, svc) && rcpArnIndependent(r, svc)) {
        memoKey = `${svc}\u0000${r.type}\u0000${r.accountId}\u0000${r.region ?? ''}\u0000${Object.keys(r.tags).length === 0 ? '' : JSON.stringify(r.tags)}`;
        const hit = answers.get(memoKey);
        if (hit) {
          memoHits++;
          return hit;
        }
      }
      const pk = keyOf(r.policy);
      let byRcp = indexes.get(pk);
      if (!byRcp) indexes.set(pk, (byRcp = new Map()));
      const rcpKey = r.rcpLevels ?? NO_RCP;
      let index = byRcp.get(rcpKey);
      if (!index) {
        const resource = r.policy ? compile(sharedResourcePolicy(r.policy), 'resource') : undefined;
        const rcps = levels(r.rcpLevels, 'rcp');
        index = new CapabilityIndex({ ...base, ...(resource ? { resource } : {}), ...(rcps ? { rcps } : {}) });
        byRcp.set(rcpKey, index);
      }
      const caller = { principal: p.arn, resourceAccount: r.accountId, context: contextFor(p, r.tags, r.region) };
      // S3 data actions act on objects: ask about the bucket and a representative object key, and merge
      const arns = r.type === 's3:bucket' && !r.arn.includes('/') ? [r.arn, `${r.arn}/any-object`] : [r.arn];
      const merged = new Map<Capability, { actions: Set<string>; evidence: Evidence[] }>();
      for (const arn of arns) {
        const answer = index.query(caller, arn);
        if ('error' in answer) {
          diagnostics.push(warning('BH7102', `cannot evaluate \`${p.arn}\` on \`${arn}\`: ${answer.error}`));
          continue;
        }
        for (const c of answer.capabilities) {
          if (!c.allowed) continue;
          const m = merged.get(c.capability as Capability) ?? { actions: new Set<string>(), evidence: [] };
          c.actions.forEach((a) => m.actions.add(a));
          if (m.evidence.length === 0) {
            m.evidence = evidenceOf(c.explanation).map((e) =>
              e.source === RESOURCE_POLICY_LABEL && r.policy ? intern.ev(r.policy.source, e.statement, e.effect) : e,
            );
          }
          merged.set(c.capability as Capability, m);
        }
      }
      const result = intern.list([...merged].map(([capability, m]) => intern.grant(capability, [...m.actions].sort().slice(0, perGrant), m.evidence)));
      if (memoKey !== undefined) answers.set(memoKey, result);
      return result;
    },
    canAssume(p: PrincipalContext, role: PrincipalContext, trustPolicy: NamedPolicy): AssumeDecision {
      const base = principalSet(p);
      const trust = compile(trustPolicy, 'trust');
      if (!trust) return { allowed: false, evidence: [] };
      const rcps = levels(role.rcpLevels, 'rcp');
      const set: PolicySet = { ...base, resource: trust, ...(rcps ? { rcps } : {}) };
      const r = evaluateRequest(
        { principal: p.arn, action: 'sts:AssumeRole', resource: role.arn, resourceAccount: role.accountId, context: context(p, role.tags, undefined) },
        set,
      );
      if (!r.ok) {
        diagnostics.push(warning('BH7102', `cannot evaluate \`${p.arn}\` assuming \`${role.arn}\`: ${r.error}`));
        return { allowed: false, evidence: [] };
      }
      return { allowed: r.decision.decision === 'Allowed', evidence: r.decision.decision === 'Allowed' ? evidenceOf(r.decision.explanation) : [] };
    },
  };
}
