/**
 * The terminal summary: counts per severity and rule, the worst findings, and what could not be analysed.
 * Every echoed value goes through `escapeText`, so a name cannot add a line or send terminal escapes.
 */
import { escapeText as t } from '../util/escape.js';
import { SEVERITIES, peopleText, shownPath, shownPrincipal } from '../verify/finding.js';

/** Evidence lines shown per finding; the rest are counted (`+ N more evidence lines`). */
const EVIDENCE_LINES = 3;
import { gateLine } from '../verify/gate.js';
import { incompleteLine, type VerifyReport } from '../verify/verify.js';

/** People paths listed in the summary; the rest are counted. */
const PEOPLE_PATHS = 10;

/** `people (identity-center): 3 users, 2 groups, …` and one line per group × permission set. */
function peopleLines(s: VerifyReport['summary']): string[] {
  const p = s.people;
  if (p.provider === null) return [];
  const lines = [`  people (${t(p.provider)}): ${p.users} users, ${p.groups} groups, ${p.permissionSets} permission sets, ${p.assignments} assignments` + (p.unmatched > 0 ? ` (${p.unmatched} without a role in the model)` : '')];
  for (const x of p.paths.slice(0, PEOPLE_PATHS)) {
    const where = x.principals.length === 1 ? x.principals[0]! : `${x.accounts.length} accounts (${x.accounts.join(', ')})`;
    const via = x.sourceRole !== undefined ? `source role ${x.sourceRole} -> ` : '';
    lines.push(`    ${t(peopleText({ group: x.group, members: x.members, ...(x.permissionSet !== undefined ? { permissionSet: x.permissionSet } : {}), account: '' }, `${via}${where}`, ' -> '))}`);
  }
  if (p.paths.length > PEOPLE_PATHS) lines.push(`    … ${p.paths.length - PEOPLE_PATHS} more (see the JSON report's summary.people)`);
  return lines;
}

/** Options for the terminal summary. */
export interface TerminalOptions {
  /** How many findings to list (default 10). */
  readonly top?: number;
}

/** Renders a plain-text summary (no colour codes, so it pipes cleanly). */
export function renderTerminal(report: VerifyReport, options: TerminalOptions = {}): string {
  const s = report.summary;
  const lines: string[] = [];
  lines.push(`bulkhead verify ${t(s.target)} (${t(s.source)}, organization ${t(s.organization)})`);
  lines.push(
    `  ${s.accounts.length} accounts, ${s.principals} principals, ${s.resources} resources` +
      (s.abstractResources > 0 ? ` (+${s.abstractResources} abstract per-account resources)` : '') +
      `, ${s.assumeEdges} role-assumption edges`,
  );
  lines.push(...peopleLines(s));
  if (!s.accessAnalysis) {
    lines.push(`  access analysis did not run (no policy engine); skipped: ${t(s.skippedRules.map((r) => r.rule).join(', '))}`);
  }
  lines.push('');
  lines.push(
    `findings: ${s.counts.total} (${SEVERITIES.map((sev) => `${sev} ${s.counts.bySeverity[sev]}`).join(', ')})`,
  );
  const rules = Object.entries(s.counts.byRule);
  if (rules.length > 0) {
    const w = Math.max(...rules.map(([r]) => t(r).length));
    for (const [rule, n] of rules) lines.push(`  ${t(rule).padEnd(w)}  ${n}`);
  }
  const top = report.findings.slice(0, options.top ?? 10);
  if (top.length > 0) {
    lines.push('');
    lines.push(`worst ${top.length} finding(s):`);
    for (const f of top) {
      lines.push(`  [${f.severity}] ${t(f.rule)}: ${t(f.message)}`);
      for (const p of f.people ?? []) lines.push(`      via ${t(peopleText(p, shownPrincipal(f), " -> "))}`);
      if (f.path.length > 0) lines.push(`      path: ${shownPath(f).map(t).join(' -> ')}`);
      for (const e of f.evidence.slice(0, EVIDENCE_LINES)) lines.push(`      evidence: ${t(e.source)} statement ${t(e.statement)} (${t(e.effect)})`);
      const cut = f.evidence.length - EVIDENCE_LINES;
      if (cut > 0) lines.push(`      + ${cut} more evidence line${cut === 1 ? '' : 's'}`);
    }
    if (report.findings.length > top.length) lines.push(`  … ${report.findings.length - top.length} more (use --format json|markdown|html)`);
  }
  if (s.unattributed.length > 0) {
    lines.push('');
    lines.push(`not attributed (business unit or phase unknown): ${s.unattributed.map(t).join(', ')}`);
  }
  for (const a of s.auditScopes) {
    lines.push(`audit scope ${t(a.name)}: ${a.scopeAccounts.length} account(s) in scope, closure ${a.closureAccounts.length} account(s), ${a.principals.length} principal(s)`);
  }
  if (s.warnings.length > 0) lines.push(`${s.warnings.length} analysis warning(s); see the JSON report's summary.warnings`);
  const gate = gateLine(s.gate);
  if (gate) lines.push(t(gate));
  const incomplete = incompleteLine(s.incomplete);
  if (incomplete) lines.push(`${incomplete} (see the JSON report's summary.incomplete)`);
  return `${lines.join('\n')}\n`;
}
