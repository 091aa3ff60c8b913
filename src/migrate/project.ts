/**
 * Prove it: the organization after the migration. Every moving group's resources sit in their target account (new
 * ARNs where the ARN names the account), the execution roles of moved functions follow them, the target design's
 * accounts that do not exist yet are added (with deterministic synthetic ids), and the proposed grants are added to
 * the resources' policies. `verify` then checks that the target's boundaries hold and that no non-production
 * principal keeps production access.
 */
import type { Account, JsonValue, OrganizationModel, PolicyDocument, Resource, Role } from '../model/organization.js';
import { syntheticAccountId } from '../verify/attribution.js';
import { withInventoryResources } from './coupling.js';
import type { ProposedGrant } from './dependencies.js';

/** The projected organization and the ARN renames it made. */
export interface Projection {
  readonly model: OrganizationModel;
  /** Old ARN → new ARN, for resources and roles whose ARN names the account. */
  readonly renamed: ReadonlyMap<string, string>;
  /** Target accounts the snapshot does not have yet (created by the migration), sorted. */
  readonly newAccounts: readonly string[];
}

/** The ARN with its account field replaced (ARNs without an account field, like S3's, are kept). */
export function rehomeArn(arn: string, accountId: string): string {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || (parts[4] ?? '') === '') return arn;
  parts[4] = accountId;
  return parts.join(':');
}

/** A JSON value with every string that is (or starts with `ARN/`) a renamed ARN replaced. */
function renameIn(value: JsonValue, renamed: ReadonlyMap<string, string>): JsonValue {
  if (typeof value === 'string') {
    const exact = renamed.get(value);
    if (exact !== undefined) return exact;
    const slash = value.indexOf('/');
    if (slash > 0) for (const cut of [value.lastIndexOf('/'), slash]) {
      const hit = renamed.get(value.slice(0, cut));
      if (hit !== undefined) return hit + value.slice(cut);
    }
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => renameIn(v, renamed));
  if (value !== null && typeof value === 'object') {
    const out: { [k: string]: JsonValue } = {};
    for (const [k, v] of Object.entries(value)) out[k] = renameIn(v, renamed);
    return out;
  }
  return value;
}

/** The resource policy with the proposed grants appended as statements. */
function withGrants(policy: PolicyDocument | undefined, arn: string, grants: readonly ProposedGrant[]): PolicyDocument {
  const base = policy !== null && typeof policy === 'object' && !Array.isArray(policy) ? policy : { Version: '2012-10-17', Statement: [] };
  const existing = base['Statement'];
  const statements: JsonValue[] = Array.isArray(existing) ? [...existing] : existing !== undefined ? [existing] : [];
  grants.forEach((g, i) => {
    const service = !g.principal.startsWith('arn:');
    statements.push({
      Sid: `BulkheadMigrate${i + 1}`,
      Effect: 'Allow',
      Principal: service ? { Service: g.principal } : { AWS: g.principal },
      Action: [...g.actions],
      Resource: arn.startsWith('arn:aws:s3:::') ? [arn, `${arn}/*`] : arn,
      ...(g.sourceArn !== undefined ? { Condition: { ArnEquals: { 'aws:SourceArn': g.sourceArn } } } : {}),
    });
  });
  return { ...base, Version: (base['Version'] as JsonValue | undefined) ?? '2012-10-17', Statement: statements };
}

/** Accounts of the projection: the snapshot's, plus the target's missing ones; ids for every account. */
function projectAccounts(snapshot: OrganizationModel, target: OrganizationModel): { accounts: Account[]; ids: Map<string, string>; created: string[] } {
  const have = new Set(snapshot.accounts.map((a) => a.name));
  const taken = new Set(snapshot.accounts.map((a) => a.id).filter((x): x is string => x !== undefined));
  const ids = new Map<string, string>();
  const accounts: Account[] = [];
  for (const a of snapshot.accounts) {
    const id = a.id ?? syntheticAccountId(a.name, taken);
    taken.add(id);
    ids.set(a.name, id);
    accounts.push({ ...a, id });
  }
  const created: string[] = [];
  for (const a of target.accounts) {
    if (have.has(a.name)) continue;
    const id = syntheticAccountId(a.name, taken);
    taken.add(id);
    ids.set(a.name, id);
    created.push(a.name);
    accounts.push({ ...a, id });
  }
  return { accounts, ids, created: created.sort() };
}

/**
 * The organization after the migration: `placement` gives each moved resource ARN its new account; `roleMoves` each
 * moved role ARN its new account; `grants` are added to the resources' policies (by the resource's old ARN).
 */
export function projectOrganization(
  snapshot: OrganizationModel,
  target: OrganizationModel,
  placement: ReadonlyMap<string, string>,
  roleMoves: ReadonlyMap<string, string>,
  grants: readonly ProposedGrant[],
): Projection {
  const { accounts, ids, created } = projectAccounts(snapshot, target);
  const renamed = new Map<string, string>();
  for (const [arn, account] of [...placement, ...roleMoves]) {
    const next = rehomeArn(arn, ids.get(account)!);
    if (next !== arn) renamed.set(arn, next);
  }
  const byResource = new Map<string, ProposedGrant[]>();
  for (const g of grants) if (g.principal.startsWith('arn:') || g.principal.endsWith('.amazonaws.com')) byResource.set(g.resource, [...(byResource.get(g.resource) ?? []), g]);
  const resources: Resource[] = withInventoryResources(snapshot).map((r) => {
    const mine = byResource.get(r.arn);
    const policy = mine ? withGrants(r.policy, r.arn, mine) : r.policy;
    const moved: Resource = { ...r, account: placement.get(r.arn) ?? r.account, arn: renamed.get(r.arn) ?? r.arn };
    return policy !== undefined ? { ...moved, policy: renameIn(policy, renamed) } : moved;
  });
  const roles: Role[] = snapshot.roles.map((r) => {
    const to = r.arn !== undefined ? roleMoves.get(r.arn) : undefined;
    const base: Role = to !== undefined ? { ...r, account: to, arn: renamed.get(r.arn!) ?? r.arn! } : r;
    return renamed.size === 0 ? base : { ...base, trustPolicy: renameIn(base.trustPolicy, renamed), policies: base.policies.map((p) => ({ ...p, document: renameIn(p.document, renamed) })) };
  });
  const ous = new Map(snapshot.organizationalUnits.map((o) => [o.path, o]));
  for (const o of target.organizationalUnits) if (!ous.has(o.path)) ous.set(o.path, o);
  const { inventory, ...rest } = snapshot;
  void inventory; // the projection is verified, not migrated again
  const newOus = [...ous.keys()].filter((p) => !snapshot.organizationalUnits.some((o) => o.path === p));
  // AWS managed policies attached everywhere (FullAWSAccess) reach the new accounts and OUs too
  const everywhere = (p: OrganizationModel['serviceControlPolicies'][number]) =>
    p.managedBy === 'aws' ? { ...p, targets: [...p.targets, ...newOus.map((ou) => ({ ou })), ...created.map((account) => ({ account }))] } : p;
  const model: OrganizationModel = {
    ...rest,
    accounts,
    serviceControlPolicies: snapshot.serviceControlPolicies.map(everywhere),
    resourceControlPolicies: snapshot.resourceControlPolicies.map(everywhere),
    organizationalUnits: [...ous.values()],
    roles,
    resources,
    phases: target.phases,
    businessUnits: target.businessUnits,
    boundaries: target.boundaries,
    auditScopes: target.auditScopes,
  };
  return { model, renamed, newAccounts: created };
}
