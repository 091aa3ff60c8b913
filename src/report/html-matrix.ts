/**
 * The access matrix of the HTML report, aggregated so it fits at any size: phase × phase first (how many
 * principals of one phase reach how many accounts of another, across business units or not), then per source
 * phase a drill-down with one row per business unit × phase, then per row the principals with the accounts they
 * reach. Principals are shown by display name (`retail-dev/appeng`), never as raw ARNs.
 */
import { escapeHtml } from '../util/escape.js';
import { compareStrings } from '../util/order.js';
import { groupBy, pushTo } from '../util/multimap.js';
import { CAPABILITIES, type Capability } from '../verify/finding.js';
import type { AccountSummary } from '../verify/verify.js';
import type { MatrixRow } from '../verify/access-rules.js';

const CAP_LETTER: Record<Capability, string> = {
  'administer-resource': 'A',
  'read-config': 'C',
  'use-resource': 'U',
  'read-data': 'R',
  'write-data': 'W',
  'delete-data': 'D',
};

/** Principals a drill-down row lists before `+ N more`, and accounts per principal. */
const LISTED_PRINCIPALS = 50;
const LISTED_ACCOUNTS = 12;

const NO_PHASE = '(no phase)';
const NO_BU = '(no business unit)';

/** One aggregated cell: pairs (principal, account), principals, accounts, pairs across business units, capabilities. */
interface Cell {
  pairs: number;
  crossBu: number;
  readonly principals: Set<string>;
  readonly accounts: Set<string>;
  readonly caps: Set<Capability>;
}

const newCell = (): Cell => ({ pairs: 0, crossBu: 0, principals: new Set(), accounts: new Set(), caps: new Set() });

function letters(caps: ReadonlySet<Capability>): string {
  return CAPABILITIES.filter((c) => caps.has(c)).map((c) => CAP_LETTER[c]).join('');
}

/** `<account>/<role or user name>` from a matrix row (the name is the ARN's last path segment). */
export function matrixPrincipalName(r: Pick<MatrixRow, 'principal' | 'account'>): string {
  const tail = r.principal.slice(r.principal.lastIndexOf('/') + 1);
  return `${r.account}/${tail}`;
}

/** What the aggregation works over. */
interface MatrixContext {
  readonly phaseOf: (account: string) => string;
  readonly buOf: (account: string) => string;
  readonly phases: readonly string[];
}

function cellHtml(c: Cell | undefined): string {
  if (c === undefined || c.pairs === 0) return '<td></td>';
  const title = `${c.principals.size} principal(s) reach ${c.accounts.size} account(s); ${c.crossBu} of ${c.pairs} principal × account pair(s) cross business units`;
  return `<td title="${escapeHtml(title)}">${c.principals.size}→${c.accounts.size}${c.crossBu > 0 ? ` <strong>(${c.crossBu}×BU)</strong>` : ''}<br><code>${letters(c.caps)}</code></td>`;
}

function add(cells: Map<string, Cell>, key: string, principal: string, account: string, caps: readonly Capability[], cross: boolean): void {
  let c = cells.get(key);
  if (!c) cells.set(key, (c = newCell()));
  c.pairs++;
  if (cross) c.crossBu++;
  c.principals.add(principal);
  c.accounts.add(account);
  for (const x of caps) c.caps.add(x);
}

/** The principals of one source group with the accounts each reaches. */
function principalsHtml(rows: readonly MatrixRow[]): string {
  const sorted = [...rows].sort((a, b) => Object.keys(b.cells).length - Object.keys(a.cells).length || compareStrings(a.principal, b.principal));
  const items = sorted.slice(0, LISTED_PRINCIPALS).map((r) => {
    const accts = Object.keys(r.cells).sort(compareStrings);
    const shown = accts.slice(0, LISTED_ACCOUNTS).map((a) => `${escapeHtml(a)} <code>${letters(new Set(r.cells[a]))}</code>`);
    if (accts.length > LISTED_ACCOUNTS) shown.push(`+ ${accts.length - LISTED_ACCOUNTS} more`);
    return `<li title="${escapeHtml(r.principal)}"><code>${escapeHtml(matrixPrincipalName(r))}</code>: ${shown.join(', ')}</li>`;
  });
  if (sorted.length > LISTED_PRINCIPALS) items.push(`<li>+ ${sorted.length - LISTED_PRINCIPALS} more (the JSON report has the findings for all)</li>`);
  return `<ul>${items.join('')}</ul>`;
}

/** One source phase's drill-down: a row per business unit × phase, columns the target phases. */
function phaseDrillDown(ctx: MatrixContext, phase: string, rows: readonly MatrixRow[]): string {
  const bySource = groupBy(rows, (r) => ctx.buOf(r.account));
  const body = [...bySource].sort((a, b) => compareStrings(a[0], b[0])).map(([bu, list]) => {
    const cells = new Map<string, Cell>();
    for (const r of list) for (const [acct, caps] of Object.entries(r.cells)) add(cells, ctx.phaseOf(acct), r.principal, acct, caps, ctx.buOf(acct) !== bu);
    const first = `<th><details><summary>${escapeHtml(bu)} × ${escapeHtml(phase)} (${list.length})</summary>${principalsHtml(list)}</details></th>`;
    return `<tr>${first}${ctx.phases.map((p) => cellHtml(cells.get(p))).join('')}</tr>`;
  });
  return (
    `<details class="matrix-phase" data-phase="${escapeHtml(phase)}"><summary>from <strong>${escapeHtml(phase)}</strong>: ${bySource.size} business unit(s)</summary>` +
    `<table class="matrix"><tr><th>business unit × phase (principals)</th>${ctx.phases.map((p) => `<th>to ${escapeHtml(p)}</th>`).join('')}</tr>${body.join('')}</table></details>`
  );
}

/** The access matrix section. */
export function matrixSection(h: string[], matrix: readonly MatrixRow[], accounts: readonly AccountSummary[], declaredPhases: readonly string[]): void {
  const byName = new Map(accounts.map((a) => [a.name, a]));
  const phaseOf = (acct: string) => byName.get(acct)?.phase ?? NO_PHASE;
  const buOf = (acct: string) => byName.get(acct)?.businessUnit ?? NO_BU;
  const seen = new Set<string>(accounts.map((a) => a.phase ?? NO_PHASE));
  const phases = [...declaredPhases.filter((p) => seen.has(p)), ...[...seen].filter((p) => !declaredPhases.includes(p)).sort(compareStrings)];
  const ctx: MatrixContext = { phaseOf, buOf, phases };
  h.push('<h2 id="access-matrix">Access matrix</h2>');
  h.push(
    `<p>Who reaches what, by phase: a cell <code>P→A</code> is P principals of the row's phase reaching A accounts of the column's phase (<strong>(n×BU)</strong>: principal × account pairs across business units); ` +
      `letters: ${CAPABILITIES.map((c) => `${CAP_LETTER[c]} = ${c}`).join(', ')}. Includes access through role chains. Open a phase for its business units, a business unit for its principals.</p>`,
  );
  if (matrix.length === 0) {
    h.push('<p>No access computed.</p>');
    return;
  }
  const top = new Map<string, Cell>();
  const bySourcePhase = new Map<string, MatrixRow[]>();
  for (const r of matrix) {
    const sp = phaseOf(r.account);
    pushTo(bySourcePhase, sp, r);
    for (const [acct, caps] of Object.entries(r.cells)) add(top, `${sp}\u0000${phaseOf(acct)}`, r.principal, acct, caps, buOf(acct) !== buOf(r.account));
  }
  const rowPhases = phases.filter((p) => bySourcePhase.has(p));
  h.push(`<table class="matrix" id="matrix"><tr><th>from \\ to</th>${phases.map((p) => `<th>${escapeHtml(p)}</th>`).join('')}</tr>`);
  for (const sp of rowPhases) h.push(`<tr><th>${escapeHtml(sp)}</th>${phases.map((tp) => cellHtml(top.get(`${sp}\u0000${tp}`))).join('')}</tr>`);
  h.push('</table>');
  for (const sp of rowPhases) h.push(phaseDrillDown(ctx, sp, bySourcePhase.get(sp)!));
}
