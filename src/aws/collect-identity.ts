/**
 * Reads IAM Identity Center (AWS edge): the instance, its permission sets with their inline, AWS managed and
 * customer managed policies and permissions boundary, the account assignments, and the identity store's groups,
 * memberships and users (user names only: never e-mails or other personal attributes). Every call goes through
 * the Scheduler. Without an instance there is nothing to read and no error.
 *
 * Identity Center lives in one region (the instance's home region); sso-admin and identitystore are called there.
 * (What is IAM Identity Center?, IAM Identity Center User Guide:
 * https://docs.aws.amazon.com/singlesignon/latest/userguide/what-is.html; ListInstances, IAM Identity Center API
 * Reference: https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_ListInstances.html)
 */
import type { JsonValue } from '../model/organization.js';
import type { IdentitySnapshot } from '../snapshot/format.js';
import { decodePolicyDocument } from '../snapshot/decode.js';
import { compareStrings, sortBy } from '../util/order.js';
import type { ClientFactory } from './clients.js';
import { JsonCommand, type JsonClient } from './collect-identity-client.js';
import { errorName } from './errors.js';
import { scheduled, type Scheduler } from './scheduler.js';

/** The IAM actions behind every call this module makes (the collector policy grants exactly these). */
export const IDENTITY_READ_ACTIONS = [
  'identitystore:ListGroupMemberships',
  'identitystore:ListGroups',
  'identitystore:ListUsers',
  'sso:DescribePermissionSet',
  'sso:GetInlinePolicyForPermissionSet',
  'sso:GetPermissionsBoundaryForPermissionSet',
  'sso:ListAccountAssignments',
  'sso:ListAccountsForProvisionedPermissionSet',
  'sso:ListCustomerManagedPolicyReferencesInPermissionSet',
  'sso:ListInstances',
  'sso:ListManagedPoliciesInPermissionSet',
  'sso:ListPermissionSets',
] as const;

/** Errors that mean "the caller may not read Identity Center": recorded in the manifest, never dropped. */
export const IDENTITY_DENIED_ERRORS: ReadonlySet<string> = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation']);

type Answer = Record<string, unknown>;

/** The scheduled sso-admin and identitystore clients. */
interface IdentityReader {
  readonly sso: JsonClient;
  readonly ids: JsonClient;
}

function call(c: JsonClient, operation: string, params: Record<string, unknown>): Promise<Answer> {
  return c.send(new JsonCommand({ operation, params }));
}

/** Every page of a NextToken-paginated operation, each page one scheduled call; `key` names the list. */
async function listAll<T>(c: JsonClient, operation: string, params: Record<string, unknown>, key: string): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const page = await call(c, operation, token === undefined ? params : { ...params, NextToken: token });
    out.push(...((page[key] as T[] | undefined) ?? []));
    token = typeof page['NextToken'] === 'string' && page['NextToken'] !== '' ? page['NextToken'] : undefined;
  } while (token !== undefined);
  return out;
}

type PolicyRef = { name: string; path: string };
type PermissionSetRow = IdentitySnapshot['permissionSets'][number];

/** A document as the snapshot stores it: decoded JSON, or the raw text when it is not JSON. */
function documentOf(raw: string): JsonValue {
  const d = decodePolicyDocument(raw);
  return d.ok ? d.value : raw;
}

/** The permissions boundary, or undefined when the set has none (`ResourceNotFoundException`). */
async function readBoundary(r: IdentityReader, InstanceArn: string, PermissionSetArn: string): Promise<PermissionSetRow['permissionBoundary']> {
  try {
    const b = (await call(r.sso, 'GetPermissionsBoundaryForPermissionSet', { InstanceArn, PermissionSetArn }))['PermissionsBoundary'] as
      | { ManagedPolicyArn?: string; CustomerManagedPolicyReference?: { Name?: string; Path?: string } }
      | undefined;
    if (!b) return undefined;
    const cm = b.CustomerManagedPolicyReference;
    return {
      ...(b.ManagedPolicyArn ? { managedPolicyArn: b.ManagedPolicyArn } : {}),
      ...(cm?.Name ? { customerManagedPolicy: { name: cm.Name, path: cm.Path ?? '/' } } : {}),
    };
  } catch (e) {
    if (errorName(e) === 'ResourceNotFoundException') return undefined;
    // moto does not implement the operation; a real endpoint always does (reported by the caller as a warning).
    if (errorName(e) === 'UnsupportedOperation') return undefined;
    throw e;
  }
}

async function readPermissionSet(r: IdentityReader, InstanceArn: string, PermissionSetArn: string): Promise<PermissionSetRow> {
  const q = { InstanceArn, PermissionSetArn };
  const d = ((await call(r.sso, 'DescribePermissionSet', q))['PermissionSet'] ?? {}) as { Name?: string; Description?: string; SessionDuration?: string };
  const inline = (await call(r.sso, 'GetInlinePolicyForPermissionSet', q))['InlinePolicy'];
  const managed = await listAll<{ Arn?: string }>(r.sso, 'ListManagedPoliciesInPermissionSet', q, 'AttachedManagedPolicies');
  const customer = await listAll<{ Name?: string; Path?: string }>(r.sso, 'ListCustomerManagedPolicyReferencesInPermissionSet', q, 'CustomerManagedPolicyReferences');
  const boundary = await readBoundary(r, InstanceArn, PermissionSetArn);
  const refs: PolicyRef[] = customer.flatMap((c) => (c.Name ? [{ name: c.Name, path: c.Path ?? '/' }] : []));
  return {
    arn: PermissionSetArn,
    name: d.Name ?? PermissionSetArn,
    ...(d.Description ? { description: d.Description } : {}),
    // The default session duration is one hour (PermissionSet, IAM Identity Center API Reference:
    // https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_PermissionSet.html).
    sessionDuration: d.SessionDuration ?? 'PT1H',
    ...(typeof inline === 'string' && inline !== '' ? { inlinePolicy: documentOf(inline) } : {}),
    managedPolicyArns: managed.flatMap((m) => (m.Arn ? [m.Arn] : [])).sort(compareStrings),
    customerManagedPolicies: sortBy(refs, (p) => `${p.path}${p.name}`),
    ...(boundary ? { permissionBoundary: boundary } : {}),
  };
}

/** The assignments of one permission set in every account it is provisioned to. */
async function readAssignments(r: IdentityReader, InstanceArn: string, PermissionSetArn: string): Promise<IdentitySnapshot['assignments']> {
  const accounts = await listAll<string>(r.sso, 'ListAccountsForProvisionedPermissionSet', { InstanceArn, PermissionSetArn }, 'AccountIds');
  const per = await Promise.all(
    accounts.map((AccountId) =>
      listAll<{ AccountId?: string; PrincipalType?: string; PrincipalId?: string }>(r.sso, 'ListAccountAssignments', { InstanceArn, AccountId, PermissionSetArn }, 'AccountAssignments'),
    ),
  );
  return per.flat().flatMap((a) =>
    a.PrincipalId && (a.PrincipalType === 'GROUP' || a.PrincipalType === 'USER')
      ? [{ accountId: a.AccountId ?? '', permissionSetArn: PermissionSetArn, principalType: a.PrincipalType, principalId: a.PrincipalId }]
      : [],
  );
}

/** Groups with member ids, and users by name only. */
async function readStore(r: IdentityReader, IdentityStoreId: string): Promise<Pick<IdentitySnapshot, 'groups' | 'users'>> {
  const users = await listAll<{ UserId?: string; UserName?: string }>(r.ids, 'ListUsers', { IdentityStoreId }, 'Users');
  const groups = await listAll<{ GroupId?: string; DisplayName?: string; Description?: string }>(r.ids, 'ListGroups', { IdentityStoreId }, 'Groups');
  const withMembers = await Promise.all(
    groups.flatMap((g) => (g.GroupId ? [{ ...g, GroupId: g.GroupId }] : [])).map(async (g) => {
      const ms = await listAll<{ MemberId?: { UserId?: string } }>(r.ids, 'ListGroupMemberships', { IdentityStoreId, GroupId: g.GroupId }, 'GroupMemberships');
      return {
        id: g.GroupId,
        name: g.DisplayName ?? g.GroupId,
        ...(g.Description ? { description: g.Description } : {}),
        memberIds: ms.flatMap((m) => (m.MemberId?.UserId ? [m.MemberId.UserId] : [])).sort(compareStrings),
      };
    }),
  );
  return {
    users: sortBy(users.flatMap((u) => (u.UserId ? [{ id: u.UserId, name: u.UserName ?? u.UserId }] : [])), (u) => u.name),
    groups: sortBy(withMembers, (g) => g.name),
  };
}

/**
 * Reads Identity Center in `region` (its home region). Undefined when there is no instance there. Throws what AWS
 * answered otherwise (the caller records an access denial in the manifest).
 */
export async function collectIdentity(aws: ClientFactory, s: Scheduler, region: string): Promise<IdentitySnapshot | undefined> {
  const r: IdentityReader = { sso: scheduled(aws.ssoAdmin(region), s), ids: scheduled(aws.identityStore(region), s) };
  const instances = await listAll<{ InstanceArn?: string; IdentityStoreId?: string }>(r.sso, 'ListInstances', {}, 'Instances');
  const inst = instances.find((i) => i.InstanceArn && i.IdentityStoreId);
  if (!inst?.InstanceArn || !inst.IdentityStoreId) return undefined;
  const InstanceArn = inst.InstanceArn;
  const arns = await listAll<string>(r.sso, 'ListPermissionSets', { InstanceArn }, 'PermissionSets');
  const permissionSets = await Promise.all(arns.map((a) => readPermissionSet(r, InstanceArn, a)));
  const assignments = (await Promise.all(arns.map((a) => readAssignments(r, InstanceArn, a)))).flat();
  const store = await readStore(r, inst.IdentityStoreId);
  return {
    instanceArn: InstanceArn,
    identityStoreId: inst.IdentityStoreId,
    homeRegion: region,
    users: store.users,
    groups: store.groups,
    permissionSets: sortBy(permissionSets, (p) => p.name),
    assignments: sortBy(assignments, (a) => `${a.accountId} ${a.permissionSetArn} ${a.principalType} ${a.principalId}`),
  };
}
