/**
 * The coupling graph between workloads: typed, weighted edges with their evidence.
 *
 * - change lifecycle: resources of one CloudFormation stack (strong: they deploy together), resources with the same
 *   application tag (medium: they change together, but can be deployed apart);
 * - references from the inventory (strong: a Lambda's environment naming a table, an event source, an SNS
 *   subscription, a KMS key encrypting a resource, a bucket notification);
 * - shared data: a principal of one workload (a function's execution role, a role of the inventory) can read or
 *   write another workload's resource, as the policy engine decides. Strong within one phase and business unit;
 *   medium across business units (it becomes a cross-account grant); across phases it is access the migration ends.
 *
 * Edges are `from` uses `to` (ARNs). Stack and application edges are stars to one member (not all pairs), so the
 * graph stays linear in the number of resources.
 */
import type { ReferenceKind } from '../model/inventory.js';
import type { OrganizationModel, Resource } from '../model/organization.js';
import type { Attribution } from '../verify/attribution.js';
import type { AccessEvaluator, CapabilityGrant } from '../verify/engine-port.js';
import { buildNodes, resolvedEvidence, type Candidates, type PrincipalNode, type ResourceNode } from '../verify/graph.js';
import { allowedPrincipalMentions } from '../verify/policy-shape.js';
import { compareStrings } from '../util/order.js';
import { prunedCandidates } from './candidates.js';
import { workloadRole, type Workload, type Workloads } from './workloads.js';
import { pushTo } from '../util/multimap.js';

/** The kinds of coupling. */
export type CouplingKind = 'same-stack' | 'same-application' | ReferenceKind | 'shared-data';

/** How hard a coupling holds: strong ones must not be cut (their ends move together). */
export type CouplingStrength = 'strong' | 'medium';

/** Weights and strengths per kind (data: the partition reads strength, the report shows weights). */
export const COUPLING_WEIGHTS: Readonly<Record<CouplingKind, { weight: number; strength: CouplingStrength }>> = {
  'same-stack': { weight: 10, strength: 'strong' },
  'lambda-env': { weight: 8, strength: 'strong' },
  'event-source': { weight: 8, strength: 'strong' },
  'sns-subscription': { weight: 6, strength: 'strong' },
  'bucket-notification': { weight: 6, strength: 'strong' },
  'kms-encryption': { weight: 6, strength: 'strong' },
  'shared-data': { weight: 5, strength: 'strong' },
  'same-application': { weight: 3, strength: 'medium' },
};

/** One coupling: `from` uses (or deploys with) `to`. */
export interface CouplingEdge {
  readonly kind: CouplingKind;
  readonly from: string;
  readonly to: string;
  readonly strength: CouplingStrength;
  readonly weight: number;
  /** What shows it: the stack, the tag, the variable name, the granting statements, … */
  readonly evidence: string;
  /** Shared data: the principal (role ARN) that has the access, and its capabilities. */
  readonly principal?: string;
  readonly capabilities?: readonly string[];
  /** Shared data through assumed roles: the chain of role ARNs from the workload's own role to `principal`. */
  readonly via?: readonly string[];
}

/** The coupling graph. */
export interface CouplingGraph {
  /** Sorted by kind, from, to. */
  readonly edges: readonly CouplingEdge[];
  /** Inventory references whose other end is not in the inventory (not collected, or outside the organization). */
  readonly dangling: number;
  /** Whether shared data was computed (a policy engine was given). */
  readonly sharedData: boolean;
  readonly engineQueries: number;
}

function edge(kind: CouplingKind, from: string, to: string, evidence: string, strength?: CouplingStrength): CouplingEdge {
  const w = COUPLING_WEIGHTS[kind];
  return { kind, from, to, strength: strength ?? w.strength, weight: strength === 'medium' && w.strength === 'strong' ? Math.ceil(w.weight / 2) : w.weight, evidence };
}

/** Star edges from every member of a set to its first member (sorted by ARN). */
function starEdges(groups: Map<string, string[]>, kind: CouplingKind, evidence: (key: string) => string, hub?: (key: string) => string | undefined): CouplingEdge[] {
  const out: CouplingEdge[] = [];
  for (const [key, arns] of groups) {
    const sorted = [...new Set(arns)].sort(compareStrings);
    const centre = hub?.(key) ?? sorted[0]!;
    for (const arn of sorted) if (arn !== centre) out.push(edge(kind, arn, centre, evidence(key)));
  }
  return out;
}

/** Change-lifecycle edges: one stack (strong), one application tag within an account (medium). */
export function lifecycleEdges(workloads: Workloads): CouplingEdge[] {
  const stacks = new Map<string, string[]>();
  const stackName = new Map<string, string>();
  const apps = new Map<string, string[]>();
  for (const w of workloads.workloads) {
    const r = w.resource;
    if (r.stack) {
      pushTo(stacks, r.stack.arn, r.arn);
      stackName.set(r.stack.arn, r.stack.name);
    }
    if (w.application.source === 'tag' && w.application.value !== undefined) {
      const k = `${r.account}\u0000${w.application.value}`;
      pushTo(apps, k, r.arn);
    }
  }
  return [
    ...starEdges(stacks, 'same-stack', (k) => `stack \`${stackName.get(k)}\``, (k) => (workloads.byArn.has(k) ? k : undefined)),
    ...starEdges(apps, 'same-application', (k) => `application tag \`${k.split('\u0000')[1]}\``),
  ];
}

/** Reference edges from the inventory (only those whose both ends are inventory resources). */
export function referenceEdges(model: OrganizationModel, workloads: Workloads): { edges: CouplingEdge[]; dangling: number } {
  const edges: CouplingEdge[] = [];
  let dangling = 0;
  for (const ref of model.inventory?.references ?? []) {
    if (!workloads.byArn.has(ref.from) || !workloads.byArn.has(ref.to)) {
      dangling++;
      continue;
    }
    edges.push(edge(ref.kind, ref.from, ref.to, ref.evidence));
  }
  return { edges, dangling };
}

/** The workloads each principal (role ARN) belongs to: the role itself in the inventory, or the functions it runs. */
function principalOwners(workloads: Workloads): Map<string, Workload[]> {
  const owners = new Map<string, Workload[]>();
  for (const w of workloads.workloads) {
    const role = workloadRole(w);
    if (role !== undefined) pushTo(owners, role, w);
  }
  return owners;
}

/** The services a principal's identity policies name in their actions (`*` for any). */
function servicesNamed(documents: readonly unknown[]): Set<string> {
  const out = new Set<string>();
  const visit = (v: unknown, inAction: boolean): void => {
    if (typeof v === 'string') {
      if (inAction) out.add(v === '*' ? '*' : (v.split(':')[0] ?? '').toLowerCase());
    } else if (Array.isArray(v)) v.forEach((x) => visit(x, inAction));
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) visit(x, inAction || k === 'Action' || k === 'NotAction');
  };
  documents.forEach((d) => visit(d, false));
  return out;
}

/** The inventory's resources as model resources (with their resource policy), added to the model's own. */
export function withInventoryResources(model: OrganizationModel): Resource[] {
  const have = new Set(model.resources.map((r) => r.arn));
  const extra: Resource[] = [];
  for (const r of model.inventory?.resources ?? []) {
    if (have.has(r.arn) || r.type === 'cloudformation:stack' || r.type === 'iam:role') continue;
    have.add(r.arn);
    extra.push({ account: r.account, arn: r.arn, type: r.type, region: r.region, tags: r.tags, ...(r.policy !== undefined ? { policy: r.policy } : {}) });
  }
  return [...model.resources, ...extra];
}

const DATA_CAPABILITIES = new Set(['read-data', 'write-data', 'delete-data']);

/**
 * How many roles a chain may assume from a workload's own principal. verify's access graph follows chains without
 * a bound; here every workload's principal starts one, so the bound keeps the work linear in the workloads.
 */
export const MAX_ASSUME_DEPTH = 3;

/** One role reached from a workload's principal: the chain of role ARNs from it (itself first) and the evidence. */
interface Reached {
  readonly node: number;
  readonly path: readonly string[];
  readonly assumes: readonly string[];
}

/** Assume edges of the org's roles, asked lazily (only for principals a chain reaches), with their query count. */
class AssumeEdges {
  private readonly out = new Map<number, { to: number; evidence: string }[]>();
  private readonly byAccount = new Map<string, number[]>();
  private readonly anyone: number[] = [];
  queries = 0;
  constructor(
    private readonly principals: readonly PrincipalNode[],
    private readonly evaluator: AccessEvaluator,
  ) {
    // a trust policy must allow the caller itself, so only roles whose trust may name its account are asked (verify's pruning)
    for (const r of principals) {
      if (r.trust === undefined) continue;
      const m = allowedPrincipalMentions(r.trust.document);
      if (m.any) this.anyone.push(r.index);
      else for (const a of m.accounts) pushTo(this.byAccount, a, r.index);
    }
  }
  /** The roles `from` may assume, with the trust statements that allow it. */
  of(from: number): readonly { to: number; evidence: string }[] {
    const had = this.out.get(from);
    if (had !== undefined) return had;
    const p = this.principals[from]!;
    const edges: { to: number; evidence: string }[] = [];
    for (const to of new Set([...this.anyone, ...(this.byAccount.get(p.ctx.accountId) ?? [])])) {
      if (to === from) continue;
      const role = this.principals[to]!;
      this.queries++;
      const d = this.evaluator.canAssume(p.ctx, role.ctx, role.trust!);
      if (d.allowed) edges.push({ to, evidence: d.evidence.map((e) => `${e.source} ${e.statement}`).slice(0, 2).join('; ') });
    }
    edges.sort((x, y) => x.to - y.to);
    this.out.set(from, edges);
    return edges;
  }
}

/** The roles a principal reaches by assuming roles, breadth-first (shortest chains first), at most `MAX_ASSUME_DEPTH` deep. */
function reachedFrom(origin: number, principals: readonly PrincipalNode[], assume: AssumeEdges): Reached[] {
  const out: Reached[] = [{ node: origin, path: [principals[origin]!.ctx.arn], assumes: [] }];
  const seen = new Set([origin]);
  for (let i = 0; i < out.length; i++) {
    const cur = out[i]!;
    if (cur.path.length > MAX_ASSUME_DEPTH) continue;
    for (const e of assume.of(cur.node)) {
      if (seen.has(e.to)) continue; // a cycle, or a role reached by a shorter chain
      seen.add(e.to);
      out.push({ node: e.to, path: [...cur.path, principals[e.to]!.ctx.arn], assumes: [...cur.assumes, e.evidence] });
    }
  }
  return out;
}

interface SharedDataContext {
  readonly workloads: Workloads;
  readonly evaluator: AccessEvaluator;
  readonly principals: readonly PrincipalNode[];
  readonly resources: readonly ResourceNode[];
  readonly candidates: Candidates;
  /** Per principal index: its data grants by resource index (asked once, whichever chain reaches it). */
  readonly direct: Map<number, { resource: number; grants: readonly CapabilityGrant[] }[]>;
  queries: number;
}

/** A principal's data grants on the inventory resources its candidates keep (asked once). */
function dataGrants(ctx: SharedDataContext, pi: number): readonly { resource: number; grants: readonly CapabilityGrant[] }[] {
  const had = ctx.direct.get(pi);
  if (had !== undefined) return had;
  const p = ctx.principals[pi]!;
  const services = servicesNamed(p.ctx.identityPolicies.map((x) => x.document));
  const out: { resource: number; grants: readonly CapabilityGrant[] }[] = [];
  for (const ri of ctx.candidates.resources[pi] ?? []) {
    const r = ctx.resources[ri]!;
    const service = r.ctx.type.split(':')[0] ?? '';
    if (r.ctx.policy === undefined && !services.has('*') && !services.has(service)) continue;
    ctx.queries++;
    const grants = ctx.evaluator.capabilities(p.ctx, r.ctx).filter((g) => DATA_CAPABILITIES.has(g.capability));
    if (grants.length > 0) out.push({ resource: ri, grants });
  }
  ctx.direct.set(pi, out);
  return out;
}

/** The shared-data edges of one principal's workloads, through its own grants and those of the roles it reaches. */
function ownerEdges(ctx: SharedDataContext, reached: readonly Reached[], mine: readonly Workload[]): CouplingEdge[] {
  const edges: CouplingEdge[] = [];
  const done = new Set<number>();
  for (const hop of reached) {
    for (const { resource: ri, grants } of dataGrants(ctx, hop.node)) {
      if (done.has(ri)) continue; // a shorter chain reaches it already
      done.add(ri);
      const r = ctx.resources[ri]!;
      const target = ctx.workloads.byArn.get(r.ctx.arn)!;
      const holder = hop.path[hop.path.length - 1]!;
      // the engine's grants name placeholder policies: the statements under the holder's and resource's own names
      const held = ctx.principals[hop.node]!.ctx;
      const statements = [...new Set(grants.flatMap((g) => g.evidence.map((x) => resolvedEvidence(held, r.ctx, x)).map((e) => `${e.source} ${e.statement}`)))].sort(compareStrings).slice(0, 3);
      const caps = grants.map((g) => g.capability);
      const chain = hop.path.length > 1 ? `role \`${hop.path[0]}\` assumes ${hop.path.slice(1).map((a) => `\`${a}\``).join(' then ')} (${hop.assumes.join('; ')}), and ` : '';
      for (const w of mine) {
        if (w.resource.arn === target.resource.arn) continue;
        const samePhase = w.phase.value === target.phase.value;
        const sameBu = w.businessUnit.value === target.businessUnit.value;
        const e = edge('shared-data', w.resource.arn, target.resource.arn, `${chain}role \`${holder}\` can ${caps.join(', ')} (${statements.join('; ')})`, samePhase && sameBu ? 'strong' : 'medium');
        edges.push({ ...e, principal: holder, capabilities: caps, ...(hop.path.length > 1 ? { via: hop.path } : {}) });
      }
    }
  }
  return edges;
}

/**
 * Shared-data edges: for each principal owning a workload, the engine's capabilities on every inventory resource
 * of another workload it may reach (same account, or named by the resource policy), itself or through the roles it
 * may assume (chains of at most {@link MAX_ASSUME_DEPTH} roles, each role once: cycle-safe), as verify's access
 * graph has them. Read, write or delete of data counts; configuration reads do not. An edge reached through a chain
 * names the role that holds the access (`principal`) and the chain (`via`, evidence).
 */
export function sharedDataEdges(model: OrganizationModel, attribution: Attribution, workloads: Workloads, evaluator: AccessEvaluator): { edges: CouplingEdge[]; queries: number } {
  const owners = principalOwners(workloads);
  const inventory = withInventoryResources(model).filter((r) => workloads.byArn.has(r.arn));
  // every role may be a link of a chain; only those a chain reaches are asked about data
  const all = buildNodes({ ...model, roles: model.roles.filter((r) => r.arn !== undefined), users: [], resources: [] }, attribution, { abstractResources: false }).principals;
  const assume = new AssumeEdges(all, evaluator);
  const reachedOf = new Map<string, Reached[]>();
  const used = new Set<number>();
  for (const p of all) {
    if (!owners.has(p.ctx.arn)) continue;
    const reached = reachedFrom(p.index, all, assume);
    reachedOf.set(p.ctx.arn, reached);
    reached.forEach((h) => used.add(h.node));
  }
  const keep = new Set([...used].map((i) => all[i]!.ctx.arn));
  const slim: OrganizationModel = { ...model, roles: model.roles.filter((r) => r.arn !== undefined && keep.has(r.arn)), users: [], resources: inventory };
  const { principals, resources } = buildNodes(slim, attribution, { abstractResources: false });
  // pairs no identity `Allow` pattern may reach are never asked (their answer is "nothing granted")
  const ctx: SharedDataContext = { workloads, evaluator, principals, resources, candidates: prunedCandidates(principals, resources), direct: new Map(), queries: 0 };
  const index = new Map(principals.map((p) => [p.ctx.arn, p.index]));
  const edges: CouplingEdge[] = [];
  for (const [arn, reached] of reachedOf) {
    const local = reached.map((h) => ({ ...h, node: index.get(h.path[h.path.length - 1]!)! }));
    edges.push(...ownerEdges(ctx, local, owners.get(arn)!));
  }
  return { edges, queries: ctx.queries + assume.queries };
}

/** Builds the coupling graph (shared data only when an engine is given). */
export function couplingGraph(model: OrganizationModel, attribution: Attribution, workloads: Workloads, evaluator?: AccessEvaluator): CouplingGraph {
  const refs = referenceEdges(model, workloads);
  const shared = evaluator ? sharedDataEdges(model, attribution, workloads, evaluator) : { edges: [], queries: 0 };
  const seen = new Map<string, CouplingEdge>();
  for (const e of [...lifecycleEdges(workloads), ...refs.edges, ...shared.edges]) {
    const k = `${e.kind}\u0000${e.from}\u0000${e.to}`;
    if (!seen.has(k)) seen.set(k, e);
  }
  const edges = [...seen.values()].sort((a, b) => compareStrings(a.kind, b.kind) || compareStrings(a.from, b.from) || compareStrings(a.to, b.to));
  return { edges, dangling: refs.dangling, sharedData: evaluator !== undefined, engineQueries: shared.queries };
}
