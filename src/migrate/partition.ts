/**
 * The partition: groups of workloads that must move together (connected components over the strong couplings),
 * each mapped to its account in the target design by phase and business unit. A group that mixes phases (or
 * business units) is flagged and stays where it is: it is never split silently.
 */
import type { OrganizationModel } from '../model/organization.js';
import { compareStrings } from '../util/order.js';
import type { CouplingGraph } from './coupling.js';
import type { Workloads } from './workloads.js';
import { pushTo } from '../util/multimap.js';

/** What happens to a group. */
export type GroupStatus = 'moves' | 'stays' | 'mixed-phase' | 'mixed-business-unit' | 'unattributed' | 'no-target';

/** One group of workloads that must move together. */
export interface MigrationGroup {
  /** `g1`, `g2`, … in the order of the sorted groups. */
  readonly id: string;
  /** A readable name: the stack, else the application, else the first resource's name. */
  readonly label: string;
  /** Member ARNs, sorted. */
  readonly members: readonly string[];
  /** The accounts the members are in now, sorted. */
  readonly accounts: readonly string[];
  readonly phases: readonly string[];
  readonly businessUnits: readonly string[];
  readonly applications: readonly string[];
  readonly stacks: readonly string[];
  readonly status: GroupStatus;
  /** The target account (status `moves` or `stays`). */
  readonly target?: string;
  /** Whether the group's phase is a production phase of the target design. */
  readonly production: boolean;
  /** Why the group has its status (lowercase sentence). */
  readonly reason: string;
  /** Members whose own phase or business unit was undecided; they follow the group. */
  readonly unattributedMembers: number;
}

/** Union-find over indexes. */
class Components {
  private readonly parent: number[];
  constructor(n: number) {
    this.parent = Array.from({ length: n }, (_, i) => i);
  }
  find(i: number): number {
    let r = i;
    while (this.parent[r] !== r) r = this.parent[r]!;
    while (this.parent[i] !== r) {
      const next = this.parent[i]!;
      this.parent[i] = r;
      i = next;
    }
    return r;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

/** The target design's runtime accounts by lowercase `phase\u0000businessUnit`. */
function targetAccounts(target: OrganizationModel): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const a of target.accounts) {
    if (a.phase === undefined || a.businessUnit === undefined) continue;
    const k = `${a.phase.toLowerCase()}\u0000${a.businessUnit.toLowerCase()}`;
    out.set(k, [...(out.get(k) ?? []), a.name].sort(compareStrings));
  }
  return out;
}

const uniq = (xs: readonly (string | undefined)[]): string[] => [...new Set(xs.filter((x): x is string => x !== undefined))].sort(compareStrings);

/** Status, target and reason of a group from its phases, business units and accounts. */
function decide(
  phases: readonly string[],
  units: readonly string[],
  accounts: readonly string[],
  byKey: Map<string, string[]>,
): { status: GroupStatus; target?: string; reason: string } {
  const list = (xs: readonly string[]) => xs.map((x) => `\`${x}\``).join(', ');
  if (phases.length > 1) return { status: 'mixed-phase', reason: `its strong couplings join phases ${list(phases)}; decide how to split it (or which phase it really is) before it can move` };
  if (units.length > 1) return { status: 'mixed-business-unit', reason: `its strong couplings join business units ${list(units)}; decide which unit owns it before it can move` };
  if (phases.length === 0 || units.length === 0) {
    const what = phases.length === 0 && units.length === 0 ? 'phase and business unit' : phases.length === 0 ? 'phase' : 'business unit';
    return { status: 'unattributed', reason: `no ${what} could be decided from tags, names, stacks or the account; tag the resources (e.g. \`Environment\`, \`BusinessUnit\`)` };
  }
  const candidates = byKey.get(`${phases[0]!.toLowerCase()}\u0000${units[0]!.toLowerCase()}`) ?? [];
  if (candidates.length === 0) return { status: 'no-target', reason: `the target design has no account for phase \`${phases[0]}\` of business unit \`${units[0]}\`` };
  const target = candidates[0]!;
  if (accounts.length === 1 && accounts[0] === target) return { status: 'stays', target, reason: `already in its target account \`${target}\`` };
  return { status: 'moves', target, reason: `phase \`${phases[0]}\`, business unit \`${units[0]}\` → \`${target}\`` };
}

/** Partitions the workloads into groups over the strong couplings and maps each to its target account. */
export function partition(workloads: Workloads, graph: CouplingGraph, target: OrganizationModel): MigrationGroup[] {
  const ws = workloads.workloads;
  const uf = new Components(ws.length);
  for (const e of graph.edges) {
    if (e.strength !== 'strong') continue;
    uf.union(workloads.byArn.get(e.from)!.index, workloads.byArn.get(e.to)!.index);
  }
  const members = new Map<number, number[]>();
  for (const w of ws) {
    const root = uf.find(w.index);
    pushTo(members, root, w.index);
  }
  const byKey = targetAccounts(target);
  const production = new Set(target.phases.filter((p) => p.production).map((p) => p.name.toLowerCase()));
  const raw = [...members.values()].map((idx) => {
    const mine = idx.map((i) => ws[i]!);
    const phases = uniq(mine.map((w) => w.phase.value));
    const units = uniq(mine.map((w) => w.businessUnit.value));
    const accounts = uniq(mine.map((w) => w.resource.account));
    const stacks = uniq(mine.map((w) => w.resource.stack?.name));
    const applications = uniq(mine.map((w) => w.application.value));
    const arns = mine.map((w) => w.resource.arn).sort(compareStrings);
    const first = mine.find((w) => w.resource.arn === arns[0])!;
    return {
      label: stacks[0] ?? applications[0] ?? first.resource.name,
      members: arns,
      accounts,
      phases,
      businessUnits: units,
      applications,
      stacks,
      production: phases.some((p) => production.has(p.toLowerCase())),
      unattributedMembers: mine.filter((w) => w.phase.value === undefined || w.businessUnit.value === undefined).length,
      ...decide(phases, units, accounts, byKey),
    };
  });
  raw.sort((a, b) => compareStrings(a.accounts[0] ?? '', b.accounts[0] ?? '') || compareStrings(a.label, b.label) || compareStrings(a.members[0]!, b.members[0]!));
  return raw.map((g, i) => ({ id: `g${i + 1}`, ...g }));
}

/** Member ARN → id of its group. */
export function groupOfMember(groups: readonly MigrationGroup[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const g of groups) for (const m of g.members) out.set(m, g.id);
  return out;
}
