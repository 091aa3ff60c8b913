/** Markdown report (for pull-request comments and wikis): summary, findings with evidence, scopes, blast radius. */
import { SEVERITIES } from '../verify/finding.js';
import { incompleteLine, type VerifyReport } from '../verify/verify.js';

/** Escapes text for a Markdown table cell or paragraph: pipes, backslashes, HTML and newlines. */
export function mdEscape(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r?\n/g, ' ');
}

/** Renders the report as Markdown. */
export function renderMarkdown(report: VerifyReport, generatedAt: Date): string {
  const s = report.summary;
  const out: string[] = [];
  out.push(`# bulkhead verify: ${mdEscape(s.organization)}`);
  out.push('');
  out.push(`Target \`${mdEscape(s.target)}\` (${s.source}), generated ${generatedAt.toISOString()}.`);
  out.push(
    `${s.accounts.length} accounts, ${s.principals} principals, ${s.resources} resources, ${s.assumeEdges} role-assumption edges.`,
  );
  if (!s.accessAnalysis) out.push(`\n> Access analysis did not run (no policy engine); skipped rules: ${s.skippedRules.map((r) => `\`${r.rule}\``).join(', ')}.`);
  const incomplete = incompleteLine(s.incomplete);
  if (incomplete) out.push(`\n> **${incomplete}**: ${s.incomplete.map((i) => mdEscape(i.reason)).join('; ')}`);
  out.push('');
  out.push('| severity | count |');
  out.push('|---|---:|');
  for (const sev of SEVERITIES) out.push(`| ${sev} | ${s.counts.bySeverity[sev]} |`);
  out.push('');
  if (Object.keys(s.counts.byRule).length > 0) {
    out.push('| rule | count |');
    out.push('|---|---:|');
    for (const [rule, n] of Object.entries(s.counts.byRule)) out.push(`| \`${rule}\` | ${n} |`);
    out.push('');
  }
  out.push('## Findings');
  out.push('');
  if (report.findings.length === 0) out.push('No findings.');
  for (const f of report.findings) {
    out.push(`### [${f.severity}] \`${f.rule}\` — ${mdEscape(f.account)}`);
    out.push('');
    out.push(mdEscape(f.message));
    out.push('');
    out.push(`- principal: \`${mdEscape(f.principal)}\``);
    out.push(`- resource: \`${mdEscape(f.resource)}\``);
    if (f.capabilities.length > 0) out.push(`- capabilities: ${f.capabilities.join(', ')}`);
    if (f.path.length > 0) out.push(`- path: ${f.path.map((p) => `\`${mdEscape(p)}\``).join(' → ')}`);
    for (const e of f.evidence) {
      out.push(`- evidence: ${mdEscape(e.source)}, statement \`${mdEscape(e.statement)}\` (${e.effect})${e.note ? `: ${mdEscape(e.note)}` : ''}`);
    }
    out.push('');
  }
  if (s.auditScopes.length > 0) {
    out.push('## Audit scopes');
    out.push('');
    out.push('| scope | in scope | closure | principals |');
    out.push('|---|---:|---:|---:|');
    for (const a of s.auditScopes) out.push(`| ${mdEscape(a.name)} | ${a.scopeAccounts.length} | ${a.closureAccounts.length} | ${a.principals.length} |`);
    out.push('');
  }
  if (s.blastRadius.length > 0) {
    out.push('## Blast radius (top)');
    out.push('');
    out.push('| principal | accounts | resources |');
    out.push('|---|---:|---:|');
    for (const b of s.blastRadius) out.push(`| \`${mdEscape(b.principal)}\` | ${b.accounts.length} | ${b.resources} |`);
    out.push('');
  }
  out.push('## Attribution');
  out.push('');
  out.push('| account | business unit | phase | decided by |');
  out.push('|---|---|---|---|');
  for (const a of s.accounts) out.push(`| ${mdEscape(a.name)} | ${mdEscape(a.businessUnit ?? '—')} | ${mdEscape(a.phase ?? '—')} | ${mdEscape(a.decidedBy)} |`);
  out.push('');
  if (s.unattributed.length > 0) out.push(`Not attributed: ${s.unattributed.map((a) => mdEscape(a)).join(', ')}.\n`);
  if (s.overrideCount > 0) {
    out.push(`${s.overrideCount} principal(s) and resource(s) carry their own phase or business unit tags; the others inherit their account's.\n`);
    out.push('| ARN | business unit | phase | decided by |');
    out.push('|---|---|---|---|');
    for (const o of s.attributionOverrides) out.push(`| \`${mdEscape(o.arn)}\` | ${mdEscape(o.businessUnit ?? '—')} | ${mdEscape(o.phase ?? '—')} | ${mdEscape(o.decidedBy)} |`);
    out.push('');
  }
  return out.join('\n');
}
