/**
 * Pure diff of IAM Identity Center: planned `model.identity` × live `model.identity` → the changes that make Identity
 * Center hold what the plan designs, in execution order: customer managed policies the permission sets reference (in
 * every account a set is assigned to), groups, memberships, permission sets (created, or updated: description,
 * session duration, inline policy, managed policy attachments), assignments to create, then assignments to delete.
 *
 * Matching: groups, users and permission sets by name; assignments by group, account and permission set. Like roles,
 * nothing the plan does not describe is deleted: a live permission set, group or member the plan does not have stays;
 * an assignment is deleted only when its group and its permission set are planned and its account is a planned one
 * (the plan describes who gets that set there). A planned member that is not a user of the identity store is created
 * there by user name (the spec knows people by name only).
 */
import type { AccountAssignment, IdentityModel, PermissionSet, PolicyDocument } from '../model/organization.js';
import { compareStrings, sortBy } from '../util/order.js';
import type { Change, PermissionSetPolicies, PermissionSetUpdate } from './changes.js';

/** What the identity diff needs of the organization diff. */
export interface IdentityDiffInput {
  readonly planned: IdentityModel;
  /** Undefined when the live side has no Identity Center instance. */
  readonly live: IdentityModel | undefined;
  /** Planned account name → live account name (matched accounts only). */
  readonly liveAccountName: (plannedAccount: string) => string | undefined;
  /** Live account name → planned account name. */
  readonly plannedAccountName: (liveAccount: string) => string | undefined;
  /** Customer managed policies present in a live account: (live account name, policy name) → document. */
  readonly accountPolicy: (liveAccount: string, policyName: string) => PolicyDocument | undefined;
  readonly resolve: (doc: PolicyDocument) => PolicyDocument;
  readonly sameDoc: (a: PolicyDocument | undefined, b: PolicyDocument | undefined) => boolean;
}

/** What the identity diff gives: changes in execution order. */
export interface IdentityDiff {
  readonly changes: Change[];
}

/** A permission set's policies split the way Identity Center stores them (a managed policy with an ARN is AWS's). */
export function permissionSetPolicies(ps: Pick<PermissionSet, 'policies'>, resolve: (d: PolicyDocument) => PolicyDocument): PermissionSetPolicies {
  const inline = ps.policies.find((p) => p.kind === 'inline');
  const managed = ps.policies.filter((p) => p.kind === 'managed');
  return {
    ...(inline ? { inline: resolve(inline.document) } : {}),
    managedArns: managed.flatMap((p) => (p.arn !== undefined ? [p.arn] : [])).sort(compareStrings),
    customerManaged: managed.flatMap((p) => (p.arn === undefined ? [p.name] : [])).sort(compareStrings),
  };
}

function minus(a: readonly string[], b: readonly string[]): string[] {
  const have = new Set(b);
  return a.filter((x) => !have.has(x));
}

function permissionSetUpdate(inp: IdentityDiffInput, want: PermissionSet, have: PermissionSet): PermissionSetUpdate | undefined {
  const w = permissionSetPolicies(want, inp.resolve);
  const h = permissionSetPolicies(have, (d) => d);
  const inlineChanged = w.inline !== undefined && !inp.sameDoc(w.inline, h.inline);
  const deleteInline = w.inline === undefined && h.inline !== undefined;
  const u: PermissionSetUpdate = {
    ...(want.description !== undefined && want.description !== have.description ? { description: want.description } : {}),
    ...(want.sessionDuration !== have.sessionDuration ? { sessionDuration: want.sessionDuration } : {}),
    planned: { ...(want.description !== undefined ? { description: want.description } : {}), sessionDuration: want.sessionDuration },
    ...(inlineChanged && w.inline ? { inline: w.inline } : {}),
    deleteInline,
    attachManaged: minus(w.managedArns, h.managedArns),
    detachManaged: minus(h.managedArns, w.managedArns),
    attachCustomer: minus(w.customerManaged, h.customerManaged),
    detachCustomer: minus(h.customerManaged, w.customerManaged),
  };
  const lists = u.attachManaged.length + u.detachManaged.length + u.attachCustomer.length + u.detachCustomer.length;
  return u.description === undefined && u.sessionDuration === undefined && u.inline === undefined && !deleteInline && lists === 0 ? undefined : u;
}

/** Customer managed policies each assigned account needs (one per referenced name), missing or with another document. */
function accountPolicies(inp: IdentityDiffInput, out: IdentityDiff): void {
  const sets = new Map(inp.planned.permissionSets.map((p) => [p.name, p]));
  const seen = new Set<string>();
  for (const a of sortBy(inp.planned.assignments, (x) => `${x.account}\u0000${x.permissionSet ?? ''}`)) {
    const set = a.permissionSet === undefined ? undefined : sets.get(a.permissionSet);
    if (!set) continue;
    for (const p of set.policies) {
      if (p.kind !== 'managed' || p.arn !== undefined || seen.has(`${a.account}\u0000${p.name}`)) continue;
      seen.add(`${a.account}\u0000${p.name}`);
      const doc = inp.resolve(p.document);
      const liveAccount = inp.liveAccountName(a.account);
      const have = liveAccount === undefined ? undefined : inp.accountPolicy(liveAccount, p.name);
      if (have !== undefined && inp.sameDoc(have, doc)) continue;
      out.changes.push({ kind: 'put-account-policy', key: `put-account-policy:${a.account}:${p.name}`, account: a.account, name: p.name, document: doc, exists: have !== undefined });
    }
  }
}

/** Users to create, groups to create and members to add. */
function groupsAndMembers(inp: IdentityDiffInput, out: IdentityDiff): void {
  const liveGroups = new Map((inp.live?.groups ?? []).map((g) => [g.name, g]));
  const liveUsers = new Set((inp.live?.users ?? []).map((u) => u.name));
  for (const u of sortBy(inp.planned.users, (x) => x.name)) {
    if (!liveUsers.has(u.name)) out.changes.push({ kind: 'create-user', key: `create-user:${u.name}`, name: u.name });
  }
  for (const g of sortBy(inp.planned.groups, (x) => x.name)) {
    const l = liveGroups.get(g.name);
    if (!l) out.changes.push({ kind: 'create-group', key: `create-group:${g.name}`, name: g.name, ...(g.description !== undefined ? { description: g.description } : {}) });
    const members = new Set(l?.members ?? []);
    for (const m of [...g.members].sort(compareStrings)) {
      if (members.has(m)) continue;
      out.changes.push({ kind: 'add-group-member', key: `add-group-member:${g.name}:${m}`, group: g.name, user: m });
    }
  }
}

/** Permission sets to create or update. */
function permissionSets(inp: IdentityDiffInput, out: IdentityDiff): void {
  const live = new Map((inp.live?.permissionSets ?? []).map((p) => [p.name, p]));
  for (const p of sortBy(inp.planned.permissionSets, (x) => x.name)) {
    const l = live.get(p.name);
    if (!l) {
      out.changes.push({
        kind: 'create-permission-set',
        key: `create-permission-set:${p.name}`,
        name: p.name,
        ...(p.description !== undefined ? { description: p.description } : {}),
        sessionDuration: p.sessionDuration,
        policies: permissionSetPolicies(p, inp.resolve),
        tags: p.tags,
      });
      continue;
    }
    const u = permissionSetUpdate(inp, p, l);
    if (u) out.changes.push({ kind: 'update-permission-set', key: `update-permission-set:${p.name}`, name: p.name, update: u });
  }
}

const assignmentLabel = (group: string, account: string, set: string) => `${set}:${group}:${account}`;

/** Assignments to create, then the live ones the plan describes but does not want. */
function assignments(inp: IdentityDiffInput, out: IdentityDiff): void {
  const liveKeys = new Set(
    (inp.live?.assignments ?? []).flatMap((a) => {
      const pa = inp.plannedAccountName(a.account);
      return pa !== undefined && a.permissionSet !== undefined ? [assignmentLabel(a.group, pa, a.permissionSet)] : [];
    }),
  );
  const planned = inp.planned.assignments.filter((a): a is AccountAssignment & { permissionSet: string } => a.permissionSet !== undefined);
  const wantKeys = new Set(planned.map((a) => assignmentLabel(a.group, a.account, a.permissionSet)));
  for (const a of sortBy(planned, (x) => assignmentLabel(x.group, x.account, x.permissionSet))) {
    const k = assignmentLabel(a.group, a.account, a.permissionSet);
    if (!liveKeys.has(k)) out.changes.push({ kind: 'create-assignment', key: `create-assignment:${k}`, group: a.group, account: a.account, permissionSet: a.permissionSet });
  }
  const plannedGroups = new Set(inp.planned.groups.map((g) => g.name));
  const plannedSets = new Set(inp.planned.permissionSets.map((p) => p.name));
  const stale: Change[] = [];
  for (const a of inp.live?.assignments ?? []) {
    const pa = inp.plannedAccountName(a.account);
    if (pa === undefined || a.permissionSet === undefined || !plannedGroups.has(a.group) || !plannedSets.has(a.permissionSet)) continue;
    const k = assignmentLabel(a.group, pa, a.permissionSet);
    if (!wantKeys.has(k)) stale.push({ kind: 'delete-assignment', key: `delete-assignment:${k}`, group: a.group, account: pa, permissionSet: a.permissionSet });
  }
  out.changes.push(...sortBy(stale, (c) => c.key));
}

/** The Identity Center changes, in execution order (see the module comment). */
export function diffIdentity(inp: IdentityDiffInput): IdentityDiff {
  const out: IdentityDiff = { changes: [] };
  accountPolicies(inp, out);
  groupsAndMembers(inp, out);
  permissionSets(inp, out);
  assignments(inp, out);
  return out;
}
