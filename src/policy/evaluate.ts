/**
 * The decision: AWS's documented evaluation logic over one request and one policy set.
 *
 * IAM User Guide sections this follows (each rule cites its section in docs/engine.md):
 * - "How AWS enforcement code logic evaluates requests to allow or deny access": explicit deny in any policy wins;
 *   then RCPs, SCPs, resource-based policies, identity-based policies, permissions boundaries, session policies.
 * - "Policy evaluation for requests within a single account": identity OR resource policy may allow; a
 *   resource policy naming the user / role-session ARN directly is not limited by an implicit deny in the
 *   boundary or session policy, one naming the role ARN is; one naming the account delegates to identity policies.
 * - "Cross-account policy evaluation logic": the identity side (with its boundary, session policy and SCPs)
 *   AND the resource policy must both allow.
 * - Role trust policies and KMS key policies must allow on their own ("IAM roles", "Key policies in AWS KMS").
 * - AWS Organizations: SCPs need an Allow at every level root→account, do not limit the management account or
 *   service-linked roles; RCPs likewise, with RCPFullAWSAccess always attached, only for services RCPs support,
 *   not for the management account's resources or service-linked roles.
 * - AWS-owned resources (service-linked and IAM Identity Center roles, AWS managed policies, `alias/aws/*`): the
 *   actions AWS refuses on them are an implicit deny (`aws-owned`) whatever the policies allow (aws-owned.ts).
 */
import { error, fail, ok, type Result } from '../diagnostics/diagnostic.js';
import { compareStrings } from '../util/order.js';
import { messageValue } from '../util/message-value.js';
import type { CompiledPolicy, CompiledStatement } from './compile.js';
import type { Context } from './pattern.js';
import { classifyCaller, notPrincipalApplies, principalRank, type Caller } from './principal.js';
import type { EngineCatalog } from './catalog-port.js';
import { awsOwnedRule } from './aws-owned.js';
import { NO_DIAGNOSTICS, type BlockReason, type ContextValue, type Decision, type DecisionKind, type PolicyKind, type RequestInput, type StatementRef } from './types.js';

/** A compiled policy with the name it has in the caller's input (used in explanations). */
export interface LabeledPolicy {
  readonly label: string;
  readonly compiled: CompiledPolicy;
}

/** Every policy that applies to a request. Absent organization lists mean "no organization policies apply". */
export interface PolicySet {
  readonly identity: readonly LabeledPolicy[];
  readonly resource?: LabeledPolicy;
  readonly boundary?: LabeledPolicy;
  readonly session?: LabeledPolicy;
  /** SCPs per level, root first, the principal's account last. */
  readonly scps?: readonly (readonly LabeledPolicy[])[];
  /** RCPs per level, root first, the resource's account last (RCPFullAWSAccess is implied at every level). */
  readonly rcps?: readonly (readonly LabeledPolicy[])[];
  /** The organization's management account: SCPs and RCPs do not apply to it. */
  readonly managementAccountId?: string;
  /** The catalogue evaluation reads (the RCP-supported services); edges plug in DEFAULT_CATALOG. */
  readonly catalog: EngineCatalog;
  /** Override of the RCP-supported service list (default: the catalogue's). */
  readonly rcpServices?: ReadonlySet<string>;
}

/** How the resource policy must be used. */
export type ResourceMode = 'normal' | 'trust' | 'kms';

/** A request prepared for evaluation: caller classified, context normalised to lowercase keys. */
export interface PreparedRequest {
  readonly caller: Caller;
  readonly action: string;
  readonly lowerAction: string;
  readonly service: string;
  readonly resource: string;
  readonly resourceAccount?: string;
  readonly resourceAccountAssumed: boolean;
  /** True when `aws:ResourceAccount` in `ctx` was derived (not given by the caller). */
  readonly resourceAccountKeyDerived: boolean;
  readonly ctx: Context;
  readonly mode: ResourceMode;
  /** Bulk queries only: remembers each statement's action-independent result for this principal and resource. */
  readonly memo?: Map<CompiledStatement, number>;
}

/** Whether the resource policy is a role trust policy or a KMS key policy for this action and resource. */
export function resourceMode(lowerAction: string, service: string, resource: string): ResourceMode {
  if (TRUST_ACTIONS.has(lowerAction) && /^arn:[^:]+:iam::\d{12}:role\//.test(resource)) return 'trust';
  if (service === 'kms' && /^arn:[^:]+:kms:[^:]*:\d{12}:key\//.test(resource)) return 'kms';
  return 'normal';
}

/** Actions whose resource policy is the role trust policy when the resource is a role. */
export const TRUST_ACTIONS: ReadonlySet<string> = new Set(['sts:assumerole', 'sts:assumerolewithsaml', 'sts:assumerolewithwebidentity', 'sts:tagsession', 'sts:setsourceidentity', 'sts:setcontext']);

function oneString(x: unknown): string | undefined {
  return typeof x === 'string' ? x : typeof x === 'number' && Number.isFinite(x) ? String(x) : typeof x === 'boolean' ? String(x) : undefined;
}

function toStrings(v: ContextValue): string[] | undefined {
  if (Array.isArray(v)) {
    const out: string[] = [];
    for (const x of v) {
      const s = oneString(x);
      if (s === undefined) return undefined;
      out.push(s);
    }
    return out;
  }
  const s = oneString(v);
  return s === undefined ? undefined : [s];
}

const PRINCIPAL_TYPES: Readonly<Record<string, string>> = { root: 'Account', user: 'User', 'role-session': 'AssumedRole', 'federated-user': 'FederatedUser', anonymous: 'Anonymous' };

/** Sets a derived key unless the caller gave it. */
function put(ctx: Map<string, string[]>, k: string, v: string | undefined): void {
  if (v !== undefined && !ctx.has(k)) ctx.set(k, [v]);
}

/**
 * The principal's global condition keys, unless the caller gave them. IAM UG, "AWS global condition context keys"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html), availability of each:
 * - `aws:PrincipalArn`: "included in the request context for all signed requests. Anonymous requests do not include
 *   this key" (the role ARN for a role session);
 * - `aws:PrincipalAccount`: "included in the request context for all requests, including anonymous requests"; "For
 *   anonymous requests, the request context returns `anonymous`";
 * - `aws:PrincipalType` and `aws:userid`: "all requests, including anonymous requests" (values from the principal key
 *   values table of "IAM policy elements: Variables and tags": `Anonymous` / `anonymous` for an anonymous caller);
 * - `aws:username`: IAM users only;
 * - `aws:PrincipalIsAWSService`: "present in the request context for all signed API requests that use AWS
 *   credentials. Anonymous requests do not include this key" — so it is absent for anonymous callers and for the
 *   unsigned `AssumeRoleWithWebIdentity`/`AssumeRoleWithSAML` calls of web identity and SAML callers;
 * - `aws:PrincipalServiceName`: only when a service principal makes the call.
 * `aws:PrincipalOrgID`, `aws:PrincipalOrgPaths` and `aws:PrincipalTag/*` are never derived (the request does not say
 * them); for anonymous callers AWS never includes them.
 */
function putPrincipalKeys(ctx: Map<string, string[]>, caller: Caller): void {
  put(ctx, 'aws:principalarn', caller.principalArn);
  put(ctx, 'aws:principalaccount', caller.kind === 'anonymous' ? 'anonymous' : caller.account);
  put(ctx, 'aws:username', caller.userName);
  put(ctx, 'aws:userid', caller.userId);
  if (caller.kind !== 'anonymous' && caller.kind !== 'federated') put(ctx, 'aws:principalisawsservice', caller.kind === 'service' ? 'true' : 'false');
  if (caller.kind === 'service') put(ctx, 'aws:principalservicename', caller.id);
  put(ctx, 'aws:principaltype', PRINCIPAL_TYPES[caller.kind]);
}

/** A request problem: BH3102 at the bad field's path. */
function bad(message: string, path: string): Result<PreparedRequest> {
  return fail([error('BH3102', message, path)]);
}

/** Validates and prepares a request; the error (BH3102) names the bad field and value. */
export function prepareRequest(req: RequestInput): Result<PreparedRequest> {
  if (typeof req.principal !== 'string' || req.principal === '') return bad('`principal` must be a non-empty string (an ARN or service principal)', 'request.principal');
  if (typeof req.action !== 'string' || !/^[A-Za-z0-9-]+:[A-Za-z0-9_-]+$/.test(req.action)) {
    return bad(`\`action\` \`${messageValue(req.action)}\` must be one concrete \`service:Action\` without wildcards, e.g. \`s3:GetObject\``, 'request.action');
  }
  if (typeof req.resource !== 'string' || req.resource === '') return bad('`resource` must be an ARN, or `*` for actions without a resource', 'request.resource');
  if (req.resourceAccount !== undefined && (typeof req.resourceAccount !== 'string' || !/^\d{12}$/.test(req.resourceAccount))) {
    return bad(`\`resourceAccount\` \`${messageValue(req.resourceAccount)}\` must be a 12-digit account id`, 'request.resourceAccount');
  }
  const c = classifyCaller(req);
  if (!c.ok) return c;
  const caller = c.value;
  const ctx = new Map<string, string[]>();
  if (req.context !== undefined) {
    if (typeof req.context !== 'object' || req.context === null || Array.isArray(req.context)) return bad('`context` must be an object of condition keys', 'request.context');
    for (const [k, v] of Object.entries(req.context)) {
      const vals = toStrings(v);
      if (vals === undefined) return bad(`context key \`${k}\` must be a string, number, boolean or a list of them`, `request.context.${k}`);
      ctx.set(k.toLowerCase(), vals); // key names are case-insensitive
    }
  }
  const arnAccount = arnAccountOf(req.resource);
  const resourceAccount = req.resourceAccount ?? arnAccount ?? caller.account;
  const resourceAccountAssumed = req.resourceAccount === undefined && arnAccount === undefined;
  const resourceAccountKeyDerived = resourceAccount !== undefined && !ctx.has('aws:resourceaccount');
  putPrincipalKeys(ctx, caller);
  put(ctx, 'aws:resourceaccount', resourceAccount);
  const lowerAction = req.action.toLowerCase();
  const service = lowerAction.slice(0, lowerAction.indexOf(':'));
  const mode = resourceMode(lowerAction, service, req.resource);
  // one shape for every request (resourceAccount may be undefined), so the evaluator's property reads stay monomorphic
  const request: PreparedRequest = { caller, action: req.action, lowerAction, service, resource: req.resource, resourceAccount, resourceAccountAssumed, resourceAccountKeyDerived, ctx, mode };
  return ok(request, NO_DIAGNOSTICS);
}

/**
 * The 12-digit account field of an ARN (`arn:partition:service:region:account:…`), undefined when the fifth
 * field is not 12 digits followed by a colon. Same answer as `/^arn:[^:]*:[^:]*:[^:]*:(\d{12}):/`, without a regex.
 */
export function arnAccountOf(resource: string): string | undefined {
  if (!resource.startsWith('arn:')) return undefined;
  const p = resource.indexOf(':', 4);
  if (p < 0) return undefined;
  const q = resource.indexOf(':', p + 1);
  if (q < 0) return undefined;
  const r = resource.indexOf(':', q + 1);
  if (r < 0 || resource.length < r + 14 || resource.charCodeAt(r + 13) !== 58) return undefined;
  for (let i = r + 1; i <= r + 12; i++) {
    const c = resource.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  return resource.slice(r + 1, r + 13);
}

/** Whether a statement whose action already matched applies (principal, resource, conditions). */
function applies(s: CompiledStatement, r: PreparedRequest, hasBoundary: boolean): number {
  const memo = r.memo;
  if (memo === undefined) return appliesBesidesAction(s, r, hasBoundary);
  let v = memo.get(s);
  if (v === undefined) memo.set(s, (v = appliesBesidesAction(s, r, hasBoundary)));
  return v;
}

/** Principal, resource and condition tests: the same for every action, so the bulk query memoises them. */
function appliesBesidesAction(s: CompiledStatement, r: PreparedRequest, hasBoundary: boolean): number {
  let rank = 3;
  if (s.principal) {
    rank = principalRank(s.principal, r.caller);
    if (rank === 0) return 0;
  } else if (s.notPrincipal && !notPrincipalApplies(s.notPrincipal, r.caller, hasBoundary)) return 0;
  if (!s.resource(r.resource, r.ctx)) return 0;
  for (const c of s.conditions) if (!c(r.ctx)) return 0;
  return rank;
}

function ref(kind: PolicyKind, lp: LabeledPolicy, s: CompiledStatement): StatementRef {
  const base = { policyKind: kind, policy: lp.label, statement: s.source.index, effect: s.source.effect };
  return s.source.sid !== undefined ? { ...base, sid: s.source.sid } : base;
}

// Policy kinds as bits, so the hot path needs no Sets.
const K_IDENTITY = 1;
const K_RESOURCE = 2;
const K_BOUNDARY = 4;
const K_SESSION = 8;
const K_RCP = 16;
const K_SCP = 32;
/** Not a policy: AWS owns the resource and refuses the action (see aws-owned.ts). */
const K_AWS_OWNED = 64;
/** Report order: identity side, resource side, then the guardrails, then AWS's own refusal. */
const ORDER: readonly BlockReason[] = ['identity', 'resource', 'boundary', 'session', 'rcp', 'scp', 'aws-owned'];
const BIT: Readonly<Record<BlockReason, number>> = { identity: K_IDENTITY, resource: K_RESOURCE, boundary: K_BOUNDARY, session: K_SESSION, rcp: K_RCP, scp: K_SCP, 'aws-owned': K_AWS_OWNED };
/** Position in ORDER by kind (the explanation sort). */
const RANK: Readonly<Record<BlockReason, number>> = Object.fromEntries(ORDER.map((k, i) => [k, i])) as Record<BlockReason, number>;
const KINDS_BY_MASK: readonly (readonly BlockReason[])[] = Array.from({ length: 128 }, (_, m) => Object.freeze(ORDER.filter((k) => (m & BIT[k]) !== 0)));

/**
 * Per-evaluation scratch: deny bits, refs only when explaining, and what gathering found (one object per
 * evaluation, so the steps below share it without allocating).
 */
interface Acc {
  denyMask: number;
  readonly denies: StatementRef[] | undefined;
  readonly allows: StatementRef[] | undefined;
  /** Best identity Allow rank (3 for the root user). */
  idAllow: number;
  /** The boundary and session policy allow (or are absent / do not apply). */
  pbOk: boolean;
  spOk: boolean;
  /** Best resource-policy Allow rank. */
  rb: number;
  /** Every SCP level allows (or SCPs do not apply). */
  scpOk: boolean;
  /** Why an implicit deny: policy-kind bits. */
  blocked: number;
}

/**
 * Scans one policy: records matching Deny statements in `acc` and returns the best Allow rank
 * (0 none, 1 account, 2 role, 3 direct or no Principal element). With `wantAllow`, pushes the best Allow ref.
 */
function scan(kind: PolicyKind, lp: LabeledPolicy, list: readonly CompiledStatement[], r: PreparedRequest, hasBoundary: boolean, acc: Acc, wantAllow: boolean): number {
  let best = 0;
  let bestStmt: CompiledStatement | undefined;
  for (let i = 0; i < list.length; i++) {
    const s = list[i]!;
    if (!s.deny && best === 3) continue;
    const rank = applies(s, r, hasBoundary);
    if (rank === 0) continue;
    if (s.deny) {
      acc.denyMask |= BIT[kind];
      if (acc.denies) acc.denies.push(ref(kind, lp, s));
    } else if (rank > best) {
      best = rank;
      bestStmt = s;
    }
  }
  if (wantAllow && acc.allows && bestStmt) acc.allows.push(ref(kind, lp, bestStmt));
  return best;
}

/**
 * Per policy set and action: the statement list of every policy, in a fixed order (identity…, boundary, session,
 * resource, SCPs level by level, RCPs level by level). One lookup per decision instead of one per policy.
 */
interface SetPlan {
  readonly order: readonly LabeledPolicy[];
  readonly byAction: Map<string, readonly (readonly CompiledStatement[])[]>;
}
const plans = new WeakMap<PolicySet, SetPlan>();

/** The last set and its plan: decisions come in runs over one set, so most skip the WeakMap. */
let lastSet: PolicySet | undefined;
let lastPlan: SetPlan | undefined;

function listsFor(set: PolicySet, r: PreparedRequest): readonly (readonly CompiledStatement[])[] {
  let plan = set === lastSet ? lastPlan : plans.get(set);
  if (plan === undefined) {
    const order: LabeledPolicy[] = [...set.identity];
    if (set.boundary) order.push(set.boundary);
    if (set.session) order.push(set.session);
    if (set.resource) order.push(set.resource);
    for (const level of set.scps ?? []) order.push(...level);
    for (const level of set.rcps ?? []) order.push(...level);
    plan = { order, byAction: new Map() };
    plans.set(set, plan);
  }
  lastSet = set;
  lastPlan = plan;
  let lists = plan.byAction.get(r.lowerAction);
  if (lists === undefined) {
    if (plan.byAction.size >= 8192) plan.byAction.clear(); // actions come from requests: stay bounded
    lists = plan.order.map((lp) => lp.compiled.forAction(r.lowerAction, r.service));
    plan.byAction.set(r.lowerAction, lists);
  }
  return lists;
}

const NO_NOTES: readonly string[] = Object.freeze([]);
const NO_REFS: readonly StatementRef[] = Object.freeze([]);
/** Shared results for `explain = false`: no per-call allocation. */
const BARE: Readonly<Record<DecisionKind, readonly Decision[]>> = {
  Allowed: KINDS_BY_MASK.map((k) => Object.freeze({ decision: 'Allowed' as const, blockedBy: k, explanation: NO_REFS, notes: NO_NOTES })),
  ImplicitlyDenied: KINDS_BY_MASK.map((k) => Object.freeze({ decision: 'ImplicitlyDenied' as const, blockedBy: k, explanation: NO_REFS, notes: NO_NOTES })),
  ExplicitlyDenied: KINDS_BY_MASK.map((k) => Object.freeze({ decision: 'ExplicitlyDenied' as const, blockedBy: k, explanation: NO_REFS, notes: NO_NOTES })),
};

/** The scratch of evaluations without refs: evaluation never re-enters itself, so one object serves them all. */
const BARE_ACC: Acc = { denyMask: 0, denies: undefined, allows: undefined, idAllow: 0, pbOk: true, spOk: true, rb: 0, scpOk: true, blocked: 0 };

/** BARE_ACC, reset. */
function bareAcc(): Acc {
  const a = BARE_ACC;
  a.denyMask = 0;
  a.idAllow = 0;
  a.pbOk = true;
  a.spOk = true;
  a.rb = 0;
  a.scpOk = true;
  a.blocked = 0;
  return a;
}

/**
 * Evaluates a prepared request against a policy set. `explain`: true builds the explanation and notes,
 * `'refs'` only the deciding statements (no notes), false neither (shared result objects, fastest).
 */
export function evaluatePrepared(r: PreparedRequest, set: PolicySet, explain: boolean | 'refs' = true): Decision {
  const notes: string[] | undefined = explain === true ? [] : undefined;
  if (needsNoPermission(r)) {
    notes?.push('sts:GetCallerIdentity needs no permission and cannot be denied');
    return done('Allowed', 0, undefined, notes);
  }
  const refs = explain !== false;
  const acc: Acc = refs ? { denyMask: 0, denies: [], allows: [], idAllow: 0, pbOk: true, spOk: true, rb: 0, scpOk: true, blocked: 0 } : bareAcc();
  const applies = applicableOrgPolicies(r, set, notes);
  // 1. gather allows and denies from every applicable policy
  gather(r, set, (applies & K_SCP) !== 0, (applies & K_RCP) !== 0, acc, notes);
  // 2. explicit deny anywhere wins
  if (acc.denyMask !== 0) return done('ExplicitlyDenied', acc.denyMask, acc.denies, notes);
  acc.blocked = acc.scpOk ? 0 : K_SCP;
  // 3. identity and resource policies
  const allowed = identityOrResourceAllows(r, set, acc, notes);
  if (notes && r.resourceAccountAssumed && r.caller.account !== undefined) notes.push("the resource ARN has no account, so the resource is taken to be in the principal's account; set `resourceAccount` otherwise");
  // 4. AWS refuses some actions on the resources it owns, whatever the policies allow (aws-owned.ts cites each rule)
  const owned = awsOwnedRule(r.lowerAction, r.resource);
  if (owned !== undefined) {
    notes?.push(owned.note);
    return done('ImplicitlyDenied', acc.blocked | K_AWS_OWNED, undefined, notes);
  }
  if (allowed && acc.scpOk) return done('Allowed', 0, acc.allows, notes);
  return done('ImplicitlyDenied', acc.blocked, undefined, notes);
}

/** The (lowercase) action that needs no permission for signed callers (see needsNoPermission). */
export const NO_PERMISSION_ACTION = 'sts:getcalleridentity';

/** Callers with AWS credentials of an account: the IAM principals and the root user. */
const SIGNED_CALLERS: ReadonlySet<Caller['kind']> = new Set(['root', 'user', 'role-session', 'federated-user']);

/**
 * `sts:GetCallerIdentity` is allowed for every caller with AWS credentials, whatever the policies say: AWS STS API
 * Reference, "GetCallerIdentity" (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html):
 * "No permissions are required to perform this operation. If an administrator attaches a policy to your identity
 * that explicitly denies access to the sts:GetCallerIdentity action, you can still perform this operation."
 */
function needsNoPermission(r: PreparedRequest): boolean {
  return r.lowerAction === NO_PERMISSION_ACTION && SIGNED_CALLERS.has(r.caller.kind);
}

/** Organizations: which organization policies apply at all (K_SCP / K_RCP bits), with a note for each that does not. */
function applicableOrgPolicies(r: PreparedRequest, set: PolicySet, notes: string[] | undefined): number {
  const caller = r.caller;
  const mgmt = set.managementAccountId;
  let scpApplies = set.scps !== undefined && (caller.hasIdentity || caller.kind === 'root');
  if (scpApplies && caller.serviceLinked) {
    scpApplies = false;
    notes?.push('scps do not limit service-linked roles');
  } else if (scpApplies && mgmt !== undefined && caller.account === mgmt) {
    scpApplies = false;
    notes?.push('scps do not limit the management account');
  }
  let rcpApplies = set.rcps !== undefined;
  if (rcpApplies) {
    if (!(set.rcpServices ?? set.catalog.rcpServices()).has(r.service)) {
      rcpApplies = false;
      notes?.push(`rcps do not cover the \`${r.service}\` service`);
    } else if (caller.serviceLinked) {
      rcpApplies = false;
      notes?.push('rcps do not limit service-linked roles');
    } else if (r.lowerAction === 'kms:retiregrant') {
      rcpApplies = false;
      notes?.push('rcps do not affect `kms:RetireGrant`');
    } else if (r.mode === 'trust' && r.resource.includes(':role/aws-service-role/')) {
      rcpApplies = false;
      notes?.push("rcps do not affect assuming a service-linked role (its trust policy)");
    } else if (mgmt !== undefined && r.resourceAccount === mgmt) {
      rcpApplies = false;
      notes?.push('rcps do not limit resources in the management account');
    }
  }
  return (scpApplies ? K_SCP : 0) | (rcpApplies ? K_RCP : 0);
}

/** Step 1: scans every applicable policy (lists[k] follows the plan's policy order) into `acc`. */
function gather(r: PreparedRequest, set: PolicySet, scpApplies: boolean, rcpApplies: boolean, acc: Acc, notes: string[] | undefined): void {
  const caller = r.caller;
  const hasBoundary = set.boundary !== undefined;
  const lists = listsFor(set, r);
  let k = 0;
  const ids = set.identity;
  if (caller.hasIdentity) {
    for (let i = 0; i < ids.length; i++) {
      const rank = scan('identity', ids[i]!, lists[k + i]!, r, hasBoundary, acc, acc.idAllow === 0);
      if (rank > acc.idAllow) acc.idAllow = rank;
    }
  }
  k += ids.length;
  if (caller.kind === 'root') acc.idAllow = 3; // the root user has full access in its own account
  if (set.boundary) {
    if (caller.hasIdentity) acc.pbOk = scan('boundary', set.boundary, lists[k]!, r, hasBoundary, acc, true) > 0;
    k++;
  }
  if (set.session) {
    // session policies exist only for session principals (role sessions, federated users); IAM users have none
    if (caller.kind === 'role-session' || caller.kind === 'federated-user') acc.spOk = scan('session', set.session, lists[k]!, r, hasBoundary, acc, true) > 0;
    k++;
  } else if (caller.kind === 'federated-user') {
    // AWS STS API Reference, "GetFederationToken" (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html),
    // Policy: "if you do not pass any session policies, then the resulting federated user session has no permissions";
    // a resource policy naming the session itself still grants ("in addition to the permissions that are granted by
    // the session policies")
    acc.spOk = false;
    notes?.push('a federated user session without a session policy has no permissions of its own; only a resource policy naming the session grants');
  }
  if (set.resource) {
    acc.rb = scan('resource', set.resource, lists[k]!, r, hasBoundary, acc, true);
    k++;
  }
  if (set.scps) {
    const levels = set.scps;
    for (let l = 0; l < levels.length; l++) {
      const level = levels[l]!;
      if (!scpApplies) {
        k += level.length;
        continue;
      }
      let levelOk = false;
      for (let j = 0; j < level.length; j++) if (scan('scp', level[j]!, lists[k + j]!, r, hasBoundary, acc, !levelOk) > 0) levelOk = true;
      k += level.length;
      if (!levelOk) {
        acc.scpOk = false;
        if (level.length === 0) notes?.push(`scp level ${l} has no policies, so nothing is allowed there (AWS keeps at least one SCP, e.g. FullAWSAccess, on every level)`);
      }
    }
  }
  if (rcpApplies) {
    // RCPFullAWSAccess allows at every level, so only Deny statements matter
    for (const level of set.rcps!) for (const lp of level) scan('rcp', lp, lists[k++]!, r, hasBoundary, acc, false);
  }
}

/** Step 3: whether the identity and resource policies allow; adds the reasons for an implicit deny to `acc.blocked`. */
function identityOrResourceAllows(r: PreparedRequest, set: PolicySet, acc: Acc, notes: string[] | undefined): boolean {
  const { caller } = r;
  const { idAllow, pbOk, spOk, rb } = acc;
  const same = caller.account !== undefined && caller.account === r.resourceAccount;
  let allowed: boolean;
  let blocked = acc.blocked;
  if (!caller.hasIdentity && caller.kind !== 'root') {
    // services, web/SAML federation, anonymous: only a resource policy can grant
    allowed = rb > 0;
    if (!allowed) blocked |= K_RESOURCE;
  } else if (same) {
    const identityPath = idAllow > 0 && pbOk && spOk;
    if (r.mode === 'normal') {
      allowed = rb === 3 || (rb === 2 && pbOk && spOk) || identityPath;
    } else {
      // trust and key policies must allow; naming the account delegates to identity policies
      allowed = rb === 3 || (rb === 2 && pbOk && spOk) || (rb === 1 && identityPath);
      notes?.push(r.mode === 'trust' ? 'the role trust policy must allow the request itself' : 'the key policy must allow the request itself');
      if (rb === 0) blocked |= K_RESOURCE;
    }
    if (!allowed) {
      // a resource policy naming the role ARN grants on its own, subject only to the boundary and session policy
      if (idAllow === 0 && !(r.mode === 'normal' && rb === 2)) {
        blocked |= K_IDENTITY;
        if (set.resource && rb === 0) blocked |= K_RESOURCE;
      }
      if (!pbOk) blocked |= K_BOUNDARY;
      if (!spOk) blocked |= K_SESSION;
    }
  } else {
    notes?.push(`cross-account request (principal account ${caller.account}, resource account ${r.resourceAccount}): identity and resource policies must both allow`);
    allowed = rb > 0 && idAllow > 0 && pbOk && spOk;
    if (!allowed) {
      if (rb === 0) blocked |= K_RESOURCE;
      if (idAllow === 0) blocked |= K_IDENTITY;
      if (!pbOk) blocked |= K_BOUNDARY;
      if (!spOk) blocked |= K_SESSION;
    }
  }
  acc.blocked = blocked;
  return allowed;
}

function done(decision: DecisionKind, mask: number, explanation: StatementRef[] | undefined, notes: string[] | undefined): Decision {
  if (notes === undefined && (explanation === undefined || explanation.length === 0)) return BARE[decision][mask]!;
  const sorted = (explanation ?? []).sort(
    (a, b) => RANK[a.policyKind] - RANK[b.policyKind] || compareStrings(a.policy, b.policy) || a.statement - b.statement,
  );
  return { decision, blockedBy: KINDS_BY_MASK[mask]!, explanation: sorted, notes: notes ?? NO_NOTES };
}

/** Outcome of `evaluateRequest`: a decision, or why the request itself is unusable. */
export type EvaluateResult = { readonly ok: true; readonly decision: Decision } | { readonly ok: false; readonly error: string; readonly path: string };

/**
 * Prepares and evaluates one request; `explain` as for evaluatePrepared (`'refs'`: the deciding statements without
 * the notes for humans, for callers that read only those, as verify does).
 */
export function evaluateRequest(req: RequestInput, set: PolicySet, explain: boolean | 'refs' = true): EvaluateResult {
  const p = prepareRequest(req);
  if (!p.ok) return { ok: false, error: p.diagnostics[0]!.message, path: p.diagnostics[0]!.path ?? '' };
  return { ok: true, decision: evaluatePrepared(p.value, set, explain) };
}
