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
 */
import type { CompiledPolicy, CompiledStatement } from './compile.js';
import type { Context } from './pattern.js';
import { classifyCaller, notPrincipalApplies, principalRank, type Caller } from './principal.js';
import { rcpServices } from './catalog-default.js';
import type { ContextValue, Decision, DecisionKind, PolicyKind, RequestInput, StatementRef } from './types.js';

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
  /** Override of the RCP-supported service list (default: from iam-data). */
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

function toStrings(v: ContextValue): string[] | undefined {
  const one = (x: unknown): string | undefined => (typeof x === 'string' ? x : typeof x === 'number' && Number.isFinite(x) ? String(x) : typeof x === 'boolean' ? String(x) : undefined);
  if (Array.isArray(v)) {
    const out: string[] = [];
    for (const x of v) {
      const s = one(x);
      if (s === undefined) return undefined;
      out.push(s);
    }
    return out;
  }
  const s = one(v);
  return s === undefined ? undefined : [s];
}

/** Validates and prepares a request; the error names the bad field and value. */
export function prepareRequest(req: RequestInput): { request: PreparedRequest } | { error: string; path: string } {
  if (typeof req.principal !== 'string' || req.principal === '') return { error: '`principal` must be a non-empty string (an ARN or service principal)', path: 'request.principal' };
  if (typeof req.action !== 'string' || !/^[A-Za-z0-9-]+:[A-Za-z0-9_-]+$/.test(req.action)) {
    return { error: `\`action\` \`${String(req.action)}\` must be one concrete \`service:Action\` without wildcards, e.g. \`s3:GetObject\``, path: 'request.action' };
  }
  if (typeof req.resource !== 'string' || req.resource === '') return { error: '`resource` must be an ARN, or `*` for actions without a resource', path: 'request.resource' };
  if (req.resourceAccount !== undefined && (typeof req.resourceAccount !== 'string' || !/^\d{12}$/.test(req.resourceAccount))) {
    return { error: `\`resourceAccount\` \`${String(req.resourceAccount)}\` must be a 12-digit account id`, path: 'request.resourceAccount' };
  }
  const c = classifyCaller(req);
  if ('error' in c) return { error: c.error, path: 'request.principal' };
  const caller = c.caller;
  const ctx = new Map<string, string[]>();
  if (req.context !== undefined) {
    if (typeof req.context !== 'object' || req.context === null || Array.isArray(req.context)) return { error: '`context` must be an object of condition keys', path: 'request.context' };
    for (const [k, v] of Object.entries(req.context)) {
      const vals = toStrings(v);
      if (vals === undefined) return { error: `context key \`${k}\` must be a string, number, boolean or a list of them`, path: `request.context.${k}` };
      ctx.set(k.toLowerCase(), vals); // key names are case-insensitive
    }
  }
  const arnAccount = /^arn:[^:]*:[^:]*:[^:]*:(\d{12}):/.exec(req.resource)?.[1];
  const resourceAccount = req.resourceAccount ?? arnAccount ?? caller.account;
  const resourceAccountAssumed = req.resourceAccount === undefined && arnAccount === undefined;
  // derived global keys, unless the caller gave them
  const put = (k: string, v: string | undefined): void => {
    if (v !== undefined && !ctx.has(k)) ctx.set(k, [v]);
  };
  put('aws:principalarn', caller.principalArn);
  put('aws:principalaccount', caller.account);
  put('aws:resourceaccount', resourceAccount);
  put('aws:username', caller.userName);
  put('aws:principalisawsservice', caller.kind === 'service' ? 'true' : 'false');
  if (caller.kind === 'service') put('aws:principalservicename', caller.id);
  put('aws:principaltype', { root: 'Account', user: 'User', 'role-session': 'AssumedRole', 'federated-user': 'FederatedUser', anonymous: 'Anonymous' }[caller.kind as string]);
  const lowerAction = req.action.toLowerCase();
  const service = lowerAction.slice(0, lowerAction.indexOf(':'));
  const mode = resourceMode(lowerAction, service, req.resource);
  return {
    request: {
      caller, action: req.action, lowerAction, service, resource: req.resource,
      ...(resourceAccount !== undefined ? { resourceAccount } : {}),
      resourceAccountAssumed, ctx, mode,
    },
  };
}

/** Whether one statement applies to the request (action, principal, resource, conditions). */
function applies(s: CompiledStatement, r: PreparedRequest, hasBoundary: boolean): number {
  if (!s.action(r.lowerAction)) return 0;
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

/**
 * Scans one policy. Returns the best Allow rank (0 none, 1 account, 2 role, 3 direct/no principal) and pushes
 * matching Deny refs to `denies` (and, when `allows` is given, the best-ranked Allow ref).
 */
function scan(kind: PolicyKind, lp: LabeledPolicy, r: PreparedRequest, hasBoundary: boolean, denies: StatementRef[], allows: StatementRef[] | undefined): number {
  let best = 0;
  let bestStmt: CompiledStatement | undefined;
  for (const s of lp.compiled.forService(r.service)) {
    if (!s.deny && best === 3) continue;
    const rank = applies(s, r, hasBoundary);
    if (rank === 0) continue;
    if (s.deny) denies.push(ref(kind, lp, s));
    else if (rank > best) {
      best = rank;
      bestStmt = s;
    }
  }
  if (allows && bestStmt) allows.push(ref(kind, lp, bestStmt));
  return best;
}

/** Evaluates a prepared request against a policy set. `explain` false skips building explanation data. */
export function evaluatePrepared(r: PreparedRequest, set: PolicySet, explain = true): Decision {
  const caller = r.caller;
  const notes: string[] = [];
  const denies: StatementRef[] = [];
  const allows: StatementRef[] | undefined = explain ? [] : undefined;
  const hasBoundary = set.boundary !== undefined;
  const denyKinds = new Set<PolicyKind>();
  const blocked = new Set<PolicyKind>();
  const mark = (kind: PolicyKind, before: number): void => {
    if (denies.length > before) denyKinds.add(kind);
  };

  // Organizations: which organization policies apply at all
  const mgmt = set.managementAccountId;
  let scpApplies = set.scps !== undefined && (caller.hasIdentity || caller.kind === 'root');
  if (scpApplies && caller.serviceLinked) {
    scpApplies = false;
    if (explain) notes.push('scps do not limit service-linked roles');
  } else if (scpApplies && mgmt !== undefined && caller.account === mgmt) {
    scpApplies = false;
    if (explain) notes.push('scps do not limit the management account');
  }
  let rcpApplies = set.rcps !== undefined;
  if (rcpApplies) {
    if (!(set.rcpServices ?? rcpServices()).has(r.service)) {
      rcpApplies = false;
      if (explain) notes.push(`rcps do not cover the \`${r.service}\` service`);
    } else if (caller.serviceLinked) {
      rcpApplies = false;
      if (explain) notes.push('rcps do not limit service-linked roles');
    } else if (mgmt !== undefined && r.resourceAccount === mgmt) {
      rcpApplies = false;
      if (explain) notes.push('rcps do not limit resources in the management account');
    }
  }

  // 1. gather allows and denies from every applicable policy
  let idAllow = 0;
  if (caller.hasIdentity) {
    for (const lp of set.identity) {
      const n = denies.length;
      const rank = scan('identity', lp, r, hasBoundary, denies, idAllow ? undefined : allows);
      if (rank > idAllow) idAllow = rank;
      mark('identity', n);
    }
  }
  if (caller.kind === 'root') idAllow = 3; // the root user has full access in its own account
  let pbOk = true;
  if (set.boundary && caller.hasIdentity) {
    const n = denies.length;
    pbOk = scan('boundary', set.boundary, r, hasBoundary, denies, allows) > 0;
    mark('boundary', n);
  }
  let spOk = true;
  if (set.session && caller.hasIdentity) {
    const n = denies.length;
    spOk = scan('session', set.session, r, hasBoundary, denies, allows) > 0;
    mark('session', n);
  }
  let rb = 0;
  if (set.resource) {
    const n = denies.length;
    rb = scan('resource', set.resource, r, hasBoundary, denies, allows);
    mark('resource', n);
  }
  let scpOk = true;
  if (scpApplies) {
    for (const level of set.scps!) {
      let levelOk = false;
      const n = denies.length;
      for (const lp of level) if (scan('scp', lp, r, hasBoundary, denies, levelOk ? undefined : allows) > 0) levelOk = true;
      mark('scp', n);
      if (!levelOk) scpOk = false;
    }
  }
  if (rcpApplies) {
    for (const level of set.rcps!) {
      const n = denies.length;
      for (const lp of level) scan('rcp', lp, r, hasBoundary, denies, undefined); // RCPFullAWSAccess allows at every level
      mark('rcp', n);
    }
  }

  // 2. explicit deny anywhere wins
  if (denies.length > 0) {
    return done('ExplicitlyDenied', [...denyKinds], explain ? denies : [], notes);
  }
  if (!scpOk) blocked.add('scp');

  // 3. identity and resource policies
  const same = caller.account !== undefined && caller.account === r.resourceAccount;
  let allowed: boolean;
  if (!caller.hasIdentity && caller.kind !== 'root') {
    // services, web/SAML federation, anonymous: only a resource policy can grant
    allowed = rb > 0;
    if (!allowed) blocked.add('resource');
  } else if (same) {
    const identityPath = idAllow > 0 && pbOk && spOk;
    if (r.mode === 'normal') {
      allowed = rb === 3 || (rb === 2 && pbOk && spOk) || identityPath;
    } else {
      // trust and key policies must allow; naming the account delegates to identity policies
      allowed = rb === 3 || (rb === 2 && pbOk && spOk) || (rb === 1 && identityPath);
      if (explain) notes.push(r.mode === 'trust' ? 'the role trust policy must allow the request itself' : 'the key policy must allow the request itself');
      if (rb === 0) blocked.add('resource');
    }
    if (!allowed) {
      // a resource policy naming the role ARN grants on its own, subject only to the boundary and session policy
      if (idAllow === 0 && !(r.mode === 'normal' && rb === 2)) {
        blocked.add('identity');
        if (set.resource && rb === 0) blocked.add('resource');
      }
      if (!pbOk) blocked.add('boundary');
      if (!spOk) blocked.add('session');
    }
  } else {
    if (explain) notes.push(`cross-account request (principal account ${caller.account}, resource account ${r.resourceAccount}): identity and resource policies must both allow`);
    allowed = rb > 0 && idAllow > 0 && pbOk && spOk;
    if (!allowed) {
      if (rb === 0) blocked.add('resource');
      if (idAllow === 0) blocked.add('identity');
      if (!pbOk) blocked.add('boundary');
      if (!spOk) blocked.add('session');
    }
  }
  if (explain && r.resourceAccountAssumed && caller.account !== undefined) notes.push('the resource ARN has no account, so the resource is taken to be in the principal\'s account; set `resourceAccount` otherwise');
  if (allowed && scpOk) return done('Allowed', [], allows ?? [], notes);
  return done('ImplicitlyDenied', [...blocked], [], notes);
}

/** Report order: identity side, resource side, then the guardrails. */
const ORDER: PolicyKind[] = ['identity', 'resource', 'boundary', 'session', 'rcp', 'scp'];

function done(decision: DecisionKind, blockedBy: PolicyKind[], explanation: StatementRef[], notes: string[]): Decision {
  const sorted = [...explanation].sort(
    (a, b) => ORDER.indexOf(a.policyKind) - ORDER.indexOf(b.policyKind) || (a.policy < b.policy ? -1 : a.policy > b.policy ? 1 : 0) || a.statement - b.statement,
  );
  return { decision, blockedBy: [...blockedBy].sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b)), explanation: sorted, notes };
}

/** Outcome of `evaluateRequest`: a decision, or why the request itself is unusable. */
export type EvaluateResult = { readonly ok: true; readonly decision: Decision } | { readonly ok: false; readonly error: string; readonly path: string };

/** Prepares and evaluates one request. */
export function evaluateRequest(req: RequestInput, set: PolicySet): EvaluateResult {
  const p = prepareRequest(req);
  if ('error' in p) return { ok: false, error: p.error, path: p.path };
  return { ok: true, decision: evaluatePrepared(p.request, set) };
}
