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
import { compareStrings } from '../util/order.js';
import type { ProposedGrant } from './dependencies.js';
import { workloadRole, type Workloads } from './workloads.js';
import { pushTo } from '../util/multimap.js';

/** The projected organization and the ARN renames it made. */
export interface Projection {
  readonly model: OrganizationModel;
  /** Old ARN → new ARN, for resources and roles whose ARN names the account. */
  readonly renamed: ReadonlyMap<string, string>;
  /** Target accounts the snapshot does not have yet (created by the migration), sorted. */
  readonly newAccounts: readonly string[];
  /** Legacy resources and roles that share one ARN after the move (only the first is in `model`), sorted. */
  readonly collisions: readonly NameCollision[];
  /** Copies of shared roles created in the projection. */
  readonly copiedRoles: number;
}

/** The ARN with its account field replaced (ARNs without an account field, like S3's, are kept). */
export function rehomeArn(arn: string, accountId: string): string {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || (parts[4] ?? '') === '') return arn;
  parts[4] = accountId;
  return parts.join(':');
}

/** Old ARN → new ARN (a map, or a map per account for roles copied into several accounts). */
type Lookup = Pick<ReadonlyMap<string, string>, 'get'>;

/** A JSON value with every string that is (or starts with `ARN/`) a renamed ARN replaced. */
function renameIn(value: JsonValue, renamed: Lookup): JsonValue {
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

/** A policy document (or an empty one when it is none) and a copy of its statements, to append to. */
function policyStatements(policy: PolicyDocument | undefined): { base: { readonly [key: string]: JsonValue }; statements: JsonValue[] } {
  const base = policy !== null && typeof policy === 'object' && !Array.isArray(policy) ? policy : { Version: '2012-10-17', Statement: [] };
  const existing = base['Statement'];
  return { base, statements: Array.isArray(existing) ? [...existing] : existing !== undefined ? [existing] : [] };
}

/** The resource policy with the proposed grants appended as statements. */
function withGrants(policy: PolicyDocument | undefined, arn: string, grants: readonly ProposedGrant[]): PolicyDocument {
  const { base, statements } = policyStatements(policy);
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

/** A trust policy with the proposed `sts:AssumeRole` grants appended. */
function withTrust(policy: PolicyDocument, grants: readonly ProposedGrant[]): PolicyDocument {
  const { base, statements } = policyStatements(policy);
  grants.forEach((g, i) => statements.push({ Sid: `BulkheadMigrateTrust${i + 1}`, Effect: 'Allow', Principal: { AWS: g.principal }, Action: 'sts:AssumeRole' }));
  return { ...base, Statement: statements };
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
  return { accounts, ids, created: created.sort(compareStrings) };
}

/** Where the roles of the workloads go: one account (the role moves), or several (one copy each). */
export interface RoleDestinations {
  /** Role ARN → its one new account, when every workload it runs moves there. */
  readonly moves: ReadonlyMap<string, string>;
  /**
   * Role ARN → the accounts that get a copy (sorted), when its workloads go to several accounts: each copy is a new
   * role (same name, path, trust and policies) in that account; the legacy role stays when a workload stays with it.
   */
  readonly copies: ReadonlyMap<string, readonly string[]>;
  /** Whether the legacy role stays (a workload it runs is not moved), per copied role. */
  readonly staysToo: ReadonlySet<string>;
  /** The copied roles, sorted (the plan's `sharedRoles`). */
  readonly shared: readonly string[];
}

/** Role ARN → its destinations, from the workloads it runs (a function's execution role, or the role itself). */
export function roleDestinations(workloads: Workloads, placement: ReadonlyMap<string, string>): RoleDestinations {
  const dest = new Map<string, Set<string>>();
  const stays = new Set<string>();
  for (const w of workloads.workloads) {
    const role = workloadRole(w);
    if (role === undefined) continue;
    const to = placement.get(w.resource.arn);
    if (to === undefined || to === w.resource.account) stays.add(role);
    else dest.set(role, (dest.get(role) ?? new Set()).add(to));
  }
  const moves = new Map<string, string>();
  const copies = new Map<string, readonly string[]>();
  const staysToo = new Set<string>();
  for (const [role, set] of dest) {
    if (set.size === 1 && !stays.has(role)) moves.set(role, [...set][0]!);
    else {
      copies.set(role, [...set].sort(compareStrings));
      if (stays.has(role)) staysToo.add(role);
    }
  }
  return { moves, copies, staysToo, shared: [...copies.keys()].sort(compareStrings) };
}

/** Legacy resources (or roles) that land on one ARN in one account after the move: one must be renamed first. */
export interface NameCollision {
  readonly kind: 'resource' | 'role';
  /** The target account. */
  readonly account: string;
  /** The ARN they would share. */
  readonly arn: string;
  /** The legacy ARNs (the first {@link COLLISION_LIST}, sorted) and how many there are in all. */
  readonly legacy: readonly string[];
  readonly count: number;
}

/** How many legacy ARNs a collision lists. */
export const COLLISION_LIST = 5;

/** Groups placed entries by new ARN (one pass): the collisions (ARNs held twice, at least once by a move). */
function collisionsOf(kind: NameCollision['kind'], placed: readonly Placement[]): NameCollision[] {
  const byArn = new Map<string, Placement[]>();
  for (const p of placed) if (p.arn !== undefined) pushTo(byArn, p.arn, p);
  const out: NameCollision[] = [];
  for (const [arn, list] of byArn) {
    if (list.length < 2 || !list.some((p) => p.moved)) continue;
    const legacy = [...new Set(list.map((p) => p.from))].sort(compareStrings);
    out.push({ kind, account: list[0]!.account, arn, legacy: legacy.slice(0, COLLISION_LIST), count: list.length });
  }
  return out;
}

/** The ARN renames of the moves: moved resources and roles by the id of their new account. */
function renamesOf(ids: ReadonlyMap<string, string>, placement: ReadonlyMap<string, string>, roles: RoleDestinations): Map<string, string> {
  const renamed = new Map<string, string>();
  for (const [arn, account] of [...placement, ...roles.moves]) {
    const next = rehomeArn(arn, ids.get(account)!);
    if (next !== arn) renamed.set(arn, next);
  }
  return renamed;
}

interface ProjectionContext {
  readonly snapshot: OrganizationModel;
  readonly placement: ReadonlyMap<string, string>;
  readonly roles: RoleDestinations;
  readonly ids: ReadonlyMap<string, string>;
  readonly renamed: ReadonlyMap<string, string>;
  /** Account → (legacy role ARN → its copy's ARN there), for copied roles. */
  readonly copyArns: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

function projectionContext(snapshot: OrganizationModel, placement: ReadonlyMap<string, string>, roles: RoleDestinations, ids: ReadonlyMap<string, string>): ProjectionContext {
  const copyArns = new Map<string, Map<string, string>>();
  for (const [role, accounts] of roles.copies) {
    for (const a of accounts) copyArns.set(a, (copyArns.get(a) ?? new Map<string, string>()).set(role, rehomeArn(role, ids.get(a)!)));
  }
  return { snapshot, placement, roles, ids, renamed: renamesOf(ids, placement, roles), copyArns };
}

/** The rename lookup for policies in an account: its copies of shared roles first, then the moves. */
function lookupFor(ctx: ProjectionContext, account: string): Lookup {
  const copies = ctx.copyArns.get(account);
  return copies === undefined ? ctx.renamed : { get: (k: string) => copies.get(k) ?? ctx.renamed.get(k) };
}

/** Where one legacy role (or resource) lands in the projection: its account, its ARN there, and whether it moved. */
interface Placement {
  readonly account: string;
  /** The ARN in `account` (undefined for a role without one: it stays). */
  readonly arn: string | undefined;
  /** The legacy ARN (or `account/name` for a role without one). */
  readonly from: string;
  readonly moved: boolean;
}

/**
 * Where a legacy role goes (the one source of truth for the projection and {@link nameCollisions}): moved into its
 * one new account, copied into each account its workloads go to (kept too when a workload stays with it), or kept.
 */
function rolePlacements(ctx: ProjectionContext, r: Role): Placement[] {
  const arn = r.arn;
  if (arn === undefined) return [{ account: r.account, arn: undefined, from: `${r.account}/${r.name}`, moved: false }];
  const out: Placement[] = [];
  const to = ctx.roles.moves.get(arn);
  const copies = ctx.roles.copies.get(arn);
  if (to !== undefined) out.push({ account: to, arn: ctx.renamed.get(arn) ?? arn, from: arn, moved: true });
  else if (copies === undefined || ctx.roles.staysToo.has(arn)) out.push({ account: r.account, arn, from: arn, moved: false });
  for (const a of copies ?? []) out.push({ account: a, arn: ctx.copyArns.get(a)!.get(arn)!, from: arn, moved: true });
  return out;
}

/** Where a legacy resource goes: its placement's account (else its own), at its renamed ARN. */
function resourcePlacement(ctx: ProjectionContext, r: Pick<Resource, 'arn' | 'account'>): Placement & { readonly arn: string } {
  const account = ctx.placement.get(r.arn) ?? r.account;
  return { account, arn: ctx.renamed.get(r.arn) ?? r.arn, from: r.arn, moved: account !== r.account };
}

/** The projected roles: moved ones in their new account, shared ones copied into each of theirs (with where from). */
function projectRoles(ctx: ProjectionContext, grants: readonly ProposedGrant[]): { role: Role; from: string; moved: boolean }[] {
  const out: { role: Role; from: string; moved: boolean }[] = [];
  const rename = (r: Role, lookup: Lookup): Role =>
    ctx.renamed.size === 0 && ctx.copyArns.size === 0 ? r : { ...r, trustPolicy: renameIn(r.trustPolicy, lookup), policies: r.policies.map((p) => ({ ...p, document: renameIn(p.document, lookup) })) };
  const trust = new Map<string, ProposedGrant[]>();
  for (const g of grants) {
    if (g.actions.length !== 1 || g.actions[0] !== 'sts:AssumeRole') continue;
    // a caller that is a copied role is named by its copy in the caller's account
    const copy = g.principalAccount !== undefined ? ctx.copyArns.get(g.principalAccount)?.get(g.principal) : undefined;
    pushTo(trust, g.resource, copy !== undefined ? { ...g, principal: copy } : g);
  }
  for (const r0 of ctx.snapshot.roles) {
    const mine = r0.arn !== undefined ? trust.get(r0.arn) : undefined;
    const r = mine === undefined ? r0 : { ...r0, trustPolicy: withTrust(r0.trustPolicy, mine) };
    for (const p of rolePlacements(ctx, r)) {
      const placed: Role = p.arn === undefined ? { ...r, account: p.account } : { ...r, account: p.account, arn: p.arn };
      out.push({ role: rename(placed, lookupFor(ctx, p.account)), from: p.from, moved: p.moved });
    }
  }
  return out;
}

/** The projected resources (moved ones at their new ARN, grants added), with where each comes from. */
function projectResources(ctx: ProjectionContext, grants: readonly ProposedGrant[]): { resource: Resource; from: string; moved: boolean }[] {
  const byResource = new Map<string, ProposedGrant[]>();
  for (const g of grants) {
    if (!g.principal.startsWith('arn:') && !g.principal.endsWith('.amazonaws.com')) continue;
    if (g.actions.length === 1 && g.actions[0] === 'sts:AssumeRole') continue; // a trust-policy grant (projectRoles)
    // a grant to a copied role names the copy in the caller's account
    const copy = g.principalAccount !== undefined ? ctx.copyArns.get(g.principalAccount)?.get(g.principal) : undefined;
    pushTo(byResource, g.resource, copy !== undefined ? { ...g, principal: copy } : g);
  }
  return withInventoryResources(ctx.snapshot).map((r) => {
    const mine = byResource.get(r.arn);
    const policy = mine ? withGrants(r.policy, r.arn, mine) : r.policy;
    const p = resourcePlacement(ctx, r);
    const moved: Resource = { ...r, account: p.account, arn: p.arn };
    return { resource: policy !== undefined ? { ...moved, policy: renameIn(policy, lookupFor(ctx, p.account)) } : moved, from: r.arn, moved: p.moved };
  });
}

/**
 * The collisions of a migration without building the projection (linear in resources and roles): legacy resources
 * and roles that would share one ARN in their target account.
 */
export function nameCollisions(snapshot: OrganizationModel, target: OrganizationModel, placement: ReadonlyMap<string, string>, roles: RoleDestinations): NameCollision[] {
  const ctx = projectionContext(snapshot, placement, roles, projectAccounts(snapshot, target).ids);
  const resources = withInventoryResources(snapshot).map((r) => resourcePlacement(ctx, r));
  const rolesPlaced = snapshot.roles.flatMap((r) => rolePlacements(ctx, r));
  return sortCollisions([...collisionsOf('resource', resources), ...collisionsOf('role', rolesPlaced)]);
}

const sortCollisions = (cs: NameCollision[]): NameCollision[] => cs.sort((a, b) => compareStrings(a.account, b.account) || compareStrings(a.arn, b.arn) || compareStrings(a.kind, b.kind));

/** One entry per ARN: a collision keeps its first legacy resource (by ARN) in the projection, so verify counts it once. */
function firstPerArn<T>(entries: readonly { value: T; arn: string; from: string }[]): T[] {
  const keep = new Map<string, { value: T; from: string }>();
  for (const e of entries) {
    const had = keep.get(e.arn);
    if (had === undefined || compareStrings(e.from, had.from) < 0) keep.set(e.arn, { value: e.value, from: e.from });
  }
  const order = new Set(entries.map((e) => e.arn));
  return [...order].map((arn) => keep.get(arn)!.value);
}

/**
 * The organization after the migration: `placement` gives each moved resource ARN its new account; `roles` where
 * the roles go (moved, or copied into each account their workloads go to); `grants` are added to the resources'
 * policies (by the resource's old ARN). Legacy resources or roles that would share one ARN are listed in
 * `collisions`, and only the first of them (by legacy ARN) is kept.
 */
export function projectOrganization(
  snapshot: OrganizationModel,
  target: OrganizationModel,
  placement: ReadonlyMap<string, string>,
  roleDest: RoleDestinations,
  grants: readonly ProposedGrant[],
): Projection {
  const { accounts, ids, created } = projectAccounts(snapshot, target);
  const ctx = projectionContext(snapshot, placement, roleDest, ids);
  const placedResources = projectResources(ctx, grants);
  const placedRoles = projectRoles(ctx, grants);
  const collisions = sortCollisions([
    ...collisionsOf('resource', placedResources.map((p) => ({ from: p.from, arn: p.resource.arn, account: p.resource.account, moved: p.moved }))),
    ...collisionsOf('role', placedRoles.map((p) => ({ from: p.from, arn: p.role.arn, account: p.role.account, moved: p.moved }))),
  ]);
  const resources = firstPerArn(placedResources.map((p) => ({ value: p.resource, arn: p.resource.arn, from: p.from })));
  const roles = firstPerArn(placedRoles.map((p) => ({ value: p.role, arn: p.role.arn ?? `${p.role.account}/${p.role.name}`, from: p.from })));
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
  return { model, renamed: ctx.renamed, newAccounts: created, collisions, copiedRoles: placedRoles.filter((p) => p.moved && roleDest.copies.has(p.from)).length };
}
