/**
 * Waves: the moving groups, non-production phases first (in the target design's phase order), production last.
 * Within a wave every step leaves the system working: the groups are deployed in their target accounts (the groups
 * they depend on first), the new cross-account grants are added before anything is cut over, then consumers are
 * switched and the old copies retired. Each wave lists its moves, its grants and what to verify afterwards.
 */
import type { OrganizationModel } from '../model/organization.js';
import { compareStrings } from '../util/order.js';
import type { CouplingEdge } from './coupling.js';
import { crossAccount, grantsFor, isDependency, type BreakingCondition, type NewDependency, type ProposedGrant } from './dependencies.js';
import { groupOfMember, type MigrationGroup } from './partition.js';
import type { NameCollision, RoleDestinations } from './project.js';
import type { Workloads } from './workloads.js';

/** One group's move. */
export interface GroupMove {
  readonly group: string;
  readonly label: string;
  readonly from: readonly string[];
  readonly to: string;
  readonly resources: number;
  /** Groups of the same wave this one uses, moved before it. */
  readonly after: readonly string[];
}

/** A copy of a shared role, created in an account (same name, path, trust and policies). */
export interface RoleCopy {
  /** The legacy role ARN. */
  readonly role: string;
  readonly account: string;
}

/** What the projection says about names, for the waves. */
export interface WaveExtras {
  readonly collisions: readonly NameCollision[];
  readonly roles: RoleDestinations;
}

/** One wave. */
export interface Wave {
  /** 1-based. */
  readonly number: number;
  readonly phase: string;
  readonly production: boolean;
  readonly moves: readonly GroupMove[];
  /** Dependencies this wave makes cross-account (with their grants, or marked as access that ends). */
  readonly newDependencies: readonly NewDependency[];
  readonly grants: readonly ProposedGrant[];
  /** Cross-account dependencies this wave brings back into one account. */
  readonly resolved: number;
  readonly conditions: readonly BreakingCondition[];
  /** Legacy resources or roles that would share one ARN in an account of this wave: rename all but one first. */
  readonly renames: readonly NameCollision[];
  /** Copies of shared roles this wave creates (a role whose workloads go to several accounts), sorted. */
  readonly newRoles: readonly RoleCopy[];
  /** What to check once the wave is done (lowercase sentences). */
  readonly verify: readonly string[];
}

/** Phase names in wave order: the design's non-production phases in order, then its production ones, then others. */
function phaseOrder(target: OrganizationModel, groups: readonly MigrationGroup[]): string[] {
  const declared = [...target.phases.filter((p) => !p.production), ...target.phases.filter((p) => p.production)].map((p) => p.name);
  const extra = [...new Set(groups.flatMap((g) => g.phases))].filter((p) => !declared.includes(p)).sort(compareStrings);
  return [...declared, ...extra];
}

/** The moves of a wave, ordered so that a group comes after the groups of the wave it uses. */
function orderMoves(groups: readonly MigrationGroup[], groupOf: ReadonlyMap<string, string>, edges: readonly CouplingEdge[]): GroupMove[] {
  const ids = new Set(groups.map((g) => g.id));
  const uses = new Map<string, Set<string>>(groups.map((g) => [g.id, new Set<string>()]));
  for (const e of edges) {
    // only calls order the moves: a lifecycle edge (same application) is no use of the other group
    if (!isDependency(e)) continue;
    const a = groupOf.get(e.from);
    const b = groupOf.get(e.to);
    if (a !== undefined && b !== undefined && a !== b && ids.has(a) && ids.has(b)) uses.get(a)!.add(b);
  }
  const done = new Set<string>();
  const out: GroupMove[] = [];
  const visiting = new Set<string>();
  const byId = new Map(groups.map((g) => [g.id, g]));
  const visit = (g: MigrationGroup): void => {
    if (done.has(g.id) || visiting.has(g.id)) return; // a cycle: its grants are added first, so any order works
    visiting.add(g.id);
    const after = [...uses.get(g.id)!].sort(compareStrings);
    for (const dep of after) visit(byId.get(dep)!);
    visiting.delete(g.id);
    done.add(g.id);
    out.push({ group: g.id, label: g.label, from: g.accounts, to: g.target!, resources: g.members.length, after });
  };
  groups.forEach(visit);
  return out;
}

/** The checks after a wave. */
function checks(wave: Omit<Wave, 'verify'>, workloads: Workloads): string[] {
  const name = (arn: string) => workloads.byArn.get(arn)?.resource.name ?? arn;
  const out = [`collect a snapshot and run \`bulkhead verify SNAPSHOT --spec TARGET\`: no \`boundary.*\` finding for the accounts of wave ${wave.number}`];
  for (const m of wave.moves) out.push(`group \`${m.label}\` (${m.resources} resource${m.resources === 1 ? '' : 's'}) runs in \`${m.to}\` and its old copy in ${m.from.map((a) => `\`${a}\``).join(', ')} is idle`);
  for (const d of wave.newDependencies) {
    out.push(
      d.ends
        ? `\`${name(d.edge.from)}\` no longer reaches \`${name(d.edge.to)}\` (${d.fromAccount} → ${d.toAccount}: access across phases that the migration ends)`
        : `\`${name(d.edge.from)}\` still reaches \`${name(d.edge.to)}\` across accounts (${d.edge.kind}, ${d.fromAccount} → ${d.toAccount})`,
    );
  }
  for (const c of wave.renames) out.push(`one ${c.kind} only is at \`${c.arn}\` in \`${c.account}\` (the others of the ${c.count} legacy ${c.kind}s of that name were renamed before the move)`);
  for (const r of wave.newRoles) out.push(`the copy of role \`${r.role}\` exists in \`${r.account}\` and the functions moved there run as it`);
  for (const c of wave.conditions) out.push(`condition \`${c.key}\` = \`${c.value}\` in ${c.policy} names the new account or ARN of ${c.because.map((a) => `\`${name(a)}\``).join(', ')}`);
  return out;
}

/** Plans the waves of the moving groups. */
export function planWaves(
  target: OrganizationModel,
  workloads: Workloads,
  groups: readonly MigrationGroup[],
  edges: readonly CouplingEdge[],
  conditions: readonly BreakingCondition[],
  extras: WaveExtras = { collisions: [], roles: { moves: new Map(), copies: new Map(), staysToo: new Set(), shared: [] } },
): Wave[] {
  const copies: RoleCopy[] = [...extras.roles.copies].flatMap(([role, accounts]) => accounts.map((account) => ({ role, account })));
  const moving = groups.filter((g) => g.status === 'moves');
  const groupOf = groupOfMember(groups);
  const placement = new Map<string, string>(workloads.workloads.map((w) => [w.resource.arn, w.resource.account]));
  const waves: Wave[] = [];
  for (const phase of phaseOrder(target, moving)) {
    const mine = moving.filter((g) => g.phases[0] === phase);
    if (mine.length === 0) continue;
    const before = new Set(crossAccount(edges, (a) => placement.get(a)!).map((d) => d.edge));
    for (const g of mine) for (const m of g.members) placement.set(m, g.target!);
    const after = crossAccount(edges, (a) => placement.get(a)!);
    const afterSet = new Set(after.map((d) => d.edge));
    const newDependencies: NewDependency[] = after
      .filter((d) => !before.has(d.edge))
      .map((d) => {
        const ends = d.edge.kind === 'shared-data' && workloads.byArn.get(d.edge.from)!.phase.value !== workloads.byArn.get(d.edge.to)!.phase.value;
        return { ...d, ends, grants: ends ? [] : grantsFor(d.edge, workloads, (a) => placement.get(a)!) };
      });
    const members = new Set(mine.flatMap((g) => g.members));
    // a target account belongs to one phase, so one wave brings everything that lands in it
    const into = new Set(mine.map((g) => g.target!));
    const wave: Omit<Wave, 'verify'> = {
      number: waves.length + 1,
      phase,
      production: mine.some((g) => g.production),
      moves: orderMoves(mine, groupOf, edges),
      newDependencies,
      grants: newDependencies.flatMap((d) => d.grants),
      resolved: [...before].filter((e) => !afterSet.has(e)).length,
      conditions: conditions.filter((c) => c.because.some((arn) => members.has(arn))),
      renames: extras.collisions.filter((c) => into.has(c.account)),
      newRoles: copies.filter((c) => into.has(c.account)),
    };
    waves.push({ ...wave, verify: checks(wave, workloads) });
  }
  return waves;
}
