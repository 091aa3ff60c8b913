/**
 * The organization section of the HTML report, compact at any size: one tile per business unit with one cell
 * per phase (declared order, counts of accounts and findings), each tile opening onto its accounts; the shared
 * and specialized accounts; the OU tree as nested drill-downs. Every account name is in the page (inside a
 * closed drill-down when the organization is large).
 */
import { escapeHtml } from '../util/escape.js';
import { groupBy, pushTo } from '../util/multimap.js';
import { compareStrings } from '../util/order.js';
import type { AccountSummary } from '../verify/verify.js';
import { phaseColors } from './svg.js';

const NONE_COLOR = '#cccccc';

/** What the section needs: the accounts, the declared phases, the OUs and the findings per account. */
export interface OrgInput {
  readonly accounts: readonly AccountSummary[];
  readonly phases: readonly { name: string; production: boolean }[];
  readonly organizationalUnits: readonly string[];
  readonly findingsPerAccount: ReadonlyMap<string, number>;
}

/** Accounts whose OU tree level starts open (the whole tree is open below this many accounts). */
const OPEN_TREE = 40;

/** One account's list item: its phase colour, its name and its finding count (the attribution in its title). */
function accountItem(a: AccountSummary, input: OrgInput, colors: ReadonlyMap<string, string>): string {
  const findings = input.findingsPerAccount.get(a.name) ?? 0;
  const color = colors.get(a.phase ?? '') ?? NONE_COLOR;
  const title = `${a.name} (${a.id}${a.idSynthetic ? ', synthetic id' : ''}) ${a.ouPath}; ${a.decidedBy}`;
  return (
    `<li class="account" data-account="${escapeHtml(a.name)}" title="${escapeHtml(title)}"><span class="cell" style="background:${color}">&nbsp;</span>` +
    `${escapeHtml(a.name)}${findings > 0 ? ` <span class="badge sev-high">${findings}</span>` : ''}</li>`
  );
}

/** One business unit's tile: a cell per phase with its account count (outlined when it has findings). */
function buTile(bu: string, accounts: readonly AccountSummary[], input: OrgInput, colors: ReadonlyMap<string, string>, phaseNames: readonly string[]): string {
  const cells = phaseNames.map((p) => {
    const inPhase = accounts.filter((a) => a.phase === p);
    const f = inPhase.reduce((n, a) => n + (input.findingsPerAccount.get(a.name) ?? 0), 0);
    const label = `${bu} × ${p}: ${inPhase.length} account(s), ${f} finding(s)`;
    return `<span class="cell${f > 0 ? ' hasf' : ''}" style="background:${inPhase.length > 0 ? colors.get(p)! : '#fff'}" title="${escapeHtml(label)}">${inPhase.length > 0 ? inPhase.length : '·'}${f > 0 ? `/${f}` : ''}</span>`;
  });
  const order = (a: AccountSummary) => phaseNames.indexOf(a.phase ?? '');
  const items = [...accounts].sort((a, b) => order(a) - order(b) || compareStrings(a.name, b.name)).map((a) => accountItem(a, input, colors)).join('');
  return `<details class="tile" data-bu="${escapeHtml(bu)}"><summary><strong>${escapeHtml(bu)}</strong> ${cells.join('')}</summary><ul class="accts">${items}</ul></details>`;
}

/** The OU tree: each OU a drill-down with its account count, its accounts and its child OUs. */
function ouTree(input: OrgInput, colors: ReadonlyMap<string, string>): string {
  const allOus = [...new Set(['Root', ...input.organizationalUnits, ...input.accounts.map((a) => a.ouPath)])].sort(compareStrings);
  const children = new Map<string, string[]>();
  for (const ou of allOus) {
    const parent = ou.includes('/') ? ou.slice(0, ou.lastIndexOf('/')) : undefined;
    if (parent !== undefined) pushTo(children, parent, ou);
  }
  const direct = groupBy(input.accounts, (a) => a.ouPath);
  const total = (ou: string): number => (direct.get(ou)?.length ?? 0) + (children.get(ou) ?? []).reduce((n, c) => n + total(c), 0);
  const open = input.accounts.length <= OPEN_TREE;
  const node = (ou: string, depth: number): string => {
    const accts = direct.get(ou) ?? [];
    const list = accts.length > 0 ? `<ul class="accts">${accts.map((a) => accountItem(a, input, colors)).join('')}</ul>` : '';
    const kids = (children.get(ou) ?? []).map((c) => node(c, depth + 1)).join('');
    return (
      `<details class="ou" data-ou="${escapeHtml(ou)}" style="margin-left:${depth === 0 ? 0 : 16}px"${open || depth === 0 ? ' open' : ''}>` +
      `<summary><strong>${escapeHtml(ou.split('/').pop() ?? ou)}</strong> (${total(ou)} account(s))</summary>${kids}${list}</details>`
    );
  };
  return allOus.filter((ou) => !ou.includes('/') || !allOus.includes(ou.slice(0, ou.lastIndexOf('/')))).map((r) => node(r, 0)).join('');
}

/** The organization section: legend, BU × phase tiles, shared accounts, OU tree. */
export function organizationSection(h: string[], input: OrgInput): void {
  const colors = phaseColors(input.phases, input.accounts);
  const phaseNames = [...colors.keys()];
  const runtime = input.accounts.filter((a) => a.businessUnit !== null && a.phase !== null);
  const other = input.accounts.filter((a) => !(a.businessUnit !== null && a.phase !== null));
  const byBu = groupBy(runtime, (a) => a.businessUnit!);
  h.push('<h2 id="organization">Organization</h2>');
  h.push(
    `<p class="legend">Phases in declared order: ${[...colors].map(([p, c]) => `<span><span class="cell" style="background:${c}">&nbsp;</span>${escapeHtml(p)}</span>`).join('')}` +
      `<span><span class="cell" style="background:${NONE_COLOR}">&nbsp;</span>no phase</span>. A cell shows accounts/findings; outlined cells have findings.</p>`,
  );
  h.push(`<h3>Runtime accounts: ${byBu.size} business unit(s) × ${phaseNames.length} phase(s), ${runtime.length} account(s)</h3>`);
  h.push(`<div class="tiles" id="bu-grid">${[...byBu].sort((a, b) => compareStrings(a[0], b[0])).map(([bu, list]) => buTile(bu, list, input, colors, phaseNames)).join('')}</div>`);
  h.push(`<h3>Shared and specialized accounts (${other.length})</h3>`);
  h.push(`<ul class="accts" id="other-accounts">${other.map((a) => accountItem(a, input, colors)).join('')}</ul>`);
  h.push(`<h3>OU tree</h3><div id="ou-tree">${ouTree(input, colors)}</div>`);
}
