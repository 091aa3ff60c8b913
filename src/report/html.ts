/**
 * The HTML report: one self-contained file (no scripts, no network; a Content-Security-Policy forbids both) with
 * the organization diagram, findings and evidence, the access matrix, the role-assumption graph, audit scopes
 * and attribution. Every user-supplied string is escaped.
 */
import { escapeHtml } from '../util/escape.js';
import { compareStrings } from '../util/order.js';
import { CAPABILITIES, SEVERITIES, findingResources, peopleText, shownPath, shownPrincipal, type Capability, type Finding } from '../verify/finding.js';
import { incompleteLine, type VerifyReport } from '../verify/verify.js';
import { VERSION } from '../version.js';
import { findingFingerprint } from './fingerprint.js';
import { gateLine } from '../verify/gate.js';
import { assumeGraphSvg, organizationSvg } from './svg.js';

const CAP_LETTER: Record<Capability, string> = {
  'administer-resource': 'A',
  'read-config': 'C',
  'use-resource': 'U',
  'read-data': 'R',
  'write-data': 'W',
  'delete-data': 'D',
};

/** Options for the HTML report. */
export interface HtmlOptions {
  /** Rows of the access matrix (principals with the widest access first; default 100). */
  readonly matrixRows?: number;
  /** Columns of the access matrix (default 60 accounts). */
  readonly matrixColumns?: number;
}

const STYLE = `
body{font-family:system-ui,sans-serif;margin:20px;color:#111}
table{border-collapse:collapse;margin:8px 0}
th,td{border:1px solid #ccc;padding:3px 6px;font-size:12px;vertical-align:top;text-align:left}
.sev-critical{background:#b30000;color:#fff}.sev-high{background:#e15759;color:#fff}.sev-medium{background:#f28e2b}
.sev-low{background:#edc948}.sev-info{background:#ddd}
.matrix td{text-align:center;font-family:monospace}
.scroll{overflow:auto;max-width:100%}
code{font-size:12px}
`;

/** The document head, title, summary line, warnings and severity counts. */
function headerSection(h: string[], report: VerifyReport, generatedAt: Date): void {
  const s = report.summary;
  h.push('<!doctype html><html lang="en"><head><meta charset="utf-8">');
  h.push(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
  h.push(`<title>${escapeHtml(`bulkhead verify: ${s.organization}`)}</title><style>${STYLE}</style></head><body>`);
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

/** The OU tree with finding counts per account. */
function organizationSection(h: string[], report: VerifyReport): void {
  const s = report.summary;
  const perAccount = new Map<string, number>();
  for (const f of report.findings) perAccount.set(f.account, (perAccount.get(f.account) ?? 0) + 1);
  h.push('<h2>Organization</h2><div class="scroll">');
  h.push(organizationSvg(s.accounts, report.view.phases, report.view.organizationalUnits, perAccount));
  h.push('</div>');

}

/** Resources a finding lists before `+ N more` (the JSON report lists them all). */
const LISTED_RESOURCES = 20;

/** `resource <code>arn</code>`, or `N resources <code>a</code>, …, + M more`; '' for none. */
function resourcesHtml(f: Finding): string {
  const all = findingResources(f);
  if (all.length === 0) return '';
  if (all.length === 1) return `resource <code>${escapeHtml(all[0]!)}</code>`;
  const shown = all.slice(0, LISTED_RESOURCES).map((r) => `<code>${escapeHtml(r)}</code>`);
  if (all.length > LISTED_RESOURCES) shown.push(`+ ${all.length - LISTED_RESOURCES} more`);
  return `${all.length} resources ${shown.join(', ')}`;
}

/** One row per finding with its details and evidence. */
function findingsSection(h: string[], report: VerifyReport): void {
  h.push(`<h2>Findings (${report.findings.length})</h2>`);
  if (report.findings.length === 0) h.push('<p>No findings.</p>');
  else {
    h.push('<table id="findings"><tr><th>severity</th><th>rule</th><th>account</th><th>finding</th><th>evidence</th></tr>');
    for (const f of report.findings) {
      const ev = f.evidence
        .map((e) => `<li>${escapeHtml(e.source)}, statement <code>${escapeHtml(e.statement)}</code> (${escapeHtml(e.effect)})${e.note ? `: ${escapeHtml(e.note)}` : ''}</li>`)
        .join('');
      const details = [
        f.principal !== '-' ? `principal ${f.principalName !== undefined ? `<code>${escapeHtml(f.principalName)}</code> (<code>${escapeHtml(f.principal)}</code>)` : `<code>${escapeHtml(f.principal)}</code>`}` : '',
        resourcesHtml(f),
        f.capabilities.length > 0 ? `capabilities ${escapeHtml(f.capabilities.join(', '))}` : '',
        ...(f.people ?? []).map((p) => `people ${escapeHtml(peopleText(p, shownPrincipal(f)))}`),
        f.path.length > 0 ? `path ${shownPath(f).map((p) => `<code>${escapeHtml(p)}</code>`).join(' → ')}` : '',
      ].filter((x) => x !== '');
      h.push(
        `<tr id="f-${findingFingerprint(f)}"><td class="sev-${f.severity}">${f.severity}</td><td><code>${escapeHtml(f.rule)}</code></td><td>${escapeHtml(f.account)}</td>` +
          `<td>${escapeHtml(f.message)}${details.length > 0 ? `<br>${details.join('<br>')}` : ''}</td><td>${ev ? `<ul>${ev}</ul>` : ''}</td></tr>`,
      );
    }
    h.push('</table>');
  }

}

/** The principal × account access matrix, widest first, capped by the options. */
function matrixSection(h: string[], report: VerifyReport, options: HtmlOptions): void {
  // access matrix: widest principals first, accounts with the most access first
  const rowsMax = options.matrixRows ?? 100;
  const colsMax = options.matrixColumns ?? 60;
  const rows = [...report.view.matrix]
    .sort((a, b) => Object.keys(b.cells).length - Object.keys(a.cells).length || compareStrings(a.principal, b.principal))
    .slice(0, rowsMax);
  const colCount = new Map<string, number>();
  for (const r of rows) for (const acct of Object.keys(r.cells)) colCount.set(acct, (colCount.get(acct) ?? 0) + 1);
  const cols = [...colCount].sort((a, b) => b[1] - a[1] || compareStrings(a[0], b[0])).slice(0, colsMax).map(([a]) => a).sort();
  h.push('<h2>Access matrix</h2>');
  h.push(`<p>Letters: ${CAPABILITIES.map((c) => `${CAP_LETTER[c]} = ${c}`).join(', ')}. Includes access through role chains.`);
  if (report.view.matrix.length > rows.length || colCount.size > cols.length) {
    h.push(` Showing ${rows.length} of ${report.view.matrix.length} principals and ${cols.length} of ${colCount.size} accounts; the JSON report has the findings for all.`);
  }
  h.push('</p>');
  if (rows.length === 0) h.push('<p>No access computed.</p>');
  else {
    h.push('<div class="scroll"><table class="matrix" id="matrix"><tr><th>principal</th>');
    for (const c of cols) h.push(`<th>${escapeHtml(c)}</th>`);
    h.push('</tr>');
    for (const r of rows) {
      h.push(`<tr><th>${escapeHtml(r.principal)}</th>`);
      for (const c of cols) h.push(`<td>${escapeHtml((r.cells[c] ?? []).map((x) => CAP_LETTER[x]).join(''))}</td>`);
      h.push('</tr>');
    }
    h.push('</table></div>');
  }

}

/** The role-assumption graph. */
function graphSection(h: string[], report: VerifyReport): void {
  h.push('<h2>Role-assumption graph</h2><div class="scroll">');
  h.push(assumeGraphSvg(report.view.assumeEdges));
  h.push('</div>');

}

/** Audit scopes and the blast-radius table. */
function auditSection(h: string[], report: VerifyReport): void {
  const s = report.summary;
  h.push('<h2>Audit scopes</h2>');
  if (s.auditScopes.length === 0) h.push('<p>No audit scopes declared.</p>');
  else {
    h.push('<table id="audit-scopes"><tr><th>scope</th><th>in scope</th><th>closure</th><th>principals reaching in-scope data</th></tr>');
    for (const a of s.auditScopes) {
      h.push(
        `<tr><td>${escapeHtml(a.name)}</td><td>${a.scopeAccounts.length}: ${escapeHtml(a.scopeAccounts.join(', '))}</td>` +
          `<td>${a.closureAccounts.length}: ${escapeHtml(a.closureAccounts.join(', '))}</td><td>${a.principals.length}</td></tr>`,
      );
    }
    h.push('</table>');
  }

  if (s.blastRadius.length > 0) {
    h.push('<h2>Blast radius (top)</h2><table id="blast-radius"><tr><th>principal</th><th>accounts</th><th>resources</th></tr>');
    for (const b of s.blastRadius) h.push(`<tr><td>${escapeHtml(b.principal)}</td><td>${b.accounts.length}: ${escapeHtml(b.accounts.join(', '))}</td><td>${b.resources}</td></tr>`);
    h.push('</table>');
  }

}

/** How each account (and each principal or resource with its own tags) was attributed. */
function attributionSection(h: string[], report: VerifyReport): void {
  const s = report.summary;
  h.push('<h2>Attribution</h2><table id="attribution"><tr><th>account</th><th>id</th><th>OU</th><th>business unit</th><th>phase</th><th>decided by</th></tr>');
  for (const a of s.accounts) {
    h.push(
      `<tr><td>${escapeHtml(a.name)}</td><td>${escapeHtml(a.id)}${a.idSynthetic ? ' (synthetic)' : ''}</td><td>${escapeHtml(a.ouPath)}</td>` +
        `<td>${escapeHtml(a.businessUnit ?? '—')}</td><td>${escapeHtml(a.phase ?? '—')}</td><td>${escapeHtml(a.decidedBy)}</td></tr>`,
    );
  }
  h.push('</table>');
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

/** Renders the report as a self-contained HTML document. */
export function renderHtml(report: VerifyReport, generatedAt: Date, options: HtmlOptions = {}): string {
  const h: string[] = [];
  headerSection(h, report, generatedAt);
  organizationSection(h, report);
  findingsSection(h, report);
  matrixSection(h, report, options);
  graphSection(h, report);
  auditSection(h, report);
  attributionSection(h, report);
  h.push('</body></html>\n');
  return h.join('');
}
