/**
 * Writes a (synthetic) organization model in the `bulkhead collect` snapshot format, so the same directory
 * loader that reads live collections reads synthetic ones too.
 */
import type { Account, OrganizationModel } from '../model/organization.js';
import { ROOT_PATH } from '../model/organization.js';
import { SNAPSHOT_VERSION, accountFile, type AccountSnapshot, type IdentitySnapshot, type Snapshot } from '../snapshot/format.js';
import { DEFAULT_REGION } from '../util/aws-defaults.js';
import { compareStrings } from '../util/order.js';
import { VERSION } from '../version.js';

/** One account's file: its roles, the managed policies they use, and its resources. */
function accountSnapshot(model: OrganizationModel, a: Account): AccountSnapshot {
  const managed = new Map<string, { arn: string; name: string; path: string; document: typeof model.roles[number]['trustPolicy'] }>();
  const managedArn = (name: string) => `arn:aws:iam::${a.id}:policy/${name}`;
  const roles = model.roles
    .filter((r) => r.account === a.name)
    .map((r) => {
      for (const p of r.policies.filter((x) => x.kind === 'managed')) {
        const arn = p.arn ?? managedArn(p.name);
        managed.set(arn, { arn, name: p.name, path: '/', document: p.document });
      }
      return {
        name: r.name,
        path: r.path,
        arn: r.arn ?? `arn:aws:iam::${a.id}:role${r.path}${r.name}`,
        ...(r.description ? { description: r.description } : {}),
        trustPolicy: r.trustPolicy,
        inlinePolicies: r.policies.filter((p) => p.kind === 'inline').map((p) => ({ name: p.name, document: p.document })),
        managedPolicyArns: r.policies.filter((p) => p.kind === 'managed').map((p) => p.arn ?? managedArn(p.name)),
        tags: r.tags,
      };
    });
  return {
    accountId: a.id!,
    accountName: a.name,
    iam: { roles, users: [], groups: [], managedPolicies: [...managed.values()] },
    resources: model.resources
      .filter((r) => r.account === a.name)
      .map((r) => ({ arn: r.arn, type: r.type, region: r.region ?? model.organization.regions[0] ?? DEFAULT_REGION, ...(r.policy !== undefined ? { policy: r.policy } : {}), tags: r.tags })),
  };
}

/**
 * The model's identity section as `bulkhead collect` writes it, with synthetic ids (`u-…`, `g-…`, permission set ARNs
 * under a synthetic instance). Only group assignments with a permission set are written (the collected form of an
 * Identity Center model); the inline policy is the set's `inline` policy, managed policies by ARN.
 */
function identitySnapshot(model: OrganizationModel, idOf: ReadonlyMap<string, string>): IdentitySnapshot | undefined {
  const id = model.identity;
  if (!id || id.provider !== 'identity-center') return undefined;
  const instance = id.instanceArn ?? 'arn:aws:sso:::instance/ssoins-synth00000000000';
  const instanceId = instance.slice(instance.lastIndexOf('/') + 1);
  // by name, the first of each name as `find` would (ids given in the model win over synthetic ones)
  const byName = <T extends { name: string }>(xs: readonly T[]) => new Map([...xs].reverse().map((x) => [x.name, x]));
  const sets = byName(id.permissionSets);
  const users = byName(id.users);
  const groups = byName(id.groups);
  const psArn = (name: string) => sets.get(name)?.arn ?? `arn:aws:sso:::permissionSet/${instanceId}/ps-${name}`;
  const userId = (name: string) => users.get(name)?.id ?? `u-${name}`;
  const groupId = (name: string) => groups.get(name)?.id ?? `g-${name}`;
  return {
    instanceArn: instance,
    identityStoreId: id.identityStoreId ?? 'd-synth00000',
    homeRegion: id.homeRegion ?? DEFAULT_REGION,
    users: id.users.map((u) => ({ id: userId(u.name), name: u.name })),
    groups: id.groups.map((g) => ({ id: groupId(g.name), name: g.name, ...(g.description ? { description: g.description } : {}), memberIds: g.members.map(userId).sort(compareStrings) })),
    permissionSets: id.permissionSets.map((p) => ({
      arn: psArn(p.name),
      name: p.name,
      ...(p.description ? { description: p.description } : {}),
      sessionDuration: p.sessionDuration,
      ...(p.policies.some((x) => x.kind === 'inline') ? { inlinePolicy: p.policies.find((x) => x.kind === 'inline')!.document } : {}),
      managedPolicyArns: p.policies.flatMap((x) => (x.kind === 'managed' && x.arn ? [x.arn] : [])),
      customerManagedPolicies: p.policies.flatMap((x) => (x.kind === 'managed' && !x.arn ? [{ name: x.name, path: '/' }] : [])),
    })),
    assignments: id.assignments.flatMap((a) =>
      a.permissionSet !== undefined ? [{ accountId: idOf.get(a.account) ?? '', permissionSetArn: psArn(a.permissionSet), principalType: 'GROUP' as const, principalId: groupId(a.group) }] : [],
    ),
  };
}

/** Converts a model whose accounts all have ids into a Snapshot (with its Identity Center section, if any). */
export function synthSnapshot(model: OrganizationModel, collectedAt: Date): Snapshot {
  const idOf = new Map(model.accounts.map((a) => [a.name, a.id ?? '']));
  const mgmtId = idOf.get(model.organization.managementAccount) ?? '';
  const rootId = 'r-synt';
  const ouId = new Map<string, string>([[ROOT_PATH, rootId]]);
  model.organizationalUnits
    .filter((o) => o.path !== ROOT_PATH)
    .forEach((o, i) => ouId.set(o.path, `ou-synt-${i.toString(16).padStart(8, '0')}`));
  const parentOf = (path: string) => ouId.get(path.slice(0, path.lastIndexOf('/'))) ?? rootId;
  const target = (t: { ou: string } | { account: string }) => ('ou' in t ? (ouId.get(t.ou) ?? rootId) : (idOf.get(t.account) ?? ''));
  const policies = [
    ...model.serviceControlPolicies.map((p) => ({ p, type: 'SERVICE_CONTROL_POLICY' as const })),
    ...model.resourceControlPolicies.map((p) => ({ p, type: 'RESOURCE_CONTROL_POLICY' as const })),
  ].map(({ p, type }, i) => ({
    id: p.managedBy === 'aws' ? `p-${p.name}` : `p-synt${i.toString(16).padStart(4, '0')}`,
    name: p.name,
    type,
    awsManaged: p.managedBy === 'aws',
    ...(p.description ? { description: p.description } : {}),
    document: p.document,
    targets: p.targets.map(target),
  }));
  // every account has a file, the management account too, as `bulkhead collect` writes them (one missing is an incomplete snapshot)
  const accounts: AccountSnapshot[] = model.accounts.map((a) => accountSnapshot(model, a));
  const orgId = model.organization.id ?? 'o-synth0000';
  const identity = identitySnapshot(model, idOf);
  return {
    manifest: {
      snapshotVersion: SNAPSHOT_VERSION,
      tool: { name: 'bulkhead', version: VERSION },
      collectedAt: collectedAt.toISOString(),
      organization: { id: orgId, managementAccountId: mgmtId, rootId, regions: [...model.organization.regions], accessRoleName: model.organization.accessRoleName },
      counts: {
        organizationalUnits: model.organizationalUnits.filter((o) => o.path !== ROOT_PATH).length,
        accounts: model.accounts.length,
        accountsCollected: accounts.length,
        accountsFailed: 0,
        serviceControlPolicies: model.serviceControlPolicies.length,
        resourceControlPolicies: model.resourceControlPolicies.length,
        roles: model.roles.length,
        users: model.users.length,
        resources: model.resources.length,
      },
      accountFiles: accounts.map((a) => accountFile(a.accountId)).sort(compareStrings),
      errors: [],
    },
    organization: {
      id: orgId,
      managementAccountId: mgmtId,
      root: { id: rootId, name: 'Root', policyTypes: ['SERVICE_CONTROL_POLICY'], tags: {} },
      organizationalUnits: model.organizationalUnits
        .filter((o) => o.path !== ROOT_PATH)
        .map((o) => ({ id: ouId.get(o.path)!, name: o.path.slice(o.path.lastIndexOf('/') + 1), parentId: parentOf(o.path), tags: o.tags })),
      accounts: model.accounts.map((a) => ({ id: a.id!, name: a.name, email: a.email, status: a.status ?? 'ACTIVE', parentId: ouId.get(a.ouPath) ?? rootId, tags: a.tags })),
      policies,
      ...(identity ? { identity } : {}),
    },
    accounts,
  };
}
