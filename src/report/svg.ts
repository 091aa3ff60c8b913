/**
 * SVG diagrams for the HTML report: the organization (business unit × phase grid of runtime accounts, the
 * shared and specialized accounts, the OU tree) colored by phase, and the role-assumption graph.
 * Pure string building; every label is escaped.
 */
import { escapeHtml } from '../util/escape.js';
import type { AccountSummary } from '../verify/verify.js';

const NONPROD_COLORS = ['#4e79a7', '#59a14f', '#edc948', '#b07aa1', '#76b7b2', '#9c755f', '#bab0ac'];
const PROD_COLOR = '#e15759';
const NONE_COLOR = '#cccccc';

/** The fill color of each phase: production phases red, others from a fixed palette in phase order. */
export function phaseColors(phases: readonly { name: string; production: boolean }[], accounts: readonly AccountSummary[]): Map<string, string> {
  const names: { name: string; production: boolean }[] = [...phases];
  for (const a of accounts) {
    if (a.phase !== null && !names.some((p) => p.name === a.phase)) names.push({ name: a.phase, production: a.production });
  }
  const m = new Map<string, string>();
  let i = 0;
  for (const p of names) m.set(p.name, p.production ? PROD_COLOR : NONPROD_COLORS[i++ % NONPROD_COLORS.length]!);
  return m;
}

const BOX_W = 170;
const BOX_H = 26;
const GAP = 6;

function box(x: number, y: number, a: AccountSummary, color: string, findings: number): string {
  const label = a.name.length > 24 ? `${a.name.slice(0, 23)}…` : a.name;
  return (
    `<g class="account" data-account="${escapeHtml(a.name)}">` +
    `<title>${escapeHtml(`${a.name} (${a.id}${a.idSynthetic ? ', synthetic id' : ''}) ${a.ouPath}; ${a.decidedBy}; ${findings} finding(s)`)}</title>` +
    `<rect x="${x}" y="${y}" width="${BOX_W}" height="${BOX_H}" rx="4" fill="${color}" stroke="${findings > 0 ? '#000' : '#666'}" stroke-width="${findings > 0 ? 2 : 1}"/>` +
    `<text x="${x + 6}" y="${y + 17}" font-size="12" fill="#111">${escapeHtml(label)}</text>` +
    (findings > 0 ? `<text x="${x + BOX_W - 6}" y="${y + 17}" font-size="11" text-anchor="end" fill="#111">${findings}</text>` : '') +
    `</g>`
  );
}

/** The organization diagram: BU × phase grid, shared/specialized accounts, and the OU tree with every account. */
export function organizationSvg(
  accounts: readonly AccountSummary[],
  phases: readonly { name: string; production: boolean }[],
  ous: readonly string[],
  findingsPerAccount: ReadonlyMap<string, number>,
): string {
  const colors = phaseColors(phases, accounts);
  const colorOf = (a: AccountSummary) => (a.phase !== null ? (colors.get(a.phase) ?? NONE_COLOR) : NONE_COLOR);
  const phaseNames = [...colors.keys()];
  const runtime = accounts.filter((a) => a.businessUnit !== null && a.phase !== null);
  const other = accounts.filter((a) => !(a.businessUnit !== null && a.phase !== null));
  const bus = [...new Set(runtime.map((a) => a.businessUnit!))].sort();
  const parts: string[] = [];
  const left = 140;
  let y = 30;
  parts.push(`<text x="10" y="18" font-size="14" font-weight="bold">Runtime accounts: business unit × phase</text>`);
  phaseNames.forEach((p, i) => {
    parts.push(`<text x="${left + i * (BOX_W + GAP) + 4}" y="${y + 12}" font-size="12" font-weight="bold">${escapeHtml(p)}</text>`);
  });
  y += 20;
  for (const bu of bus) {
    const rows = Math.max(1, ...phaseNames.map((p) => runtime.filter((a) => a.businessUnit === bu && a.phase === p).length));
    parts.push(`<text x="10" y="${y + 17}" font-size="12" font-weight="bold">${escapeHtml(bu)}</text>`);
    phaseNames.forEach((p, i) => {
      runtime
        .filter((a) => a.businessUnit === bu && a.phase === p)
        .forEach((a, k) => parts.push(box(left + i * (BOX_W + GAP), y + k * (BOX_H + GAP), a, colorOf(a), findingsPerAccount.get(a.name) ?? 0)));
    });
    y += rows * (BOX_H + GAP) + 4;
  }
  y += 16;
  parts.push(`<text x="10" y="${y}" font-size="14" font-weight="bold">Shared and specialized accounts</text>`);
  y += 10;
  const perRow = Math.max(4, phaseNames.length + 1);
  other.forEach((a, i) => {
    parts.push(box(10 + (i % perRow) * (BOX_W + GAP), y + Math.floor(i / perRow) * (BOX_H + GAP), a, colorOf(a), findingsPerAccount.get(a.name) ?? 0));
  });
  y += Math.ceil(other.length / perRow) * (BOX_H + GAP) + 24;

  // OU tree: OUs indented by depth, each followed by its accounts
  parts.push(`<text x="10" y="${y}" font-size="14" font-weight="bold">OU tree</text>`);
  y += 12;
  const allOus = [...new Set(['Root', ...ous, ...accounts.map((a) => a.ouPath)])].sort();
  for (const ou of allOus) {
    const depth = ou.split('/').length - 1;
    const x = 10 + depth * 24;
    parts.push(`<g class="ou" data-ou="${escapeHtml(ou)}"><text x="${x}" y="${y + 14}" font-size="12" font-weight="bold">${escapeHtml(ou.split('/').pop() ?? ou)}</text></g>`);
    if (depth > 0) parts.push(`<line x1="${x - 14}" y1="${y + 10}" x2="${x - 4}" y2="${y + 10}" stroke="#888"/>`);
    y += 20;
    for (const a of accounts.filter((acc) => acc.ouPath === ou)) {
      const ax = x + 24;
      parts.push(
        `<g class="tree-account" data-account="${escapeHtml(a.name)}"><rect x="${ax}" y="${y}" width="12" height="12" fill="${colorOf(a)}"/>` +
          `<text x="${ax + 18}" y="${y + 11}" font-size="11">${escapeHtml(a.name)}</text></g>`,
      );
      y += 16;
    }
  }
  // legend
  y += 10;
  let lx = 10;
  for (const [p, c] of [...colors, ['no phase', NONE_COLOR] as const]) {
    parts.push(`<rect x="${lx}" y="${y}" width="12" height="12" fill="${c}"/><text x="${lx + 16}" y="${y + 11}" font-size="11">${escapeHtml(p)}</text>`);
    lx += 30 + p.length * 7;
  }
  y += 24;
  const width = Math.max(left + phaseNames.length * (BOX_W + GAP) + 20, 10 + perRow * (BOX_W + GAP), 700);
  return `<svg id="org-diagram" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}" role="img" aria-label="organization diagram">${parts.join('')}</svg>`;
}

/** The role-assumption graph: nodes in columns by their distance from a principal nobody assumes into. */
export function assumeGraphSvg(edges: readonly { from: string; to: string }[], maxNodes = 150): string {
  const nodes = [...new Set(edges.flatMap((e) => [e.from, e.to]))].sort();
  if (nodes.length === 0) return '<p>No role-assumption edges.</p>';
  const shown = new Set(nodes.slice(0, maxNodes));
  const es = edges.filter((e) => shown.has(e.from) && shown.has(e.to));
  const incoming = new Map<string, number>();
  for (const e of es) incoming.set(e.to, (incoming.get(e.to) ?? 0) + 1);
  const depth = new Map<string, number>();
  const queue = [...shown].filter((n) => !incoming.has(n));
  if (queue.length === 0) queue.push([...shown][0]!);
  for (const n of queue) depth.set(n, 0);
  while (queue.length > 0) {
    const n = queue.shift()!;
    for (const e of es) {
      if (e.from === n && !depth.has(e.to)) {
        depth.set(e.to, depth.get(n)! + 1);
        queue.push(e.to);
      }
    }
  }
  for (const n of shown) if (!depth.has(n)) depth.set(n, 0);
  const columns = new Map<number, string[]>();
  for (const n of [...shown].sort()) {
    const d = depth.get(n)!;
    columns.set(d, [...(columns.get(d) ?? []), n]);
  }
  const W = 300;
  const H = 24;
  const pos = new Map<string, { x: number; y: number }>();
  let maxRows = 0;
  for (const [d, list] of columns) {
    list.forEach((n, i) => pos.set(n, { x: 10 + d * (W + 60), y: 10 + i * (H + 8) }));
    maxRows = Math.max(maxRows, list.length);
  }
  const parts: string[] = [
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>',
  ];
  for (const e of es) {
    const a = pos.get(e.from)!;
    const b = pos.get(e.to)!;
    parts.push(`<line class="edge" x1="${a.x + W}" y1="${a.y + H / 2}" x2="${b.x}" y2="${b.y + H / 2}" stroke="#555" marker-end="url(#arrow)"><title>${escapeHtml(`${e.from} can assume ${e.to}`)}</title></line>`);
  }
  for (const [n, p] of pos) {
    const short = n.replace(/^arn:aws:iam::/, '');
    parts.push(
      `<g class="node"><title>${escapeHtml(n)}</title><rect x="${p.x}" y="${p.y}" width="${W}" height="${H}" rx="4" fill="#f3f3f3" stroke="#666"/>` +
        `<text x="${p.x + 6}" y="${p.y + 16}" font-size="11">${escapeHtml(short.length > 46 ? `${short.slice(0, 45)}…` : short)}</text></g>`,
    );
  }
  const width = 20 + columns.size * (W + 60);
  const height = 20 + maxRows * (H + 8);
  const note = nodes.length > maxNodes ? `<p>Showing ${maxNodes} of ${nodes.length} principals.</p>` : '';
  return `${note}<svg id="assume-graph" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join('')}</svg>`;
}
