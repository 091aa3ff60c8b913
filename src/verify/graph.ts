/**
 * The access graph: principals, resources, direct capability grants (asked of the engine), role-assumption
 * edges, and each principal's transitive closure over those edges. Pruning skips pairs that cannot be granted
 * (cross-account access needs the resource or trust policy to name the principal's account, or `*`), so large
 * organizations stay fast.
 */
import type { OrganizationModel, Tags } from '../model/organization.js';
import { orgPolicyLevels } from '../model/query.js';
import type { Attribution, EntityAttribution } from './attribution.js';
import type { AccessEvaluator, CapabilityGrant, NamedPolicy, PrincipalContext, QuestionPlan, ResourceContext } from './engine-port.js';
import type { Capability, Evidence } from './finding.js';
import { allowedPrincipalMentions, type PrincipalMentions } from './policy-shape.js';
import { DEFAULT_REGION } from '../util/aws-defaults.js';
import { compareStrings } from '../util/order.js';
import { escalationContext, principalEscalations, type EscalationEdge, type EscalationFacts } from './escalation.js';
import { SSM_EDGE } from './escalation-catalog.js';
import { placeholderSource } from './engine-compiler.js';
import { pushTo } from '../util/multimap.js';
import { flat } from '../util/flat-string.js';

/** A principal node. */
export interface PrincipalNode {
  readonly index: number;
  readonly ctx: PrincipalContext;
  readonly attr: EntityAttribution;
  /** Trust policy for roles. */
  readonly trust?: NamedPolicy;
  /** ARNs of the managed policies attached to it (escalation asks about new versions of these). */
  readonly managedPolicyArns?: readonly string[];
  /** Users: the IAM groups it is in, each with the group's policies as the user carries them (`group:<name>/…`). */
  readonly groups?: readonly IamGroupPolicies[];
}

/** An IAM group as verify knows it (through a member): its name and policies (escalation asks about adding users to it). */
export interface IamGroupPolicies {
  readonly name: string;
  readonly policies: readonly NamedPolicy[];
}

/** A principal node as the engine questions need it: without its attribution (what a worker thread receives). */
export type EnginePrincipal = Omit<PrincipalNode, 'attr'>;

/** A resource node. */
export interface ResourceNode {
  readonly index: number;
  readonly ctx: ResourceContext;
  readonly attr: EntityAttribution;
}

/** A resource node as the engine questions need it: without its attribution. */
export type EngineResource = Omit<ResourceNode, 'attr'>;

/**
 * Direct access of one principal to one resource. Grants are shared by every principal and resource with the same
 * policies, so their evidence may hold placeholder labels: read it with {@link grantEvidence}.
 */
export interface DirectAccess {
  readonly resource: number;
  readonly grants: readonly CapabilityGrant[];
}

/**
 * One principal's direct access, compact: the resource indexes in ascending order and, at the same positions, the
 * grants on each. Two arrays instead of one {@link DirectAccess} object per pair (~3 million pairs at 10,000
 * accounts, ~48 bytes each). Plain data, so a worker can post it; read it with {@link directEntries} and
 * {@link directGrants}.
 */
export interface DirectRow {
  readonly resources: readonly number[];
  readonly grants: readonly (readonly CapabilityGrant[])[];
}

/** The row of a principal without direct access. */
export const EMPTY_ROW: DirectRow = { resources: [], grants: [] };

/** A row's pairs as {@link DirectAccess} entries, in ascending resource order (made afresh: do not keep them). */
export function directEntries(row: DirectRow | undefined): DirectAccess[] {
  if (!row) return [];
  return row.resources.map((resource, i) => ({ resource, grants: row.grants[i]! }));
}

/** The grants of a row on resource `ri`, or undefined when the row has none (binary search). */
export function directGrants(row: DirectRow | undefined, ri: number): readonly CapabilityGrant[] | undefined {
  if (!row) return undefined;
  const rs = row.resources;
  let lo = 0;
  let hi = rs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const at = rs[mid]!;
    if (at === ri) return row.grants[mid];
    if (at < ri) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

/** `from` may assume role `to`. */
export interface AssumeEdge {
  readonly from: number;
  readonly to: number;
  readonly evidence: readonly Evidence[];
}

/** Effective access of a principal to a resource, possibly through a chain of assumed roles. */
export interface EffectiveAccess {
  readonly resource: number;
  readonly capabilities: readonly Capability[];
  /** Principal indexes from the origin to the holder (length 1 = direct). */
  readonly path: readonly number[];
  /** Assumption evidence along the path (shared between entries; do not mutate). */
  readonly pathEvidence: readonly Evidence[];
  /** The holder's grants on the resource (placeholder evidence: read it with {@link accessEvidence} or {@link grantEvidence}). */
  readonly grants: readonly CapabilityGrant[];
}

/**
 * A graph grant's evidence as its holder's: the engine answers with placeholder labels (one grant object for every
 * principal and resource with the same policies, see `placeholderSource`), put back here to the names of principal
 * `holder`'s own policies and resource `resource`'s own policy. Other evidence is returned as it is; a resolved one
 * is a new object (do not keep it where many would be kept).
 */
export function grantEvidence(graph: AccessGraph, holder: number, resource: number, e: Evidence): Evidence {
  return resolvedEvidence(graph.principals[holder]!.ctx, graph.resources[resource]!.ctx, e);
}

/** Evidence of an evaluator's capability answer for `principal` on `resource` under their own labels (see {@link grantEvidence}). */
export function resolvedEvidence(principal: PrincipalContext, resource: ResourceContext, e: Evidence): Evidence {
  const source = placeholderSource(e.source, principal, resource.policy);
  return source === undefined ? e : { ...e, source };
}

/** The evidence of an effective access: assumption statements along the path, then the holder's granting statements. */
export function accessEvidence(graph: AccessGraph, e: EffectiveAccess): Evidence[] {
  // the same statement often grants several capabilities (and an SCP sits at several levels): list it once
  const seen = new Set<string>();
  const out: Evidence[] = [];
  const add = (ev: Evidence) => {
    const k = `${ev.source}\u0000${ev.statement}\u0000${ev.effect}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(ev);
    }
  };
  for (const ev of e.pathEvidence) add(ev);
  // the holder is the path's last principal (effectiveAccess): its grants, in its own labels
  const holder = graph.principals[e.path[e.path.length - 1]!]!.ctx;
  const resource = graph.resources[e.resource]!.ctx;
  for (const g of e.grants) for (const ev of g.evidence) add(resolvedEvidence(holder, resource, ev));
  return out;
}

/** The whole graph plus counters that show how much pruning saved. */
export interface AccessGraph {
  readonly principals: readonly PrincipalNode[];
  readonly resources: readonly ResourceNode[];
  /** Direct access per principal index. */
  readonly direct: readonly DirectRow[];
  readonly edges: readonly AssumeEdge[];
  /** Outgoing edges per principal index. */
  readonly out: readonly (readonly AssumeEdge[])[];
  /** Escalation edges besides assumption (pass-role, SSM, iam-modify), sorted by from, to, kind. */
  readonly escalations: readonly EscalationEdge[];
  readonly stats: {
    readonly capabilityQueries: number;
    readonly assumeQueries: number;
    readonly prunedPairs: number;
  };
}

/** Resource types synthesised per account for a design ("any S3 bucket in retail-prod"). */
export const ABSTRACT_RESOURCE_TYPES: readonly string[] = ['s3:bucket', 'kms:key', 'sqs:queue', 'secretsmanager:secret'];

function abstractArn(type: string, accountName: string, accountId: string, region: string): string {
  const slug = accountName.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  switch (type) {
    case 's3:bucket':
      return `arn:aws:s3:::any-bucket-in-${slug}`;
    case 'kms:key':
      return `arn:aws:kms:${region}:${accountId}:key/any-key`;
    case 'sqs:queue':
      return `arn:aws:sqs:${region}:${accountId}:any-queue`;
    default:
      return `arn:aws:secretsmanager:${region}:${accountId}:secret:any-secret`;
  }
}

/**
 * Labels organization-policy levels by policy name (so evidence says which SCP/RCP decided) and hands out ONE
 * NamedPolicy per policy document, so the engine compiles and caches each SCP/RCP once for the whole org.
 */
function namer(model: OrganizationModel, kind: 'scp' | 'rcp') {
  const policies = kind === 'scp' ? model.serviceControlPolicies : model.resourceControlPolicies;
  const byDoc = new Map<unknown, NamedPolicy>();
  for (const p of policies) if (!byDoc.has(p.document)) byDoc.set(p.document, { source: `${kind} ${p.name}`, document: p.document });
  return (levels: ReturnType<typeof orgPolicyLevels>) =>
    levels?.map((docs) => docs.map((d) => byDoc.get(d) ?? { source: `${kind} ?`, document: d }));
}

/** Options for building the graph. */
export interface GraphOptions {
  /** Add abstract per-account resources (default: true for planned models). */
  readonly abstractResources?: boolean;
}

/** Builds principal and resource nodes (no engine calls). */
export function buildNodes(
  model: OrganizationModel,
  attribution: Attribution,
  options: GraphOptions = {},
): { principals: PrincipalNode[]; resources: ResourceNode[] } {
  const idOf = (acct: string) => attribution.accounts.get(acct)?.id ?? '000000000000';
  const nameScps = namer(model, 'scp');
  const nameRcps = namer(model, 'rcp');
  type Levels = ReturnType<typeof nameScps>;
  const scpCache = new Map<string, Levels>();
  const rcpCache = new Map<string, Levels>();
  // An organization with SCPs enabled has at least one attached everywhere (FullAWSAccess). A model with no
  // SCPs at all therefore has them disabled (or not collected): evaluate without SCPs rather than deny all.
  const scpsEnabled = model.serviceControlPolicies.length > 0;
  const scps = (acct: string) => {
    if (!scpsEnabled) return undefined;
    if (!scpCache.has(acct)) scpCache.set(acct, nameScps(orgPolicyLevels(model, acct, 'scp')));
    return scpCache.get(acct);
  };
  const rcps = (acct: string) => {
    if (!rcpCache.has(acct)) rcpCache.set(acct, nameRcps(orgPolicyLevels(model, acct, 'rcp')));
    return rcpCache.get(acct);
  };
  const principals: PrincipalNode[] = [];
  const add = (
    kind: 'role' | 'user',
    account: string,
    name: string,
    path: string,
    arn: string | undefined,
    policies: readonly { name: string; kind: string; arn?: string; document: import('../model/organization.js').PolicyDocument }[],
    boundary: { name: string; document: import('../model/organization.js').PolicyDocument } | undefined,
    tags: Tags,
    trust?: import('../model/organization.js').PolicyDocument,
    groupNames?: readonly string[],
  ) => {
    const id = idOf(account);
    const label = `${kind} ${account}/${name}`; // the strings below are kept for the whole run: flat() them
    const scpLevels = scps(account);
    const rcpLevels = rcps(account);
    const ctx: PrincipalContext = {
      kind,
      arn: flat(arn ?? `arn:aws:iam::${id}:${kind}${path || '/'}${name}`),
      name,
      accountName: account,
      accountId: id,
      identityPolicies: policies.map((p) => ({ source: flat(`${label} policy ${p.kind}:${p.name}`), document: p.document })),
      ...(boundary ? { boundary: { source: flat(`${label} boundary ${boundary.name}`), document: boundary.document } } : {}),
      ...(scpLevels ? { scpLevels } : {}),
      ...(rcpLevels ? { rcpLevels } : {}),
      tags,
    };
    const managed = policies.filter((p) => p.kind === 'managed').map((p) => flat(p.arn ?? `arn:aws:iam::${id}:policy/${p.name}`));
    const groups = groupsOf(groupNames ?? [], policies, ctx);
    principals.push({
      index: principals.length,
      ctx,
      attr: attribution.entity(account, tags),
      ...(managed.length > 0 ? { managedPolicyArns: managed } : {}),
      ...(groups.length > 0 ? { groups } : {}),
      ...(trust !== undefined ? { trust: { source: flat(`${label} trust policy`), document: trust } } : {}),
    });
  };
  for (const r of model.roles) add('role', r.account, r.name, r.path, r.arn, r.policies, r.permissionBoundary, r.tags, r.trustPolicy);
  for (const u of model.users) add('user', u.account, u.name, u.path, u.arn, u.policies, u.permissionBoundary, u.tags, undefined, u.groups);

  const resources: ResourceNode[] = [];
  const addResource = (ctx: ResourceContext) => {
    resources.push({ index: resources.length, ctx, attr: attribution.entity(ctx.accountName, ctx.tags) });
  };
  for (const r of model.resources) {
    const levels = rcps(r.account);
    addResource({
      arn: r.arn,
      type: r.type,
      accountName: r.account,
      accountId: idOf(r.account),
      ...(r.region ? { region: r.region } : {}),
      ...(r.policy !== undefined ? { policy: { source: flat(`resource ${r.arn} policy`), document: r.policy } } : {}),
      ...(levels ? { rcpLevels: levels } : {}),
      tags: r.tags,
    });
  }
  if (options.abstractResources ?? model.source === 'plan') abstractResources(model, idOf, rcps).forEach(addResource);
  return { principals, resources };
}

/** A user's groups with the policies it has from each (named `group:<group>/<policy>` by the snapshot loader). */
function groupsOf(names: readonly string[], policies: readonly { name: string }[], ctx: PrincipalContext): IamGroupPolicies[] {
  // identityPolicies[i] is made from policies[i]
  return names.map((name) => ({ name, policies: ctx.identityPolicies.filter((_, i) => policies[i]!.name.startsWith(`group:${name}/`)) }));
}

/** The design-time stand-ins: one resource of each ABSTRACT_RESOURCE_TYPES per non-management account. */
function abstractResources(
  model: OrganizationModel,
  idOf: (account: string) => string,
  rcps: (account: string) => readonly (readonly NamedPolicy[])[] | undefined,
): ResourceContext[] {
  const region = model.organization.regions[0] ?? DEFAULT_REGION;
  const out: ResourceContext[] = [];
  for (const a of model.accounts) {
    if (a.name === model.organization.managementAccount) continue;
    const levels = rcps(a.name);
    for (const type of ABSTRACT_RESOURCE_TYPES) {
      out.push({
        arn: abstractArn(type, a.name, idOf(a.name), region),
        type,
        accountName: a.name,
        accountId: idOf(a.name),
        region,
        ...(levels ? { rcpLevels: levels } : {}),
        tags: {},
        abstract: true,
      });
    }
  }
  return out;
}

/** Could a principal be named by these mentions (structurally)? Sound: never false when the engine could allow. */
function mayName(m: PrincipalMentions, p: PrincipalContext): boolean {
  return m.any || m.accounts.includes(p.accountId);
}

/** Node indexes in ascending order: verify hands out `Int32Array`s (4 bytes an entry), others may give `number[]`. */
export type IndexList = ArrayLike<number> & Iterable<number>;

/** Which pairs the engine must be asked about, per principal: resources and roles pruning cannot rule out. */
export interface Candidates {
  /** Resource indexes per principal index. */
  readonly resources: readonly IndexList[];
  /** Role indexes per principal index (roles whose trust policy may name the principal). */
  readonly roles: readonly IndexList[];
  readonly prunedPairs: number;
}

/** Computes the candidate pairs (no engine calls). */
export function candidatePairs(principals: readonly PrincipalNode[], resources: readonly ResourceNode[]): Candidates {
  const byAccount = new Map<string, PrincipalNode[]>();
  for (const p of principals) {
    const list = byAccount.get(p.ctx.accountId) ?? [];
    list.push(p);
    byAccount.set(p.ctx.accountId, list);
  }
  let prunedPairs = 0;
  const perResource: number[][] = principals.map(() => []);
  for (const r of resources) {
    const mentions = r.ctx.policy ? allowedPrincipalMentions(r.ctx.policy.document) : undefined;
    // same-account principals can be granted by identity policies alone; others need the resource policy
    const candidates = new Set<PrincipalNode>(byAccount.get(r.ctx.accountId) ?? []);
    if (mentions) {
      if (mentions.any) principals.forEach((p) => candidates.add(p));
      else for (const acct of mentions.accounts) for (const p of byAccount.get(acct) ?? []) candidates.add(p);
    }
    prunedPairs += principals.length - candidates.size;
    for (const p of candidates) perResource[p.index]!.push(r.index);
  }
  const perRole: number[][] = principals.map(() => []);
  for (const role of principals) {
    if (role.ctx.kind !== 'role' || role.trust === undefined) continue;
    // a trust policy must allow the caller itself, so only principals it may name are candidates
    const mentions = allowedPrincipalMentions(role.trust.document);
    const candidates: readonly PrincipalNode[] = mentions.any ? principals : mentions.accounts.flatMap((acct) => byAccount.get(acct) ?? []);
    prunedPairs += principals.length - candidates.length;
    for (const p of candidates) if (p.index !== role.index && mayName(mentions, p.ctx)) perRole[p.index]!.push(role.index);
  }
  return { resources: compactLists(perResource), roles: compactLists(perRole), prunedPairs };
}

/**
 * The lists as views of one `Int32Array`: a growing number[] holds 8 bytes an entry plus slack, and the candidate
 * pairs are ~10 million at 10,000 accounts.
 */
function compactLists(lists: readonly (readonly number[])[]): Int32Array[] {
  let total = 0;
  for (const l of lists) total += l.length;
  const all = new Int32Array(total);
  const out: Int32Array[] = [];
  let at = 0;
  for (const l of lists) {
    all.set(l, at);
    out.push(all.subarray(at, at + l.length));
    at += l.length;
  }
  return out;
}

/** What the engine said about one share of the principals. */
export interface GraphShare {
  /** [principal index, its direct access] for principals with any access. */
  readonly direct: readonly (readonly [number, DirectRow])[];
  readonly edges: readonly AssumeEdge[];
  /** Escalation edges and the SSM facts they are completed from at assembly. */
  readonly escalation: EscalationFacts;
  readonly capabilityQueries: number;
  readonly assumeQueries: number;
}

/**
 * Asks the engine about the candidate pairs of the principals `inShare` selects, principal by principal so the
 * engine can reuse its per-principal work. Shares let callers spread the work over threads.
 */
export function evaluateShare(
  principals: readonly EnginePrincipal[],
  resources: readonly EngineResource[],
  candidates: Candidates,
  evaluator: AccessEvaluator,
  inShare: (principalIndex: number) => boolean = () => true,
): GraphShare {
  let capabilityQueries = 0;
  let assumeQueries = 0;
  const direct: [number, DirectRow][] = [];
  const edges: AssumeEdge[] = [];
  const escalation: EscalationFacts = { edges: [], ssmInstanceRoles: [], ssmOperators: [] };
  const region = resources.find((r) => r.ctx.abstract)?.ctx.region ?? DEFAULT_REGION;
  const esc = escalationContext(principals, evaluator, region);
  evaluator.expectQuestions?.(questionPlan(principals, resources, candidates));
  for (const p of principals) {
    if (!inShare(p.index)) continue;
    const rs: number[] = [];
    const gs: (readonly CapabilityGrant[])[] = [];
    for (const ri of candidates.resources[p.index]!) {
      capabilityQueries++;
      const grants = evaluator.capabilities(p.ctx, resources[ri]!.ctx);
      if (grants.length > 0) {
        rs.push(ri);
        gs.push(grants);
      }
    }
    // copies of their exact length: a grown array keeps up to half again as much room
    if (rs.length > 0) direct.push([p.index, { resources: rs.slice(), grants: gs.slice() }]);
    for (const ti of candidates.roles[p.index]!) {
      const role = principals[ti]!;
      assumeQueries++;
      const d = evaluator.canAssume(p.ctx, role.ctx, role.trust!);
      if (d.allowed) edges.push({ from: p.index, to: ti, evidence: d.evidence });
    }
    principalEscalations(esc, p, escalation);
  }
  evaluator.expectQuestions?.(undefined);
  return { direct, edges, escalation, capabilityQueries, assumeQueries };
}

/**
 * The plan of evaluateShare's capability questions: the principals in asking order and, per resource, the
 * position of the last one whose candidates hold it (over all principals, not only a share's: a share's last
 * asker is never later, so an evaluator keeps at most a little longer what it compiled for the resource).
 */
function questionPlan(principals: readonly EnginePrincipal[], resources: readonly EngineResource[], candidates: Candidates): QuestionPlan {
  const lastAsker = new Int32Array(resources.length).fill(-1);
  principals.forEach((p, i) => {
    for (const ri of candidates.resources[p.index]!) lastAsker[ri] = i;
  });
  return { principals: principals.map((p) => p.ctx), resources: resources.map((r) => r.ctx), lastAsker };
}

/** Assembles the graph from the shares (in any order; the result is the same). */
export function assembleGraph(
  principals: readonly PrincipalNode[],
  resources: readonly ResourceNode[],
  candidates: Candidates,
  shares: readonly GraphShare[],
): AccessGraph {
  const direct: DirectRow[] = principals.map(() => EMPTY_ROW);
  const edges: AssumeEdge[] = [];
  let capabilityQueries = 0;
  let assumeQueries = 0;
  const escalations: EscalationEdge[] = [];
  const ssmRoles: [number, readonly Evidence[]][] = [];
  const ssmOperators: [number, readonly Evidence[]][] = [];
  for (const s of shares) {
    for (const [pi, d] of s.direct) direct[pi] = d;
    edges.push(...s.edges);
    escalations.push(...s.escalation.edges);
    ssmRoles.push(...s.escalation.ssmInstanceRoles);
    ssmOperators.push(...s.escalation.ssmOperators);
    capabilityQueries += s.capabilityQueries;
    assumeQueries += s.assumeQueries;
  }
  // a fixed edge order makes breadth-first paths (and so findings) independent of how the work was split
  edges.sort((a, b) => a.from - b.from || a.to - b.to);
  const out: AssumeEdge[][] = principals.map(() => []);
  for (const e of edges) out[e.from]!.push(e);
  escalations.push(...ssmEdges(principals, ssmRoles, ssmOperators));
  escalations.sort((a, b) => a.from - b.from || a.to - b.to || compareStrings(a.kind, b.kind));
  return { principals, resources, direct, edges, out, escalations, stats: { capabilityQueries, assumeQueries, prunedPairs: candidates.prunedPairs } };
}

/** SSM edges: an operator becomes every other principal of its account that a managed instance may run as. */
function ssmEdges(
  principals: readonly PrincipalNode[],
  roles: readonly (readonly [number, readonly Evidence[]])[],
  operators: readonly (readonly [number, readonly Evidence[]])[],
): EscalationEdge[] {
  const byAccount = new Map<string, (readonly [number, readonly Evidence[]])[]>();
  for (const r of roles) {
    const acct = principals[r[0]]!.ctx.accountId;
    pushTo(byAccount, acct, r);
  }
  const out: EscalationEdge[] = [];
  for (const [from, evidence] of operators) {
    for (const [to, roleEvidence] of byAccount.get(principals[from]!.ctx.accountId) ?? []) {
      if (to !== from) out.push({ from, to, kind: SSM_EDGE.kind, mode: 'become', evidence: [...evidence, ...roleEvidence] });
    }
  }
  return out;
}

/** Builds the access graph, asking the evaluator only about pairs that pruning cannot rule out. */
export function buildGraph(
  model: OrganizationModel,
  attribution: Attribution,
  evaluator: AccessEvaluator,
  options: GraphOptions = {},
): AccessGraph {
  const { principals, resources } = buildNodes(model, attribution, options);
  const candidates = candidatePairs(principals, resources);
  return assembleGraph(principals, resources, candidates, [evaluateShare(principals, resources, candidates, evaluator)]);
}

/**
 * The principals reachable from `origin` by assuming roles (breadth-first, so each gets a shortest path),
 * with the path from the origin and the assumption evidence along it. The origin itself is first.
 */
export function reachable(
  graph: AccessGraph,
  origin: number,
): { node: number; path: number[]; evidence: Evidence[] }[] {
  const seen = new Map<number, { path: number[]; evidence: Evidence[] }>();
  seen.set(origin, { path: [origin], evidence: [] });
  const queue = [origin];
  const order: number[] = [origin];
  while (queue.length > 0) {
    const cur = queue.shift()!;
    const here = seen.get(cur)!;
    for (const e of graph.out[cur] ?? []) {
      if (seen.has(e.to)) continue;
      seen.set(e.to, { path: [...here.path, e.to], evidence: [...here.evidence, ...e.evidence] });
      queue.push(e.to);
      order.push(e.to);
    }
  }
  return order.map((n) => ({ node: n, ...seen.get(n)! }));
}

/**
 * Effective access of a principal: its own grants and those of every role it can reach. Per resource, the
 * shortest path comes first; a longer path is kept only when its holder adds capabilities, so each entry's
 * capabilities, path and evidence belong together.
 */
export function effectiveAccess(graph: AccessGraph, origin: number): EffectiveAccess[] {
  // fast path: nothing to assume, so the effective access is the direct access
  if ((graph.out[origin] ?? []).length === 0) {
    return directEntries(graph.direct[origin]).map((d) => ({ resource: d.resource, capabilities: d.grants.map((g) => g.capability), path: [origin], pathEvidence: [], grants: d.grants }));
  }
  const seenCaps = new Map<number, Set<Capability>>();
  const out: EffectiveAccess[] = [];
  for (const { node, path, evidence } of reachable(graph, origin)) {
    for (const d of directEntries(graph.direct[node])) {
      const caps = d.grants.map((g) => g.capability);
      const seen = seenCaps.get(d.resource) ?? new Set<Capability>();
      if (caps.every((c) => seen.has(c))) continue;
      caps.forEach((c) => seen.add(c));
      seenCaps.set(d.resource, seen);
      out.push({ resource: d.resource, capabilities: caps, path, pathEvidence: evidence, grants: d.grants });
    }
  }
  return out.sort((a, b) => a.resource - b.resource || a.path.length - b.path.length);
}
