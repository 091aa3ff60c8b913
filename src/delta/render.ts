/**
 * Renderers of a delta: text (escaped for a terminal), JSON, Markdown (a pull-request comment: summary first,
 * details folded in `<details>`), SARIF 2.1.0 (`baselineState` new / unchanged / absent) and self-contained HTML.
 */
import { escapeHtml, escapeJson, escapeText, markdownText } from '../util/escape.js';
import { RULES, shownPrincipal, type Finding, type FindingSeverity } from '../verify/finding.js';
import { VERSION } from '../version.js';
import type { AccessChange, Delta, FindingDelta, StructuralChange } from './types.js';

/** The formats of `bulkhead diff` / `drift`. */
export const DELTA_FORMATS = ['text', 'json', 'markdown', 'sarif', 'html'] as const;
/** One of {@link DELTA_FORMATS}. */
export type DeltaFormat = (typeof DELTA_FORMATS)[number];

/** Words of the two modes. */
function words(d: Delta) {
  return d.mode === 'drift'
    ? { title: 'drift from the design', gained: 'live adds', lost: 'live lacks', added: 'only live (out of band)', removed: 'only in the design', changed: 'differs from the design', before: 'design', after: 'live' }
    : { title: 'changes', gained: 'gained', lost: 'lost', added: 'added', removed: 'removed', changed: 'changed', before: 'before', after: 'after' };
}

function changeWord(d: Delta, c: StructuralChange): string {
  const w = words(d);
  return c.change === 'added' ? w.added : c.change === 'removed' ? w.removed : c.change === 'changed' ? w.changed : c.change;
}

function summaryLine(d: Delta): string {
  const s = d.summary;
  const w = words(d);
  return `${s.structural.added + s.structural.removed + s.structural.changed} structural changes; access ${w.gained} ${s.access.gained}, ${w.lost} ${s.access.lost}; findings new ${s.findings.new}, resolved ${s.findings.resolved}, unchanged ${s.findings.unchanged}`;
}

function accessLine(d: Delta, a: AccessChange): string {
  const w = words(d);
  const res = a.resources.length === 1 ? a.resources[0]! : `${a.resources.length} resources`;
  return `${a.direction === 'gained' ? '+' : '-'} ${a.principal} ${a.direction === 'gained' ? w.gained : w.lost} ${a.capabilities.join(', ')} on ${res} in ${a.account} [${a.severity}]`;
}

function findingLine(f: Finding): string {
  return `[${f.severity}] ${f.rule} ${shownPrincipal(f)} ${f.account}: ${f.message}`;
}

/** Plain text; every line escaped (names come from the inputs). */
export function renderDeltaText(d: Delta): string {
  const w = words(d);
  const lines: string[] = [`bulkhead ${d.mode}: ${w.before} ${d.sides.before} → ${w.after} ${d.sides.after}`, summaryLine(d)];
  if (d.structural.length > 0) lines.push('', 'structure:');
  for (const c of d.structural) {
    lines.push(`  ${c.subject} ${c.name}: ${changeWord(d, c)}`);
    for (const x of c.details) lines.push(`    ${x}`);
  }
  if (d.access.length > 0) lines.push('', 'access:');
  for (const a of d.access) {
    lines.push(`  ${accessLine(d, a)}`);
    if (a.path.length > 1) lines.push(`    path: ${a.path.join(' → ')}`);
    for (const e of a.evidence) lines.push(`    ${e.effect} ${e.source}#${e.statement}`);
  }
  const changed = d.findings.filter((f) => f.state !== 'unchanged');
  if (changed.length > 0) lines.push('', 'findings:');
  for (const f of changed) lines.push(`  ${f.state}: ${findingLine(f.finding)}`);
  for (const x of d.summary.incomplete) lines.push(`incomplete ${x}`);
  return `${lines.map(escapeText).join('\n')}\n`;
}

/** JSON: the delta as it is, with a format version. */
export function renderDeltaJson(d: Delta): string {
  return `${escapeJson(JSON.stringify({ formatVersion: 1, tool: { name: 'bulkhead', version: VERSION }, ...d }, null, 2))}\n`;
}

function mdList(items: readonly string[]): string {
  return items.map((x) => `- ${x}`).join('\n');
}

function mdDetails(summary: string, body: string): string {
  return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

/** Markdown for a pull-request comment: the counts and the gains first, every detail folded. */
export function renderDeltaMarkdown(d: Delta): string {
  const w = words(d);
  const t = markdownText;
  const parts: string[] = [`### bulkhead ${d.mode}: ${t(d.sides.before)} → ${t(d.sides.after)}`, '', `**${t(summaryLine(d))}**`];
  const gained = d.access.filter((a) => a.direction === 'gained');
  if (gained.length > 0) parts.push('', `**Access ${w.gained}**`, '', mdList(gained.slice(0, 10).map((a) => t(accessLine(d, a)))));
  const news = d.findings.filter((f) => f.state === 'new');
  if (news.length > 0) parts.push('', '**New findings**', '', mdList(news.slice(0, 10).map((f) => t(findingLine(f.finding)))));
  if (d.structural.length > 0) {
    const body = mdList(d.structural.map((c) => `${t(c.subject)} **${t(c.name)}**: ${t(changeWord(d, c))}${c.details.length > 0 ? `<br>${c.details.map(t).join('<br>')}` : ''}`));
    parts.push('', mdDetails(`Structure (${d.structural.length})`, body));
  }
  if (d.access.length > 0) {
    const body = mdList(d.access.map((a) => `${t(accessLine(d, a))}<br>path: ${t(a.path.join(' → '))}<br>${a.evidence.map((e) => t(`${e.effect} ${e.source}#${e.statement}`)).join('<br>')}`));
    parts.push('', mdDetails(`Access (${d.access.length})`, body));
  }
  for (const state of ['new', 'resolved', 'unchanged'] as const) {
    const fs = d.findings.filter((f) => f.state === state);
    if (fs.length > 0) parts.push('', mdDetails(`Findings ${state} (${fs.length})`, mdList(fs.map((f) => t(findingLine(f.finding))))));
  }
  if (d.summary.incomplete.length > 0) parts.push('', mdDetails(`Incomplete analysis (${d.summary.incomplete.length})`, mdList(d.summary.incomplete.map(t))));
  return `${parts.join('\n')}\n`;
}

const LEVEL: Record<FindingSeverity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };

/*
 * SARIF 2.1.0 §3.27.24 `baselineState`: "new" (in this run, not the baseline), "unchanged" (in both, identical),
 * "updated" (in both, changed), "absent" (in the baseline, not this run). Resolved findings are reported as
 * `absent` results (the spec keeps them so a viewer can show what was fixed); new access has rule `delta.access-gained`.
 * https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 */
const BASELINE: Record<FindingDelta['state'], 'new' | 'unchanged' | 'absent'> = { new: 'new', unchanged: 'unchanged', resolved: 'absent' };

/** SARIF 2.1.0: findings with `baselineState`, and each access gain as a `delta.access-gained` result. */
export function renderDeltaSarif(d: Delta, artifactUri: string): string {
  const rules = [...RULES.map((r) => ({ id: r.id, name: r.name, shortDescription: { text: r.description } })), { id: 'delta.access-gained', name: 'AccessGained', shortDescription: { text: 'a principal gained capabilities between the two sides' } }];
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const location = (account: string, principal?: string) => [
    {
      physicalLocation: { artifactLocation: { uri: artifactUri }, region: { startLine: 1 } },
      logicalLocations: [{ name: account, kind: 'module' }, ...(principal !== undefined ? [{ fullyQualifiedName: principal, kind: 'member' }] : [])],
    },
  ];
  const findingResults = d.findings.map((f) => ({
    ruleId: f.finding.rule,
    ruleIndex: index.get(f.finding.rule) ?? -1,
    level: LEVEL[f.finding.severity],
    message: { text: f.finding.message },
    locations: location(f.finding.account, f.finding.principal !== '-' ? f.finding.principal : undefined),
    baselineState: BASELINE[f.state],
    partialFingerprints: { 'bulkheadDelta/v1': f.key },
    properties: { severity: f.finding.severity, principalName: shownPrincipal(f.finding), capabilities: f.finding.capabilities, path: f.finding.path },
  }));
  const accessResults = d.access
    .filter((a) => a.direction === 'gained')
    .map((a) => ({
      ruleId: 'delta.access-gained',
      ruleIndex: index.get('delta.access-gained')!,
      level: LEVEL[a.severity],
      message: { text: accessLine(d, a) },
      locations: location(a.account, a.principal),
      baselineState: 'new' as const,
      properties: { severity: a.severity, principal: a.principal, resources: a.resources, capabilities: a.capabilities, path: a.path, evidence: a.evidence },
    }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'bulkhead', version: VERSION, informationUri: 'https://github.com/bulkhead/bulkhead', rules } }, results: [...findingResults, ...accessResults] }],
  };
  return `${escapeJson(JSON.stringify(log, null, 2))}\n`;
}

/** One self-contained HTML page (no scripts, no external resources); every value escaped. */
export function renderDeltaHtml(d: Delta): string {
  const h = escapeHtml;
  const w = words(d);
  const rows = (cells: readonly string[][]) => cells.map((r) => `<tr>${r.map((c) => `<td>${h(c)}</td>`).join('')}</tr>`).join('\n');
  const table = (head: readonly string[], cells: readonly string[][]) =>
    cells.length === 0 ? '<p>none</p>' : `<table><thead><tr>${head.map((x) => `<th>${h(x)}</th>`).join('')}</tr></thead><tbody>\n${rows(cells)}\n</tbody></table>`;
  const body = [
    `<h1>bulkhead ${h(d.mode)}: ${h(d.sides.before)} → ${h(d.sides.after)}</h1>`,
    `<p class="summary">${h(summaryLine(d))}</p>`,
    '<h2>Access</h2>',
    table(['', 'principal', 'capabilities', 'account', 'resources', 'path', 'statements', 'severity'], d.access.map((a) => [a.direction === 'gained' ? w.gained : w.lost, a.principal, a.capabilities.join(', '), a.account, a.resources.join(', '), a.path.join(' → '), a.evidence.map((e) => `${e.effect} ${e.source}#${e.statement}`).join('; '), a.severity])),
    '<h2>Findings</h2>',
    table(['state', 'severity', 'rule', 'principal', 'account', 'message'], d.findings.map((f) => [f.state, f.finding.severity, f.finding.rule, shownPrincipal(f.finding), f.finding.account, f.finding.message])),
    '<h2>Structure</h2>',
    table(['subject', 'name', 'change', 'details'], d.structural.map((c) => [c.subject, c.name, changeWord(d, c), c.details.join('; ')])),
  ].join('\n');
  const css = 'body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}.summary{font-weight:bold}';
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><title>bulkhead ${h(d.mode)}</title><style>${css}</style></head><body>\n${body}\n</body></html>\n`;
}

/** Renders a delta in `format`; `artifactUri` is what SARIF results point at. */
export function renderDelta(d: Delta, format: DeltaFormat, artifactUri = '.'): string {
  switch (format) {
    case 'text':
      return renderDeltaText(d);
    case 'json':
      return renderDeltaJson(d);
    case 'markdown':
      return renderDeltaMarkdown(d);
    case 'sarif':
      return renderDeltaSarif(d, artifactUri);
    case 'html':
      return renderDeltaHtml(d);
  }
}
