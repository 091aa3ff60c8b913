/**
 * Renderers of a migration plan: text (every value escaped for a terminal), JSON (the plan as it is), Markdown and
 * HTML (`html.ts`). `renderMigration` chooses one.
 */
import { escapeJson, escapeText, markdownCode, markdownText } from '../util/escape.js';
import { renderMigrationHtml } from './html.js';
import type { MigrationPlan } from './migrate.js';
import type { MigrationGroup } from './partition.js';
import type { NewDependency } from './dependencies.js';
import type { NameCollision } from './project.js';

/** The report formats of `bulkhead migrate`. */
export const MIGRATE_FORMATS = ['text', 'json', 'markdown', 'html'] as const;

/** One of {@link MIGRATE_FORMATS}. */
export type MigrateFormat = (typeof MIGRATE_FORMATS)[number];

/** The heading of the plan's `sharedRoles` list, the same in every format. */
export const SHARED_ROLES_HEADING = 'Roles shared by workloads going to different accounts (one copy per account)';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A resource ARN's short name (the part after the last `/` or `:`). */
export function shortName(arn: string): string {
  const cut = Math.max(arn.lastIndexOf('/'), arn.lastIndexOf(':'));
  return cut >= 0 && cut < arn.length - 1 ? arn.slice(cut + 1) : arn;
}

/** One line about a group: id, label, status, target, size, phases and units. */
export function groupLine(g: MigrationGroup): string {
  const where = g.status === 'moves' ? `moves ${g.accounts.join(', ')} → ${g.target}` : g.status === 'stays' ? `stays in ${g.target}` : `${g.status}: ${g.reason}`;
  const attrs = [...g.phases, ...g.businessUnits].join(', ') || 'unattributed';
  return `${g.id} ${g.label}: ${where} (${plural(g.members.length, 'resource')}; ${attrs})`;
}

/** One line about a new cross-account dependency and what it needs. */
export function dependencyLine(d: NewDependency): string {
  const head = `${d.edge.kind} ${shortName(d.edge.from)} → ${shortName(d.edge.to)} (${d.fromAccount} → ${d.toAccount})`;
  if (d.ends) return `${head}: access across phases that the migration ends (no grant)`;
  if (d.grants.length === 0) return `${head}: no grant form known; check it by hand`;
  return `${head}: ${d.grants.map((g) => `allow ${g.principal} ${g.actions.join(', ')} on ${shortName(g.resource)}${g.sourceArn ? ` if aws:SourceArn = ${g.sourceArn}` : ''} (${g.why})`).join('; ')}`;
}

/** One line about a name collision: the shared ARN, the target account and the legacy resources. */
export function renameLine(c: NameCollision): string {
  const more = c.count > c.legacy.length ? ` and ${c.count - c.legacy.length} more` : '';
  return `${c.arn} in ${c.account}: ${c.count} legacy ${c.kind}s (${c.legacy.join(', ')}${more}); rename all but one before the move`;
}

/** The summary lines shared by text and Markdown. */
function summaryLines(plan: MigrationPlan): string[] {
  const counts = Object.entries(plan.edgeCounts).map(([k, n]) => `${n} ${k}`).join(', ') || 'none';
  return [
    `${plural(plan.resources, 'resource')} in ${plural(plan.accounts, 'account')}; kitchen-sink accounts: ${plan.kitchenSinks.join(', ') || 'none'}`,
    `unattributed resources: ${plan.unattributed.length}${plan.unattributed.length > 0 ? ` (first: ${plan.unattributed[0]})` : ''}`,
    `couplings: ${counts}; shared data ${plan.sharedData ? 'from the policy engine' : 'not computed (no policy engine)'}; ${plan.danglingReferences} reference(s) to resources outside the inventory`,
    `cross-account dependencies: ${plan.dependencies.before} before → ${plan.dependencies.after} after (${plan.dependencies.added.length} new, ${plan.dependencies.resolved} resolved)`,
  ];
}

/** The proof lines shared by text and Markdown. */
function proofLines(plan: MigrationPlan): string[] {
  const p = plan.proof;
  if (!p) return [plan.nothingToMove ? 'nothing to move: no projection to verify' : 'not verified (no policy engine)'];
  const sev = Object.entries(p.bySeverity).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`).join(', ') || 'none';
  return [
    `${p.holds ? 'holds' : 'does not hold'}: ${p.holds ? 'the target boundaries hold and no non-production principal keeps production access' : 'a boundary is broken (see the findings)'}`,
    `${plural(p.findings, 'finding')} (${sev}); ${p.crossBusinessUnit} cross-business-unit access kept; ${plural(p.principals, 'principal')}, ${plural(p.resources, 'resource')}; ${plural(p.movedRoles, 'role')} moved; new accounts: ${p.newAccounts.join(', ') || 'none'}`,
    ...p.boundaryFindings,
  ];
}

/** The plan as terminal text (every line escaped). */
export function renderMigrationText(plan: MigrationPlan): string {
  const out: string[] = [`migrate: ${plan.source} → ${plan.target}`, ...summaryLines(plan).map((l) => `  ${l}`)];
  if (plan.nothingToMove) out.push('nothing to move: every group is in its target account or flagged below');
  out.push(`groups (${plan.groups.length}):`, ...plan.groups.map((g) => `  ${groupLine(g)}`));
  if (plan.dependencies.added.length > 0) out.push('new cross-account dependencies:', ...plan.dependencies.added.map((d) => `  ${dependencyLine(d)}`));
  if (plan.conditions.length > 0) out.push('conditions that break:', ...plan.conditions.map((c) => `  ${c.key} = ${c.value} in ${c.policy} (${c.because.map(shortName).join(', ')})`));
  if (plan.sharedRoles.length > 0) out.push(`${SHARED_ROLES_HEADING.toLowerCase()}:`, ...plan.sharedRoles.map((r) => `  ${r}`));
  for (const w of plan.waves) {
    out.push(`wave ${w.number} · ${w.phase}${w.production ? ' (production)' : ''}: ${plural(w.moves.length, 'move')}, ${plural(w.grants.length, 'new grant')}`);
    if (w.renames.length > 0) out.push('  0. rename before the move (legacy names that would share one ARN):', ...w.renames.map((c) => `     ${renameLine(c)}`));
    if (w.newRoles.length > 0) out.push('  new roles (copies of shared roles):', ...w.newRoles.map((r) => `     ${r.role} → ${r.account}`));
    out.push('  1. deploy each group in its target account, in this order:', ...w.moves.map((m) => `     ${m.group} ${m.label} (${plural(m.resources, 'resource')}) ${m.from.join(', ')} → ${m.to}${m.after.length > 0 ? ` after ${m.after.join(', ')}` : ''}`));
    out.push(`  2. add the new grants before cutting over: ${w.grants.length === 0 ? 'none' : ''}`, ...w.newDependencies.map((d) => `     ${dependencyLine(d)}`));
    out.push('  3. cut over, then retire the old copies; verify:', ...w.verify.map((v) => `     - ${v}`));
  }
  out.push('proof (verify of the projected organization):', ...proofLines(plan).map((l) => `  ${l}`));
  return `${out.map(escapeText).join('\n')}\n`;
}

/** The plan as JSON (documented in docs/migrate.md). */
export function renderMigrationJson(plan: MigrationPlan): string {
  return `${escapeJson(JSON.stringify(plan, null, 2))}\n`;
}

/** The plan as Markdown. */
export function renderMigrationMarkdown(plan: MigrationPlan): string {
  const c = (v: string) => markdownCode(v, { inTable: true });
  const out: string[] = [`# Migration plan: ${markdownText(plan.source)} → ${markdownText(plan.target)}`, '', ...summaryLines(plan).map((l) => `- ${markdownText(l)}`), ''];
  if (plan.nothingToMove) out.push('**Nothing to move.**', '');
  out.push('## Groups', '', '| group | label | status | accounts | target | resources | phases | business units |', '|---|---|---|---|---|---|---|---|');
  for (const g of plan.groups) out.push(`| ${g.id} | ${c(g.label)} | ${g.status} | ${g.accounts.map(c).join(', ')} | ${g.target ? c(g.target) : ''} | ${g.members.length} | ${g.phases.map(c).join(', ')} | ${g.businessUnits.map(c).join(', ')} |`);
  const flagged = plan.groups.filter((g) => g.status !== 'moves' && g.status !== 'stays');
  if (flagged.length > 0) out.push('', ...flagged.map((g) => `- **${g.id}** ${markdownText(g.reason)}`));
  if (plan.dependencies.added.length > 0) out.push('', '## New cross-account dependencies', '', ...plan.dependencies.added.map((d) => `- ${markdownText(dependencyLine(d))}`));
  if (plan.conditions.length > 0) out.push('', '## Conditions that break', '', ...plan.conditions.map((x) => `- ${c(x.key)} = ${c(x.value)} in ${markdownText(x.policy)}`));
  if (plan.sharedRoles.length > 0) out.push('', `## ${SHARED_ROLES_HEADING}`, '', ...plan.sharedRoles.map((r) => `- ${c(r)}`));
  for (const w of plan.waves) {
    out.push('', `## Wave ${w.number}: ${markdownText(w.phase)}${w.production ? ' (production)' : ''}`, '', '1. Deploy, in this order:');
    if (w.renames.length > 0) out.push('   - rename first (legacy names that would share one ARN):', ...w.renames.map((x) => `     - ${markdownText(renameLine(x))}`));
    if (w.newRoles.length > 0) out.push('   - new roles (copies of shared roles):', ...w.newRoles.map((r) => `     - ${c(r.role)} → ${c(r.account)}`));
    out.push(...w.moves.map((m) => `   - ${m.group} ${c(m.label)}: ${m.from.map(c).join(', ')} → ${c(m.to)} (${plural(m.resources, 'resource')})`));
    out.push(`2. Add the new grants first: ${w.grants.length === 0 ? 'none' : ''}`, ...w.newDependencies.map((d) => `   - ${markdownText(dependencyLine(d))}`));
    out.push('3. Cut over, retire the old copies, then verify:', ...w.verify.map((v) => `   - ${markdownText(v)}`));
  }
  out.push('', '## Proof', '', ...proofLines(plan).map((l) => `- ${markdownText(l)}`));
  return `${out.join('\n')}\n`;
}

/** Renders the plan in a format. */
export function renderMigration(plan: MigrationPlan, format: MigrateFormat): string {
  switch (format) {
    case 'json':
      return renderMigrationJson(plan);
    case 'markdown':
      return renderMigrationMarkdown(plan);
    case 'html':
      return renderMigrationHtml(plan);
    default:
      return renderMigrationText(plan);
  }
}
