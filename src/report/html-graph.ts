/**
 * The access graph of the HTML report: role assumption, escalation (pass-role, SSM instance roles, IAM
 * modification) and people (group → permission set → role) in one layered drawing. When there are too many
 * principals to read, nodes are aggregated to accounts, then to business unit × phase, then to phases, and
 * parallel edges become one edge with a count. The layout is a plain layered one: layers by longest path
 * (cycles broken depth-first), order within a layer by the mean position of the node's predecessors.
 */
import { escapeHtml } from '../util/escape.js';
import { pushTo } from '../util/multimap.js';
import { compareStrings } from '../util/order.js';
import type { PeoplePath } from '../verify/people.js';
import type { AccountSummary } from '../verify/verify.js';

/** More nodes than this and the graph is drawn one aggregation level up. */
const MAX_NODES = 60;
const W = 180;
const H = 22;
const COL = 250;
const ROW = 28;

/** An edge between two principals (ARNs), or from a people path. */
export interface GraphInput {
  readonly accounts: readonly AccountSummary[];
  readonly assumeEdges: readonly { from: string; to: string }[];
  readonly escalationEdges: readonly { from: string; to: string; kind: string }[];
  readonly people: readonly PeoplePath[];
}

type Level = 'principal' | 'account' | 'business unit × phase' | 'phase';
const LEVELS: readonly Level[] = ['principal', 'account', 'business unit × phase', 'phase'];

/** Edge classes and their stroke color. */
const KIND_STYLE: Record<string, string> = { assume: '#555555', 'pass-role': '#4e79a7', 'iam-modify': '#e15759', ssm: '#b07aa1', people: '#59a14f' };

function kindClass(kind: string): string {
  if (kind === 'assume' || kind === 'people') return kind;
  if (kind.startsWith('pass-role')) return 'pass-role';
  if (kind.startsWith('iam-modify')) return 'iam-modify';
  return 'ssm';
}

/** A principal end of an edge: its account (by the ARN's account id) and name. */
interface End {
  readonly account: AccountSummary | undefined;
  readonly accountName: string;
  readonly name: string;
}

interface Edge {
  readonly from: string;
  readonly to: string;
  /** The edge class (`assume`, `pass-role`, `iam-modify`, `ssm`, `people`). */
  readonly kind: string;
  /** The exact kinds merged into it, e.g. `pass-role:lambda`. */
  readonly kinds: Set<string>;
  count: number;
}

function endOf(arn: string, byId: ReadonlyMap<string, AccountSummary>, byName: ReadonlyMap<string, AccountSummary>): End {
  const parts = arn.split(':');
  if (parts.length < 6) {
    // a display name `account/name` (people paths)
    const slash = arn.indexOf('/');
    const accountName = slash > 0 ? arn.slice(0, slash) : arn;
    return { account: byName.get(accountName), accountName, name: arn };
  }
  const account = byId.get(parts[4]!);
  const accountName = account?.name ?? parts[4]!;
  return { account, accountName, name: `${accountName}/${arn.slice(arn.lastIndexOf('/') + 1)}` };
}

function keyAt(level: Level, e: End): string {
  switch (level) {
    case 'principal':
      return e.name;
    case 'account':
      return e.accountName;
    case 'business unit × phase':
      return `${e.account?.businessUnit ?? e.accountName} × ${e.account?.phase ?? 'no phase'}`;
    case 'phase':
      return e.account?.phase ?? `${e.accountName} (no phase)`;
  }
}

/** The edges at one aggregation level (self-loops of aggregated nodes dropped). */
function edgesAt(level: Level, input: GraphInput): Edge[] {
  const byId = new Map(input.accounts.map((a) => [a.id, a]));
  const byName = new Map(input.accounts.map((a) => [a.name, a]));
  const m = new Map<string, Edge>();
  const add = (from: string, to: string, exact: string) => {
    if (from === to && level !== 'principal') return;
    const kind = kindClass(exact);
    const k = `${from}\u0000${to}\u0000${kind}`;
    const e = m.get(k);
    if (e) {
      e.count++;
      e.kinds.add(exact);
    } else m.set(k, { from, to, kind, kinds: new Set([exact]), count: 1 });
  };
  const at = (x: string) => keyAt(level, endOf(x, byId, byName));
  for (const e of input.assumeEdges) add(at(e.from), at(e.to), 'assume');
  for (const e of input.escalationEdges) add(at(e.from), at(e.to), e.kind);
  for (const p of input.people) {
    const via = p.permissionSet !== undefined ? `permission set ${p.permissionSet}` : `source role ${p.sourceRole ?? '?'}`;
    add(`group ${p.group}`, via, 'people');
    for (const pr of p.principals) add(via, at(pr), 'people');
  }
  return [...m.values()].sort((a, b) => compareStrings(a.from, b.from) || compareStrings(a.to, b.to) || compareStrings(a.kind, b.kind));
}

/** Layers by longest path from the sources, cycles broken by a depth-first search. */
function layers(nodes: readonly string[], edges: readonly Edge[]): Map<string, number> {
  const out = new Map<string, string[]>(nodes.map((n) => [n, []]));
  for (const e of edges) if (e.from !== e.to) out.get(e.from)!.push(e.to);
  const state = new Map<string, 1 | 2>();
  const order: string[] = [];
  const back = new Set<string>();
  const visit = (n: string) => {
    const stack: [string, number][] = [[n, 0]];
    state.set(n, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const next = out.get(top[0])![top[1]++];
      if (next === undefined) {
        state.set(top[0], 2);
        order.push(top[0]);
        stack.pop();
      } else if (state.get(next) === 1) back.add(`${top[0]}\u0000${next}`);
      else if (!state.has(next)) {
        state.set(next, 1);
        stack.push([next, 0]);
      }
    }
  };
  for (const n of nodes) if (!state.has(n)) visit(n);
  const layer = new Map<string, number>(nodes.map((n) => [n, 0]));
  for (const n of order.reverse()) {
    for (const t of out.get(n)!) if (!back.has(`${n}\u0000${t}`)) layer.set(t, Math.max(layer.get(t)!, layer.get(n)! + 1));
  }
  return layer;
}

/** Positions: columns by layer, rows ordered by the mean row of each node's predecessors. */
function positions(nodes: readonly string[], edges: readonly Edge[]): { pos: Map<string, { x: number; y: number }>; width: number; height: number } {
  const layer = layers(nodes, edges);
  const cols = new Map<number, string[]>();
  for (const n of nodes) pushTo(cols, layer.get(n)!, n);
  const row = new Map<string, number>();
  const preds = new Map<string, string[]>();
  for (const e of edges) pushTo(preds, e.to, e.from);
  const depth = Math.max(0, ...cols.keys());
  for (let d = 0; d <= depth; d++) {
    const list = cols.get(d) ?? [];
    const bary = (n: string) => {
      const ps = (preds.get(n) ?? []).filter((p) => row.has(p) && layer.get(p)! < d);
      return ps.length === 0 ? Number.POSITIVE_INFINITY : ps.reduce((s, p) => s + row.get(p)!, 0) / ps.length;
    };
    const sorted = list.map((n) => ({ n, b: bary(n) })).sort((a, b) => a.b - b.b || compareStrings(a.n, b.n));
    sorted.forEach((x, i) => row.set(x.n, i));
    cols.set(d, sorted.map((x) => x.n));
  }
  const pos = new Map<string, { x: number; y: number }>();
  let maxRows = 0;
  for (const [d, list] of cols) {
    list.forEach((n, i) => pos.set(n, { x: 10 + d * COL, y: 10 + i * ROW }));
    maxRows = Math.max(maxRows, list.length);
  }
  return { pos, width: 20 + (depth + 1) * COL - (COL - W), height: 20 + maxRows * ROW };
}

function edgeSvg(e: Edge, a: { x: number; y: number }, b: { x: number; y: number }): string {
  const color = KIND_STYLE[e.kind] ?? '#555';
  const width = Math.min(6, 1 + Math.log2(e.count));
  const x1 = a.x + W;
  const y1 = a.y + H / 2;
  const x2 = b.x;
  const y2 = b.y + H / 2;
  const d = b.x > a.x ? `M${x1},${y1} C${x1 + 40},${y1} ${x2 - 40},${y2} ${x2},${y2}` : `M${a.x + W / 2},${a.y + H} C${a.x + W / 2},${a.y + H + 40} ${b.x + W / 2},${b.y + H + 40} ${b.x + W / 2},${b.y + H}`;
  const title = `${e.from} → ${e.to}: ${[...e.kinds].sort(compareStrings).join(', ')}${e.count > 1 ? ` (${e.count} edges)` : ''}`;
  return `<path class="edge edge-${e.kind}" d="${d}" fill="none" stroke="${color}" stroke-width="${width}"${e.kind === 'pass-role' ? ' stroke-dasharray="5,3"' : ''} marker-end="url(#arrow)"><title>${escapeHtml(title)}</title></path>`;
}

function nodeSvg(n: string, p: { x: number; y: number }): string {
  const label = n.length > 28 ? `${n.slice(0, 27)}…` : n;
  const fill = n.startsWith('group ') || n.startsWith('permission set ') || n.startsWith('source role ') ? '#e8f3e6' : '#f3f3f3';
  return (
    `<g class="node" data-node="${escapeHtml(n)}"><title>${escapeHtml(n)}</title><rect x="${p.x}" y="${p.y}" width="${W}" height="${H}" rx="4" fill="${fill}" stroke="#666"/>` +
    `<text x="${p.x + 6}" y="${p.y + 15}" font-size="11">${escapeHtml(label)}</text></g>`
  );
}

/** The graph section: the level chosen, a legend, and the drawing (scrolls inside its box when wide). */
export function graphSection(h: string[], input: GraphInput): void {
  h.push('<h2 id="graph">Access graph</h2>');
  let level: Level = 'phase';
  let edges: Edge[] = [];
  for (const l of LEVELS) {
    edges = edgesAt(l, input);
    level = l;
    if (new Set(edges.flatMap((e) => [e.from, e.to])).size <= MAX_NODES) break;
  }
  const nodes = [...new Set(edges.flatMap((e) => [e.from, e.to]))].sort(compareStrings);
  if (nodes.length === 0) {
    h.push('<p>No role-assumption, escalation or people edges.</p>');
    return;
  }
  const shown = new Set(nodes.slice(0, MAX_NODES * 2));
  const drawn = edges.filter((e) => shown.has(e.from) && shown.has(e.to));
  const legend = Object.entries(KIND_STYLE).map(([k, c]) => `<span><span class="cell" style="background:${c}">&nbsp;</span>${k}</span>`).join('');
  h.push(
    `<p class="legend">Nodes are ${level === 'principal' ? 'principals' : `aggregated to ${level}`} (${nodes.length} node(s), ${edges.length} edge(s)${shown.size < nodes.length ? `; the first ${shown.size} drawn` : ''}); ` +
      `a thicker edge stands for several. ${legend}</p>`,
  );
  const { pos, width, height } = positions([...shown], drawn);
  const parts = ['<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>'];
  for (const e of drawn) parts.push(edgeSvg(e, pos.get(e.from)!, pos.get(e.to)!));
  for (const [n, p] of pos) parts.push(nodeSvg(n, p));
  h.push(
    `<div class="scroll"><svg id="access-graph" data-level="${escapeHtml(level)}" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="access graph">${parts.join('')}</svg></div>`,
  );
}
