/**
 * Structural changes between two models: accounts (added, removed, renamed, moved), OUs, SCPs and RCPs (documents
 * by statement, targets), roles and users (trust, policies by statement, boundary), permission sets, assignments
 * and resource policies. Names are the after side's; documents are compared with account references resolved.
 */
import type { AttachedPolicy, JsonValue, OrganizationModel, OrganizationPolicy, PolicyDocument, PolicyTarget, Role, User } from '../model/organization.js';
import { isIdentityCenterRole, targetLabel } from '../model/query.js';
import { compareStrings } from '../util/order.js';
import { afterName, refResolver, type AccountPairing } from './accounts.js';
import { documentChanges } from './statements.js';
import type { DeltaSubject, StructuralChange } from './types.js';

/** One comparison over both models: pairing and the resolvers of each side's documents. */
interface StructureContext {
  readonly before: OrganizationModel;
  readonly after: OrganizationModel;
  readonly pairing: AccountPairing;
  readonly resolveBefore: (d: PolicyDocument) => PolicyDocument;
  readonly resolveAfter: (d: PolicyDocument) => PolicyDocument;
  readonly out: StructuralChange[];
}

/** Whether a document holds an `{{account:…}}` reference (memoised per object: documents are shared). */
const holdsRef = new WeakMap<object, boolean>();
function hasAccountRef(v: JsonValue): boolean {
  if (typeof v === 'string') return v.includes('{{account:');
  if (v === null || typeof v !== 'object') return false;
  const known = holdsRef.get(v);
  if (known !== undefined) return known;
  const found = Array.isArray(v) ? v.some(hasAccountRef) : Object.values(v).some(hasAccountRef);
  holdsRef.set(v, found);
  return found;
}

/**
 * `documentChanges` of the two sides' documents with their account references resolved. The same object on both
 * sides (an account file both snapshots hold byte for byte is parsed once) without references is unchanged by
 * construction, so it is neither resolved nor serialised.
 */
function docChanges(ctx: StructureContext, what: string, before: PolicyDocument | undefined, after: PolicyDocument | undefined): string[] {
  if (before !== undefined && before === after && !hasAccountRef(before)) return [];
  return documentChanges(what, before === undefined ? undefined : ctx.resolveBefore(before), after === undefined ? undefined : ctx.resolveAfter(after));
}

function push(ctx: StructureContext, subject: DeltaSubject, change: StructuralChange['change'], name: string, details: readonly string[] = []): void {
  ctx.out.push({ subject, change, name, details: [...details].sort(compareStrings) });
}

/** Compares two keyed collections: added, removed, and `changed` with the details `diff` gives (none: equal). */
function compareKeyed<T>(
  ctx: StructureContext,
  subject: DeltaSubject,
  before: Map<string, T>,
  after: Map<string, T>,
  diff: (b: T, a: T) => string[],
  describe: (x: T, side: 'before' | 'after') => string[] = () => [],
): void {
  for (const [k, a] of after) {
    const b = before.get(k);
    if (b === undefined) push(ctx, subject, 'added', k, describe(a, 'after'));
    else {
      const d = diff(b, a);
      if (d.length > 0) push(ctx, subject, 'changed', k, d);
    }
  }
  for (const [k, b] of before) if (!after.has(k)) push(ctx, subject, 'removed', k, describe(b, 'before'));
}

function accountChanges(ctx: StructureContext): void {
  const afterNames = new Set(ctx.after.accounts.map((a) => a.name));
  for (const b of ctx.before.accounts) {
    const a = ctx.pairing.toAfter.get(b.name);
    if (!a) {
      push(ctx, 'account', 'removed', b.name, [`was in \`${b.ouPath}\``]);
      continue;
    }
    if (a.name !== b.name) push(ctx, 'account', 'renamed', a.name, [`renamed from \`${b.name}\``]);
    if (a.ouPath !== b.ouPath) push(ctx, 'account', 'moved', a.name, [`moved from \`${b.ouPath}\` to \`${a.ouPath}\``]);
  }
  for (const a of ctx.after.accounts) if (!ctx.pairing.toBefore.has(a.name) && afterNames.has(a.name)) push(ctx, 'account', 'added', a.name, [`in \`${a.ouPath}\``]);
}

function ouChanges(ctx: StructureContext): void {
  const b = new Map(ctx.before.organizationalUnits.map((o) => [o.path, o]));
  const a = new Map(ctx.after.organizationalUnits.map((o) => [o.path, o]));
  compareKeyed(ctx, 'ou', b, a, () => []);
}

function targetText(ctx: StructureContext, t: PolicyTarget, side: 'before' | 'after'): string {
  if ('ou' in t) return targetLabel(t);
  return `account:${side === 'before' ? afterName(ctx.pairing, t.account) : t.account}`;
}

function orgPolicyChanges(ctx: StructureContext, subject: 'scp' | 'rcp'): void {
  const pick = (m: OrganizationModel) => (subject === 'scp' ? m.serviceControlPolicies : m.resourceControlPolicies);
  const b = new Map(pick(ctx.before).map((p) => [p.name, p]));
  const a = new Map(pick(ctx.after).map((p) => [p.name, p]));
  compareKeyed(ctx, subject, b, a, (x: OrganizationPolicy, y: OrganizationPolicy) => {
    const details = docChanges(ctx, 'document', x.document, y.document);
    const bt = new Set(x.targets.map((t) => targetText(ctx, t, 'before')));
    const at = new Set(y.targets.map((t) => targetText(ctx, t, 'after')));
    for (const t of at) if (!bt.has(t)) details.push(`attached to \`${t}\``);
    for (const t of bt) if (!at.has(t)) details.push(`detached from \`${t}\``);
    return details;
  }, (p, side) => p.targets.map((t) => `attached to \`${targetText(ctx, t, side)}\``));
}

/** A principal's key: `<account>/<name>`; Identity Center roles by permission set, since AWS picks the suffix. */
export function principalKey(accountName: string, p: Pick<Role, 'path' | 'name'>): string {
  if (isIdentityCenterRole(p)) {
    const rest = p.name.slice('AWSReservedSSO_'.length);
    const cut = rest.lastIndexOf('_');
    return `${accountName}/AWSReservedSSO_${cut > 0 ? rest.slice(0, cut) : rest}_*`;
  }
  return `${accountName}/${p.name}`;
}

/** AWS managed policies (`arn:aws:iam::aws:policy/…`) are the same everywhere; customer managed ones go by name. */
function isAwsManaged(p: AttachedPolicy): boolean {
  return p.arn !== undefined && p.arn.includes(':iam::aws:policy/');
}

/** How an attached policy is matched across the sides: a design names a customer policy, live gives its ARN too. */
function attachedKey(p: AttachedPolicy): string {
  return p.kind === 'inline' ? `inline:${p.name}` : isAwsManaged(p) ? p.arn! : `managed:${p.name}`;
}

function policyLabel(p: AttachedPolicy): string {
  return `policy \`${attachedKey(p)}\``;
}

function attachedChanges(ctx: StructureContext, b: readonly AttachedPolicy[], a: readonly AttachedPolicy[], bBoundary?: AttachedPolicy, aBoundary?: AttachedPolicy): string[] {
  const key = attachedKey;
  const bm = new Map(b.map((p) => [key(p), p]));
  const am = new Map(a.map((p) => [key(p), p]));
  const out: string[] = [];
  for (const [k, p] of am) out.push(...docChanges(ctx, policyLabel(p), bm.get(k)?.document, p.document));
  for (const [k, p] of bm) if (!am.has(k)) out.push(`${policyLabel(p)} removed`);
  out.push(...docChanges(ctx, 'permissions boundary', bBoundary?.document, aBoundary?.document));
  return out;
}

function principalChanges(ctx: StructureContext): void {
  const roles = (m: OrganizationModel, side: 'before' | 'after') =>
    new Map(m.roles.map((r) => [principalKey(side === 'before' ? afterName(ctx.pairing, r.account) : r.account, r), r]));
  compareKeyed(ctx, 'role', roles(ctx.before, 'before'), roles(ctx.after, 'after'), (b: Role, a: Role) => [
    ...docChanges(ctx, 'trust policy', b.trustPolicy, a.trustPolicy),
    ...attachedChanges(ctx, b.policies, a.policies, b.permissionBoundary, a.permissionBoundary),
  ]);
  const users = (m: OrganizationModel, side: 'before' | 'after') =>
    new Map(m.users.map((u) => [`${side === 'before' ? afterName(ctx.pairing, u.account) : u.account}/${u.name}`, u]));
  compareKeyed(ctx, 'user', users(ctx.before, 'before'), users(ctx.after, 'after'), (b: User, a: User) => [
    ...attachedChanges(ctx, b.policies, a.policies, b.permissionBoundary, a.permissionBoundary),
    ...a.groups.filter((g) => !b.groups.includes(g)).map((g) => `added to group \`${g}\``),
    ...b.groups.filter((g) => !a.groups.includes(g)).map((g) => `removed from group \`${g}\``),
  ]);
}

function identityChanges(ctx: StructureContext): void {
  const sets = (m: OrganizationModel) => new Map((m.identity?.permissionSets ?? []).map((p) => [p.name, p]));
  compareKeyed(ctx, 'permission-set', sets(ctx.before), sets(ctx.after), (b, a) => [
    ...(b.sessionDuration !== a.sessionDuration ? [`session duration \`${b.sessionDuration}\` → \`${a.sessionDuration}\``] : []),
    ...attachedChanges(ctx, b.policies, a.policies, b.permissionBoundary, a.permissionBoundary),
  ]);
  const assignments = (m: OrganizationModel, side: 'before' | 'after') =>
    new Map(
      (m.identity?.assignments ?? []).map((x) => {
        const account = side === 'before' ? afterName(ctx.pairing, x.account) : x.account;
        return [`${x.group} → ${account} as ${x.permissionSet ?? x.sourceRole ?? x.role}`, x];
      }),
    );
  compareKeyed(ctx, 'assignment', assignments(ctx.before, 'before'), assignments(ctx.after, 'after'), () => []);
}

function resourceChanges(ctx: StructureContext): void {
  const res = (m: OrganizationModel) => new Map(m.resources.map((r) => [r.arn, r]));
  compareKeyed(ctx, 'resource', res(ctx.before), res(ctx.after), (b, a) =>
    docChanges(ctx, 'resource policy', b.policy, a.policy),
  );
}

const SUBJECT_ORDER: readonly DeltaSubject[] = ['account', 'ou', 'scp', 'rcp', 'role', 'user', 'permission-set', 'assignment', 'resource'];

/** The structural changes from `before` to `after`, sorted by subject, name and kind. */
export function structuralChanges(before: OrganizationModel, after: OrganizationModel, pairing: AccountPairing): StructuralChange[] {
  const ctx: StructureContext = {
    before,
    after,
    pairing,
    resolveBefore: refResolver(pairing, 'before', before),
    resolveAfter: refResolver(pairing, 'after', after),
    out: [],
  };
  accountChanges(ctx);
  ouChanges(ctx);
  orgPolicyChanges(ctx, 'scp');
  orgPolicyChanges(ctx, 'rcp');
  principalChanges(ctx);
  identityChanges(ctx);
  resourceChanges(ctx);
  return ctx.out.sort(
    (x, y) => SUBJECT_ORDER.indexOf(x.subject) - SUBJECT_ORDER.indexOf(y.subject) || compareStrings(x.name, y.name) || compareStrings(x.change, y.change),
  );
}
