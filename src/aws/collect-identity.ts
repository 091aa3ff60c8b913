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
import {
  DescribePermissionSetCommand,
  GetInlinePolicyForPermissionSetCommand,
  GetPermissionsBoundaryForPermissionSetCommand,
  paginateListAccountAssignments,
  paginateListAccountAssignmentsForPrincipal,
  paginateListAccountsForProvisionedPermissionSet,
  paginateListCustomerManagedPolicyReferencesInPermissionSet,
  paginateListInstances,
  paginateListManagedPoliciesInPermissionSet,
  paginateListPermissionSets,
  type PermissionsBoundary,
  type SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { paginateListGroupMemberships, paginateListGroups, paginateListUsers, type IdentitystoreClient } from '@aws-sdk/client-identitystore';
import type { JsonValue } from '../model/organization.js';
import type { IdentitySnapshot } from '../snapshot/format.js';
import { decodePolicyDocument } from '../snapshot/decode.js';
import { compareStrings, sortBy } from '../util/order.js';
import type { ClientFactory } from './clients.js';
import { describeError, errorName } from './errors.js';
import { allPages, scheduled, type Scheduler } from './scheduler.js';

/** The IAM actions behind every call this module makes (the collector policy grants exactly these). */
export const IDENTITY_READ_ACTIONS = [
  'identitystore:ListGroupMemberships',
  'identitystore:ListGroups',
  'identitystore:ListUsers',
  'sso:DescribePermissionSet',
  'sso:GetInlinePolicyForPermissionSet',
  'sso:GetPermissionsBoundaryForPermissionSet',
  'sso:ListAccountAssignments',
  'sso:ListAccountAssignmentsForPrincipal',
  'sso:ListAccountsForProvisionedPermissionSet',
  'sso:ListCustomerManagedPolicyReferencesInPermissionSet',
  'sso:ListInstances',
  'sso:ListManagedPoliciesInPermissionSet',
  'sso:ListPermissionSets',
] as const;

/** Errors that mean "the caller may not read Identity Center": recorded in the manifest, never dropped. */
export const IDENTITY_DENIED_ERRORS: ReadonlySet<string> = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation']);

/** The scheduled sso-admin and identitystore clients, and the partial-read notes the collector records. */
interface IdentityReader {
  readonly sso: SSOAdminClient;
  readonly ids: IdentitystoreClient;
  /** A part that could not be read although the rest could (the caller records each in the manifest). */
  readonly incomplete: string[];
}

/** What `collectIdentity` read, and what it could not (each one manifest error of stage `identity`). */
export interface IdentityRead {
  readonly identity: IdentitySnapshot;
  readonly incomplete: readonly string[];
}

type PolicyRef = { name: string; path: string };
type PermissionSetRow = IdentitySnapshot['permissionSets'][number];

/** A document as the snapshot stores it: decoded JSON, or the raw text when it is not JSON. */
function documentOf(raw: string): JsonValue {
  const d = decodePolicyDocument(raw);
  return d.ok ? d.value : raw;
}

/**
 * An answer that is not the service's protocol at all: the endpoint does not implement the operation. moto answers
 * GetPermissionsBoundaryForPermissionSet with an HTML page, which the SDK's JSON deserializer rejects with a
 * SyntaxError that its deserializer middleware marks with the raw `$response`; an endpoint may also name it
 * `UnknownOperationException`. A real AWS endpoint implements every operation this module calls, so this is an
 * emulator's gap: reported, never dropped.
 */
function isUnimplemented(e: unknown): boolean {
  if (errorName(e) === 'UnknownOperationException') return true;
  return e instanceof SyntaxError && '$response' in e;
}

function boundaryRow(b: PermissionsBoundary | undefined): PermissionSetRow['permissionBoundary'] {
  if (!b) return undefined;
  const cm = b.CustomerManagedPolicyReference;
  return {
    ...(b.ManagedPolicyArn ? { managedPolicyArn: b.ManagedPolicyArn } : {}),
    ...(cm?.Name ? { customerManagedPolicy: { name: cm.Name, path: cm.Path ?? '/' } } : {}),
  };
}

/**
 * The permissions boundary, or undefined when the set has none (`ResourceNotFoundException`)
 * (GetPermissionsBoundaryForPermissionSet, IAM Identity Center API Reference:
 * https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_GetPermissionsBoundaryForPermissionSet.html). An endpoint that does
 * not implement the operation is noted in `r.incomplete` (never taken silently as "no boundary").
 */
async function readBoundary(r: IdentityReader, InstanceArn: string, PermissionSetArn: string, name: string): Promise<PermissionSetRow['permissionBoundary']> {
  try {
    const out = await r.sso.send(new GetPermissionsBoundaryForPermissionSetCommand({ InstanceArn, PermissionSetArn }));
    return boundaryRow(out.PermissionsBoundary);
  } catch (e) {
    if (errorName(e) === 'ResourceNotFoundException') return undefined;
    if (!isUnimplemented(e)) throw e;
    r.incomplete.push(`permissions boundary of permission set \`${name}\` not read (GetPermissionsBoundaryForPermissionSet: ${describeError(e)}); the permission set may have a boundary the snapshot does not show`);
    return undefined;
  }
}

/**
 * The session duration as the ISO-8601 text AWS answers; one hour when absent (PermissionSet, IAM Identity Center API
 * Reference: https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_PermissionSet.html). moto answers a
 * number of seconds (its default 3600) where AWS answers text: that is kept as the same duration, `PT{n}S`.
 */
function sessionDurationOf(raw: unknown): string {
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' && Number.isFinite(raw)) return `PT${raw}S`;
  return 'PT1H';
}

async function readPermissionSet(r: IdentityReader, InstanceArn: string, PermissionSetArn: string): Promise<PermissionSetRow> {
  const q = { InstanceArn, PermissionSetArn };
  const d = (await r.sso.send(new DescribePermissionSetCommand(q))).PermissionSet ?? {};
  const inline = (await r.sso.send(new GetInlinePolicyForPermissionSetCommand(q))).InlinePolicy;
  const managed = (await allPages(paginateListManagedPoliciesInPermissionSet({ client: r.sso }, q))).flatMap((p) => p.AttachedManagedPolicies ?? []);
  const customer = (await allPages(paginateListCustomerManagedPolicyReferencesInPermissionSet({ client: r.sso }, q))).flatMap((p) => p.CustomerManagedPolicyReferences ?? []);
  const name = d.Name ?? PermissionSetArn;
  const boundary = await readBoundary(r, InstanceArn, PermissionSetArn, name);
  const refs: PolicyRef[] = customer.flatMap((c) => (c.Name ? [{ name: c.Name, path: c.Path ?? '/' }] : []));
  return {
    arn: PermissionSetArn,
    name,
    ...(d.Description ? { description: d.Description } : {}),
    sessionDuration: sessionDurationOf(d.SessionDuration),
    ...(typeof inline === 'string' && inline !== '' ? { inlinePolicy: documentOf(inline) } : {}),
    managedPolicyArns: managed.flatMap((m) => (m.Arn ? [m.Arn] : [])).sort(compareStrings),
    customerManagedPolicies: sortBy(refs, (p) => `${p.path}${p.name}`),
    ...(boundary ? { permissionBoundary: boundary } : {}),
  };
}

/** The assignments of one permission set in every account it is provisioned to. */
async function readAssignments(r: IdentityReader, InstanceArn: string, PermissionSetArn: string): Promise<IdentitySnapshot['assignments']> {
  const accounts = (await allPages(paginateListAccountsForProvisionedPermissionSet({ client: r.sso }, { InstanceArn, PermissionSetArn }))).flatMap((p) => p.AccountIds ?? []);
  const per = await Promise.all(
    accounts.map(async (AccountId) =>
      (await allPages(paginateListAccountAssignments({ client: r.sso }, { InstanceArn, AccountId, PermissionSetArn }))).flatMap((p) => p.AccountAssignments ?? []),
    ),
  );
  return per.flat().flatMap((a) =>
    a.PrincipalId && (a.PrincipalType === 'GROUP' || a.PrincipalType === 'USER')
      ? [{ accountId: a.AccountId ?? '', permissionSetArn: PermissionSetArn, principalType: a.PrincipalType, principalId: a.PrincipalId }]
      : [],
  );
}

type AssignmentRow = IdentitySnapshot['assignments'][number];

function assignmentKey(a: AssignmentRow): string {
  return `${a.accountId} ${a.permissionSetArn} ${a.principalType} ${a.principalId}`;
}

/**
 * The assignments of every group and user, read per principal with ListAccountAssignmentsForPrincipal (IAM Identity
 * Center API Reference: https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_ListAccountAssignmentsForPrincipal.html),
 * which lists a principal's assignments in every account of the organization. ListAccountsForProvisionedPermissionSet
 * is complete on AWS but moto answers it with the caller's account only; asking per principal is as exact on AWS and
 * sees member accounts on moto too. Both reads are merged (deduplicated) by the caller.
 */
async function readPrincipalAssignments(r: IdentityReader, InstanceArn: string, store: Pick<IdentitySnapshot, 'groups' | 'users'>): Promise<AssignmentRow[]> {
  const principals = [
    ...store.groups.map((g) => ({ id: g.id, type: 'GROUP' as const })),
    ...store.users.map((u) => ({ id: u.id, type: 'USER' as const })),
  ];
  const per = await Promise.all(
    principals.map(async (p) => {
      const pages = await allPages(paginateListAccountAssignmentsForPrincipal({ client: r.sso }, { InstanceArn, PrincipalId: p.id, PrincipalType: p.type }));
      return pages
        .flatMap((x) => x.AccountAssignments ?? [])
        .flatMap((a) => (a.AccountId && a.PermissionSetArn ? [{ accountId: a.AccountId, permissionSetArn: a.PermissionSetArn, principalType: p.type, principalId: p.id }] : []));
    }),
  );
  return per.flat();
}

/** The union of both reads, each assignment once, sorted. */
function mergeAssignments(...lists: readonly (readonly AssignmentRow[])[]): AssignmentRow[] {
  const byKey = new Map<string, AssignmentRow>();
  for (const list of lists) for (const a of list) if (!byKey.has(assignmentKey(a))) byKey.set(assignmentKey(a), a);
  return sortBy([...byKey.values()], assignmentKey);
}

/** Groups with member ids, and users by name only. */
async function readStore(r: IdentityReader, IdentityStoreId: string): Promise<Pick<IdentitySnapshot, 'groups' | 'users'>> {
  const users = (await allPages(paginateListUsers({ client: r.ids }, { IdentityStoreId }))).flatMap((p) => p.Users ?? []);
  const groups = (await allPages(paginateListGroups({ client: r.ids }, { IdentityStoreId }))).flatMap((p) => p.Groups ?? []);
  const withMembers = await Promise.all(
    groups.flatMap((g) => (g.GroupId ? [{ ...g, GroupId: g.GroupId }] : [])).map(async (g) => {
      const ms = (await allPages(paginateListGroupMemberships({ client: r.ids }, { IdentityStoreId, GroupId: g.GroupId }))).flatMap((p) => p.GroupMemberships ?? []);
      return {
        id: g.GroupId,
        name: g.DisplayName ?? g.GroupId,
        ...(g.Description ? { description: g.Description } : {}),
        memberIds: ms.flatMap((m) => (m.MemberId && 'UserId' in m.MemberId && m.MemberId.UserId ? [m.MemberId.UserId] : [])).sort(compareStrings),
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
 * answered otherwise (the caller records an access denial in the manifest); a part an endpoint does not implement is
 * returned in `incomplete`, for the caller to record as well.
 */
export async function collectIdentity(aws: ClientFactory, s: Scheduler, region: string): Promise<IdentityRead | undefined> {
  const r: IdentityReader = { sso: scheduled(aws.ssoAdmin(region), s), ids: scheduled(aws.identityStore(region), s), incomplete: [] };
  const instances = (await allPages(paginateListInstances({ client: r.sso }, {}))).flatMap((p) => p.Instances ?? []);
  const inst = instances.find((i) => i.InstanceArn && i.IdentityStoreId);
  if (!inst?.InstanceArn || !inst.IdentityStoreId) return undefined;
  const InstanceArn = inst.InstanceArn;
  const arns = (await allPages(paginateListPermissionSets({ client: r.sso }, { InstanceArn }))).flatMap((p) => p.PermissionSets ?? []);
  const permissionSets = await Promise.all(arns.map((a) => readPermissionSet(r, InstanceArn, a)));
  const assignments = (await Promise.all(arns.map((a) => readAssignments(r, InstanceArn, a)))).flat();
  const store = await readStore(r, inst.IdentityStoreId);
  const perPrincipal = await readPrincipalAssignments(r, InstanceArn, store);
  const identity: IdentitySnapshot = {
    instanceArn: InstanceArn,
    identityStoreId: inst.IdentityStoreId,
    homeRegion: region,
    users: store.users,
    groups: store.groups,
    permissionSets: sortBy(permissionSets, (p) => p.name),
    assignments: mergeAssignments(assignments, perPrincipal),
  };
  return { identity, incomplete: [...r.incomplete].sort(compareStrings) };
}
