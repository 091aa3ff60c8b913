/**
 * The HTML report: one self-contained file (no network, no external fonts; one inline script, allowed by its hash
 * in the Content-Security-Policy, filters the findings) that stays usable at 1,000 accounts: the summary first,
 * findings grouped by rule and principal (html-findings.ts), the business unit × phase grid and OU tree
 * (html-org.ts), the access matrix aggregated by phase and business unit (html-matrix.ts), the access graph
 * (html-graph.ts), audit scopes and attribution behind drill-downs. Every user-supplied string is escaped.
 */
import { escapeHtml } from '../util/escape.js';
import { SEVERITIES } from '../verify/finding.js';
import { incompleteLine, type VerifyReport } from '../verify/verify.js';
import { VERSION } from '../version.js';
import { findingsByRuleTable, findingsSection } from './html-findings.js';
import { graphSection } from './html-graph.js';
import { matrixPrincipalName, matrixSection } from './html-matrix.js';
import { organizationSection } from './html-org.js';
import { REPORT_SCRIPT_TAG, REPORT_STYLE, reportCsp } from './html-script.js';
import { gateLine } from '../verify/gate.js';

/** Options for the HTML report (kept for callers; the matrix is now aggregated and shows every principal). */
export interface HtmlOptions {
  /** Unused since the matrix is aggregated by phase and business unit. */
  readonly matrixRows?: number;
  /** Unused since the matrix is aggregated by phase and business unit. */
  readonly matrixColumns?: number;
}

/** The document head, title, summary line, warnings and severity counts. */
function headerSection(h: string[], report: VerifyReport, generatedAt: Date): void {
  const s = report.summary;
  h.push('<!doctype html><html lang="en"><head><meta charset="utf-8">');
  h.push(`<meta http-equiv="Content-Security-Policy" content="${reportCsp()}">`);
  h.push(`<meta name="viewport" content="width=device-width, initial-scale=1">`);
  h.push(`<title>${escapeHtml(`bulkhead verify: ${s.organization}`)}</title><style>${REPORT_STYLE}</style></head><body>`);
  h.push(`<h1>bulkhead verify: ${escapeHtml(s.organization)}</h1>`);
  h.push(
    `<p>Target <code>${escapeHtml(s.target)}</code> (${escapeHtml(s.source)}), generated ${escapeHtml(generatedAt.toISOString())} by bulkhead ${escapeHtml(VERSION)}. ` +
      `${s.accounts.length} accounts, ${s.principals} principals, ${s.resources} resources` +
      (s.abstractResources > 0 ? ` (+${s.abstractResources} abstract)` : '') +
      `, ${s.assumeEdges} role-assumption edges.</p>`,
  );
  if (!s.accessAnalysis) {
    h.push(`<p><strong>Access analysis did not run</strong> (no policy engine); skipped rules: ${s.skippedRules.map((r) => `<code>${escapeHtml(r.rule)}</code>`).join(', ')}.</p>`);
  }
  const incomplete = incompleteLine(s.incomplete);
  if (incomplete) {
    h.push(`<details id="incomplete" open><summary><strong>${escapeHtml(incomplete)}</strong></summary><ul>${s.incomplete.map((i) => `<li>${escapeHtml(i.reason)}</li>`).join('')}</ul></details>`);
  }
  if (s.warnings.length > 0) {
    h.push(`<details id="warnings"><summary>${s.warnings.length} analysis warning(s)</summary><ul>${s.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul></details>`);
  }
  h.push('<table id="counts"><tr>');
  for (const sev of SEVERITIES) h.push(`<th class="sev-${sev}">${sev}</th>`);
  h.push('</tr><tr>');
  for (const sev of SEVERITIES) h.push(`<td>${s.counts.bySeverity[sev]}</td>`);
  h.push('</tr></table>');
  // the CI gate (verify --baseline / --exclusions): what it suppressed and which exclusion entries expired
  const gate = gateLine(s.gate);
  if (gate) h.push(`<p id="gate">Gate: ${escapeHtml(gate)}${s.gate?.exclusions?.expired.length ? ` (expired: ${escapeHtml(s.gate.exclusions.expired.join(', '))})` : ''}.</p>`);

}

/** `N: a, b, c`, or for long lists `N accounts` opening onto the names. */
function accountList(names: readonly string[]): string {
  const text = escapeHtml(names.join(', '));
  return names.length <= 8 ? `${names.length}: ${text}` : `<details><summary>${names.length} accounts</summary>${text}</details>`;
}

/** Audit scopes and the blast-radius table. */
function auditSection(h: string[], report: VerifyReport): void {
  const s = report.summary;
  h.push('<h2 id="audit">Audit scopes</h2>');
  if (s.auditScopes.length === 0) h.push('<p>No audit scopes declared.</p>');
  else {
    h.push('<table id="audit-scopes"><tr><th>scope</th><th>in scope</th><th>closure</th><th>principals reaching in-scope data</th></tr>');
    for (const a of s.auditScopes) {
      h.push(
        `<tr><td>${escapeHtml(a.name)}</td><td>${accountList(a.scopeAccounts)}</td>` +
          `<td>${accountList(a.closureAccounts)}</td><td>${a.principals.length}</td></tr>`,
      );
    }
    h.push('</table>');
  }

  if (s.blastRadius.length > 0) {
    h.push('<h2>Blast radius (top)</h2><table id="blast-radius"><tr><th>principal</th><th>accounts</th><th>resources</th></tr>');
    for (const b of s.blastRadius) h.push(`<tr><td title="${escapeHtml(b.principal)}"><code>${escapeHtml(matrixPrincipalName(b))}</code></td><td>${accountList(b.accounts)}</td><td>${b.resources}</td></tr>`);
    h.push('</table>');
  }

}

/** How each account (and each principal or resource with its own tags) was attributed. */
function attributionSection(h: string[], report: VerifyReport): void {
  const s = report.summary;
  h.push(`<h2 id="attribution-title">Attribution</h2><details id="attribution-details"${s.accounts.length <= 40 ? ' open' : ''}><summary>how each of the ${s.accounts.length} accounts was attributed</summary>`);
  h.push('<table id="attribution"><tr><th>account</th><th>id</th><th>OU</th><th>business unit</th><th>phase</th><th>decided by</th></tr>');
  for (const a of s.accounts) {
    h.push(
      `<tr><td>${escapeHtml(a.name)}</td><td>${escapeHtml(a.id)}${a.idSynthetic ? ' (synthetic)' : ''}</td><td>${escapeHtml(a.ouPath)}</td>` +
        `<td>${escapeHtml(a.businessUnit ?? '—')}</td><td>${escapeHtml(a.phase ?? '—')}</td><td>${escapeHtml(a.decidedBy)}</td></tr>`,
    );
  }
  h.push('</table></details>');
  if (s.unattributed.length > 0) h.push(`<p>Not attributed: ${escapeHtml(s.unattributed.join(', '))}</p>`);
  if (s.overrideCount > 0) {
    h.push(`<p>${s.overrideCount} principal(s) and resource(s) have their own phase or business unit tags (the others inherit their account's)${s.overrideCount > s.attributionOverrides.length ? `; the first ${s.attributionOverrides.length}` : ''}:</p>`);
    h.push('<table id="overrides"><tr><th>ARN</th><th>account</th><th>business unit</th><th>phase</th><th>decided by</th></tr>');
    for (const o of s.attributionOverrides) {
      h.push(`<tr><td>${escapeHtml(o.arn)}</td><td>${escapeHtml(o.account)}</td><td>${escapeHtml(o.businessUnit ?? '—')}</td><td>${escapeHtml(o.phase ?? '—')}</td><td>${escapeHtml(o.decidedBy)}</td></tr>`);
    }
    h.push('</table>');
  }
}

/** The section links under the summary. */
const CONTENTS =
  '<p id="contents"><a href="#findings-title">Findings</a> · <a href="#organization">Organization</a> · <a href="#access-matrix">Access matrix</a> · ' +
  '<a href="#graph">Access graph</a> · <a href="#audit">Audit scopes</a> · <a href="#attribution-title">Attribution</a></p>';

/** Renders the report as a self-contained HTML document. */
export function renderHtml(report: VerifyReport, generatedAt: Date, _options: HtmlOptions = {}): string {
  const h: string[] = [];
  const s = report.summary;
  headerSection(h, report, generatedAt);
  h.push(findingsByRuleTable(report.findings), CONTENTS);
  findingsSection(h, report.findings);
  const findingsPerAccount = new Map<string, number>();
  for (const f of report.findings) findingsPerAccount.set(f.account, (findingsPerAccount.get(f.account) ?? 0) + 1);
  organizationSection(h, { accounts: s.accounts, phases: report.view.phases, organizationalUnits: report.view.organizationalUnits, findingsPerAccount });
  matrixSection(h, report.view.matrix, s.accounts, report.view.phases.map((p) => p.name));
  graphSection(h, { accounts: s.accounts, assumeEdges: report.view.assumeEdges, escalationEdges: report.view.escalationEdges ?? [], people: s.people.paths });
  auditSection(h, report);
  attributionSection(h, report);
  h.push(REPORT_SCRIPT_TAG, '</body></html>\n');
  return h.join('');
}
