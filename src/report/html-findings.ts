/**
 * The findings of the HTML report, grouped by rule, then by principal (near-duplicate findings of one principal
 * fold into one line), most severe first, with a text filter and severity checkboxes (the inline script of
 * html-script.ts). Every finding carries `data-q` (its searchable text, lowercase) and `data-sev`.
 */
import { escapeHtml } from '../util/escape.js';
import { groupBy } from '../util/multimap.js';
import { compareStrings } from '../util/order.js';
import { SEVERITIES, findingResources, peopleText, severityRank, shownPath, shownPrincipal, type Finding, type FindingSeverity } from '../verify/finding.js';
import { findingFingerprint } from './fingerprint.js';

/** Resources a finding lists before `+ N more` (the JSON report lists them all). */
const LISTED_RESOURCES = 20;

/** Up to this many findings in all, every group starts open. */
const OPEN_ALL = 30;

/** A group of findings: the findings of one rule, or of one principal within a rule. */
interface Group {
  readonly key: string;
  readonly findings: Finding[];
}

/** The findings grouped by `keyOf`, in the order each key first appears. */
function groupsOf(findings: readonly Finding[], keyOf: (f: Finding) => string): Group[] {
  return [...groupBy(findings, keyOf)].map(([key, list]) => ({ key, findings: list }));
}

function worst(findings: readonly Finding[]): FindingSeverity {
  let best: FindingSeverity = 'info';
  for (const f of findings) if (severityRank(f.severity) > severityRank(best)) best = f.severity;
  return best;
}

/** Most severe first, then more findings first, then by key. */
function sortGroups(groups: Group[]): Group[] {
  return groups.sort(
    (a, b) => severityRank(worst(b.findings)) - severityRank(worst(a.findings)) || b.findings.length - a.findings.length || compareStrings(a.key, b.key),
  );
}

/** Severity badges with counts, e.g. `critical 3 high 1`. */
function badges(findings: readonly Finding[]): string {
  const counts = new Map<FindingSeverity, number>();
  for (const f of findings) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
  return SEVERITIES.filter((s) => counts.has(s))
    .map((s) => `<span class="badge sev-${s}" title="${s}">${counts.get(s)}</span>`)
    .join('');
}

/** `resource <code>arn</code>`, or `N resources <code>a</code>, …, + M more`; '' for none. */
function resourcesHtml(f: Finding): string {
  const all = findingResources(f);
  if (all.length === 0) return '';
  if (all.length === 1) return `resource <code>${escapeHtml(all[0]!)}</code>`;
  const shown = all.slice(0, LISTED_RESOURCES).map((r) => `<code>${escapeHtml(r)}</code>`);
  if (all.length > LISTED_RESOURCES) shown.push(`+ ${all.length - LISTED_RESOURCES} more`);
  return `${all.length} resources ${shown.join(', ')}`;
}

/** The text the filter searches: rule, principal (name and ARN), account, resources listed, people, message. */
function searchText(f: Finding): string {
  return [
    f.rule,
    f.severity,
    shownPrincipal(f),
    f.principal,
    f.account,
    ...findingResources(f).slice(0, LISTED_RESOURCES),
    ...(f.people ?? []).flatMap((p) => [p.group, p.permissionSet ?? '', ...p.members.slice(0, 20)]),
    ...shownPath(f),
    f.message,
  ]
    .join(' ')
    .toLowerCase();
}

/** One finding: message, principal, resources, people, path, and its evidence behind a drill-down. */
function findingHtml(f: Finding): string {
  const principal = shownPrincipal(f);
  const details = [
    `account <code>${escapeHtml(f.account)}</code>`,
    f.principal !== '-' ? `principal <code>${escapeHtml(principal)}</code>${principal !== f.principal ? ` (<code>${escapeHtml(f.principal)}</code>)` : ''}` : '',
    resourcesHtml(f),
    f.capabilities.length > 0 ? `capabilities ${escapeHtml(f.capabilities.join(', '))}` : '',
    ...(f.people ?? []).map((p) => `via ${escapeHtml(peopleText(p, principal))}`),
    f.path.length > 0 ? `path ${shownPath(f).map((p) => `<code>${escapeHtml(p)}</code>`).join(' → ')}` : '',
  ].filter((x) => x !== '');
  const ev = f.evidence
    .map((e) => `<li>${escapeHtml(e.source)}, statement <code>${escapeHtml(e.statement)}</code> (${escapeHtml(e.effect)})${e.note ? `: ${escapeHtml(e.note)}` : ''}</li>`)
    .join('');
  return (
    `<div class="finding" id="f-${findingFingerprint(f)}" data-sev="${f.severity}" data-q="${escapeHtml(searchText(f))}">` +
    `<span class="badge sev-${f.severity}">${f.severity}</span> ${escapeHtml(f.message)}` +
    `<div class="meta">${details.join(' · ')}</div>` +
    (ev ? `<details><summary>evidence (${f.evidence.length})</summary><ul>${ev}</ul></details>` : '') +
    `</div>`
  );
}

/** The findings of one principal within a rule; one finding alone is shown without a group. */
function principalGroupHtml(g: Group, open: boolean): string {
  const accounts = new Set(g.findings.map((f) => f.account)).size;
  const sorted = [...g.findings].sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || compareStrings(a.account, b.account));
  return (
    `<details class="fgroup principal"${open ? ' open' : ''}><summary>${badges(g.findings)} <code>${escapeHtml(g.key)}</code>: ` +
    `<span class="fcount">${g.findings.length}</span> finding(s) in ${accounts} account(s)</summary>` +
    sorted.map(findingHtml).join('') +
    `</details>`
  );
}

/** The anchor of a rule's group. */
export function ruleAnchor(rule: string): string {
  return `rule-${rule.replace(/[^A-Za-z0-9._-]/g, '_')}`;
}

/** The filter bar: text and one checkbox per severity. */
function filterHtml(total: number): string {
  const boxes = SEVERITIES.map((s) => `<label><input type="checkbox" value="${s}" checked> <span class="badge sev-${s}">${s}</span></label>`).join(' ');
  return (
    `<div id="filter"><label>Filter <input type="text" id="filter-text" placeholder="principal, account, resource, rule, group…" autocomplete="off"></label> ` +
    `${boxes} <span><span id="filter-count">${total}</span> of ${total} shown</span></div>`
  );
}

/** The findings section: filter bar, then one group per rule, each with one group per principal. */
export function findingsSection(h: string[], findings: readonly Finding[]): void {
  h.push(`<h2 id="findings-title">Findings (${findings.length})</h2>`);
  if (findings.length === 0) {
    h.push('<p>No findings.</p><div id="findings"></div>');
    return;
  }
  h.push(`<p>Grouped by rule, then by principal, most severe first. Type to filter; open a group to see its findings and their evidence.</p>`);
  h.push(filterHtml(findings.length));
  h.push('<div id="findings">');
  const openAll = findings.length <= OPEN_ALL;
  for (const rule of sortGroups(groupsOf(findings, (f) => f.rule))) {
    h.push(
      `<details class="fgroup rule" id="${escapeHtml(ruleAnchor(rule.key))}"${openAll ? ' open' : ''}><summary>${badges(rule.findings)} <strong><code>${escapeHtml(rule.key)}</code></strong>: ` +
        `<span class="fcount">${rule.findings.length}</span> finding(s), ${new Set(rule.findings.map(shownPrincipal)).size} principal(s)</summary>`,
    );
    for (const p of sortGroups(groupsOf(rule.findings, shownPrincipal))) h.push(principalGroupHtml(p, openAll));
    h.push('</details>');
  }
  h.push('</div>');
}

/** The summary's table of findings per rule, most severe first, each linking to its group. */
export function findingsByRuleTable(findings: readonly Finding[]): string {
  if (findings.length === 0) return '';
  const rows = sortGroups(groupsOf(findings, (f) => f.rule)).map((g) => {
    const cells = SEVERITIES.map((s) => {
      const n = g.findings.filter((f) => f.severity === s).length;
      return `<td>${n > 0 ? n : ''}</td>`;
    }).join('');
    return `<tr><td><a href="#${escapeHtml(ruleAnchor(g.key))}"><code>${escapeHtml(g.key)}</code></a></td>${cells}<td>${new Set(g.findings.map(shownPrincipal)).size}</td></tr>`;
  });
  return `<table id="by-rule"><tr><th>rule</th>${SEVERITIES.map((s) => `<th class="sev-${s}">${s}</th>`).join('')}<th>principals</th></tr>${rows.join('')}</table>`;
}
