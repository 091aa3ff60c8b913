/**
 * Collected IAM Identity Center (`organization.json` `identity`) into the model's `identity`: the same shape the
 * planner fills. Pure.
 *
 * - groups carry their members' user names; users carry name and id only;
 * - a permission set's policies: its inline policy (kind `inline`, named `inline`), its AWS managed policies and its
 *   customer managed policy references (kind `managed`), each with the document found in a collected account
 *   (an empty document when no account holds it);
 * - an assignment names the group, the account (by model name) and the permission set, and `role` is the
 *   `AWSReservedSSO_{permissionSet}_{suffix}` role AWS created in that account when the account's IAM was collected
 *   (`AWSReservedSSO_{permissionSet}` otherwise). An assignment to a single user is not in the model's group-based
 *   assignments; it is reported.
 */
import { warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { AccountAssignment, AttachedPolicy, IdentityModel, PermissionSet, PolicyDocument, Role } from '../model/organization.js';
import { SnapshotCodes } from './codes.js';
import type { AccountSnapshot, IdentitySnapshot } from './format.js';

const EMPTY_POLICY: PolicyDocument = { Version: '2012-10-17', Statement: [] };

/** Prefix of the role IAM Identity Center creates per assigned permission set and account. */
export const SSO_ROLE_PREFIX = 'AWSReservedSSO_';

/** What converting the identity section needs from the rest of the load. */
export interface IdentityContext {
  readonly identity: IdentitySnapshot;
  readonly accounts: readonly AccountSnapshot[];
  /** Account id → model account name. */
  readonly nameById: ReadonlyMap<string, string>;
  /** The converted roles (to find each assignment's AWSReservedSSO_ role). */
  readonly roles: readonly Role[];
  readonly file: string;
  readonly diags: Diagnostic[];
}

/** The managed policy documents of every collected account by ARN, and by `path+name` for customer references. */
function policyIndex(accounts: readonly AccountSnapshot[]): { byArn: Map<string, PolicyDocument>; byName: Map<string, PolicyDocument> } {
  const byArn = new Map<string, PolicyDocument>();
  const byName = new Map<string, PolicyDocument>();
  for (const a of accounts) {
    for (const p of a.iam.managedPolicies) {
      byArn.set(p.arn, p.document);
      if (!p.arn.startsWith('arn:aws:iam::aws:')) byName.set(`${p.path}${p.name}`, p.document);
    }
  }
  return { byArn, byName };
}

function permissionSetOf(p: IdentitySnapshot['permissionSets'][number], ix: ReturnType<typeof policyIndex>): PermissionSet {
  const ref = (r: { name: string; path: string }): AttachedPolicy => ({ name: r.name, kind: 'managed', document: ix.byName.get(`${r.path}${r.name}`) ?? EMPTY_POLICY });
  const arn = (a: string): AttachedPolicy => ({ name: a.slice(a.lastIndexOf('/') + 1), kind: 'managed', arn: a, document: ix.byArn.get(a) ?? EMPTY_POLICY });
  const b = p.permissionBoundary;
  const boundary = b?.managedPolicyArn !== undefined ? arn(b.managedPolicyArn) : b?.customerManagedPolicy !== undefined ? ref(b.customerManagedPolicy) : undefined;
  return {
    name: p.name,
    arn: p.arn,
    ...(p.description !== undefined ? { description: p.description } : {}),
    sessionDuration: p.sessionDuration,
    policies: [
      ...(p.inlinePolicy !== undefined ? [{ name: 'inline', kind: 'inline' as const, document: p.inlinePolicy as PolicyDocument }] : []),
      ...p.managedPolicyArns.map(arn),
      ...p.customerManagedPolicies.map(ref),
    ],
    ...(boundary ? { permissionBoundary: boundary } : {}),
    tags: {},
  };
}

/** Converts the collected identity section into the model's `identity`. */
export function convertIdentity(c: IdentityContext): IdentityModel {
  const id = c.identity;
  const userName = new Map(id.users.map((u) => [u.id, u.name]));
  const groupName = new Map(id.groups.map((g) => [g.id, g.name]));
  const setName = new Map(id.permissionSets.map((p) => [p.arn, p.name]));
  const ix = policyIndex(c.accounts);
  const assignments: AccountAssignment[] = [];
  id.assignments.forEach((a, i) => {
    const permissionSet = setName.get(a.permissionSetArn) ?? a.permissionSetArn;
    const account = c.nameById.get(a.accountId) ?? a.accountId;
    if (a.principalType === 'USER') {
      const who = userName.get(a.principalId) ?? a.principalId;
      c.diags.push({
        ...warning(SnapshotCodes.AccountNotCollected, `permission set \`${permissionSet}\` is assigned in account \`${account}\` to user \`${who}\` directly; the model holds group assignments only, so this access is not analysed — assign a group instead`, `identity.assignments[${i}]`),
        file: c.file,
      });
      return;
    }
    const prefix = `${SSO_ROLE_PREFIX}${permissionSet}_`;
    const role = c.roles.find((r) => r.account === account && r.name.startsWith(prefix))?.name ?? `${SSO_ROLE_PREFIX}${permissionSet}`;
    assignments.push({ group: groupName.get(a.principalId) ?? a.principalId, account, role, permissionSet });
  });
  return {
    provider: 'identity-center',
    instanceArn: id.instanceArn,
    identityStoreId: id.identityStoreId,
    homeRegion: id.homeRegion,
    groups: id.groups.map((g) => ({
      name: g.name,
      id: g.id,
      ...(g.description !== undefined ? { description: g.description } : {}),
      members: g.memberIds.map((m) => userName.get(m) ?? m),
    })),
    users: id.users.map((u) => ({ name: u.name, id: u.id })),
    permissionSets: id.permissionSets.map((p) => permissionSetOf(p, ix)),
    assignments,
  };
}
