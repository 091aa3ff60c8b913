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
import type { AccessEvaluator, AssumeDecision, CapabilityGrant, NamedPolicy, PrincipalContext, ResourceContext } from './engine-port.js';
import type { Capability, Evidence } from './finding.js';
import { allowedPrincipalMentions, statementsOf } from './policy-shape.js';

/** Capability indexes kept for reuse across principals (memory bound; each holds per-service action classes). */
const MAX_SHARED_INDEXES = 400;

// placeholder label prefixes of shared (content-keyed) policies; a model cannot produce a label starting with NUL
const RESOURCE_POLICY_LABEL = '\u0000shared resource policy ';
const PRINCIPAL_POLICY_LABEL = '\u0000identity policy ';
const PRINCIPAL_BOUNDARY_LABEL = '\u0000boundary';

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

/** A trie keyed by sequences of strings or objects: interning without building long key strings. */
class Trie<V> {
  private readonly root: { next?: Map<unknown, unknown>; value?: V } = {};
  get(keys: readonly unknown[], make: () => V): V {
    let node = this.root;
    for (const k of keys) {
      node.next ??= new Map();
      let n = node.next.get(k) as typeof node | undefined;
      if (!n) node.next.set(k, (n = {}));
      node = n;
    }
    if (node.value === undefined) node.value = make();
    return node.value;
  }
}

/**
 * Interning: the same statements and grants recur across thousands of resources, so identical evidence,
 * grants and grant lists are shared objects. This keeps the graph of a 1,000-account org small in memory
 * and spares the garbage collector.
 */
class Interner {
  private readonly evidence = new Map<string, (Evidence | undefined)[]>();
  private readonly labelled = new Trie<Evidence>();
  private readonly grants = new Trie<CapabilityGrant>();
  private readonly lists = new Trie<CapabilityGrant[]>();

  /** The evidence for statement `ref` of a policy (one object per policy label and statement). */
  ref(ref: StatementRef): Evidence {
    let byIndex = this.evidence.get(ref.policy);
    if (!byIndex) this.evidence.set(ref.policy, (byIndex = []));
    let e = byIndex[ref.statement];
    if (!e) byIndex[ref.statement] = e = { source: ref.policy, statement: ref.sid ?? `#${ref.statement}`, effect: ref.effect };
    return e;
  }

  /** The same evidence under another source label. */
  relabel(e: Evidence, source: string): Evidence {
    return this.labelled.get([source, e], () => ({ ...e, source }));
  }

  grant(capability: Capability, actions: readonly string[], evidence: readonly Evidence[]): CapabilityGrant {
    return this.grants.get([capability, actions.join(','), ...evidence], () => ({ capability, actions, evidence }));
  }

  list(grants: CapabilityGrant[]): CapabilityGrant[] {
    return grants.length === 0 ? grants : this.lists.get(grants, () => grants);
  }
}

function tagContext(prefix: string, tags: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).map(([k, v]) => [`${prefix}/${k}`, v]));
}

/** Builds the engine-backed evaluator. */
export function createEngineEvaluator(options: EngineEvaluatorOptions = {}): EngineEvaluator {
  const diagnostics: Diagnostic[] = [];
  const compiled = new Map<PolicyType, WeakMap<NamedPolicy, LabeledPolicy | null>>();
  const compile = (np: NamedPolicy, type: PolicyType, warnAs: string = np.source): LabeledPolicy | undefined => {
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
          `${warnAs} could not be evaluated and is left out of the analysis (${errors[0]?.message ?? 'invalid policy'}); fix the document`,
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

  // Principal policies are compiled per *content* under positional placeholder labels (`identity #i`,
  // `boundary`), so principals with the same policies share compiled policies and the engine's capability
  // indexes; evidence gets each principal's own labels back in `relabelFor`.
  const byContent = new Map<string, NamedPolicy>();
  const placeholder = (np: NamedPolicy, label: string): NamedPolicy => {
    if (!shortcuts) return np; // the reference path: real labels, nothing shared
    const k = `${label}\u0001${keyOf(np)}`;
    let v = byContent.get(k);
    // the label names the content too: evidence is interned per label and statement, so two different
    // documents must never share a label
    if (!v) byContent.set(k, (v = { source: `${label}:${byContent.size}`, document: np.document }));
    return v;
  };
  const ids = new WeakMap<object, number>();
  let nextId = 0;
  const idOf = (o: object): number => {
    let i = ids.get(o);
    if (i === undefined) ids.set(o, (i = nextId++));
    return i;
  };

  // per-principal caches: verify asks principal by principal, so only the current one is kept
  let current: PrincipalContext | undefined;
  let identity: Pick<PolicySet, 'identity' | 'boundary' | 'scps'> | undefined;
  // indexes keyed by resource-policy *content* (many resources share a policy text, e.g. default key policies);
  // the shared compiled policy is labelled generically and evidence is relabelled per resource below
  let indexes = new Map<string, Map<unknown, CapabilityIndex>>();
  const sharedIndexes = new Map<string, Map<string, Map<unknown, CapabilityIndex>>>();
  let indexCount = 0;
  const contentKey = new WeakMap<NamedPolicy, string>();
  const keyOf = (np: NamedPolicy | undefined): string => {
    if (!np) return '';
    let k = contentKey.get(np);
    if (k === undefined) contentKey.set(np, (k = JSON.stringify(np.document)));
    return k;
  };
  const shared = new Map<string, NamedPolicy>();
  // each distinct policy text gets its own placeholder label, so evidence (interned per label and statement)
  // never mixes up two policies; the label is replaced by the asking resource's own below
  const sharedResourcePolicy = (np: NamedPolicy): NamedPolicy => {
    const k = keyOf(np);
    let s = shared.get(k);
    if (!s) shared.set(k, (s = { source: `${RESOURCE_POLICY_LABEL}${shared.size}`, document: np.document }));
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
  let setKey = '';
  const principalSet = (p: PrincipalContext) => {
    if (current !== p) {
      current = p;
      identityServices = new Map();
      arnFree = new Map();
      answers = new Map();
      const boundary = p.boundary ? compile(placeholder(p.boundary, PRINCIPAL_BOUNDARY_LABEL), 'boundary', p.boundary.source) : undefined;
      const scps = levels(p.scpLevels, 'scp');
      const idPolicies = p.identityPolicies.flatMap((np, i) => compile(placeholder(np, `${PRINCIPAL_POLICY_LABEL}${i}`), 'identity', np.source) ?? []);
      identity = {
        identity: idPolicies,
        ...(boundary ? { boundary } : {}),
        ...(scps ? { scps } : {}),
      };
      // the engine's work depends only on these compiled policies: principals with the same ones share it
      setKey = shortcuts
        ? `${idPolicies.map(idOf).join(',')}|${boundary ? idOf(boundary) : ''}|${(scps ?? []).map((l) => l.map(idOf).join(',')).join(';')}|${scps ? 1 : 0}`
        : `${p.arn}`;
      // bounded by the number of indexes kept (they only save work): forget the others when it grows large
      if (indexCount > MAX_SHARED_INDEXES) {
        const mine = sharedIndexes.get(setKey);
        sharedIndexes.clear();
        indexCount = 0;
        if (mine) {
          sharedIndexes.set(setKey, mine);
          for (const m of mine.values()) indexCount += m.size;
        }
      }
      indexes = sharedIndexes.get(setKey) ?? new Map();
      sharedIndexes.set(setKey, indexes);
    }
    return identity!;
  };
  // placeholders back to the principal's own labels (and a resource's own policy label)
  const relabelFor = (p: PrincipalContext, policy: NamedPolicy | undefined) => (e: Evidence): Evidence => {
    if (e.source.charCodeAt(0) !== 0) return e;
    if (e.source.startsWith(PRINCIPAL_POLICY_LABEL)) {
      const np = p.identityPolicies[Number(e.source.slice(PRINCIPAL_POLICY_LABEL.length).split(':')[0])];
      return np ? intern.relabel(e, np.source) : e;
    }
    if (e.source.startsWith(PRINCIPAL_BOUNDARY_LABEL) && p.boundary) return intern.relabel(e, p.boundary.source);
    if (e.source.startsWith(RESOURCE_POLICY_LABEL) && policy) return intern.relabel(e, policy.source);
    return e;
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
  const evidenceOf = (refs: readonly StatementRef[]): Evidence[] => refs.map((r) => intern.ref(r));
  const mentionsCache = new WeakMap<NamedPolicy, ReturnType<typeof allowedPrincipalMentions>>();
  const mentionsOf = (np: NamedPolicy) => {
    let m = mentionsCache.get(np);
    if (!m) mentionsCache.set(np, (m = allowedPrincipalMentions(np.document)));
    return m;
  };
  const denies = new WeakMap<NamedPolicy, boolean>();
  const policyMayApply = (np: NamedPolicy, p: PrincipalContext): boolean => {
    let d = denies.get(np);
    if (d === undefined) {
      // anything but a plain Allow (Deny, or a malformed Effect the engine would reject) keeps the policy
      d = statementsOf(np.document).some((st) => st.value['Effect'] !== 'Allow');
      denies.set(np, d);
    }
    if (d) return true;
    const m = mentionsOf(np);
    return m.any || m.accounts.includes(p.accountId);
  };
  // caller objects per principal, keyed by resource account, region and resource tags (most resources share
  // one): the engine prepares a caller once and recognises it by identity on the next query
  let callers = new Map<string, { principal: string; resourceAccount: string; context: Record<string, string> }>();
  let callersFor: PrincipalContext | undefined;
  const callerFor = (p: PrincipalContext, r: ResourceContext) => {
    if (callersFor !== p) {
      callersFor = p;
      callers = new Map();
    }
    const key = `${r.accountId}\u0000${r.region ?? ''}\u0000${Object.keys(r.tags).length === 0 ? '' : JSON.stringify(r.tags)}`;
    let c = callers.get(key);
    if (!c) callers.set(key, (c = { principal: p.arn, resourceAccount: r.accountId, context: context(p, r.tags, r.region) }));
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
        const m = mentionsOf(r.policy);
        if (!m.any && !m.arns.some((a) => a.includes(`:${p.accountId}:`))) {
          skipped++;
          return [];
        }
      }
      // A resource policy whose statements are all Allows that cannot name this principal (no `*`, no
      // NotPrincipal, not its account) contributes nothing to its requests, so the request is the same as with
      // no resource policy, and shares that index. KMS keys are excluded: their key policy must allow on its own.
      const policy =
        r.policy && shortcuts && r.type !== 'kms:key' && !r.arn.startsWith('arn:aws:kms:') && !policyMayApply(r.policy, p) ? undefined : r.policy;
      // Memo for resources whose answer cannot depend on their ARN: no resource policy, and every statement the
      // engine's per-service index holds for this service (identity, boundary, SCPs, RCPs) has `Resource: "*"`.
      // The engine then sees the same policies, context (same account, region, tags) and matches for each such
      // resource, so one answer serves them all.
      let memoKey: string | undefined;
      if (shortcuts && !policy && arnIndependent(base, svc) && rcpArnIndependent(r, svc)) {
        memoKey = `${svc}\u0000${r.type}\u0000${r.accountId}\u0000${r.region ?? ''}\u0000${Object.keys(r.tags).length === 0 ? '' : JSON.stringify(r.tags)}`;
        const hit = answers.get(memoKey);
        if (hit) {
          memoHits++;
          return hit;
        }
      }
      const pk = shortcuts ? keyOf(policy) : policy ? `#${idOf(policy)}` : '';
      let byRcp = indexes.get(pk);
      if (!byRcp) indexes.set(pk, (byRcp = new Map()));
      const rcpKey = r.rcpLevels ?? NO_RCP;
      let index = byRcp.get(rcpKey);
      if (!index) {
        const resource = policy ? compile(shortcuts ? sharedResourcePolicy(policy) : policy, 'resource', policy.source) : undefined;
        const rcps = levels(r.rcpLevels, 'rcp');
        index = new CapabilityIndex({ ...base, ...(resource ? { resource } : {}), ...(rcps ? { rcps } : {}) });
        byRcp.set(rcpKey, index);
        indexCount++;
      }
      const caller = callerFor(p, r);
      // S3 data actions act on objects: ask about the bucket and a representative object key, and merge
      const s3 = r.type === 's3:bucket' && !r.arn.includes('/');
      const first = index.query(caller, r.arn);
      const second = s3 ? index.query(caller, `${r.arn}/any-object`) : undefined;
      const grants: CapabilityGrant[] = [];
      for (const answer of [first, second]) {
        if (answer !== undefined && 'error' in answer) diagnostics.push(warning('BH7102', `cannot evaluate \`${p.arn}\` on \`${r.arn}\`: ${answer.error}`));
      }
      const a = first !== undefined && !('error' in first) ? first.capabilities : [];
      const b = second !== undefined && !('error' in second) ? second.capabilities : [];
      for (let i = 0; i < Math.max(a.length, b.length); i++) {
        const x = a[i]?.allowed ? a[i] : undefined;
        const y = b[i]?.allowed ? b[i] : undefined;
        if (!x && !y) continue;
        const capability = (x ?? y)!.capability as Capability;
        // actions: the union when both allow (sorted, first few); evidence: the first answer that allowed
        const actions = x && y ? [...new Set([...x.actions, ...y.actions])].sort().slice(0, perGrant) : (x ?? y)!.actions.slice(0, perGrant);
        const evidence = evidenceOf((x ?? y)!.explanation).map(relabelFor(p, policy));
        grants.push(intern.grant(capability, actions, evidence));
      }
      const result = intern.list(grants);
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
      return {
        allowed: r.decision.decision === 'Allowed',
        evidence: r.decision.decision === 'Allowed' ? evidenceOf(r.decision.explanation).map(relabelFor(p, undefined)) : [],
      };
    },
  };
}
