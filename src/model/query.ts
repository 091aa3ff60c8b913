/**
 * Read-only questions over an organization model, shared by emitters, apply and verify.
 */
import { compareStrings, sortBy, sortedRecord } from '../util/order.js';
import type {
  Account,
  AccountSelector,
  AttachedPolicy,
  IdentityModel,
  OrganizationModel,
  OrganizationPolicy,
  PolicyDocument,
  PolicyTarget,
  Role,
} from './organization.js';
import { ROOT_PATH, sharedTags } from './organization.js';

/** The OU paths from the root down to `ouPath`, inclusive: `Root`, `Root/A`, `Root/A/B`. */
export function ouChain(ouPath: string): string[] {
  const parts = ouPath.split('/');
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}

/** Parent path of an OU path; undefined for the root. */
export function parentPath(ouPath: string): string | undefined {
  const i = ouPath.lastIndexOf('/');
  return i < 0 ? undefined : ouPath.slice(0, i);
}

/** Depth of an OU below the root: `Root` = 0, `Root/Workloads` = 1. */
export function ouDepth(ouPath: string): number {
  return ouPath === ROOT_PATH ? 0 : ouPath.split('/').length - 1;
}

/** Human-readable form of a policy target. */
export function targetLabel(t: PolicyTarget): string {
  return 'ou' in t ? t.ou : `account:${t.account}`;
}

/** True when the target is exactly this OU path or account name. */
export function targetIs(t: PolicyTarget, kind: 'ou' | 'account', ref: string): boolean {
  return kind === 'ou' ? 'ou' in t && t.ou === ref : 'account' in t && t.account === ref;
}

/**
 * The organization policies that apply to an account, one list per level from the root to the account
 * itself (root first, account last), as the engine's SCP/RCP evaluation expects. Returns undefined
 * for the management account, which SCPs and RCPs do not affect.
 */
export function orgPolicyLevels(
  model: OrganizationModel,
  accountName: string,
  kind: 'scp' | 'rcp',
): PolicyDocument[][] | undefined {
  if (accountName === model.organization.managementAccount) return undefined;
  const account = model.accounts.find((a) => a.name === accountName);
  if (!account) return undefined;
  const policies: readonly OrganizationPolicy[] =
    kind === 'scp' ? model.serviceControlPolicies : model.resourceControlPolicies;
  const levels: PolicyDocument[][] = ouChain(account.ouPath).map((path) =>
    policies.filter((p) => p.targets.some((t) => targetIs(t, 'ou', path))).map((p) => p.document),
  );
  levels.push(policies.filter((p) => p.targets.some((t) => targetIs(t, 'account', accountName))).map((p) => p.document));
  return levels;
}

/**
 * The path IAM Identity Center gives the roles it creates for permission sets ("Referencing permission sets in
 * resource policies, Amazon EKS Cluster config maps, and AWS KMS key policies",
 * https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html).
 */
export const IDENTITY_CENTER_ROLE_PATH = '/aws-reserved/sso.amazonaws.com/';

/**
 * True for a role IAM Identity Center creates and owns (an `AWSReservedSSO_` role under its reserved path): it is in
 * the model so that everything reading roles sees it, but no emitter or `apply` creates it; AWS does, for the
 * account assignment.
 */
export function isIdentityCenterRole(role: Pick<Role, 'path' | 'name'>): boolean {
  return role.path.startsWith(IDENTITY_CENTER_ROLE_PATH) && role.name.startsWith('AWSReservedSSO_');
}

/** True when the account matches every key of the selector (each key matches any of its values). */
export function accountMatches(account: Account, selector: AccountSelector): boolean {
  if (selector.phase && !(account.phase !== undefined && selector.phase.includes(account.phase))) return false;
  if (selector.businessUnit && !(account.businessUnit !== undefined && selector.businessUnit.includes(account.businessUnit)))
    return false;
  if (selector.account && !selector.account.includes(account.name)) return false;
  if (selector.ou && !selector.ou.some((ou) => account.ouPath === ou || account.ouPath.startsWith(`${ou}/`))) return false;
  return true;
}

/**
 * Returns a copy of the model with every collection sorted by its natural key, so two models with the same
 * content serialize byte-identically. Policy documents are kept exactly as given.
 */
export function sortModel(model: OrganizationModel): OrganizationModel {
  const sortPolicies = (ps: readonly OrganizationPolicy[]) =>
    sortBy(
      ps.map((p) => ({ ...p, targets: sortBy(p.targets, targetLabel) })),
      (p) => p.name,
    );
  const sortAttached = (ps: readonly AttachedPolicy[]) => sortBy(ps, (p) => `${p.kind}:${p.name}`);
  return {
    ...model,
    organizationalUnits: sortBy(
      model.organizationalUnits.map((o) => ({ ...o, tags: sharedTags(sortedRecord(o.tags)) })),
      (o) => o.path,
    ),
    accounts: sortBy(
      model.accounts.map((a) => ({ ...a, tags: sharedTags(sortedRecord(a.tags)) })),
      (a) => a.name,
    ),
    roles: sortBy(
      model.roles.map((r) => ({ ...r, tags: sharedTags(sortedRecord(r.tags)), policies: sortAttached(r.policies) })),
      (r) => `${r.account}\u0000${r.path}${r.name}`,
    ),
    users: sortBy(
      model.users.map((u) => ({ ...u, tags: sharedTags(sortedRecord(u.tags)), policies: sortAttached(u.policies) })),
      (u) => `${u.account}\u0000${u.path}${u.name}`,
    ),
    serviceControlPolicies: sortPolicies(model.serviceControlPolicies),
    resourceControlPolicies: sortPolicies(model.resourceControlPolicies),
    resources: sortBy(
      model.resources.map((r) => ({ ...r, tags: sharedTags(sortedRecord(r.tags)) })),
      (r) => `${r.account}\u0000${r.arn}`,
    ),
    ...(model.identity ? { identity: sortIdentity(model.identity, sortAttached) } : {}),
  };
}

/** The identity section with its groups, users, permission sets and assignments sorted by their natural keys. */
function sortIdentity(identity: IdentityModel, sortAttached: (ps: readonly AttachedPolicy[]) => AttachedPolicy[]): IdentityModel {
  return {
    ...identity,
    groups: sortBy(
      identity.groups.map((g) => ({ ...g, members: [...g.members].sort(compareStrings) })),
      (g) => g.name,
    ),
    users: sortBy(identity.users, (u) => u.name),
    permissionSets: sortBy(
      identity.permissionSets.map((p) => ({ ...p, tags: sharedTags(sortedRecord(p.tags)), policies: sortAttached(p.policies) })),
      (p) => p.name,
    ),
    assignments: sortBy(identity.assignments, (a) => `${a.group}\u0000${a.permissionSet ?? a.role}\u0000${a.account}`),
  };
}
