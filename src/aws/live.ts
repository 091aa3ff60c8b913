/**
 * Reads what `apply` needs of the live organization: Organizations (all of it), IAM of the accounts the plan puts
 * roles in (which includes every account a permission set is assigned to), and IAM Identity Center when the plan uses
 * it. Resources are not read. Returns the live model plus the ids the executor needs.
 */
import type { ClientFactory } from './clients.js';
import type { Scheduler } from './scheduler.js';
import { collect, collectOrganization } from './collector.js';
import { accountUnreadable, applyUnreachable, cannotReadLive, identityPartial, identityUnreadable } from './diagnostics.js';
import { describeError, errorName, isBug, NetworkError } from './errors.js';
import { snapshotToModel } from '../snapshot/load.js';
import type { Snapshot, SnapshotOrganization } from '../snapshot/format.js';
import { fail, ok, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import type { IdentityModel, OrganizationModel, PolicyDocument } from '../model/organization.js';
import type { IdentitySnapshot } from '../snapshot/format.js';
import { DEFAULT_REGION } from '../util/aws-defaults.js';
import { collectIdentity } from './collect-identity.js';
import { withGroupAssignments, type IdentityIds } from './apply-identity.js';
import { matchAccounts, type LiveFacts } from '../changes/diff.js';
import type { LiveIds } from './executor.js';

/** The live side of a diff. */
export interface LiveState {
  readonly snapshot: Snapshot;
  readonly model: OrganizationModel;
  readonly enabledPolicyTypes: readonly string[];
  readonly ids: LiveIds;
  /** Warnings from loading the snapshot into the model (e.g. BH6008 for accounts not collected). */
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * What reading the live side gave:
 * - `live`: the state to diff against;
 * - `no-organization`: the caller's account is in no organization yet (an expected answer: apply creates
 *   one); `diagnostics` is the BH6201 error for callers that cannot go on without one;
 * - `failed`: Organizations cannot be read (BH6201), or IAM of an account the plan puts roles in (BH6202).
 */
export type LiveRead =
  | { readonly kind: 'live'; readonly state: LiveState }
  | { readonly kind: 'no-organization'; readonly diagnostics: readonly Diagnostic[] }
  | { readonly kind: 'failed'; readonly diagnostics: readonly Diagnostic[] };

/** Options of `readLiveState`. */
export interface LiveReadOptions {
  readonly accessRoleName: string;
  readonly now: () => Date;
}

/** A snapshot of the Organizations part alone, to match planned accounts before deciding whose IAM to read. */
function organizationOnly(organization: SnapshotOrganization, opts: LiveReadOptions): Snapshot {
  return {
    manifest: {
      snapshotVersion: 1,
      tool: { name: 'bulkhead', version: '' },
      collectedAt: opts.now().toISOString(),
      organization: { id: organization.id, managementAccountId: organization.managementAccountId, rootId: organization.root.id, regions: [], accessRoleName: opts.accessRoleName },
      counts: { organizationalUnits: 0, accounts: 0, accountsCollected: 0, accountsFailed: 0, serviceControlPolicies: 0, resourceControlPolicies: 0, roles: 0, users: 0, resources: 0 },
      accountFiles: [],
      errors: [],
    },
    organization,
    accounts: [],
  };
}

/** Loads a snapshot into the model; when it does not load (e.g. a policy targets an id not listed), BH6201. */
function load(snapshot: Snapshot): Result<OrganizationModel> {
  const loaded = snapshotToModel(snapshot);
  if (loaded.ok) return loaded;
  return fail([cannotReadLive(`Error: live organization does not load: ${loaded.diagnostics.map((d) => d.message).join('; ')}`)]);
}

/** The ids of live accounts the plan has roles in (those whose IAM the diff needs). */
function accountsWithRoles(planned: OrganizationModel, live: OrganizationModel): Set<string> {
  const matched = matchAccounts(planned, live);
  const need = new Set<string>();
  for (const name of new Set(planned.roles.map((r) => r.account))) {
    const a = matched.get(name);
    if (a?.id && a.status === 'ACTIVE') need.add(a.id);
  }
  return need;
}

/**
 * Reads the live state for a planned model: Organizations, then IAM of the accounts the plan puts roles in.
 * An organization that does not exist yet and one that cannot be read are answers, not exceptions.
 */
export async function readLiveState(aws: ClientFactory, s: Scheduler, planned: OrganizationModel, opts: LiveReadOptions): Promise<LiveRead> {
  let organization: SnapshotOrganization;
  try {
    organization = await collectOrganization(aws, s);
  } catch (e) {
    // Whatever AWS answers that stops Organizations from being read is reported (credentials, endpoint, not the
    // management account); a bug surfaces.
    if (isBug(e)) throw e;
    if (e instanceof NetworkError) return { kind: 'failed', diagnostics: [applyUnreachable(e, aws.conn.endpoint)] };
    const diagnostics = [cannotReadLive(describeError(e))];
    return errorName(e) === 'AWSOrganizationsNotInUseException' ? { kind: 'no-organization', diagnostics } : { kind: 'failed', diagnostics };
  }
  const bare = load(organizationOnly(organization, opts));
  if (!bare.ok) return { kind: 'failed', diagnostics: bare.diagnostics };
  const need = accountsWithRoles(planned, bare.value);
  const identity = await readIdentityForApply(aws, s, planned);
  if (!identity.ok) return { kind: 'failed', diagnostics: identity.diagnostics };
  const collected = await collect(aws, s, { regions: [], resources: false, organization, onlyAccounts: need, accessRoleName: opts.accessRoleName, now: opts.now });
  const snapshot: Snapshot = identity.value ? { ...collected, organization: { ...collected.organization, identity: identity.value } } : collected;
  const loaded = load(snapshot);
  if (!loaded.ok) return { kind: 'failed', diagnostics: loaded.diagnostics };
  const unreadable = snapshot.manifest.errors.filter((e) => e.stage !== 'decode');
  if (unreadable.length > 0) return { kind: 'failed', diagnostics: unreadable.map((e) => accountUnreadable(e, opts.accessRoleName)) };
  const model = loaded.value;
  const diagnostics = [...loaded.diagnostics, ...identity.diagnostics];
  const liveMatched = matchAccounts(planned, model);
  const ids: LiveIds = {
    rootId: organization.root.id,
    managementAccountId: organization.managementAccountId,
    organizationId: organization.id,
    ous: new Map(model.organizationalUnits.filter((o) => o.id).map((o) => [o.path, o.id ?? ''])),
    accounts: new Map([...liveMatched.entries()].filter(([, a]) => a.id).map(([n, a]) => [n, a.id ?? ''])),
    liveAccounts: new Map(model.accounts.filter((a) => a.id).map((a) => [a.name, a.id ?? ''])),
    policies: new Map(organization.policies.map((p) => [`${p.type}:${p.name}`, p.id])),
    ...(model.identity?.instanceArn && model.identity.identityStoreId ? { identity: identityIds(model.identity) } : {}),
  };
  return { kind: 'live', state: { snapshot, model, enabledPolicyTypes: organization.root.policyTypes, ids, diagnostics } };
}

/**
 * IAM Identity Center for a plan that uses it (undefined otherwise): read in the plan's home region with the
 * collector's reader, plus the planned groups' assignments in every account (`withGroupAssignments`). No instance, or
 * an answer that stops the read, is BH6207; a part the endpoint does not serve (a permissions boundary) is BH6208.
 */
async function readIdentityForApply(aws: ClientFactory, s: Scheduler, planned: OrganizationModel): Promise<Result<IdentitySnapshot | undefined>> {
  const want = planned.identity;
  if (want?.provider !== 'identity-center') return ok(undefined);
  const region = want.homeRegion ?? aws.conn.region;
  let read: Awaited<ReturnType<typeof collectIdentity>>;
  try {
    read = await collectIdentity(aws, s, region);
  } catch (e) {
    if (isBug(e)) throw e;
    if (e instanceof NetworkError) return fail([applyUnreachable(e, aws.conn.endpoint)]);
    return fail([identityUnreadable(region, describeError(e))]);
  }
  if (!read) return fail([identityUnreadable(region, undefined)]);
  const identity = await withGroupAssignments(aws, s, read.identity, new Set(want.groups.map((g) => g.name)));
  return ok(identity, read.incomplete.map(identityPartial));
}

/** The executor's Identity Center ids, from the live model's identity (instance, groups, users, permission sets). */
function identityIds(identity: IdentityModel): IdentityIds {
  const named = (xs: readonly { name: string; id?: string; arn?: string }[]) =>
    new Map(xs.flatMap((x) => (x.id ?? x.arn ? [[x.name, x.id ?? x.arn ?? ''] as const] : [])));
  return {
    instanceArn: identity.instanceArn ?? '',
    identityStoreId: identity.identityStoreId ?? '',
    region: identity.homeRegion ?? DEFAULT_REGION,
    groups: named(identity.groups),
    users: named(identity.users),
    permissionSets: named(identity.permissionSets),
  };
}

/** Customer managed policies of the accounts read: live account name → policy name → document. */
function accountPolicies(snapshot: Snapshot): Map<string, Map<string, PolicyDocument>> {
  return new Map(
    snapshot.accounts.map((a) => [
      a.accountName,
      new Map(a.iam.managedPolicies.filter((p) => !/^arn:aws[a-z-]*:iam::aws:policy\//.test(p.arn)).map((p) => [p.name, p.document as PolicyDocument])),
    ]),
  );
}

/** Live facts for the diff. */
export function liveFacts(state: LiveState, closedInLast30Days: number): LiveFacts {
  return { enabledPolicyTypes: state.enabledPolicyTypes, closedInLast30Days, accountPolicies: accountPolicies(state.snapshot) };
}

/**
 * The live side when no organization exists yet: only the caller's account (as the planned management
 * account) and a root with FullAWSAccess, which AWS attaches when it creates an organization.
 */
export function emptyLiveModel(planned: OrganizationModel): OrganizationModel {
  const mgmt = planned.accounts.find((a) => a.name === planned.organization.managementAccount);
  // No organization yet, so no id: `{{organization:id}}` stays unresolved (a difference) until it exists.
  const { id: _plannedId, ...organization } = planned.organization;
  return {
    ...planned,
    source: 'snapshot',
    organization,
    organizationalUnits: [{ path: 'Root', tags: {} }],
    accounts: mgmt ? [{ ...mgmt, status: 'ACTIVE', tags: {} }] : [],
    roles: [],
    users: [],
    // No organization, so no Identity Center instance yet: the plan's identity is all to be made.
    identity: undefined,
    serviceControlPolicies: [
      {
        name: 'FullAWSAccess',
        managedBy: 'aws',
        document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
        targets: [{ ou: 'Root' }],
      },
    ],
    resourceControlPolicies: [],
    resources: [],
  };
}
