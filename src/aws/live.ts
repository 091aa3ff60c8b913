/**
 * Reads what `apply` needs of the live organization: Organizations (all of it) and IAM of the accounts
 * the plan puts roles in. Resources are not read. Returns the live model plus the ids the executor needs.
 */
import type { ClientFactory } from './clients.js';
import type { Scheduler } from './scheduler.js';
import { collect, collectOrganization } from './collector.js';
import { snapshotToModel } from '../snapshot/load.js';
import type { Snapshot } from '../snapshot/format.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { OrganizationModel } from '../model/organization.js';
import { matchAccounts, type LiveFacts } from '../changes/diff.js';
import type { LiveIds } from './executor.js';

/** The live side of a diff. */
export interface LiveState {
  readonly snapshot: Snapshot;
  readonly model: OrganizationModel;
  readonly enabledPolicyTypes: readonly string[];
  readonly ids: LiveIds;
  readonly diagnostics: readonly Diagnostic[];
}

/** Reads the live state for a planned model. Throws when Organizations cannot be read. */
export async function readLiveState(
  aws: ClientFactory,
  s: Scheduler,
  planned: OrganizationModel,
  opts: { accessRoleName: string; now: () => Date },
): Promise<LiveState> {
  const organization = await collectOrganization(aws, s);
  const bare: Snapshot = {
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
  const first = snapshotToModel(bare);
  if (!first.ok) throw new Error(`live organization does not load: ${first.diagnostics.map((d) => d.message).join('; ')}`);
  const matched = matchAccounts(planned, first.value);
  const withRoles = new Set(planned.roles.map((r) => r.account));
  const need = new Set<string>();
  for (const name of withRoles) {
    const a = matched.get(name);
    if (a?.id && a.status === 'ACTIVE') need.add(a.id);
  }
  const snapshot = await collect(aws, s, { regions: [], resources: false, organization, onlyAccounts: need, accessRoleName: opts.accessRoleName, now: opts.now });
  const loaded = snapshotToModel(snapshot);
  if (!loaded.ok) throw new Error(`live organization does not load: ${loaded.diagnostics.map((d) => d.message).join('; ')}`);
  const model = loaded.value;
  const liveMatched = matchAccounts(planned, model);
  const ids: LiveIds = {
    rootId: organization.root.id,
    managementAccountId: organization.managementAccountId,
    ous: new Map(model.organizationalUnits.filter((o) => o.id).map((o) => [o.path, o.id ?? ''])),
    accounts: new Map([...liveMatched.entries()].filter(([, a]) => a.id).map(([n, a]) => [n, a.id ?? ''])),
    liveAccounts: new Map(model.accounts.filter((a) => a.id).map((a) => [a.name, a.id ?? ''])),
    policies: new Map(organization.policies.map((p) => [`${p.type}:${p.name}`, p.id])),
  };
  return { snapshot, model, enabledPolicyTypes: organization.root.policyTypes, ids, diagnostics: loaded.diagnostics };
}

/** Live facts for the diff. */
export function liveFacts(state: LiveState, closedInLast30Days: number): LiveFacts {
  return { enabledPolicyTypes: state.enabledPolicyTypes, closedInLast30Days };
}

/**
 * The live side when no organization exists yet: only the caller's account (as the planned management
 * account) and a root with FullAWSAccess, which AWS attaches when it creates an organization.
 */
export function emptyLiveModel(planned: OrganizationModel): OrganizationModel {
  const mgmt = planned.accounts.find((a) => a.name === planned.organization.managementAccount);
  return {
    ...planned,
    source: 'snapshot',
    organization: { ...planned.organization },
    organizationalUnits: [{ path: 'Root', tags: {} }],
    accounts: mgmt ? [{ ...mgmt, status: 'ACTIVE', tags: {} }] : [],
    roles: [],
    users: [],
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
