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
import type { AccessEvaluator } from '../verify/engine-port.js';
import { buildNodes } from '../verify/graph.js';
import { compareStrings } from '../util/order.js';
import { prunedCandidates } from './candidates.js';
import type { Workload, Workloads } from './workloads.js';

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
      stacks.set(r.stack.arn, [...(stacks.get(r.stack.arn) ?? []), r.arn]);
      stackName.set(r.stack.arn, r.stack.name);
    }
    if (w.application.source === 'tag' && w.application.value !== undefined) {
      const k = `${r.account}\u0000${w.application.value}`;
      apps.set(k, [...(apps.get(k) ?? []), r.arn]);
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
    const role = w.resource.type === 'iam:role' ? w.resource.arn : w.resource.lambda?.role;
    if (role !== undefined) owners.set(role, [...(owners.get(role) ?? []), w]);
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
 * Shared-data edges: for each principal owning a workload, the engine's capabilities on every inventory resource
 * of another workload it may reach (same account, or named by the resource policy). Read, write or delete of data
 * counts; configuration reads do not.
 */
export function sharedDataEdges(model: OrganizationModel, attribution: Attribution, workloads: Workloads, evaluator: AccessEvaluator): { edges: CouplingEdge[]; queries: number } {
  const owners = principalOwners(workloads);
  const roles = model.roles.filter((r) => r.arn !== undefined && owners.has(r.arn));
  const slim: OrganizationModel = { ...model, roles, users: [], resources: withInventoryResources(model).filter((r) => workloads.byArn.has(r.arn)) };
  const { principals, resources } = buildNodes(slim, attribution, { abstractResources: false });
  // pairs no identity `Allow` pattern may reach are never asked (their answer is "nothing granted")
  const candidates = prunedCandidates(principals, resources);
  const edges: CouplingEdge[] = [];
  let queries = 0;
  for (const p of principals) {
    const services = servicesNamed(p.ctx.identityPolicies.map((x) => x.document));
    const mine = owners.get(p.ctx.arn) ?? [];
    for (const ri of candidates.resources[p.index] ?? []) {
      const r = resources[ri]!;
      const service = r.ctx.type.split(':')[0] ?? '';
      if (r.ctx.policy === undefined && !services.has('*') && !services.has(service)) continue;
      queries++;
      const grants = evaluator.capabilities(p.ctx, r.ctx).filter((g) => DATA_CAPABILITIES.has(g.capability));
      if (grants.length === 0) continue;
      const target = workloads.byArn.get(r.ctx.arn)!;
      const statements = [...new Set(grants.flatMap((g) => g.evidence.map((e) => `${e.source} ${e.statement}`)))].sort(compareStrings).slice(0, 3);
      for (const w of mine) {
        if (w.resource.arn === target.resource.arn) continue;
        const samePhase = w.phase.value === target.phase.value;
        const sameBu = w.businessUnit.value === target.businessUnit.value;
        const caps = grants.map((g) => g.capability);
        const e = edge('shared-data', w.resource.arn, target.resource.arn, `role \`${p.ctx.arn}\` can ${caps.join(', ')} (${statements.join('; ')})`, samePhase && sameBu ? 'strong' : 'medium');
        edges.push({ ...e, principal: p.ctx.arn, capabilities: caps });
      }
    }
  }
  return { edges, queries };
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
