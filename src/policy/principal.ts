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

/** How a resource policy named the caller; decides the same-account boundary/session exceptions. */
export type NamedAs = 'account' | 'role' | 'direct';

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
}

const IAM_ARN = /^arn:([a-z-]+):iam::(\d{12}):(root|user\/.+|role\/.+)$/;
const STS_ARN = /^arn:([a-z-]+):sts::(\d{12}):(assumed-role\/[^/]+\/.+|federated-user\/.+)$/;

/** Classifies the request principal, or says why it cannot (BH3102 at `request.principal`). */
export function classifyCaller(req: RequestInput): Result<Caller> {
  const caller = callerOf(req);
  if (caller !== undefined) return ok(caller, NO_DIAGNOSTICS);
  return fail([
    error(
      'BH3102',
      `principal \`${req.principal}\` is not an IAM user, role, assumed-role session, federated user or root ARN; give one, or set \`principalType\` for service, federated, canonical or anonymous callers`,
      'request.principal',
    ),
  ]);
}

/** The classified caller, or undefined when the principal is none the engine knows. */
function callerOf(req: RequestInput): Caller | undefined {
  const p = req.principal;
  const t = req.principalType ?? inferType(p);
  if (t === 'Anonymous') return simple('anonymous', p, []);
  if (t === 'Service') return simple('service', p, [{ id: p.toLowerCase(), as: 'direct' }]);
  if (t === 'Federated') return simple('federated', p, [{ id: p, as: 'direct' }]);
  if (t === 'CanonicalUser') return simple('canonical', p, [{ id: p, as: 'direct' }]);
  const iam = IAM_ARN.exec(p);
  if (iam) {
    const [, partition, account, rest] = iam as unknown as [string, string, string, string];
    const root = `arn:${partition}:iam::${account}:root`;
    if (rest === 'root') {
      return { kind: 'root', account, partition, id: p, principalArn: root, names: [{ id: root, as: 'account' }], serviceLinked: false, hasIdentity: false };
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
      return { kind: 'federated-user', account, partition, id: p, principalArn: p, names: [{ id: root, as: 'account' }, { id: p, as: 'direct' }], serviceLinked: false, hasIdentity: true };
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

const RANK: Record<NamedAs, number> = { account: 1, role: 2, direct: 3 };

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

/** Whether a NotPrincipal statement applies to the caller: unless every name of the caller is listed. */
export function notPrincipalApplies(spec: PrincipalSpec, caller: Caller, hasBoundary: boolean): boolean {
  if (spec.wildcard) return false;
  // IAM User Guide (Permissions boundaries): NotPrincipal with Deny always denies principals that have a boundary
  if (hasBoundary && caller.hasIdentity) return true;
  if (caller.names.length === 0) return true;
  const list = caller.kind === 'service' ? spec.service.map((x) => x.toLowerCase()) : caller.kind === 'federated' ? spec.federated : caller.kind === 'canonical' ? spec.canonicalUser : spec.aws;
  return !caller.names.every((n) => list.includes(n.id));
}
