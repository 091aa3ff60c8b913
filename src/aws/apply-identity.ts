/**
 * apply's IAM Identity Center steps (AWS edge): groups and memberships in the identity store, permission sets with
 * their policies, account assignments; and the live read of assignments by group that apply adds to the collector's.
 *
 * Every step is idempotent against live state: "already exists" (`ConflictException`) and "not there"
 * (`ResourceNotFoundException`) answers count as success, and an entity found so is looked up by name.
 * (IAM Identity Center API Reference, Common errors and each action's Errors section:
 * https://docs.aws.amazon.com/singlesignon/latest/APIReference/welcome.html; Identity Store API Reference:
 * https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/welcome.html)
 */
import {
  AttachCustomerManagedPolicyReferenceToPermissionSetCommand,
  AttachManagedPolicyToPermissionSetCommand,
  CreateAccountAssignmentCommand,
  CreatePermissionSetCommand,
  DeleteAccountAssignmentCommand,
  DeleteInlinePolicyFromPermissionSetCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  DescribePermissionSetCommand,
  DetachCustomerManagedPolicyReferenceFromPermissionSetCommand,
  DetachManagedPolicyFromPermissionSetCommand,
  paginateListAccountAssignmentsForPrincipal,
  paginateListPermissionSets,
  ProvisionPermissionSetCommand,
  PutInlinePolicyToPermissionSetCommand,
  UpdatePermissionSetCommand,
  type AccountAssignmentOperationStatus,
  type SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { CreateGroupCommand, CreateGroupMembershipCommand, CreateUserCommand, GetGroupIdCommand, GetUserIdCommand, type IdentitystoreClient } from '@aws-sdk/client-identitystore';
import type { IdentityChange, PermissionSetPolicies } from '../changes/changes.js';
import type { PolicyDocument } from '../model/organization.js';
import type { IdentitySnapshot } from '../snapshot/format.js';
import { sortBy } from '../util/order.js';
import type { ClientFactory } from './clients.js';
import { tolerate } from './errors.js';
import { allPages, scheduled, type Scheduler } from './scheduler.js';

/** The IAM actions apply's Identity Center steps call (for the documentation of apply's permissions). */
export const IDENTITY_APPLY_ACTIONS = [
  'identitystore:CreateGroup',
  'identitystore:CreateGroupMembership',
  'identitystore:CreateUser',
  'identitystore:GetGroupId',
  'identitystore:GetUserId',
  'sso:AttachCustomerManagedPolicyReferenceToPermissionSet',
  'sso:AttachManagedPolicyToPermissionSet',
  'sso:CreateAccountAssignment',
  'sso:CreatePermissionSet',
  'sso:DeleteAccountAssignment',
  'sso:DeleteInlinePolicyFromPermissionSet',
  'sso:DescribeAccountAssignmentCreationStatus',
  'sso:DescribeAccountAssignmentDeletionStatus',
  'sso:DetachCustomerManagedPolicyReferenceFromPermissionSet',
  'sso:DetachManagedPolicyFromPermissionSet',
  'sso:ListAccountAssignmentsForPrincipal',
  'sso:ProvisionPermissionSet',
  'sso:PutInlinePolicyToPermissionSet',
  'sso:UpdatePermissionSet',
] as const;

/** The live Identity Center ids the steps need; the maps grow as things are created. */
export interface IdentityIds {
  readonly instanceArn: string;
  readonly identityStoreId: string;
  readonly region: string;
  /** Group display name → group id. */
  readonly groups: Map<string, string>;
  /** User name → user id. */
  readonly users: Map<string, string>;
  /** Permission set name → ARN. */
  readonly permissionSets: Map<string, string>;
}

/** What the steps need from the executor. */
export interface IdentityStepContext {
  readonly aws: ClientFactory;
  readonly s: Scheduler;
  readonly ids: IdentityIds;
  /** The live id of a planned account (throws a step error when it has none yet). */
  readonly accountId: (name: string) => string;
  readonly resolve: (doc: PolicyDocument) => PolicyDocument;
  readonly sleep: (ms: number) => Promise<void>;
  readonly pollIntervalMs: number;
  readonly timeoutMs: number;
  /** Makes a step error (not a bug) with this message. */
  readonly stepError: (message: string) => Error;
}

/** Customer managed policy references name a policy at this path (the planner and emit use `/`). */
const REF_PATH = '/';


function sso(ctx: IdentityStepContext): SSOAdminClient {
  return ctx.aws.ssoAdmin(ctx.ids.region);
}

function store(ctx: IdentityStepContext): IdentitystoreClient {
  return ctx.aws.identityStore(ctx.ids.region);
}

/** The group's id: known, or asked by display name (GetGroupId). */
async function groupId(ctx: IdentityStepContext, name: string): Promise<string> {
  const known = ctx.ids.groups.get(name);
  if (known) return known;
  const r = await ctx.s.read(() =>
    store(ctx).send(new GetGroupIdCommand({ IdentityStoreId: ctx.ids.identityStoreId, AlternateIdentifier: { UniqueAttribute: { AttributePath: 'displayName', AttributeValue: name } } })),
  );
  if (!r.GroupId) throw ctx.stepError(`group \`${name}\` is not in the identity store`);
  ctx.ids.groups.set(name, r.GroupId);
  return r.GroupId;
}

/** The user's id: known, or asked by user name (GetUserId). */
async function userId(ctx: IdentityStepContext, name: string): Promise<string> {
  const known = ctx.ids.users.get(name);
  if (known) return known;
  const r = await ctx.s.read(() =>
    store(ctx).send(new GetUserIdCommand({ IdentityStoreId: ctx.ids.identityStoreId, AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: name } } })),
  );
  if (!r.UserId) throw ctx.stepError(`user \`${name}\` is not in the identity store`);
  ctx.ids.users.set(name, r.UserId);
  return r.UserId;
}

/**
 * Creates a user by user name. The spec knows people by name only, so the name is also the display name and the given
 * and family name, which Identity Center requires ("When used in IAM Identity Center, this parameter is required",
 * CreateUser, Identity Store API Reference: https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_CreateUser.html);
 * no e-mail is set, so the person's details and e-mail are completed in Identity Center (or by the identity provider).
 */
async function createUser(ctx: IdentityStepContext, c: Extract<IdentityChange, { kind: 'create-user' }>): Promise<void> {
  const r = await tolerate(
    () =>
      ctx.s.write(() =>
        store(ctx).send(new CreateUserCommand({ IdentityStoreId: ctx.ids.identityStoreId, UserName: c.name, DisplayName: c.name, Name: { GivenName: c.name, FamilyName: c.name } })),
      ),
    ['ConflictException'],
  );
  if (r?.UserId) ctx.ids.users.set(c.name, r.UserId);
  else await userId(ctx, c.name);
}

async function createGroup(ctx: IdentityStepContext, c: Extract<IdentityChange, { kind: 'create-group' }>): Promise<void> {
  const r = await tolerate(
    () => ctx.s.write(() => store(ctx).send(new CreateGroupCommand({ IdentityStoreId: ctx.ids.identityStoreId, DisplayName: c.name, ...(c.description ? { Description: c.description } : {}) }))),
    ['ConflictException'],
  );
  if (r?.GroupId) ctx.ids.groups.set(c.name, r.GroupId);
  else await groupId(ctx, c.name);
}

async function addMember(ctx: IdentityStepContext, c: Extract<IdentityChange, { kind: 'add-group-member' }>): Promise<void> {
  const GroupId = await groupId(ctx, c.group);
  const UserId = await userId(ctx, c.user);
  await tolerate(() => ctx.s.write(() => store(ctx).send(new CreateGroupMembershipCommand({ IdentityStoreId: ctx.ids.identityStoreId, GroupId, MemberId: { UserId } }))), ['ConflictException']);
}

/** The ARN of the permission set `name`: known, or found by listing and describing the instance's sets. */
async function permissionSetArn(ctx: IdentityStepContext, name: string): Promise<string> {
  const known = ctx.ids.permissionSets.get(name);
  if (known) return known;
  const client = scheduled(sso(ctx), ctx.s);
  const InstanceArn = ctx.ids.instanceArn;
  for (const page of await allPages(paginateListPermissionSets({ client }, { InstanceArn }))) {
    for (const PermissionSetArn of page.PermissionSets ?? []) {
      const d = await client.send(new DescribePermissionSetCommand({ InstanceArn, PermissionSetArn }));
      if (d.PermissionSet?.Name) ctx.ids.permissionSets.set(d.PermissionSet.Name, PermissionSetArn);
    }
  }
  const arn = ctx.ids.permissionSets.get(name);
  if (!arn) throw ctx.stepError(`permission set \`${name}\` was neither created nor found`);
  return arn;
}

/** Attaches AWS managed policies and customer managed policy references (already attached is fine). */
async function attachPolicies(ctx: IdentityStepContext, PermissionSetArn: string, managedArns: readonly string[], customer: readonly string[]): Promise<void> {
  const InstanceArn = ctx.ids.instanceArn;
  for (const ManagedPolicyArn of managedArns) {
    await tolerate(() => ctx.s.write(() => sso(ctx).send(new AttachManagedPolicyToPermissionSetCommand({ InstanceArn, PermissionSetArn, ManagedPolicyArn }))), ['ConflictException']);
  }
  for (const Name of customer) {
    await tolerate(
      () => ctx.s.write(() => sso(ctx).send(new AttachCustomerManagedPolicyReferenceToPermissionSetCommand({ InstanceArn, PermissionSetArn, CustomerManagedPolicyReference: { Name, Path: REF_PATH } }))),
      ['ConflictException'],
    );
  }
}

async function putInline(ctx: IdentityStepContext, PermissionSetArn: string, doc: PolicyDocument): Promise<void> {
  const InlinePolicy = JSON.stringify(ctx.resolve(doc));
  await ctx.s.write(() => sso(ctx).send(new PutInlinePolicyToPermissionSetCommand({ InstanceArn: ctx.ids.instanceArn, PermissionSetArn, InlinePolicy })));
}

async function createPermissionSet(ctx: IdentityStepContext, c: Extract<IdentityChange, { kind: 'create-permission-set' }>): Promise<void> {
  const Tags = Object.entries(c.tags).map(([Key, Value]) => ({ Key, Value }));
  const r = await tolerate(
    () =>
      ctx.s.write(() =>
        sso(ctx).send(
          new CreatePermissionSetCommand({
            InstanceArn: ctx.ids.instanceArn,
            Name: c.name,
            SessionDuration: c.sessionDuration,
            ...(c.description ? { Description: c.description } : {}),
            ...(Tags.length ? { Tags } : {}),
          }),
        ),
      ),
    ['ConflictException'],
  );
  const created = r?.PermissionSet?.PermissionSetArn;
  if (created) ctx.ids.permissionSets.set(c.name, created);
  const arn = created ?? (await permissionSetArn(ctx, c.name));
  if (!created) {
    // Created by a run that was killed before it finished: bring description and duration up to date.
    await ctx.s.write(() => sso(ctx).send(new UpdatePermissionSetCommand({ InstanceArn: ctx.ids.instanceArn, PermissionSetArn: arn, SessionDuration: c.sessionDuration, ...(c.description ? { Description: c.description } : {}) })));
  }
  await setPolicies(ctx, arn, c.policies);
}

async function setPolicies(ctx: IdentityStepContext, arn: string, p: PermissionSetPolicies): Promise<void> {
  if (p.inline) await putInline(ctx, arn, p.inline);
  await attachPolicies(ctx, arn, p.managedArns, p.customerManaged);
}

/**
 * Updates a permission set, then provisions it to the accounts it is provisioned to: AWS applies a changed permission
 * set to its accounts only on ProvisionPermissionSet (ProvisionPermissionSet, IAM Identity Center API Reference:
 * https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_ProvisionPermissionSet.html).
 */
async function updatePermissionSet(ctx: IdentityStepContext, c: Extract<IdentityChange, { kind: 'update-permission-set' }>): Promise<void> {
  const InstanceArn = ctx.ids.instanceArn;
  const PermissionSetArn = await permissionSetArn(ctx, c.name);
  const u = c.update;
  if (u.description !== undefined || u.sessionDuration !== undefined) {
    // Both planned values are sent: an endpoint may clear what a partial update leaves out (moto drops the description).
    const { description, sessionDuration } = u.planned;
    await ctx.s.write(() =>
      sso(ctx).send(new UpdatePermissionSetCommand({ InstanceArn, PermissionSetArn, SessionDuration: sessionDuration, ...(description !== undefined ? { Description: description } : {}) })),
    );
  }
  if (u.inline) await putInline(ctx, PermissionSetArn, u.inline);
  if (u.deleteInline) await tolerate(() => ctx.s.write(() => sso(ctx).send(new DeleteInlinePolicyFromPermissionSetCommand({ InstanceArn, PermissionSetArn }))), ['ResourceNotFoundException']);
  await attachPolicies(ctx, PermissionSetArn, u.attachManaged, u.attachCustomer);
  for (const ManagedPolicyArn of u.detachManaged) {
    await tolerate(() => ctx.s.write(() => sso(ctx).send(new DetachManagedPolicyFromPermissionSetCommand({ InstanceArn, PermissionSetArn, ManagedPolicyArn }))), ['ResourceNotFoundException']);
  }
  for (const Name of u.detachCustomer) {
    await tolerate(
      () => ctx.s.write(() => sso(ctx).send(new DetachCustomerManagedPolicyReferenceFromPermissionSetCommand({ InstanceArn, PermissionSetArn, CustomerManagedPolicyReference: { Name, Path: REF_PATH } }))),
      ['ResourceNotFoundException'],
    );
  }
  await ctx.s.write(() => sso(ctx).send(new ProvisionPermissionSetCommand({ InstanceArn, PermissionSetArn, TargetType: 'ALL_PROVISIONED_ACCOUNTS' })));
}

/**
 * Waits for an assignment request: CreateAccountAssignment and DeleteAccountAssignment are asynchronous and answer a
 * status with a request id to poll (CreateAccountAssignment, IAM Identity Center API Reference:
 * https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_CreateAccountAssignment.html). A status without a
 * `Status` (an emulator's answer) is taken as done: the next run's diff reads the assignments again.
 */
async function waitAssignment(ctx: IdentityStepContext, first: AccountAssignmentOperationStatus | undefined, describe: (id: string) => Promise<AccountAssignmentOperationStatus | undefined>, what: string): Promise<void> {
  const deadline = Date.now() + ctx.timeoutMs;
  let st = first;
  for (;;) {
    if (st?.Status === 'FAILED') throw ctx.stepError(`AWS could not ${what}: ${st.FailureReason ?? 'unknown reason'}`);
    if (st?.Status !== 'IN_PROGRESS') return;
    if (Date.now() > deadline) throw ctx.stepError(`${what} is still in progress (request ${st.RequestId ?? '?'}); run apply again later`);
    await ctx.sleep(ctx.pollIntervalMs);
    const id = st.RequestId;
    if (!id) throw ctx.stepError(`${what}: AWS gave no request id to follow`);
    st = await describe(id);
  }
}

async function assignment(ctx: IdentityStepContext, c: Extract<IdentityChange, { kind: 'create-assignment' | 'delete-assignment' }>): Promise<void> {
  const q = {
    InstanceArn: ctx.ids.instanceArn,
    TargetId: ctx.accountId(c.account),
    TargetType: 'AWS_ACCOUNT' as const,
    PermissionSetArn: await permissionSetArn(ctx, c.permissionSet),
    PrincipalType: 'GROUP' as const,
    PrincipalId: await groupId(ctx, c.group),
  };
  const InstanceArn = ctx.ids.instanceArn;
  if (c.kind === 'create-assignment') {
    const r = await tolerate(() => ctx.s.write(() => sso(ctx).send(new CreateAccountAssignmentCommand(q))), ['ConflictException']);
    await waitAssignment(ctx, r?.AccountAssignmentCreationStatus, async (id) => (await ctx.s.read(() => sso(ctx).send(new DescribeAccountAssignmentCreationStatusCommand({ InstanceArn, AccountAssignmentCreationRequestId: id })))).AccountAssignmentCreationStatus, `assign \`${c.permissionSet}\` to group \`${c.group}\` in \`${c.account}\``);
    return;
  }
  const r = await tolerate(() => ctx.s.write(() => sso(ctx).send(new DeleteAccountAssignmentCommand(q))), ['ResourceNotFoundException']);
  await waitAssignment(ctx, r?.AccountAssignmentDeletionStatus, async (id) => (await ctx.s.read(() => sso(ctx).send(new DescribeAccountAssignmentDeletionStatusCommand({ InstanceArn, AccountAssignmentDeletionRequestId: id })))).AccountAssignmentDeletionStatus, `remove \`${c.permissionSet}\` from group \`${c.group}\` in \`${c.account}\``);
}

/** Carries out one Identity Center change (not `put-account-policy`, which is IAM in the account: the executor's). */
export async function runIdentityChange(ctx: IdentityStepContext, c: IdentityChange): Promise<void> {
  switch (c.kind) {
    case 'create-user':
      return createUser(ctx, c);
    case 'create-group':
      return createGroup(ctx, c);
    case 'add-group-member':
      return addMember(ctx, c);
    case 'create-permission-set':
      return createPermissionSet(ctx, c);
    case 'update-permission-set':
      return updatePermissionSet(ctx, c);
    case 'create-assignment':
    case 'delete-assignment':
      return assignment(ctx, c);
    case 'put-account-policy':
      throw new Error('bug: put-account-policy is an IAM step of the executor');
  }
}

/**
 * The assignments of the given groups in every account, read per group with ListAccountAssignmentsForPrincipal
 * (IAM Identity Center API Reference: https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_ListAccountAssignmentsForPrincipal.html),
 * merged into the collected ones. The collector finds assignments through ListAccountsForProvisionedPermissionSet,
 * which moto answers with the caller's account only; asking per group is as exact on AWS and sees every account.
 */
export async function withGroupAssignments(aws: ClientFactory, s: Scheduler, identity: IdentitySnapshot, groupNames: ReadonlySet<string>): Promise<IdentitySnapshot> {
  const client = scheduled(aws.ssoAdmin(identity.homeRegion), s);
  const rows = [...identity.assignments];
  const seen = new Set(rows.map((a) => `${a.accountId} ${a.permissionSetArn} ${a.principalType} ${a.principalId}`));
  for (const g of identity.groups.filter((x) => groupNames.has(x.name))) {
    const pages = await allPages(paginateListAccountAssignmentsForPrincipal({ client }, { InstanceArn: identity.instanceArn, PrincipalId: g.id, PrincipalType: 'GROUP' }));
    for (const a of pages.flatMap((p) => p.AccountAssignments ?? [])) {
      if (!a.AccountId || !a.PermissionSetArn) continue;
      const k = `${a.AccountId} ${a.PermissionSetArn} GROUP ${g.id}`;
      if (seen.has(k)) continue;
      seen.add(k);
      rows.push({ accountId: a.AccountId, permissionSetArn: a.PermissionSetArn, principalType: 'GROUP', principalId: g.id });
    }
  }
  return { ...identity, assignments: sortBy(rows, (a) => `${a.accountId} ${a.permissionSetArn} ${a.principalType} ${a.principalId}`) };
}
