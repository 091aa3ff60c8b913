/**
 * Markdown report (for pull-request comments and wikis): summary, findings with evidence, scopes, blast radius.
 * Every echoed value goes through `markdownText` (prose, headings, table cells) or `markdownCode` (code spans).
 */
import { markdownCode, markdownText } from '../util/escape.js';
import { SEVERITIES, findingResources, peopleText, shownPath, shownPrincipal, type Finding } from '../verify/finding.js';
import { incompleteLine, type VerifyReport } from '../verify/verify.js';

const code = (text: string): string => markdownCode(text);
const cellCode = (text: string): string => markdownCode(text, { inTable: true });

/** Resources a finding lists before `+ N more` (the JSON report lists them all). */
const LISTED_RESOURCES = 20;

/** `- resource: `arn`` for one resource, `- resources (N): `a`, `b`, + M more` for several. */
function resourceLine(f: Finding): string {
  const all = findingResources(f);
  if (all.length <= 1) return `- resource: ${code(f.resource)}`;
  const shown = all.slice(0, LISTED_RESOURCES).map(code);
  if (all.length > LISTED_RESOURCES) shown.push(`+ ${all.length - LISTED_RESOURCES} more`);
  return `- resources (${all.length}): ${shown.join(', ')}`;
}

/** What the CI gate did (`verify --baseline` / `--exclusions`): suppressed counts and expired entries. */
function gateSection(out: string[], gate: VerifyReport['summary']['gate']): void {
  if (!gate || (!gate.baseline && !gate.exclusions)) return;
  out.push('| gate | file | entries | suppressed | expired |');
  out.push('|---|---|---:|---:|---:|');
  if (gate.baseline) out.push(`| baseline | ${code(gate.baseline.file)} | ${gate.baseline.findings} | ${gate.baseline.suppressed} | — |`);
  if (gate.exclusions) {
    const e = gate.exclusions;
    out.push(`| exclusions | ${code(e.file)} | ${e.entries} | ${e.suppressed} | ${e.expired.length} |`);
  }
  out.push('');
  if (gate.exclusions && gate.exclusions.expired.length > 0) {
    out.push(`Expired exclusion entries (each reported as a \`gate.exclusion-expired\` finding): ${gate.exclusions.expired.map(code).join(', ')}.`);
    out.push('');
  }
}

/** Renders the report as Markdown. */
export function renderMarkdown(report: VerifyReport, generatedAt: Date): string {
  const s = report.summary;
  const out: string[] = [];
  out.push(`# bulkhead verify: ${markdownText(s.organization)}`);
  out.push('');
  out.push(`Target ${code(s.target)} (${markdownText(s.source)}), generated ${generatedAt.toISOString()}.`);
  out.push(
    `${s.accounts.length} accounts, ${s.principals} principals, ${s.resources} resources, ${s.assumeEdges} role-assumption edges.`,
  );
  if (!s.accessAnalysis) out.push(`\n> Access analysis did not run (no policy engine); skipped rules: ${s.skippedRules.map((r) => code(r.rule)).join(', ')}.`);
  const incomplete = incompleteLine(s.incomplete);
  if (incomplete) out.push(`\n> **${incomplete}**: ${s.incomplete.map((i) => markdownText(i.reason)).join('; ')}`);
  out.push('');
  out.push('| severity | count |');
  out.push('|---|---:|');
  for (const sev of SEVERITIES) out.push(`| ${sev} | ${s.counts.bySeverity[sev]} |`);
  out.push('');
  gateSection(out, s.gate);
  if (Object.keys(s.counts.byRule).length > 0) {
    out.push('| rule | count |');
    out.push('|---|---:|');
    for (const [rule, n] of Object.entries(s.counts.byRule)) out.push(`| ${cellCode(rule)} | ${n} |`);
    out.push('');
  }
  out.push('## Findings');
  out.push('');
  if (report.findings.length === 0) out.push('No findings.');
  for (const f of report.findings) {
    out.push(`### [${f.severity}] ${code(f.rule)} — ${markdownText(f.account)}`);
    out.push('');
    out.push(markdownText(f.message));
    out.push('');
    out.push(`- principal: ${f.principalName !== undefined ? `${code(f.principalName)} (${code(f.principal)})` : code(f.principal)}`);
    out.push(resourceLine(f));
    if (f.capabilities.length > 0) out.push(`- capabilities: ${markdownText(f.capabilities.join(', '))}`);
    for (const p of f.people ?? []) out.push(`- via ${markdownText(peopleText(p, shownPrincipal(f)))}`);
    if (f.path.length > 0) out.push(`- path: ${shownPath(f).map((p) => code(p)).join(' → ')}`);
    for (const e of f.evidence) {
      out.push(`- evidence: ${markdownText(e.source)}, statement ${code(e.statement)} (${markdownText(e.effect)})${e.note ? `: ${markdownText(e.note)}` : ''}`);
    }
    out.push('');
  }
  if (s.auditScopes.length > 0) {
    out.push('## Audit scopes');
    out.push('');
    out.push('| scope | in scope | closure | principals |');
    out.push('|---|---:|---:|---:|');
    for (const a of s.auditScopes) out.push(`| ${markdownText(a.name)} | ${a.scopeAccounts.length} | ${a.closureAccounts.length} | ${a.principals.length} |`);
    out.push('');
  }
  if (s.blastRadius.length > 0) {
    out.push('## Blast radius (top)');
    out.push('');
    out.push('| principal | accounts | resources |');
    out.push('|---|---:|---:|');
    for (const b of s.blastRadius) out.push(`| ${cellCode(b.principal)} | ${b.accounts.length} | ${b.resources} |`);
    out.push('');
  }
  if (s.people.provider !== null && s.people.paths.length > 0) {
    out.push(`## People (${markdownText(s.people.provider)})`);
    out.push('');
    out.push('| group | members | permission set or source role | lands in |');
    out.push('|---|---|---|---|');
    for (const p of s.people.paths) {
      out.push(`| ${markdownText(p.group)} | ${markdownText(p.members.join(', ') || '—')} | ${cellCode(p.permissionSet ?? p.sourceRole ?? '—')} | ${p.principals.map(cellCode).join(', ')} |`);
    }
    out.push('');
  }
  out.push('## Attribution');
  out.push('');
  out.push('| account | business unit | phase | decided by |');
  out.push('|---|---|---|---|');
  for (const a of s.accounts) out.push(`| ${markdownText(a.name)} | ${markdownText(a.businessUnit ?? '—')} | ${markdownText(a.phase ?? '—')} | ${markdownText(a.decidedBy)} |`);
  out.push('');
  if (s.unattributed.length > 0) out.push(`Not attributed: ${s.unattributed.map((a) => markdownText(a)).join(', ')}.\n`);
  if (s.overrideCount > 0) {
    out.push(`${s.overrideCount} principal(s) and resource(s) carry their own phase or business unit tags; the others inherit their account's.\n`);
    out.push('| ARN | business unit | phase | decided by |');
    out.push('|---|---|---|---|');
    for (const o of s.attributionOverrides) out.push(`| ${cellCode(o.arn)} | ${markdownText(o.businessUnit ?? '—')} | ${markdownText(o.phase ?? '—')} | ${markdownText(o.decidedBy)} |`);
    out.push('');
  }
  return out.join('\n');
}
