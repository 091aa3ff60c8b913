/**
 * Pure diff: planned model × live model → ordered change set.
 *
 * Matching: accounts by email (case-insensitive), then by name; the planned management account is the live
 * management account. OUs by path, organization policies by name and type, roles by account and name.
 * Planned documents may reference accounts as `{{account:name}}` and the organization as `{{organization:id}}`;
 * they are resolved to live ids before comparing (an unresolved reference — an account still to be created, or no
 * organization yet — counts as a difference, and the executor resolves it once the account or organization exists).
 *
 * apply never deletes OUs, policies or roles it does not plan, and never closes an account without
 * `allowClose`: an account missing from the plan is first moved to `Root/Suspended`.
 */
import { accountRef, resolveAccountRefs, resolveOrganizationRef } from '../model/account-ref.js';
import { RECOMMENDED_OU, ROOT_PATH, type Account, type AttachedPolicy, type OrganizationModel, type OrganizationPolicy, type PolicyDocument, type PolicyTarget, type Role, type Tags } from '../model/organization.js';
import { isIdentityCenterRole, ouDepth, targetLabel } from '../model/query.js';
import { compareEntries, compareStrings, sortBy } from '../util/order.js';
import type { Change, ChangeSet, OrgPolicyType, RoleUpdate } from './changes.js';
import { diffIdentity } from './diff-identity.js';

/** The OU removed accounts go to. */
const SUSPENDED_OU = RECOMMENDED_OU.suspended;

/** Live facts the model does not carry. */
export interface LiveFacts {
  /** Policy types enabled on the root. */
  readonly enabledPolicyTypes: readonly string[];
  /** Accounts closed by apply in the last 30 days (from the journal), for the closure quota. */
  readonly closedInLast30Days: number;
  /**
   * Customer managed IAM policies of the live accounts read (live account name → policy name → document), for the
   * policies Identity Center permission sets reference. Absent: none known.
   */
  readonly accountPolicies?: ReadonlyMap<string, ReadonlyMap<string, PolicyDocument>>;
}

/** Options of the diff. */
export interface DiffOptions {
  readonly allowClose: boolean;
}

/** JSON with object keys sorted, so documents compare by content. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    entries.sort(compareEntries);
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

function sameDoc(a: PolicyDocument | undefined, b: PolicyDocument | undefined): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/**
 * Tags in `want` that `have` lacks or holds with another value. Keys are user data: only own keys count
 * (`constructor` is not a tag of every object) and the result is built with own properties (so `__proto__`
 * stays a tag).
 */
function tagDelta(want: Tags, have: Tags): Tags | undefined {
  const delta = Object.entries(want).filter(([k, v]) => !(Object.hasOwn(have, k) && have[k] === v));
  return delta.length > 0 ? Object.fromEntries(delta) : undefined;
}

/** How many accounts AWS lets an organization close in a rolling 30 days (10 %, between 10 and 1,000). */
export function closureQuota(memberAccounts: number): number {
  return Math.min(1000, Math.max(10, Math.floor(memberAccounts / 10)));
}

/** Pairs planned accounts with live ones. Returns planned name → live account. */
export function matchAccounts(planned: OrganizationModel, live: OrganizationModel): Map<string, Account> {
  const out = new Map<string, Account>();
  const used = new Set<string>();
  const liveMgmt = live.accounts.find((a) => a.name === live.organization.managementAccount);
  if (liveMgmt) {
    out.set(planned.organization.managementAccount, liveMgmt);
    used.add(liveMgmt.name);
  }
  const byEmail = new Map(live.accounts.map((a) => [a.email.toLowerCase(), a]));
  const byName = new Map(live.accounts.map((a) => [a.name, a]));
  for (const p of planned.accounts) {
    if (out.has(p.name)) continue;
    const hit = byEmail.get(p.email.toLowerCase());
    if (hit && !used.has(hit.name)) {
      out.set(p.name, hit);
      used.add(hit.name);
    }
  }
  for (const p of planned.accounts) {
    if (out.has(p.name)) continue;
    const hit = byName.get(p.name);
    if (hit && !used.has(hit.name)) {
      out.set(p.name, hit);
      used.add(hit.name);
    }
  }
  return out;
}

/**
 * Resolves `{{account:x}}` references to live ids (unknown names keep their reference token) and `{{organization:id}}`
 * to the live organization's id (kept without one).
 */
export function liveResolver(matched: ReadonlyMap<string, Account>, organizationId?: string): (doc: PolicyDocument) => PolicyDocument {
  return (doc) => resolveOrganizationRef(resolveAccountRefs(doc, (name) => matched.get(name)?.id ?? accountRef(name)), organizationId);
}

function isAwsManagedArn(arn: string | undefined): boolean {
  return arn !== undefined && /^arn:aws[a-z-]*:iam::aws:policy\//.test(arn);
}

function roleUpdate(plannedRole: Role, liveRole: Role, resolve: (d: PolicyDocument) => PolicyDocument): RoleUpdate | undefined {
  const trust = resolve(plannedRole.trustPolicy);
  const putInline: AttachedPolicy[] = [];
  const putManaged: AttachedPolicy[] = [];
  const liveInline = new Map(liveRole.policies.filter((p) => p.kind === 'inline').map((p) => [p.name, p]));
  const liveManaged = liveRole.policies.filter((p) => p.kind === 'managed');
  const keptManaged = new Set<string>();
  for (const p of plannedRole.policies) {
    const doc = resolve(p.document);
    if (p.kind === 'inline') {
      if (!sameDoc(liveInline.get(p.name)?.document, doc)) putInline.push({ ...p, document: doc });
      continue;
    }
    const hit = liveManaged.find((l) => (p.arn !== undefined ? l.arn === p.arn : l.name === p.name && !isAwsManagedArn(l.arn)));
    if (hit?.arn) keptManaged.add(hit.arn);
    // AWS managed policies are only attached; their documents are AWS's business.
    if (!hit || (!isAwsManagedArn(p.arn) && !sameDoc(hit.document, doc))) putManaged.push({ ...p, document: doc });
  }
  const plannedInline = new Set(plannedRole.policies.filter((p) => p.kind === 'inline').map((p) => p.name));
  const deleteInline = [...liveInline.keys()].filter((n) => !plannedInline.has(n)).sort(compareStrings);
  const detachManaged = liveManaged
    .map((l) => l.arn)
    .filter((a): a is string => a !== undefined && !keptManaged.has(a))
    .sort(compareStrings);
  const tags = tagDelta(plannedRole.tags, liveRole.tags);
  const trustChanged = !sameDoc(trust, liveRole.trustPolicy);
  if (!trustChanged && putInline.length + deleteInline.length + putManaged.length + detachManaged.length === 0 && !tags) return undefined;
  return {
    ...(trustChanged ? { trustPolicy: plannedRole.trustPolicy } : {}),
    putInline,
    deleteInline,
    putManaged,
    detachManaged,
    ...(tags ? { tags } : {}),
  };
}

/** SCPs and RCPs side by side: the type, the planned policies and the live ones. */
type PolicyKinds = readonly (readonly [OrgPolicyType, readonly OrganizationPolicy[], readonly OrganizationPolicy[]])[];

/**
 * What the steps of one diff share: both models, the account pairing, and the change and note lists they
 * append to in execution order. Every lookup by account, OU or policy name is a Map or Set.
 */
interface DiffContext {
  readonly planned: OrganizationModel;
  readonly live: OrganizationModel;
  readonly facts: LiveFacts;
  readonly opts: DiffOptions;
  /** Planned account name → live account. */
  readonly matched: ReadonlyMap<string, Account>;
  /** Live account name → planned account name. */
  readonly liveToPlanned: ReadonlyMap<string, string>;
  readonly resolve: (doc: PolicyDocument) => PolicyDocument;
  readonly kinds: PolicyKinds;
  /** Active live member accounts the plan does not have. */
  readonly removed: readonly Account[];
  readonly changes: Change[];
  readonly notes: string[];
}

function newDiffContext(planned: OrganizationModel, live: OrganizationModel, facts: LiveFacts, opts: DiffOptions): DiffContext {
  const matched = matchAccounts(planned, live);
  const matchedLive = new Set([...matched.values()].map((m) => m.name));
  return {
    planned,
    live,
    facts,
    opts,
    matched,
    liveToPlanned: new Map([...matched.entries()].map(([pn, l]) => [l.name, pn])),
    resolve: liveResolver(matched, live.organization.id),
    kinds: [
      ['SERVICE_CONTROL_POLICY', planned.serviceControlPolicies, live.serviceControlPolicies],
      ['RESOURCE_CONTROL_POLICY', planned.resourceControlPolicies, live.resourceControlPolicies],
    ],
    removed: live.accounts.filter((a) => a.name !== live.organization.managementAccount && a.status === 'ACTIVE' && !matchedLive.has(a.name)),
    changes: [],
    notes: [],
  };
}

/** Policy types the plan needs and the root does not have enabled. */
function diffPolicyTypes(ctx: DiffContext): void {
  const { planned, facts } = ctx;
  const wantTypes = new Set<OrgPolicyType>();
  if (planned.serviceControlPolicies.some((p) => p.managedBy !== 'aws' || p.targets.length > 0)) wantTypes.add('SERVICE_CONTROL_POLICY');
  if (planned.resourceControlPolicies.length > 0) wantTypes.add('RESOURCE_CONTROL_POLICY');
  for (const t of [...wantTypes].sort(compareStrings)) {
    if (!facts.enabledPolicyTypes.includes(t)) ctx.changes.push({ kind: 'enable-policy-type', key: `enable-policy-type:${t}`, policyType: t });
  }
}

/** OUs to create (parents first, plus `Root/Suspended` when removed accounts need it) and OU tags to set. */
function diffOus(ctx: DiffContext): void {
  const liveOus = new Map(ctx.live.organizationalUnits.map((o) => [o.path, o]));
  const plannedOus = [...ctx.planned.organizationalUnits].sort((a, b) => ouDepth(a.path) - ouDepth(b.path) || compareStrings(a.path, b.path));
  const ouWanted = [...plannedOus];
  if (ctx.removed.some((a) => a.ouPath !== SUSPENDED_OU) && !plannedOus.some((o) => o.path === SUSPENDED_OU)) {
    ouWanted.push({ path: SUSPENDED_OU, tags: {} });
  }
  for (const o of ouWanted) {
    if (o.path === ROOT_PATH) {
      const d = tagDelta(o.tags, liveOus.get(ROOT_PATH)?.tags ?? {});
      if (d) ctx.changes.push({ kind: 'tag-ou', key: `tag-ou:${o.path}`, path: o.path, tags: d });
      continue;
    }
    const l = liveOus.get(o.path);
    if (!l) ctx.changes.push({ kind: 'create-ou', key: `create-ou:${o.path}`, path: o.path, tags: o.tags });
    else {
      const d = tagDelta(o.tags, l.tags);
      if (d) ctx.changes.push({ kind: 'tag-ou', key: `tag-ou:${o.path}`, path: o.path, tags: d });
    }
  }
}

/** Customer organization policies to create or whose document differs (AWS managed ones are left alone). */
function diffPolicyContent(ctx: DiffContext): void {
  for (const [type, want, have] of ctx.kinds) {
    for (const p of want) {
      if (p.managedBy === 'aws') continue;
      const l = have.find((x) => x.name === p.name);
      const doc = ctx.resolve(p.document);
      if (!l) {
        ctx.changes.push({ kind: 'create-policy', key: `create-policy:${type}:${p.name}`, policyType: type, name: p.name, ...(p.description ? { description: p.description } : {}), document: doc });
      } else if (!sameDoc(l.document, doc)) {
        ctx.changes.push({ kind: 'update-policy', key: `update-policy:${type}:${p.name}`, policyType: type, name: p.name, document: doc });
      }
    }
  }
}

/** New accounts, then moves of matched accounts (never the management account), then account tags. */
function diffAccounts(ctx: DiffContext): void {
  const { planned, matched, changes } = ctx;
  for (const p of planned.accounts) {
    const l = matched.get(p.name);
    if (!l) {
      changes.push({ kind: 'create-account', key: `create-account:${p.email.toLowerCase()}`, name: p.name, email: p.email, ouPath: p.ouPath, tags: p.tags });
    }
  }
  for (const p of planned.accounts) {
    const l = matched.get(p.name);
    if (!l || p.name === planned.organization.managementAccount) continue;
    if (l.ouPath !== p.ouPath) changes.push({ kind: 'move-account', key: `move-account:${p.name}:${p.ouPath}`, name: p.name, from: l.ouPath, to: p.ouPath });
  }
  for (const p of planned.accounts) {
    const l = matched.get(p.name);
    if (!l) continue;
    const d = tagDelta(p.tags, l.tags);
    if (d) changes.push({ kind: 'tag-account', key: `tag-account:${p.name}`, name: p.name, tags: d });
  }
}

/** A live target as a comparable label. */
function liveLabel(t: PolicyTarget): string {
  return 'ou' in t ? `ou:${t.ou}` : `account:${t.account}`;
}

/** A planned target as the label its live counterpart has (accounts still to be created get `new:`). */
function plannedLiveLabel(ctx: DiffContext, t: PolicyTarget): string {
  return 'ou' in t ? `ou:${t.ou}` : `account:${ctx.matched.get(t.account)?.name ?? `new:${t.account}`}`;
}

/** Planned attachments the live policy (if any) lacks. */
function missingAttachments(ctx: DiffContext): Change[] {
  const attach: Change[] = [];
  for (const [type, want, have] of ctx.kinds) {
    for (const p of want) {
      const l = have.find((x) => x.name === p.name);
      const haveTargets = new Set((l?.targets ?? []).map(liveLabel));
      for (const t of p.targets) {
        if (!haveTargets.has(plannedLiveLabel(ctx, t))) {
          attach.push({ kind: 'attach-policy', key: `attach-policy:${type}:${p.name}:${targetLabel(t)}`, policyType: type, name: p.name, target: t });
        }
      }
    }
  }
  return attach;
}

/**
 * A live attachment target in planned terms, when the plan describes it: a planned OU, or a live account
 * matched to a planned one. Attachments elsewhere are not apply's to manage.
 */
function plannedTargetOf(ctx: DiffContext, plannedOus: ReadonlySet<string>, plannedNames: ReadonlySet<string>, t: PolicyTarget): PolicyTarget | undefined {
  if ('ou' in t) return plannedOus.has(t.ou) ? t : undefined;
  const pn = ctx.liveToPlanned.get(t.account);
  return pn !== undefined && plannedNames.has(pn) ? { account: pn } : undefined;
}

/** Live attachments the plan does not want, on targets the plan describes. */
function staleAttachments(ctx: DiffContext): Change[] {
  const { planned } = ctx;
  const plannedNames = new Set(planned.accounts.map((a) => a.name));
  const plannedOus = new Set(planned.organizationalUnits.map((o) => o.path));
  const detach: Change[] = [];
  for (const [type, want, have] of ctx.kinds) {
    for (const l of have) {
      const p = want.find((x) => x.name === l.name);
      const wantTargets = new Set((p?.targets ?? []).map((t) => plannedLiveLabel(ctx, t)));
      for (const t of l.targets) {
        if (wantTargets.has(liveLabel(t))) continue;
        const plannedTarget = plannedTargetOf(ctx, plannedOus, plannedNames, t);
        if (!plannedTarget) continue;
        if (!p && l.managedBy === 'aws') continue; // an AWS policy the plan does not mention: leave it
        // SCPs do not apply to the management account, so the plan has no say there; leave what AWS attached.
        if ('account' in plannedTarget && plannedTarget.account === planned.organization.managementAccount) continue;
        detach.push({ kind: 'detach-policy', key: `detach-policy:${type}:${l.name}:${targetLabel(plannedTarget)}`, policyType: type, name: l.name, target: plannedTarget });
      }
    }
  }
  return detach;
}

/**
 * AWS refuses to leave a root, OU or account without a policy of a type (MIN_POLICY_TYPE_ATTACHMENT_LIMIT):
 * drops the detachments that would remove the last one, with a note for each.
 */
function keepLastAttachment(ctx: DiffContext, attach: readonly Change[], detach: readonly Change[]): Change[] {
  const remaining = new Map<string, number>();
  const countKey = (type: string, t: PolicyTarget) => `${type}|${targetLabel(t)}`;
  const count = (k: string) => remaining.set(k, (remaining.get(k) ?? 0) + 1);
  for (const [type, , have] of ctx.kinds) {
    for (const l of have) {
      for (const t of l.targets) {
        const pn = 'ou' in t ? undefined : ctx.liveToPlanned.get(t.account);
        const pt: PolicyTarget | undefined = 'ou' in t ? t : pn !== undefined ? { account: pn } : undefined;
        if (pt) count(countKey(type, pt));
      }
    }
  }
  for (const a of attach) if (a.kind === 'attach-policy') count(countKey(a.policyType, a.target));
  return detach.filter((d) => {
    if (d.kind !== 'detach-policy') return true;
    const k = countKey(d.policyType, d.target);
    const n = remaining.get(k) ?? 0;
    if (n <= 1) {
      ctx.notes.push(`${d.name} stays attached to ${targetLabel(d.target)}: AWS needs at least one ${d.policyType === 'SERVICE_CONTROL_POLICY' ? 'SCP' : 'RCP'} on every target; attach another policy there in the spec`);
      return false;
    }
    remaining.set(k, n - 1);
    return true;
  });
}

/** Attachments, with planned targets translated to live names; detachments after attachments. */
function diffAttachments(ctx: DiffContext): void {
  const attach = missingAttachments(ctx);
  const detach = staleAttachments(ctx);
  ctx.changes.push(...attach, ...keepLastAttachment(ctx, attach, detach));
}

/** Roles in member accounts: created when missing, updated when they differ (a path cannot change). */
function diffRoles(ctx: DiffContext): void {
  for (const r of ctx.planned.roles) {
    if (isIdentityCenterRole(r)) continue; // AWS creates it for the Identity Center assignment
    const acct = ctx.matched.get(r.account);
    const l = acct ? ctx.live.roles.find((x) => x.account === acct.name && x.name.toLowerCase() === r.name.toLowerCase()) : undefined;
    if (!l) {
      ctx.changes.push({
        kind: 'create-role',
        key: `create-role:${r.account}:${r.name}`,
        account: r.account,
        name: r.name,
        path: r.path,
        ...(r.description ? { description: r.description } : {}),
        trustPolicy: r.trustPolicy,
        policies: r.policies,
        tags: r.tags,
      });
      continue;
    }
    if (l.path !== r.path) ctx.notes.push(`role \`${r.name}\` in \`${r.account}\` has path \`${l.path}\`, the plan says \`${r.path}\`; IAM cannot change a role's path, so apply leaves it`);
    const u = roleUpdate(r, l, ctx.resolve);
    if (u) ctx.changes.push({ kind: 'update-role', key: `update-role:${r.account}:${r.name}`, account: r.account, name: r.name, update: u });
  }
}

/** IAM Identity Center, when the plan uses it (see diff-identity.ts). */
function diffIdentityCenter(ctx: DiffContext): void {
  const planned = ctx.planned.identity;
  if (planned?.provider !== 'identity-center') return;
  const live = ctx.live.identity?.provider === 'identity-center' ? ctx.live.identity : undefined;
  const d = diffIdentity({
    planned,
    live,
    liveAccountName: (n) => ctx.matched.get(n)?.name,
    plannedAccountName: (n) => ctx.liveToPlanned.get(n),
    accountPolicy: (acct, name) => ctx.facts.accountPolicies?.get(acct)?.get(name),
    resolve: ctx.resolve,
    sameDoc,
  });
  ctx.changes.push(...d.changes);
}

/** Accounts the plan no longer has: suspended, and closed within the quota when `allowClose`. */
function diffRemovedAccounts(ctx: DiffContext): void {
  const { live, removed, changes, notes } = ctx;
  const members = live.accounts.filter((a) => a.name !== live.organization.managementAccount && a.status === 'ACTIVE').length;
  let closable = Math.max(0, closureQuota(members) - ctx.facts.closedInLast30Days);
  for (const a of sortBy(removed, (x) => x.name)) {
    if (a.ouPath !== SUSPENDED_OU) changes.push({ kind: 'suspend-account', key: `suspend-account:${a.name}`, name: a.name, from: a.ouPath, to: SUSPENDED_OU });
    if (!ctx.opts.allowClose) continue;
    if (closable > 0) {
      closable--;
      changes.push({ kind: 'close-account', key: `close-account:${a.name}`, name: a.name });
    } else {
      notes.push(`account \`${a.name}\` is not closed: AWS allows closing ${closureQuota(members)} accounts per 30 days here and that quota is used; it stays in ${SUSPENDED_OU}`);
    }
  }
  if (!ctx.opts.allowClose && removed.length > 0) {
    notes.push(`${removed.length} account${removed.length === 1 ? ' is' : 's are'} not in the plan; apply moves ${removed.length === 1 ? 'it' : 'them'} to ${SUSPENDED_OU} and closes nothing without --allow-close`);
  }
}

/**
 * Computes the change set that makes `live` match `planned`, in execution order: policy types, OUs
 * (parents first), OU tags, organization policies, new accounts, moves, account tags, attachments,
 * detachments (after attachments, so a target never has no policy), roles, Identity Center, suspensions, closures.
 */
export function diffModels(planned: OrganizationModel, live: OrganizationModel, facts: LiveFacts, opts: DiffOptions): ChangeSet {
  const ctx = newDiffContext(planned, live, facts, opts);
  diffPolicyTypes(ctx);
  diffOus(ctx);
  diffPolicyContent(ctx);
  diffAccounts(ctx);
  diffAttachments(ctx);
  diffRoles(ctx);
  diffIdentityCenter(ctx);
  diffRemovedAccounts(ctx);
  return { changes: ctx.changes, notes: ctx.notes };
}
