/**
 * `migrate` core: a collected organization with its workload inventory and a target design → the migration plan
 * (workloads, coupling graph, groups, cross-account dependencies before and after, waves) and, with a policy engine,
 * the proof: the projected organization verified against the target's boundaries. Pure; see docs/migrate.md.
 */
import { warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { OrganizationModel } from '../model/organization.js';
import { attribute } from '../verify/attribution.js';
import type { AccessEvaluator } from '../verify/engine-port.js';
import { assembleGraph, candidatePairs, evaluateShare } from '../verify/graph.js';
import { finishVerify, prepareVerify, type VerifyOptions, type VerifyReport } from '../verify/verify.js';
import { compareStrings, sortedRecord } from '../util/order.js';
import { prunedCandidates, withSameResourceMemo } from './candidates.js';
import { couplingGraph, type CouplingEdge } from './coupling.js';
import { breakingConditions, crossAccount, type BreakingCondition, type NewDependency, type ProposedGrant } from './dependencies.js';
import { groupOfMember, partition, type MigrationGroup } from './partition.js';
import { nameCollisions, projectOrganization, roleDestinations, type NameCollision, type RoleDestinations } from './project.js';
import { planWaves, type Wave } from './waves.js';
import { inferWorkloads, vocabularyOf, type Workload, type Workloads } from './workloads.js';
import { pushTo } from '../util/multimap.js';

/** One workload as the report lists it. */
export interface WorkloadRow {
  readonly arn: string;
  readonly account: string;
  readonly type: string;
  readonly name: string;
  readonly phase: string | null;
  readonly businessUnit: string | null;
  readonly application: string | null;
  readonly group: string;
  /** How the attributes were decided, e.g. "phase: tag `Environment=dev`; business unit: stack `orders` (…)". */
  readonly decidedBy: string;
}

/** What verify says about the organization after the migration. */
export interface MigrationProof {
  /**
   * True when the target's boundaries hold (no `boundary.assertion` finding) and no non-production principal keeps
   * production access (no `boundary.nonprod-to-prod` finding). Cross-business-unit access is counted apart: each one
   * is a sharing the plan keeps with a proposed grant, or one that existed before.
   */
  readonly holds: boolean;
  readonly crossBusinessUnit: number;
  readonly findings: number;
  readonly bySeverity: Readonly<Record<string, number>>;
  readonly byRule: Readonly<Record<string, number>>;
  /** The boundary findings (at most 50), `rule: message`. */
  readonly boundaryFindings: readonly string[];
  readonly boundaryFindingCount: number;
  /** Target accounts the migration creates. */
  readonly newAccounts: readonly string[];
  readonly movedRoles: number;
  /** Copies of shared roles created in their workloads' accounts. */
  readonly copiedRoles: number;
  readonly principals: number;
  readonly resources: number;
}

/** The migration plan. */
export interface MigrationPlan {
  readonly source: string;
  readonly target: string;
  readonly accounts: number;
  readonly resources: number;
  /** Accounts whose workloads carry several phases or business units, sorted. */
  readonly kitchenSinks: readonly string[];
  readonly workloads: readonly WorkloadRow[];
  readonly unattributed: readonly string[];
  readonly edges: readonly CouplingEdge[];
  readonly edgeCounts: Readonly<Record<string, number>>;
  readonly sharedData: boolean;
  readonly danglingReferences: number;
  readonly groups: readonly MigrationGroup[];
  readonly dependencies: {
    readonly before: number;
    readonly after: number;
    /** Dependencies the migration makes cross-account (with their grants, or marked as access that ends). */
    readonly added: readonly NewDependency[];
    readonly resolved: number;
  };
  readonly grants: readonly ProposedGrant[];
  readonly conditions: readonly BreakingCondition[];
  /** Roles shared by workloads that go to different accounts: one copy per account is made (see the waves' `newRoles`). */
  readonly sharedRoles: readonly string[];
  /** Legacy resources and roles that would share one ARN in a target account: rename all but one before the move. */
  readonly collisions: readonly NameCollision[];
  readonly waves: readonly Wave[];
  readonly nothingToMove: boolean;
  readonly proof?: MigrationProof;
}

/** Options of `planMigration`. */
export interface MigrationOptions {
  readonly source: string;
  readonly target: string;
  /** The policy engine: shared-data couplings and the proof need it. */
  readonly evaluator?: AccessEvaluator;
  /** Verify the projected organization (default: true when an evaluator is given). */
  readonly prove?: boolean;
  /**
   * Ask the engine about every candidate pair of the projection, as `verify` does, instead of only the pairs an
   * identity `Allow` pattern may match (`candidates.ts`). Same report, much slower; for tests and comparisons.
   */
  readonly allPairs?: boolean;
}

const describe = (w: Workload): string =>
  (['phase', 'businessUnit', 'application'] as const)
    .filter((k) => w[k].detail !== undefined)
    .map((k) => `${k === 'businessUnit' ? 'business unit' : k}: ${w[k].detail}`)
    .join('; ');

/** Accounts whose workloads name several phases or business units. */
function kitchenSinks(workloads: Workloads): string[] {
  const phases = new Map<string, Set<string>>();
  const units = new Map<string, Set<string>>();
  for (const w of workloads.workloads) {
    const a = w.resource.account;
    if (w.phase.value !== undefined) phases.set(a, (phases.get(a) ?? new Set()).add(w.phase.value));
    if (w.businessUnit.value !== undefined) units.set(a, (units.get(a) ?? new Set()).add(w.businessUnit.value));
  }
  const accounts = new Set([...phases.keys(), ...units.keys()]);
  return [...accounts].filter((a) => (phases.get(a)?.size ?? 0) > 1 || (units.get(a)?.size ?? 0) > 1).sort(compareStrings);
}

/**
 * verify's `verifyModel` over the projection, with the engine asked only about the pairs `prunedCandidates` keeps
 * and one answer per principal for resources the engine cannot tell apart (`withSameResourceMemo`), unless
 * `allPairs`: the projected accounts hold many roles and many resources each, and verify's candidates are every
 * same-account pair.
 */
export function verifyProjection(model: OrganizationModel, options: VerifyOptions & { readonly evaluator: AccessEvaluator }, allPairs = false): VerifyReport {
  const prepared = prepareVerify(model, options);
  const candidates = allPairs ? candidatePairs(prepared.principals, prepared.resources) : prunedCandidates(prepared.principals, prepared.resources);
  const share = evaluateShare(prepared.principals, prepared.resources, candidates, allPairs ? options.evaluator : withSameResourceMemo(options.evaluator, prepared.resources));
  const graph = assembleGraph(prepared.principals, prepared.resources, candidates, [share]);
  return finishVerify(prepared, graph, options, options.evaluator.diagnostics ?? []);
}

/** Runs verify on the projected organization and summarises its boundary findings. */
function prove(snapshot: OrganizationModel, target: OrganizationModel, placement: ReadonlyMap<string, string>, moves: RoleDestinations, grants: readonly ProposedGrant[], evaluator: AccessEvaluator, allPairs: boolean): MigrationProof {
  const projection = projectOrganization(snapshot, target, placement, moves, grants);
  const report = verifyProjection(projection.model, { target: 'projected organization', spec: target, evaluator, defaultBoundaries: true }, allPairs);
  const boundary = report.findings.filter((f) => f.rule.startsWith('boundary.'));
  return {
    holds: boundary.every((f) => f.rule !== 'boundary.assertion' && f.rule !== 'boundary.nonprod-to-prod'),
    crossBusinessUnit: boundary.filter((f) => f.rule === 'boundary.cross-business-unit').length,
    findings: report.summary.counts.total,
    bySeverity: report.summary.counts.bySeverity,
    byRule: report.summary.counts.byRule,
    boundaryFindings: boundary.slice(0, 50).map((f) => `${f.rule}: ${f.message}`),
    boundaryFindingCount: boundary.length,
    newAccounts: projection.newAccounts,
    movedRoles: moves.moves.size,
    copiedRoles: projection.copiedRoles,
    principals: report.summary.principals,
    resources: report.summary.resources,
  };
}

/** How many collisions get a diagnostic each; the rest are counted in one more. */
const COLLISION_DIAGNOSTICS = 20;

/** BH9260 per collision (the first {@link COLLISION_DIAGNOSTICS}, then one with the count of the others). */
function collisionDiagnostics(collisions: readonly NameCollision[]): Diagnostic[] {
  const out = collisions.slice(0, COLLISION_DIAGNOSTICS).map((c) => {
    const more = c.count > c.legacy.length ? ` and ${c.count - c.legacy.length} more` : '';
    return warning('BH9260', `${c.count} legacy ${c.kind}s would share \`${c.arn}\` in \`${c.account}\`: ${c.legacy.map((a) => `\`${a}\``).join(', ')}${more}; rename all but one before the move`);
  });
  const rest = collisions.length - COLLISION_DIAGNOSTICS;
  if (rest > 0) out.push(warning('BH9260', `${rest} more ARN${rest === 1 ? '' : 's'} would be shared by legacy resources or roles in their target accounts (see the plan's \`collisions\`); rename them before the move`));
  return out;
}

/** BH9261 per role copied into several accounts. */
function sharedRoleDiagnostics(plan: Omit<MigrationPlan, 'proof'>): Diagnostic[] {
  const accounts = new Map<string, string[]>();
  for (const w of plan.waves) for (const r of w.newRoles) pushTo(accounts, r.role, r.account);
  return plan.sharedRoles.map((role) => {
    const to = accounts.get(role) ?? [];
    return warning('BH9261', `role \`${role}\` runs workloads that go to ${to.length} accounts (${to.map((a) => `\`${a}\``).join(', ')}): a copy is created in each; update the trust and resource policies that name it to name each copy`);
  });
}

/** The diagnostics of a plan: what stays unattributed, flagged groups, groups without a target, breaking conditions. */
function planDiagnostics(plan: Omit<MigrationPlan, 'proof'>, proof: MigrationProof | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  const n = plan.unattributed.length;
  if (n > 0) out.push(warning('BH9232', `${n} resource${n === 1 ? '' : 's'} with no phase or business unit from tags, names, stacks or the account (first: \`${plan.unattributed[0]}\`); tag them \`Environment\` and \`BusinessUnit\``));
  for (const g of plan.groups) {
    if (g.status === 'mixed-phase' || g.status === 'mixed-business-unit') out.push(warning('BH9233', `group \`${g.label}\` (${g.id}, ${g.members.length} resources) is not moved: ${g.reason}`));
    if (g.status === 'no-target') out.push(warning('BH9234', `group \`${g.label}\` (${g.id}) is not moved: ${g.reason}; add the account to the target spec`));
  }
  for (const c of plan.conditions) out.push(warning('BH9235', `condition \`${c.key}\` = \`${c.value}\` in ${c.policy} stops matching when ${c.because.length === 1 ? `\`${c.because[0]}\` moves` : `${c.because.length} resources move (first: \`${c.because[0]}\`)`}; update it to the new account or ARN`));
  out.push(...collisionDiagnostics(plan.collisions), ...sharedRoleDiagnostics(plan));
  if (proof && !proof.holds) {
    const first = proof.boundaryFindings.find((f) => !f.startsWith('boundary.cross-business-unit')) ?? '';
    out.push(warning('BH9236', `the projected organization still breaks a boundary (first: ${first}); see the proof section`));
  }
  return out;
}

/** Plans the migration of a collected organization (with inventory) into the target design. */
export function planMigration(snapshot: OrganizationModel, target: OrganizationModel, options: MigrationOptions): { plan: MigrationPlan; diagnostics: Diagnostic[] } {
  const attribution = attribute(snapshot, { spec: target });
  const workloads = inferWorkloads(snapshot.inventory?.resources ?? [], vocabularyOf(target), attribution);
  const graph = couplingGraph(snapshot, attribution, workloads, options.evaluator);
  const groups = partition(workloads, graph, target);
  const groupOf = groupOfMember(groups);
  const current = (arn: string) => workloads.byArn.get(arn)!.resource.account;
  const placement = new Map<string, string>();
  for (const g of groups) if (g.status === 'moves') for (const m of g.members) if (current(m) !== g.target) placement.set(m, g.target!);
  const ids = new Map<string, string>([...attribution.accounts.values()].map((a) => [a.name, a.id]));
  const conditions = breakingConditions(snapshot, graph.edges, new Map([...placement.keys()].map((arn) => [arn, current(arn)])), ids);
  const roles = roleDestinations(workloads, placement);
  const collisions = nameCollisions(snapshot, target, placement, roles);
  const waves = planWaves(target, workloads, groups, graph.edges, conditions, { collisions, roles });
  const before = crossAccount(graph.edges, current);
  const after = crossAccount(graph.edges, (arn) => placement.get(arn) ?? current(arn));
  const afterEdges = new Set(after.map((d) => d.edge));
  // a wave sees the accounts of its own time (a later wave may still move the other end): report the final ones
  const finalOf = new Map(after.map((d) => [d.edge, d]));
  const added = waves
    .flatMap((w) => w.newDependencies)
    .filter((d) => afterEdges.has(d.edge))
    .map((d) => ({ ...d, fromAccount: finalOf.get(d.edge)!.fromAccount, toAccount: finalOf.get(d.edge)!.toAccount }));
  const grants = added.flatMap((d) => d.grants);
  const edgeCounts: Record<string, number> = {};
  for (const e of graph.edges) edgeCounts[e.kind] = (edgeCounts[e.kind] ?? 0) + 1;
  const plan: Omit<MigrationPlan, 'proof'> = {
    source: options.source,
    target: options.target,
    accounts: new Set(workloads.workloads.map((w) => w.resource.account)).size,
    resources: workloads.workloads.length,
    kitchenSinks: kitchenSinks(workloads),
    workloads: workloads.workloads.map((w) => ({
      arn: w.resource.arn,
      account: w.resource.account,
      type: w.resource.type,
      name: w.resource.name,
      phase: w.phase.value ?? null,
      businessUnit: w.businessUnit.value ?? null,
      application: w.application.value ?? null,
      group: groupOf.get(w.resource.arn)!,
      decidedBy: describe(w),
    })),
    unattributed: workloads.unattributed,
    edges: graph.edges,
    edgeCounts: sortedRecord(edgeCounts),
    sharedData: graph.sharedData,
    danglingReferences: graph.dangling,
    groups,
    dependencies: { before: before.length, after: after.length, added, resolved: before.filter((d) => !afterEdges.has(d.edge)).length },
    grants,
    conditions,
    sharedRoles: roles.shared,
    collisions,
    waves,
    nothingToMove: waves.length === 0,
  };
  const proof = options.evaluator && options.prove !== false && waves.length > 0 ? prove(snapshot, target, placement, roles, grants, options.evaluator, options.allPairs === true) : undefined;
  return { plan: proof ? { ...plan, proof } : plan, diagnostics: planDiagnostics(plan, proof) };
}
