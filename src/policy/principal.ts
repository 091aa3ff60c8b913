/**
 * Who is calling: classification of the request principal and the principal names a policy can use for it
 * (IAM User Guide: "AWS JSON policy elements: Principal", "NotPrincipal", "IAM identifiers").
 *
 * A role session is known by three names: its account (`arn:aws:iam::ACCOUNT:root`), the role ARN and the
 * assumed-role session ARN. `Principal` matches when any name is listed; `NotPrincipal` excludes the caller
 * only when every name is listed (the documented reason NotPrincipal must list the account, role and session).
 */
import { error, fail, ok, type Result } from '../diagnostics/diagnostic.js';
import { NO_DIAGNOSTICS } from './types.js';
import type { PrincipalSpec, RequestInput } from './types.js';
import { messageValue } from '../util/message-value.js';

/**
 * How a resource policy named the caller; decides the same-account boundary/session exceptions. `role` is the role
 * ARN of a role session, `parent` the IAM user who created a federated user session (both limited by the boundary
 * and session policy), `direct` the caller itself (user, session ARN).
 */
export type NamedAs = 'account' | 'role' | 'parent' | 'direct';

/** The kinds of caller the engine knows. */
export type CallerKind = 'root' | 'user' | 'role-session' | 'federated-user' | 'service' | 'federated' | 'anonymous' | 'canonical';

/** A classified caller. */
export interface Caller {
  readonly kind: CallerKind;
  /** Account of IAM principals; undefined for services, web/SAML federation, anonymous and canonical users. */
  readonly account?: string;
  readonly partition: string;
  /** The ARN or name as given. */
  readonly id: string;
  /** Value of `aws:PrincipalArn` (the role ARN for role sessions). */
  readonly principalArn?: string;
  readonly names: readonly { readonly id: string; readonly as: NamedAs }[];
  /** Service-linked roles (path `/aws-service-role/`) are not limited by SCPs or RCPs. */
  readonly serviceLinked: boolean;
  /** IAM users and role sessions have identity policies, boundaries and session policies. */
  readonly hasIdentity: boolean;
  readonly userName?: string;
  /**
   * Value of `aws:userid` where it follows from the principal alone (IAM UG, "IAM policy elements: Variables and tags",
   * principal key values table, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#principaltable):
   * the account id for the root user, `account:name` for a federated user, `anonymous` for an anonymous caller.
   */
  readonly userId?: string;
}

const IAM_ARN = /^arn:([a-z-]+):iam::(\d{12}):(root|user\/.+|role\/.+)$/;
const STS_ARN = /^arn:([a-z-]+):sts::(\d{12}):(assumed-role\/[^/]+\/.+|federated-user\/.+)$/;

/** Classifies the request principal, or says why it cannot (BH3102 at `request.principal`). */
export function classifyCaller(req: RequestInput): Result<Caller> {
  const caller = req.principalType === undefined && req.sessionName === undefined ? plainCaller(req) : callerOf(req);
  if (caller !== undefined) {
    if (req.federatingUser === undefined) return ok(caller, NO_DIAGNOSTICS);
    return withFederatingUser(caller, req.federatingUser);
  }
  return fail([
    error(
      'BH3102',
      `principal \`${req.principal}\` is not an IAM user, role, assumed-role session, federated user or root ARN; give one, or set \`principalType\` for service, federated, canonical or anonymous callers`,
      'request.principal',
    ),
  ]);
}

/**
 * Callers by principal ARN, for requests that give only the principal (no type or session name): a caller
 * depends on nothing else, and a batch or a verify run asks about the same principals again and again, so each
 * ARN is parsed once. Callers are immutable. Bounded: cleared when full.
 */
const plainCallers = new Map<string, Caller | null>();
const PLAIN_CALLERS_MAX = 2_048;

function plainCaller(req: RequestInput): Caller | undefined {
  const p = req.principal;
  const known = plainCallers.get(p);
  if (known !== undefined) return known ?? undefined;
  const caller = callerOf(req);
  if (plainCallers.size >= PLAIN_CALLERS_MAX) plainCallers.clear();
  plainCallers.set(p, caller ?? null);
  return caller;
}

/**
 * A federated user session (GetFederationToken) with the IAM user who created it: a resource policy naming that
 * user grants to the session, limited by the boundary and session policy. IAM UG, "How AWS enforcement code logic
 * evaluates requests to allow or deny access" (AWS STS federated user principal,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html):
 * "if a resource-based policy grants permission to the ARN of the IAM user who federated, then requests made by the
 * federated user during the session are limited by an implicit deny in a permission boundary or session policy".
 */
function withFederatingUser(caller: Caller, user: unknown): Result<Caller> {
  const path = 'request.federatingUser';
  if (caller.kind !== 'federated-user') {
    return fail([error('BH3102', '`federatingUser` applies only to a federated-user principal (`arn:aws:sts::ACCOUNT:federated-user/NAME`); remove it', path)]);
  }
  const m = typeof user === 'string' ? IAM_ARN.exec(user) : null;
  if (m === null || !m[3]!.startsWith('user/') || m[1] !== caller.partition || m[2] !== caller.account) {
    return fail([error('BH3102', `\`federatingUser\` \`${messageValue(user)}\` must be the ARN of an IAM user in the federated user's account \`${caller.account}\``, path)]);
  }
  return ok({ ...caller, names: [...caller.names, { id: user as string, as: 'parent' }] }, NO_DIAGNOSTICS);
}

/** The classified caller, or undefined when the principal is none the engine knows. */
function callerOf(req: RequestInput): Caller | undefined {
  const p = req.principal;
  const t = req.principalType ?? inferType(p);
  if (t === 'Anonymous') return { ...simple('anonymous', p, []), userId: 'anonymous' };
  if (t === 'Service') return simple('service', p, [{ id: p.toLowerCase(), as: 'direct' }]);
  if (t === 'Federated') return simple('federated', p, [{ id: p, as: 'direct' }]);
  if (t === 'CanonicalUser') return simple('canonical', p, [{ id: p, as: 'direct' }]);
  const iam = IAM_ARN.exec(p);
  if (iam) {
    const [, partition, account, rest] = iam as unknown as [string, string, string, string];
    const root = `arn:${partition}:iam::${account}:root`;
    if (rest === 'root') {
      return { kind: 'root', account, partition, id: p, principalArn: root, names: [{ id: root, as: 'account' }], serviceLinked: false, hasIdentity: false, userId: account };
    }
    if (rest.startsWith('user/')) {
      const userName = rest.slice(rest.lastIndexOf('/') + 1);
      return { kind: 'user', account, partition, id: p, principalArn: p, names: [{ id: root, as: 'account' }, { id: p, as: 'direct' }], serviceLinked: false, hasIdentity: true, userName };
    }
    // a role ARN: the request is made by one of its sessions
    const roleName = rest.slice(rest.lastIndexOf('/') + 1);
    const session = `arn:${partition}:sts::${account}:assumed-role/${roleName}/${req.sessionName ?? 'session'}`;
    return {
      kind: 'role-session', account, partition, id: p, principalArn: p,
      names: [{ id: root, as: 'account' }, { id: p, as: 'role' }, { id: session, as: 'direct' }],
      serviceLinked: rest.startsWith('role/aws-service-role/'), hasIdentity: true,
    };
  }
  const sts = STS_ARN.exec(p);
  if (sts) {
    const [, partition, account, rest] = sts as unknown as [string, string, string, string];
    const root = `arn:${partition}:iam::${account}:root`;
    if (rest.startsWith('federated-user/')) {
      const name = rest.slice('federated-user/'.length);
      return { kind: 'federated-user', account, partition, id: p, principalArn: p, names: [{ id: root, as: 'account' }, { id: p, as: 'direct' }], serviceLinked: false, hasIdentity: true, userId: `${account}:${name}` };
    }
    const [, roleName] = rest.split('/');
    const role = `arn:${partition}:iam::${account}:role/${roleName}`; // the path is not in a session ARN
    return {
      kind: 'role-session', account, partition, id: p, principalArn: role,
      names: [{ id: root, as: 'account' }, { id: role, as: 'role' }, { id: p, as: 'direct' }],
      serviceLinked: false, hasIdentity: true,
    };
  }
  return undefined;
}

function inferType(p: string): NonNullable<RequestInput['principalType']> {
  if (p === '*' || p === 'anonymous') return 'Anonymous';
  if (/^arn:[a-z-]+:iam::\d{12}:(saml-provider|oidc-provider)\//.test(p)) return 'Federated';
  if (p.startsWith('arn:')) return 'AWS';
  if (p === 'cognito-identity.amazonaws.com') return 'Federated';
  if (/^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(p)) return 'Service';
  if (/^[0-9a-f]{64}$/.test(p)) return 'CanonicalUser';
  if (/^[a-z0-9.-]+\.[a-z]{2,}$/i.test(p)) return 'Federated';
  return 'AWS';
}

function simple(kind: CallerKind, id: string, names: { id: string; as: NamedAs }[]): Caller {
  return { kind, partition: 'aws', id, names, serviceLinked: false, hasIdentity: false };
}

const RANK: Record<NamedAs, number> = { account: 1, role: 2, parent: 2, direct: 3 };

/** Best way `spec` names the caller: 3 direct, 2 role, 1 account, 0 not at all. `*` names everyone directly. */
export function principalRank(spec: PrincipalSpec, caller: Caller): number {
  if (spec.wildcard) return 3;
  let best = 0;
  const list = caller.kind === 'service' ? spec.service : caller.kind === 'federated' ? spec.federated : caller.kind === 'canonical' ? spec.canonicalUser : spec.aws;
  for (const n of caller.names) {
    const r = RANK[n.as];
    if (r <= best) continue;
    if (caller.kind === 'service' ? list.some((x) => x.toLowerCase() === n.id) : list.includes(n.id)) best = r;
  }
  return best;
}

/**
 * Whether a `Deny` + `NotPrincipal` statement applies to the caller: unless every name of the caller is listed.
 * IAM UG, "AWS JSON policy elements: NotPrincipal"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html), key points:
 * - "you must also specify the account ARN of the not-denied principal. Otherwise, the policy might deny access to
 *   the entire account containing the principal"; for an assumed-role user AWS "might validate the account first,
 *   then the role, and then the assumed-role user", so a role session is spared only when its account, role ARN
 *   and session ARN are all listed, a user only with its account and user ARN;
 * - "The NotPrincipal element with a Deny effect will always deny any IAM principal that has a permissions boundary
 *   policy attached, regardless of the values specified in the NotPrincipal element" (also IAM UG, "Permissions
 *   boundaries for IAM entities", https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html).
 * An anonymous caller has no name, so it is never spared (unless `NotPrincipal` is `*`, which spares everyone).
 * The IAM user behind a federated user session is not one of the session's own names, so it need not be listed.
 */
export function notPrincipalApplies(spec: PrincipalSpec, caller: Caller, hasBoundary: boolean): boolean {
  if (spec.wildcard) return false;
  if (hasBoundary && caller.hasIdentity) return true;
  if (caller.names.length === 0) return true;
  const list = caller.kind === 'service' ? spec.service.map((x) => x.toLowerCase()) : caller.kind === 'federated' ? spec.federated : caller.kind === 'canonical' ? spec.canonicalUser : spec.aws;
  for (const n of caller.names) if (n.as !== 'parent' && !list.includes(n.id)) return true;
  return false;
}
