/**
 * Candidate pairs for the engine, pruned by the `Resource` patterns of the principals' identity policies.
 *
 * verify's `candidatePairs` pairs every principal with every resource of its account (identity policies alone may
 * grant there), so an account holding many roles and many resources costs roles × resources engine queries. The
 * projected organization of a kitchen-sink exit is exactly that: every moved role and resource of one phase and
 * business unit lands in one account. Most of those pairs cannot grant anything: a resource without a resource
 * policy is reachable only through an identity-policy `Allow` whose `Resource` matches its ARN (the engine asks
 * about the ARN, and for an S3 bucket about `ARN/any-object` too); boundaries, SCPs and RCPs only restrict.
 *
 * `prunedCandidates` keeps verify's pairs for resources with a policy, and for resources without one only those an
 * `Allow` pattern of the principal may match, found through an index by ARN (literal patterns) or by service and
 * account (wildcard patterns), never by scanning every resource of the account. It falls back to verify's pairs for a
 * principal whose policies it cannot read with certainty (a statement or `Resource` of an unexpected shape, a policy
 * variable in a pattern). The engine's answer on every dropped pair is "nothing granted", so the graph, the findings
 * and the report are the same as with all pairs (tested in migrate.test.ts); only the count of pruned pairs differs.
 */
import { compilePattern } from '../policy/pattern.js';
import { candidatePairs, type Candidates, type PrincipalNode, type ResourceNode } from '../verify/graph.js';
import type { AccessEvaluator, CapabilityGrant, PrincipalContext, ResourceContext } from '../verify/engine-port.js';
import { allowedPrincipalMentions, statementsOf, type PrincipalMentions } from '../verify/policy-shape.js';
import { pushTo } from '../util/multimap.js';

/** An identity policy's `Allow` patterns: literal ARNs, wildcard tests, or `any` (cannot rule anything out). */
interface AllowPatterns {
  readonly any: boolean;
  readonly literals: readonly string[];
  readonly wildcards: readonly { readonly service: string | undefined; readonly test: (arn: string) => boolean }[];
}

const ANY: AllowPatterns = { any: true, literals: [], wildcards: [] };
const NO_CONTEXT: ReadonlyMap<string, readonly string[]> = new Map();

/** The ARN's service field when the pattern fixes it (`arn:PARTITION:SERVICE:…` without a wildcard there). */
function serviceOf(pattern: string): string | undefined {
  const parts = pattern.split(':');
  const s = parts[2];
  return parts.length >= 3 && parts[0] === 'arn' && s !== undefined && s !== '' && !/[*?$]/.test(s) ? s.toLowerCase() : undefined;
}

/** The `Allow` patterns of a principal's identity policies; `ANY` when a statement's shape is not certain. */
function allowPatterns(documents: readonly unknown[]): AllowPatterns {
  const literals: string[] = [];
  const wildcards: { service: string | undefined; test: (arn: string) => boolean }[] = [];
  for (const d of documents) {
    if (d === null || typeof d !== 'object' || Array.isArray(d)) return ANY;
    const st = (d as Record<string, unknown>)['Statement'];
    for (const s of Array.isArray(st) ? st : st !== undefined ? [st] : []) {
      if (s === null || typeof s !== 'object' || Array.isArray(s)) return ANY;
      const effect = (s as Record<string, unknown>)['Effect'];
      if (effect === 'Deny') continue;
      if (effect !== 'Allow') return ANY;
      const r = (s as Record<string, unknown>)['Resource'];
      if (r === undefined) return ANY; // NotResource, or no Resource at all
      for (const p of Array.isArray(r) ? r : [r]) {
        if (typeof p !== 'string') return ANY;
        const m = compilePattern(p, 'arn', true);
        if (m.all || m.hasVariables) return ANY;
        if (!/[*?]/.test(p)) literals.push(p);
        else wildcards.push({ service: serviceOf(p), test: (arn) => m.test(arn, NO_CONTEXT) });
      }
    }
  }
  return { any: false, literals, wildcards };
}

/** The ARNs the engine asks about for a resource. */
const askedArns = (r: ResourceNode): string[] => (r.ctx.type === 's3:bucket' && !r.ctx.arn.includes('/') ? [r.ctx.arn, `${r.ctx.arn}/any-object`] : [r.ctx.arn]);

/** Resources answered as without a policy, by account id → ARN asked, and by account id → service. */
function policyFreeIndex(resources: readonly ResourceNode[]): { byArn: Map<string, Map<string, number[]>>; byService: Map<string, Map<string, ResourceNode[]>> } {
  const byArn = new Map<string, Map<string, number[]>>();
  const byService = new Map<string, Map<string, ResourceNode[]>>();
  for (const r of resources) {
    const acct = r.ctx.accountId;
    const arns = byArn.get(acct) ?? new Map<string, number[]>();
    byArn.set(acct, arns);
    for (const a of askedArns(r)) pushTo(arns, a, r.index);
    const services = byService.get(acct) ?? new Map<string, ResourceNode[]>();
    byService.set(acct, services);
    const svc = (r.ctx.arn.split(':')[2] ?? '').toLowerCase();
    pushTo(services, svc, r);
  }
  return { byArn, byService };
}

/** Same-account policy-free resources an `Allow` pattern may match, through the index. */
function matchedPolicyFree(p: PrincipalNode, patterns: AllowPatterns, index: ReturnType<typeof policyFreeIndex>): Set<number> {
  const out = new Set<number>();
  const arns = index.byArn.get(p.ctx.accountId);
  for (const l of patterns.literals) {
    for (const hit of arns?.get(l) ?? []) out.add(hit);
  }
  const services = index.byService.get(p.ctx.accountId);
  for (const w of patterns.wildcards) {
    const lists = w.service !== undefined ? [services?.get(w.service) ?? []] : [...(services?.values() ?? [])];
    for (const list of lists) for (const r of list) if (askedArns(r).some((a) => w.test(a))) out.add(r.index);
  }
  return out;
}

/**
 * Whether a resource policy contributes nothing to the requests of a principal it cannot name, as the engine's
 * shortcut layer decides (`engine-shortcuts.ts`): all its statements are plain Allows, and the resource is no KMS key
 * (a key policy must allow on its own). For such a principal the request is the one without a resource policy.
 */
function droppablePolicy(r: ResourceNode): boolean {
  if (r.ctx.policy === undefined || r.ctx.type === 'kms:key' || r.ctx.arn.startsWith('arn:aws:kms:')) return false;
  return statementsOf(r.ctx.policy.document).every((st) => st.value['Effect'] === 'Allow');
}

/** An IAM role or user ARN, which the engine matches by the exact string (`principalRank` in policy/principal.ts). */
const IAM_ENTITY = /^arn:[a-z-]+:iam::\d{12}:(?:role|user)\//;

/**
 * The principals a plain-Allow policy's statements may name: everyone for `*` (or `NotPrincipal`, or a string the
 * engine does not know); every principal of an account named whole (`ACCOUNT`, `…:root`) or by a name that is no
 * IAM role or user ARN (an assumed-role session, a federated user); otherwise only the principals whose ARN is
 * listed. The engine names a caller by its account root, its own ARN and (for a role) its session ARN, compared as
 * exact strings, so a principal of the account that is not listed is asked as if the resource had no policy, which
 * the policy-free index covers.
 */
function namedPrincipals(m: PrincipalMentions, principals: readonly PrincipalNode[], byAccount: ReadonlyMap<string, readonly PrincipalNode[]>, byArn: ReadonlyMap<string, readonly PrincipalNode[]>): readonly PrincipalNode[] {
  if (m.any) return principals;
  const whole = new Set(m.wholeAccounts);
  for (const a of m.arns) if (!IAM_ENTITY.test(a)) whole.add(/^arn:[^:]*:[^:]*::(\d{12}):/.exec(a)?.[1] ?? '');
  const out = m.accounts.filter((a) => whole.has(a)).flatMap((a) => byAccount.get(a) ?? []);
  for (const a of m.arns) if (IAM_ENTITY.test(a)) for (const p of byArn.get(a) ?? []) if (!whole.has(p.ctx.accountId)) out.push(p);
  return out;
}

/**
 * verify's candidate pairs without the pairs the engine answers "nothing granted" for certain: a same-account
 * resource without a policy (or with one that cannot name the principal, see `droppablePolicy`) that no identity
 * `Allow` pattern of the principal may match (see the module comment). Resource lists are in ascending index order,
 * as verify's are; the roles a principal may assume are verify's.
 */
export function prunedCandidates(principals: readonly PrincipalNode[], resources: readonly ResourceNode[]): Candidates {
  const droppable = resources.filter(droppablePolicy);
  const fixed = resources.filter((r) => r.ctx.policy !== undefined && !droppablePolicy(r));
  const verifyPairs = candidatePairs(principals, fixed);
  const byAccount = new Map<string, PrincipalNode[]>();
  for (const p of principals) pushTo(byAccount, p.ctx.accountId, p);
  // principals a droppable policy may name are asked as verify asks them
  const byArn = new Map<string, PrincipalNode[]>();
  for (const p of principals) pushTo(byArn, p.ctx.arn, p);
  const named: number[][] = principals.map(() => []);
  for (const r of droppable) {
    for (const p of namedPrincipals(allowedPrincipalMentions(r.ctx.policy!.document), principals, byAccount, byArn)) named[p.index]!.push(r.index);
  }
  const index = policyFreeIndex([...resources.filter((r) => r.ctx.policy === undefined), ...droppable]);
  let kept = 0;
  const perPrincipal = principals.map((p) => {
    const patterns = allowPatterns(p.ctx.identityPolicies.map((x) => x.document));
    const services = index.byService.get(p.ctx.accountId);
    const free = patterns.any ? [...(services?.values() ?? [])].flat().map((r) => r.index) : [...matchedPolicyFree(p, patterns, index)];
    const list = [...new Set([...verifyPairs.resources[p.index]!, ...named[p.index]!, ...free])].sort((a, b) => a - b);
    kept += list.length - verifyPairs.resources[p.index]!.length;
    return list;
  });
  return { resources: perPrincipal, roles: verifyPairs.roles, prunedPairs: verifyPairs.prunedPairs + principals.length * (resources.length - fixed.length) - kept };
}

/**
 * The evaluator with one answer per principal for resources that are the same to the engine: one ARN, and the
 * same type, account, region, tags, resource policy and RCP levels (the whole `ResourceContext`). A projection
 * where several legacy accounts held a resource of one name puts them all at one ARN in the target account; the
 * engine would answer each alike. Answers are kept for the principal asked last only (verify asks principal by
 * principal), so memory stays one principal's worth. Other questions go to `evaluator` unchanged.
 */
export function withSameResourceMemo(evaluator: AccessEvaluator, resources: readonly ResourceNode[]): AccessEvaluator {
  const ids = new Map<object, number>();
  // objects by identity (policies and RCP levels are shared by reference), other values by value
  const idOf = (o: unknown): string => (o !== null && typeof o === 'object' ? `#${ids.get(o) ?? ids.set(o, ids.size).get(o)!}` : `=${JSON.stringify(o) ?? 'none'}`);
  const byArn = new Map<string, ResourceNode[]>();
  for (const r of resources) pushTo(byArn, r.ctx.arn, r);
  const classOf = new Map<ResourceContext, string>();
  for (const [arn, same] of byArn) {
    if (same.length < 2) continue;
    for (const r of same) {
      const { policy, rcpLevels, tags, ...plain } = r.ctx;
      classOf.set(r.ctx, JSON.stringify([arn, plain, Object.entries(tags).sort(), idOf(policy?.document), policy?.source ?? null, idOf(rcpLevels)]));
    }
  }
  let last: PrincipalContext | undefined;
  let answers = new Map<string, readonly CapabilityGrant[]>();
  const capabilities = (p: PrincipalContext, r: ResourceContext): readonly CapabilityGrant[] => {
    const k = classOf.get(r);
    if (k === undefined) return evaluator.capabilities(p, r);
    if (p !== last) {
      last = p;
      answers = new Map();
    }
    const hit = answers.get(k);
    if (hit !== undefined) return hit;
    const a = evaluator.capabilities(p, r);
    answers.set(k, a);
    return a;
  };
  const e = evaluator;
  return {
    capabilities,
    canAssume: (p, role, trust) => e.canAssume(p, role, trust),
    ...(e.externalCapabilities ? { externalCapabilities: (c, r, l) => e.externalCapabilities!(c, r, l) } : {}),
    ...(e.externalAssume ? { externalAssume: (c, role, t, l) => e.externalAssume!(c, role, t, l) } : {}),
    ...(e.allows ? { allows: (p, req) => e.allows!(p, req) } : {}),
    ...(e.serviceMayAssume ? { serviceMayAssume: (s, role, t, c) => e.serviceMayAssume!(s, role, t, c) } : {}),
    get diagnostics() {
      return e.diagnostics;
    },
  };
}
