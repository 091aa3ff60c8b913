/**
 * The adopted spec as data: organization, phases, business units, shared accounts, custom accounts, roles and
 * guardrails, plus one comment per spec path for what does not fit. A live account is written where the planner
 * would put exactly it (same name, email, OU and tags): a business unit's `{bu}-{phase}` account or a shared
 * catalogue account; every other account is a custom `accounts` entry with its own name, email, OU and tags, so
 * `plan` designs the organization that exists.
 */
import type { JsonValue, OrganizationModel } from '../model/organization.js';
import { RECOMMENDED_OU, ROOT_PATH } from '../model/organization.js';
import { sortBy } from '../util/order.js';
import { SHARED_CATALOGUE } from '../spec/schema.js';
import type { Classification, ClassifiedAccount, SharedKind } from './classify.js';
import { specName } from './classify.js';

/** A spec path (keys and indexes) and the comment to write before that node. */
export type SpecComments = Map<string, string[]>;

/** The spec object and its comments. */
export interface BuiltSpec {
  readonly spec: Record<string, JsonValue>;
  readonly comments: SpecComments;
  /** What apply would change although the organization has it. */
  readonly flags: readonly { readonly subject: string; readonly reason: string }[];
}

/** Everything the assembly reads and writes. */
interface BuildContext {
  readonly model: OrganizationModel;
  readonly c: Classification;
  readonly template: string;
  readonly layout: 'phase-first' | 'bu-first';
  readonly comments: SpecComments;
  /** What apply would change although the organization has it, as `subject`/`reason` (commented too). */
  readonly flags: { subject: string; reason: string }[];
}

/** Adds a comment before the node at `path`. */
export function comment(comments: SpecComments, path: readonly (string | number)[], text: string): void {
  const k = JSON.stringify(path);
  comments.set(k, [...(comments.get(k) ?? []), text]);
}

/** The email template most member accounts follow (their email with their name replaced by `{account}`). */
export function inferEmailTemplate(model: OrganizationModel): string {
  const counts = new Map<string, number>();
  for (const a of model.accounts) {
    if (a.name === model.organization.managementAccount) continue;
    const i = a.email.indexOf(a.name);
    if (i < 0 || a.name === '') continue;
    const t = `${a.email.slice(0, i)}{account}${a.email.slice(i + a.name.length)}`;
    counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  const best = sortBy(counts.entries(), ([t, n]) => `${String(1e9 - n).padStart(10, '0')}:${t}`)[0];
  if (best) return best[0];
  const mgmt = model.accounts.find((a) => a.name === model.organization.managementAccount)?.email ?? 'aws@example.com';
  const at = mgmt.lastIndexOf('@');
  return at > 0 ? `${mgmt.slice(0, at)}+{account}${mgmt.slice(at)}` : 'aws+{account}@example.com';
}

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Where the planner puts a business unit's account of a phase in a layout. */
function runtimeOu(layout: BuildContext['layout'], bu: string, phase: string): string {
  return `${RECOMMENDED_OU.workloads}/${capitalize(layout === 'phase-first' ? phase : bu)}`;
}

const emailFor = (template: string, name: string): string => template.split('{account}').join(name);

/** Whether the planner, given the business unit and phase, would design exactly this account. */
function fitsRuntime(ctx: Pick<BuildContext, 'template' | 'layout'>, a: ClassifiedAccount): boolean {
  const { account, businessUnit: bu, phase } = a;
  if (!bu || !phase || a.shared || a.misfits.length > 0) return false;
  return (
    account.name === `${bu}-${phase}` &&
    account.email === emailFor(ctx.template, account.name) &&
    account.ouPath === runtimeOu(ctx.layout, bu, phase) &&
    account.tags['BusinessUnit'] === bu &&
    account.tags['Environment'] === phase
  );
}

/** Whether the planner's shared catalogue account is exactly this one. */
function fitsShared(template: string, a: ClassifiedAccount, kind: SharedKind): boolean {
  const ou = kind === 'security' || kind === 'log-archive' ? RECOMMENDED_OU.security : kind === 'delivery' ? RECOMMENDED_OU.deployments : RECOMMENDED_OU.infrastructure;
  return a.account.name === kind && a.account.email === emailFor(template, kind) && a.account.ouPath === ou;
}

function organizationSection(ctx: BuildContext): Record<string, JsonValue> {
  const { model } = ctx;
  const mgmt = model.accounts.find((a) => a.name === model.organization.managementAccount);
  const org: Record<string, JsonValue> = {
    name: specName(model.organization.name),
    managementAccount: { name: model.organization.managementAccount, email: mgmt?.email ?? emailFor(ctx.template, model.organization.managementAccount) },
    emailTemplate: ctx.template,
    regions: [...model.organization.regions],
    ouLayout: ctx.layout,
  };
  if (model.organization.accessRoleName !== 'OrganizationAccountAccessRole') org['accessRoleName'] = model.organization.accessRoleName;
  // the organization has these accounts already, so its quota is at least that ("Quotas for AWS Organizations",
  // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html: 10 by default)
  if (model.accounts.length > 10) org['accountQuota'] = model.accounts.length;
  if (!model.organizationalUnits.some((o) => o.path === RECOMMENDED_OU.suspended)) {
    const note = 'the planner always designs a Root/Suspended OU: apply creates it (the organization has none)';
    comment(ctx.comments, ['organization'], note);
    ctx.flags.push({ subject: 'ou Root/Suspended', reason: note });
  }
  return org;
}

/** A custom `accounts` entry for a live account, with the comments saying why it is one. */
function customAccount(ctx: BuildContext, a: ClassifiedAccount, index: number): Record<string, JsonValue> {
  const { account } = a;
  const entry: Record<string, JsonValue> = { name: account.name, ou: account.ouPath === ROOT_PATH ? ROOT_PATH : account.ouPath.slice(ROOT_PATH.length + 1) };
  if (a.shared) entry['purpose'] = a.shared.kind;
  entry['email'] = account.email;
  if (placedByUnit(a)) Object.assign(entry, { businessUnit: a.businessUnit, phase: a.phase });
  if (Object.keys(account.tags).length > 0) entry['tags'] = Object.fromEntries(sortBy(Object.entries(account.tags), ([k]) => k));
  const path = ['accounts', index];
  for (const m of a.misfits) comment(ctx.comments, path, m);
  if (a.shared) {
    comment(ctx.comments, path, `shared ${a.shared.kind} account (recognised by ${a.shared.by})`);
    if (!Object.hasOwn(account.tags, 'Purpose')) {
      const note = `apply tags it \`Purpose=${a.shared.kind}\` (the planner tags custom accounts with their purpose)`;
      comment(ctx.comments, path, note);
      ctx.flags.push({ subject: `account ${account.name}`, reason: note });
    }
  }
  return entry;
}

/**
 * Business units with the phases whose `{bu}-{phase}` account exists as the planner would make it; `phases: []` for a
 * unit whose accounts are all custom entries (the planner then designs no account for it).
 */
function businessUnitsSection(ctx: BuildContext, runtime: readonly ClassifiedAccount[], placed: readonly ClassifiedAccount[]): JsonValue[] {
  // only business units with an account placed by business unit and phase: a kitchen-sink's units would each
  // bring an account the organization does not have
  const named = [...new Set(placed.map((a) => a.businessUnit!))].sort();
  const units = named.length > 0 ? named : [ctx.c.businessUnits[0] ?? 'default'];
  const phaseOrder = ctx.c.phases.map((p) => p.name);
  return units.map((bu, i) => {
    const phases = phaseOrder.filter((p) => runtime.some((a) => a.businessUnit === bu && a.phase === p));
    if (phases.length > 0) return { name: bu, phases };
    const note = named.length > 0
      ? `no account of \`${bu}\` is named and placed as the planner would (\`${bu}-{phase}\` in ${RECOMMENDED_OU.workloads}/…): its accounts are custom \`accounts\` entries naming it, so it plans none (\`phases: []\`)`
      : `no account is placed by business unit and phase; the spec needs a business unit, so this one is written with no account (\`phases: []\`)`;
    comment(ctx.comments, ['businessUnits', i], note);
    return { name: bu, phases: [] };
  });
}

/** Whether an account is written with its business unit and phase (the planner then places roles in it). */
const placedByUnit = (a: ClassifiedAccount): boolean => !a.shared && a.misfits.length === 0 && a.businessUnit !== undefined && a.phase !== undefined;

/** Assembles the spec: fitting accounts through business units and shared accounts, the rest as custom accounts. */
export function buildSpec(model: OrganizationModel, c: Classification, comments: SpecComments): BuiltSpec {
  const template = inferEmailTemplate(model);
  const members = c.accounts.filter((a) => !a.management);
  const count = (layout: BuildContext['layout']) => members.filter((a) => fitsRuntime({ template, layout }, a)).length;
  const layout = count('bu-first') > count('phase-first') ? 'bu-first' : 'phase-first';
  const ctx: BuildContext = { model, c, template, layout, comments, flags: [] };
  const runtime = members.filter((a) => fitsRuntime(ctx, a));
  const shared = new Map<SharedKind, ClassifiedAccount>();
  for (const a of members) if (a.shared && !shared.has(a.shared.kind) && fitsShared(template, a, a.shared.kind)) shared.set(a.shared.kind, a);
  const custom = members.filter((a) => !runtime.includes(a) && ![...shared.values()].includes(a));
  const phases = c.phases.length > 0 ? c.phases : [{ name: 'prod', production: true }];
  if (!phases.some((p) => p.production)) comment(comments, ['phases'], 'no phase is named like production (prod, production, prd, live): mark the right one `production: true`');
  const spec: Record<string, JsonValue> = {
    version: 1,
    organization: organizationSection(ctx),
    phases: phases.map((p): JsonValue => (p.production ? { name: p.name, production: true } : { name: p.name })),
    businessUnits: businessUnitsSection(ctx, runtime, members.filter(placedByUnit)),
  };
  const sharedKinds = SHARED_CATALOGUE.filter((k) => shared.has(k));
  if (sharedKinds.length > 0) spec['sharedAccounts'] = [...sharedKinds];
  if (custom.length > 0) spec['accounts'] = custom.map((a, i) => customAccount(ctx, a, i));
  return { spec, comments, flags: ctx.flags };
}
