/**
 * The HTML form of a migration plan: one self-contained page (no script, no external resource) with two pictures
 * drawn as inline SVG, then the tables.
 *
 * - The coupling picture: one column per account after the migration, kitchen-sink accounts first. A kitchen-sink
 *   column shows every group it holds now (the ones that leave drawn dashed), a dashed grey arrow from each leaving
 *   group to its place in the target account, and a red arrow (with the number of couplings) for every
 *   cross-account dependency that remains after the migration. Groups, not resources, are drawn, so 200 resources
 *   stay legible (a group is one box whatever its size).
 * - The waves: one box per wave in order, with its moves and grants.
 */
import { escapeHtml } from '../util/escape.js';
import { compareStrings } from '../util/order.js';
import type { MigrationPlan } from './migrate.js';
import type { MigrationGroup } from './partition.js';
import { dependencyLine, groupLine, renameLine, SHARED_ROLES_HEADING } from './render.js';

const COL_W = 230;
const COL_GAP = 140;
const BOX_H = 38;
const BOX_GAP = 10;
const TOP = 40;
const COLORS: Readonly<Record<MigrationGroup['status'], string>> = {
  moves: '#d9f2dd',
  stays: '#eeeeee',
  'mixed-phase': '#ffd8b0',
  'mixed-business-unit': '#ffd8b0',
  unattributed: '#fff3b0',
  'no-target': '#fff3b0',
};

interface Box {
  readonly x: number;
  readonly y: number;
}

const truncate = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Column order: kitchen-sink accounts first, then the other accounts that hold a group after the migration. */
function columns(plan: MigrationPlan): string[] {
  const after = new Set(plan.groups.map((g) => (g.status === 'moves' ? g.target! : g.accounts[0]!)));
  const sinks = plan.kitchenSinks.filter((a) => plan.groups.some((g) => g.accounts.includes(a)));
  return [...sinks, ...[...after].filter((a) => !sinks.includes(a)).sort(compareStrings)];
}

/** One group box (dashed when it is the place a leaving group had). */
function groupBox(g: MigrationGroup, b: Box, ghost: boolean): string {
  const attrs = [...g.phases, ...g.businessUnits].join(' · ') || 'unattributed';
  return [
    `<g class="group"><title>${escapeHtml(groupLine(g))}</title>`,
    `<rect x="${b.x}" y="${b.y}" width="${COL_W - 20}" height="${BOX_H}" rx="4" fill="${ghost ? '#ffffff' : COLORS[g.status]}" stroke="#555" ${ghost ? 'stroke-dasharray="4 3"' : ''}/>`,
    `<text x="${b.x + 6}" y="${b.y + 15}" font-size="12" font-weight="bold">${escapeHtml(truncate(`${g.id} ${g.label}`, 30))}</text>`,
    `<text x="${b.x + 6}" y="${b.y + 30}" font-size="11">${escapeHtml(truncate(`${g.members.length} res. · ${attrs}${g.status !== 'moves' && g.status !== 'stays' ? ` · ${g.status}` : ''}`, 36))}</text>`,
    '</g>',
  ].join('');
}

/** A curved arrow between two boxes (right edge → left edge, or the reverse when the target is to the left). */
function arrow(from: Box, to: Box, cls: 'move' | 'dep', label?: string): string {
  const leftToRight = to.x >= from.x;
  const x1 = leftToRight ? from.x + COL_W - 20 : from.x;
  const x2 = leftToRight ? to.x : to.x + COL_W - 20;
  const y1 = from.y + BOX_H / 2;
  const y2 = to.y + BOX_H / 2;
  const dx = (x2 - x1) / 2 || 60;
  const style = cls === 'move' ? 'stroke="#888" stroke-dasharray="5 4"' : 'stroke="#c0392b" stroke-width="1.5"';
  const marker = cls === 'move' ? 'url(#m-move)' : 'url(#m-dep)';
  const text = label ? `<text x="${(x1 + x2) / 2}" y="${(y1 + y2) / 2 - 4}" font-size="10" fill="#c0392b">${escapeHtml(label)}</text>` : '';
  return `<path d="M${x1},${y1} C${x1 + dx},${y1} ${x2 - dx},${y2} ${x2},${y2}" fill="none" ${style} marker-end="${marker}"/>${text}`;
}

/** The coupling picture. */
export function couplingSvg(plan: MigrationPlan): string {
  const cols = columns(plan);
  const place = new Map<string, Box>();
  const ghosts = new Map<string, Box>();
  const heights = new Map<string, number>();
  const slot = (account: string): Box => {
    const i = cols.indexOf(account);
    const n = heights.get(account) ?? 0;
    heights.set(account, n + 1);
    return { x: 10 + i * (COL_W + COL_GAP), y: TOP + n * (BOX_H + BOX_GAP) };
  };
  const parts: string[] = [];
  // kitchen-sink columns first: every group they hold now; the leaving ones as ghosts
  for (const g of plan.groups) {
    const from = g.accounts.find((a) => plan.kitchenSinks.includes(a));
    if (from !== undefined && cols.includes(from)) (g.status === 'moves' ? ghosts : place).set(g.id, slot(from));
  }
  for (const g of plan.groups) if (!place.has(g.id)) place.set(g.id, slot(g.status === 'moves' ? g.target! : g.accounts[0]!));
  for (const g of plan.groups) {
    const ghost = ghosts.get(g.id);
    if (ghost) parts.push(groupBox(g, ghost, true), arrow(ghost, place.get(g.id)!, 'move'));
    parts.push(groupBox(g, place.get(g.id)!, false));
  }
  // remaining cross-account dependencies, aggregated per pair of groups
  const groupOf = new Map(plan.workloads.map((w) => [w.arn, w.group]));
  const accountOf = new Map(plan.workloads.map((w) => [w.arn, w.account]));
  const groupById = new Map(plan.groups.map((g) => [g.id, g]));
  const after = (arn: string) => {
    const g = groupById.get(groupOf.get(arn)!)!;
    return g.status === 'moves' ? g.target! : accountOf.get(arn)!;
  };
  const pairs = new Map<string, number>();
  for (const e of plan.edges) {
    if (e.kind === 'same-stack' || e.kind === 'same-application' || after(e.from) === after(e.to)) continue;
    const k = `${groupOf.get(e.from)}\u0000${groupOf.get(e.to)}`;
    pairs.set(k, (pairs.get(k) ?? 0) + 1);
  }
  for (const [k, n] of [...pairs].sort((a, b) => compareStrings(a[0], b[0]))) {
    const [a, b] = k.split('\u0000') as [string, string];
    parts.push(arrow(place.get(a)!, place.get(b)!, 'dep', `${n}`));
  }
  const headers = cols.map((a, i) => `<text x="${10 + i * (COL_W + COL_GAP)}" y="22" font-size="13" font-weight="bold">${escapeHtml(truncate(a, 30))}${plan.kitchenSinks.includes(a) ? ' (kitchen-sink)' : ''}</text>`);
  const width = Math.max(1, cols.length) * (COL_W + COL_GAP);
  const height = TOP + Math.max(1, ...heights.values()) * (BOX_H + BOX_GAP) + 10;
  const defs =
    '<defs><marker id="m-move" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#888"/></marker>' +
    '<marker id="m-dep" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#c0392b"/></marker></defs>';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" role="img" aria-label="groups by account after the migration">${defs}${headers.join('')}${parts.join('')}</svg>`;
}

/** The waves picture: one box per wave, left to right. */
export function wavesSvg(plan: MigrationPlan): string {
  const W = 230;
  const lines = (w: MigrationPlan['waves'][number]) => [`${w.moves.length} move(s), ${w.grants.length} grant(s)`, ...w.moves.slice(0, 8).map((m) => `${m.group} ${m.label} → ${m.to}`), ...(w.moves.length > 8 ? [`… ${w.moves.length - 8} more`] : [])];
  const h = 40 + Math.max(1, ...plan.waves.map((w) => lines(w).length)) * 14;
  const boxes = plan.waves.map((w, i) => {
    const x = 10 + i * (W + 40);
    const text = lines(w).map((l, j) => `<text x="${x + 8}" y="${38 + j * 14}" font-size="11">${escapeHtml(truncate(l, 36))}</text>`).join('');
    const next = i < plan.waves.length - 1 ? `<path d="M${x + W},${h / 2} L${x + W + 36},${h / 2}" stroke="#555" marker-end="url(#m-wave)"/>` : '';
    return `<rect x="${x}" y="4" width="${W}" height="${h - 8}" rx="6" fill="${w.production ? '#fde2e2' : '#e2effd'}" stroke="#555"/><text x="${x + 8}" y="22" font-size="13" font-weight="bold">${escapeHtml(`wave ${w.number} · ${w.phase}`)}</text>${text}${next}`;
  });
  const width = Math.max(1, plan.waves.length) * (W + 40);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${h}" viewBox="0 0 ${width} ${h}" font-family="sans-serif" role="img" aria-label="migration waves"><defs><marker id="m-wave" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>${boxes.join('')}</svg>`;
}

/** The plan as one self-contained HTML page. */
export function renderMigrationHtml(plan: MigrationPlan): string {
  const e = escapeHtml;
  const li = (xs: readonly string[]) => (xs.length === 0 ? '<p>none</p>' : `<ul>${xs.map((x) => `<li>${e(x)}</li>`).join('')}</ul>`);
  const waves = plan.waves.map(
    (w) => `<h3>${e(`Wave ${w.number}: ${w.phase}${w.production ? ' (production)' : ''}`)}</h3>${w.renames.length > 0 ? `<p>Rename first (legacy names that would share one ARN):</p>${li(w.renames.map(renameLine))}` : ''}${w.newRoles.length > 0 ? `<p>New roles (copies of shared roles):</p>${li(w.newRoles.map((r) => `${r.role} → ${r.account}`))}` : ''}<p>Deploy in this order:</p>${li(w.moves.map((m) => `${m.group} ${m.label}: ${m.from.join(', ')} → ${m.to} (${m.resources} resources)`))}<p>New grants, added before cutting over:</p>${li(w.newDependencies.map(dependencyLine))}<p>Verify afterwards:</p>${li(w.verify)}`,
  );
  const p = plan.proof;
  const proof = p ? `<p><strong>${p.holds ? 'holds' : 'does not hold'}</strong>: ${p.findings} findings, ${p.crossBusinessUnit} cross-business-unit access kept.</p>${li(p.boundaryFindings)}` : `<p>${plan.nothingToMove ? 'nothing to move' : 'not verified'}</p>`;
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bulkhead migrate</title>',
    '<style>body{font-family:sans-serif;margin:1.5em;}figure{overflow-x:auto;margin:0 0 1.5em 0;}table{border-collapse:collapse;}td,th{border:1px solid #ccc;padding:2px 6px;font-size:13px;text-align:left;}</style></head><body>',
    `<h1>${e(`Migration plan: ${plan.source} → ${plan.target}`)}</h1>`,
    `<p>${e(`${plan.resources} resources in ${plan.accounts} accounts; cross-account dependencies ${plan.dependencies.before} before → ${plan.dependencies.after} after.`)}${plan.nothingToMove ? ' <strong>Nothing to move.</strong>' : ''}</p>`,
    `<h2>Groups by account after the migration</h2><figure>${couplingSvg(plan)}<figcaption>dashed box: where a group is now; dashed arrow: its move; red arrow: cross-account dependencies that remain (count)</figcaption></figure>`,
    `<h2>Waves</h2><figure>${wavesSvg(plan)}</figure>`,
    `<table><tr><th>group</th><th>status</th><th>accounts</th><th>target</th><th>resources</th><th>phases</th><th>business units</th></tr>${plan.groups.map((g) => `<tr><td>${e(`${g.id} ${g.label}`)}</td><td>${e(g.status)}</td><td>${e(g.accounts.join(', '))}</td><td>${e(g.target ?? '')}</td><td>${g.members.length}</td><td>${e(g.phases.join(', '))}</td><td>${e(g.businessUnits.join(', '))}</td></tr>`).join('')}</table>`,
    ...(plan.sharedRoles.length > 0 ? [`<h2>${e(SHARED_ROLES_HEADING)}</h2>${li(plan.sharedRoles)}`] : []),
    ...waves,
    `<h2>Proof</h2>${proof}`,
    '</body></html>\n',
  ].join('\n');
}
