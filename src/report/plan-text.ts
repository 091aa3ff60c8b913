/**
 * Renders a planned model for people: the sizing explanation, then the OU tree with accounts (business unit,
 * phase, email), the roles and their policies per account, the SCPs where they are attached, and, when the spec has
 * an `identity` section, who gets what where (groups → permission sets or roles → accounts).
 *
 * Every name comes from the spec, so each goes through `escapeText` (a newline in an OU name cannot add a line to
 * the tree). Phase OUs under Workloads are listed in the order the spec declares the phases (the model keeps
 * it), other OUs alphabetically. Colour only when the `color` option asks for it.
 */
import type { Account, OrganizationModel } from '../model/organization.js';
import { RECOMMENDED_OU, ROOT_PATH } from '../model/organization.js';
import { parentPath, targetIs } from '../model/query.js';
import { escapeText as t } from '../util/escape.js';
import { pushTo } from '../util/multimap.js';
import { compareStrings } from '../util/order.js';
import { palette, type Palette } from './color.js';

/** Options for the plan text. */
export interface PlanTextOptions {
  /** ANSI colour (the CLI sets it for a terminal without `NO_COLOR`); off by default. */
  readonly color?: boolean;
}

/** What the tree walk needs: the model, its OU children in display order, and the palette. */
interface TreeContext {
  readonly model: OrganizationModel;
  readonly children: ReadonlyMap<string, readonly string[]>;
  readonly style: Palette;
  readonly out: string[];
}

function leaf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * The declared index of the phase an OU directly under Workloads stands for: its name is the phase's
 * (case-insensitive), or, for an OU renamed with `ouName`, every account in it has that one phase.
 */
function phaseRank(model: OrganizationModel, path: string): number | undefined {
  if (parentPath(path) !== RECOMMENDED_OU.workloads) return undefined;
  const byName = model.phases.findIndex((p) => p.name.toLowerCase() === leaf(path).toLowerCase());
  if (byName >= 0) return byName;
  const phases = new Set(model.accounts.filter((a) => a.ouPath === path).map((a) => a.phase));
  const [only] = phases;
  if (phases.size !== 1 || only === undefined) return undefined;
  const index = model.phases.findIndex((p) => p.name === only);
  return index >= 0 ? index : undefined;
}

/** Each OU's child OUs: phase OUs in declared phase order first, then the rest by name. */
function childOus(model: OrganizationModel): Map<string, string[]> {
  const children = new Map<string, string[]>();
  for (const ou of model.organizationalUnits) {
    const parent = parentPath(ou.path);
    if (parent !== undefined) pushTo(children, parent, ou.path);
  }
  const last = model.phases.length;
  for (const [parent, kids] of children) {
    const ranked = kids.map((path) => ({ path, rank: phaseRank(model, path) ?? last }));
    ranked.sort((a, b) => a.rank - b.rank || compareStrings(a.path, b.path));
    children.set(parent, ranked.map((k) => k.path));
  }
  return children;
}

function scpsOn(model: OrganizationModel, kind: 'ou' | 'account', ref: string): string[] {
  return model.serviceControlPolicies
    .filter((p) => p.managedBy !== 'aws' && p.targets.some((x) => targetIs(x, kind, ref)))
    .map((p) => p.name);
}

function scpTag(ctx: TreeContext, kind: 'ou' | 'account', ref: string): string {
  const scps = scpsOn(ctx.model, kind, ref);
  return scps.length ? `  ${ctx.style.policy(`[SCP: ${scps.map(t).join(', ')}]`)}` : '';
}

function describeAccount(ctx: TreeContext, a: Account): string {
  const production = ctx.model.phases.some((p) => p.production && p.name === a.phase);
  const tags = [a.purpose, a.businessUnit, a.phase]
    .filter((x): x is string => Boolean(x))
    .map((x) => (production && x === a.phase ? ctx.style.alert(t(x)) : t(x)))
    .join(' · ');
  return `${t(a.name)}  (${tags})  ${ctx.style.dim(t(a.email))}${scpTag(ctx, 'account', a.name)}`;
}

/** Writes the accounts and child OUs of one OU, recursively. */
function walk(ctx: TreeContext, path: string, indent: string): void {
  const { model, style, out } = ctx;
  const entries: ({ kind: 'ou'; path: string } | { kind: 'account'; account: Account })[] = [
    ...model.accounts.filter((a) => a.ouPath === path).map((account) => ({ kind: 'account' as const, account })),
    ...(ctx.children.get(path) ?? []).map((p) => ({ kind: 'ou' as const, path: p })),
  ];
  entries.forEach((e, i) => {
    const last = i === entries.length - 1;
    const branch = style.dim(last ? '└── ' : '├── ');
    const cont = indent + style.dim(last ? '    ' : '│   ');
    if (e.kind === 'account') {
      out.push(`${indent}${branch}${describeAccount(ctx, e.account)}`);
      for (const r of model.roles.filter((x) => x.account === e.account.name)) {
        out.push(`${cont}    ${style.dim(`role ${t(r.name)}: ${r.policies.map((p) => t(p.name)).join(', ')}`)}`);
      }
    } else {
      out.push(`${indent}${branch}${style.ou(`${t(leaf(e.path))}/`)}${scpTag(ctx, 'ou', e.path)}`);
      walk(ctx, e.path, cont);
    }
  });
}

/** The sizing explanation: one line per category and the total against the account quota. */
function sizingLines(model: OrganizationModel, style: Palette, out: string[]): void {
  const sizing = model.sizing;
  if (!sizing) return;
  out.push(style.heading(`Why ${sizing.total} accounts`));
  for (const l of sizing.lines) out.push(`  - ${t(l.explanation)}`);
  out.push(
    sizing.total > sizing.accountQuota
      ? `  = ${sizing.total} accounts${style.alert(` (over the account quota of ${sizing.accountQuota}: request an increase)`)}`
      : `  = ${sizing.total} accounts (within the account quota of ${sizing.accountQuota})`,
  );
  out.push('');
  if (sizing.identity?.length) {
    out.push(style.heading('Who gets in'));
    for (const l of sizing.identity) out.push(`  - ${t(l.explanation)}`);
    out.push('');
  }
}

const PROVIDER_TEXT: Record<string, string> = {
  'identity-center': 'IAM Identity Center',
  'identity-account': 'source roles in the identity account',
  external: 'an external identity provider (through `assumedFrom`)',
};

/**
 * Who gets what where: each group, then each permission set (or runtime role, with an identity account) it is given
 * and the accounts, one line each.
 */
function identityLinesText(model: OrganizationModel, style: Palette, out: string[]): void {
  const identity = model.identity;
  if (!identity) return;
  const where = identity.homeRegion ? `, home region ${identity.homeRegion}` : identity.identityAccount ? ` (${identity.identityAccount})` : '';
  out.push('');
  out.push(style.heading(`People: ${PROVIDER_TEXT[identity.provider] ?? identity.provider}${where}`));
  for (const g of identity.groups) {
    const members = g.members.length ? ` (${g.members.map(t).join(', ')})` : '';
    out.push(`  group ${t(g.name)}${members}`);
    const byTarget = new Map<string, string[]>();
    for (const a of identity.assignments.filter((x) => x.group === g.name)) {
      const key = a.permissionSet ?? a.role;
      pushTo(byTarget, key, a.account);
    }
    if (byTarget.size === 0) out.push(`    ${style.dim('(nothing assigned)')}`);
    for (const [target, accounts] of byTarget) {
      const via = identity.provider === 'identity-account' ? ` ${style.dim(`(via ${t(identity.identityAccount ?? '')}/${t(g.name)})`)}` : '';
      out.push(`    ${t(target)} → ${accounts.map(t).join(', ')}${via}`);
    }
  }
}

/** Renders the plan as a tree; pure, deterministic, colour-free unless `options.color`. */
export function renderPlanText(model: OrganizationModel, options: PlanTextOptions = {}): string {
  const style = palette(options.color);
  const out: string[] = [];
  out.push(`${style.heading(t(model.organization.name))}: ${model.accounts.length} accounts`);
  out.push('');
  sizingLines(model, style, out);
  const ctx: TreeContext = { model, children: childOus(model), style, out };
  out.push(style.heading('Organization'));
  out.push(`${style.ou('Root/')}${scpTag(ctx, 'ou', ROOT_PATH)}`);
  walk(ctx, ROOT_PATH, '');
  out.push('');
  out.push('AWS attaches FullAWSAccess to the root, every OU and every account; SCPs never restrict the management account.');
  identityLinesText(model, style, out);
  if (model.boundaries.length || model.auditScopes.length) {
    out.push('');
    if (model.boundaries.length) out.push(`Boundaries to verify: ${model.boundaries.map((b) => t(b.name)).join(', ')}`);
    if (model.auditScopes.length) out.push(`Audit scopes: ${model.auditScopes.map((s) => t(s.name)).join(', ')}`);
  }
  return `${out.join('\n')}\n`;
}
