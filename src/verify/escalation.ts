/**
 * Escalation edges of one principal (see escalation-catalog.ts for the edge set): which principals of its account
 * it can become by passing a role to a service, by SSM, or by rewriting IAM (trust policies, credentials), and
 * which principals it can grant any permission to. Every question goes to the engine with concrete ARNs (the role,
 * user or policy; a representative ARN for what the caller creates) so conditions, SCPs and boundaries prune
 * exactly. A structural pre-filter skips principals whose identity policies cannot allow the actions at all.
 */
import type { PolicyDocument } from '../model/organization.js';
import type { AccessEvaluator, AssumeDecision, PrincipalContext } from './engine-port.js';
import type { Evidence } from './finding.js';
import type { IamGroupPolicies, EnginePrincipal } from './graph.js';
import { statementsOf } from './policy-shape.js';
import {
  ADD_USER_TO_GROUP_KIND,
  ESCALATION_ACTIONS,
  MODIFY_KINDS,
  PASS_ROLE_SERVICES,
  POLICY_VERSION_KIND,
  SET_DEFAULT_VERSION_KIND,
  SSM_EDGE,
  type PassRoleService,
} from './escalation-catalog.js';
import { globFromText, globMatch, type Glob } from '../util/glob.js';

/**
 * One escalation edge. `become`: `from` can act as `to`; `grant`: `from` can give `to` any permission (and lift
 * its boundary when it has one), so `to` becomes admin of its account for whoever can also become `to`.
 */
export interface EscalationEdge {
  readonly from: number;
  readonly to: number;
  /** `pass-role:<service>`, `instance-role:ssm`, `iam-modify:<kind>`. */
  readonly kind: string;
  readonly mode: 'become' | 'grant';
  readonly evidence: readonly Evidence[];
}

/** What one principal's pass found: its edges, and the facts SSM edges are assembled from. */
export interface EscalationFacts {
  readonly edges: EscalationEdge[];
  /** [role index, evidence]: roles an SSM-managed instance may run as (trust ec2, agent may register). */
  readonly ssmInstanceRoles: [number, readonly Evidence[]][];
  /** [principal index, evidence]: principals that can run commands on their account's instances. */
  readonly ssmOperators: [number, readonly Evidence[]][];
}

/** What one share's escalation passes share: the evaluator, peers per account, caches. */
export interface EscalationContext {
  readonly principals: readonly EnginePrincipal[];
  readonly evaluator: AccessEvaluator;
  readonly region: string;
  /** Principal indexes per account id. */
  readonly peers: ReadonlyMap<string, readonly number[]>;
  /** `role index\0service\0source ARN` → the service's trust decision. */
  readonly serviceTrust: Map<string, AssumeDecision>;
  /** IAM groups per account id (known through their members), by name. */
  readonly groups: ReadonlyMap<string, readonly IamGroupPolicies[]>;
}

/** Builds the per-share context (no engine calls). */
export function escalationContext(principals: readonly EnginePrincipal[], evaluator: AccessEvaluator, region: string): EscalationContext {
  const peers = new Map<string, number[]>();
  const groups = new Map<string, Map<string, IamGroupPolicies>>();
  for (const p of principals) {
    const list = peers.get(p.ctx.accountId) ?? [];
    list.push(p.index);
    peers.set(p.ctx.accountId, list);
    for (const g of p.groups ?? []) {
      const byName = groups.get(p.ctx.accountId) ?? new Map<string, IamGroupPolicies>();
      if (!byName.has(g.name)) byName.set(g.name, g);
      groups.set(p.ctx.accountId, byName);
    }
  }
  const groupLists = new Map([...groups].map(([acct, byName]) => [acct, [...byName.values()]]));
  return { principals, evaluator, region, peers, serviceTrust: new Map(), groups: groupLists };
}

// ---- structural pre-filter ---------------------------------------------------------------------------------

/** A compiled IAM action pattern (linear-time matcher: the pattern is user text, never a regular expression). */
function glob(cache: Map<string, Glob>, pattern: string): Glob {
  let g = cache.get(pattern);
  if (!g) {
    g = globFromText(pattern, true);
    cache.set(pattern, g);
  }
  return g;
}

function stringList(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The escalation actions (lowercase) some identity Allow statement may match; NotAction may match anything. */
export function possibleActions(docs: readonly PolicyDocument[]): Set<string> {
  const out = new Set<string>();
  const cache = new Map<string, Glob>();
  for (const doc of docs) {
    for (const s of statementsOf(doc)) {
      if (s.value['Effect'] !== 'Allow') continue;
      if (s.value['NotAction'] !== undefined) return new Set(ESCALATION_ACTIONS);
      for (const pattern of stringList(s.value['Action'])) for (const a of ESCALATION_ACTIONS) if (globMatch(glob(cache, pattern), a)) out.add(a);
    }
  }
  return out;
}

/** Could this trust policy allow service principal `service` (structurally; sound)? */
function mayTrustService(doc: PolicyDocument, service: string): boolean {
  return statementsOf(doc).some((s) => {
    if (s.value['Effect'] !== 'Allow') return false;
    if (s.value['NotPrincipal'] !== undefined || s.value['Principal'] === '*') return true;
    const p = s.value['Principal'];
    return typeof p === 'object' && p !== null && !Array.isArray(p) && stringList(p['Service']).includes(service);
  });
}

// ---- engine questions ----------------------------------------------------------------------------------------

/** Mutable state of one principal's pass. */
interface Pass {
  readonly ctx: EscalationContext;
  readonly p: EnginePrincipal;
  readonly possible: Set<string>;
  readonly facts: EscalationFacts;
}

function fill(template: string, region: string, account: string): string {
  return template.replace('{r}', region).replace('{a}', account);
}

/** Asks the engine whether `who` may call `action` on `resource` (skipped when the pre-filter rules it out). */
function ask(pass: Pass, who: PrincipalContext, action: string, resource: string, context?: Readonly<Record<string, string>>, tags?: PrincipalContext['tags']): AssumeDecision | undefined {
  if (who === pass.p.ctx && !pass.possible.has(action.toLowerCase())) return undefined;
  const d = pass.ctx.evaluator.allows!(who, { action, resource, resourceAccount: who.accountId, ...(context ? { context } : {}), ...(tags ? { resourceTags: tags } : {}) });
  return d.allowed ? d : undefined;
}

/** The evidence of the first way whose every action is allowed, or undefined. */
function anyWay(pass: Pass, ways: readonly (readonly string[])[], resource: string): Evidence[] | undefined {
  for (const way of ways) {
    const evidence: Evidence[] = [];
    let ok = true;
    for (const action of way) {
      const d = ask(pass, pass.p.ctx, action, resource);
      if (!d) {
        ok = false;
        break;
      }
      evidence.push(...d.evidence);
    }
    if (ok) return evidence;
  }
  return undefined;
}

/** Whether service principal `service` may assume role `r` (cached per share). */
function serviceTrusts(ctx: EscalationContext, r: EnginePrincipal, service: string, sourceArn: string | undefined): AssumeDecision {
  // the source ARN is part of the key: the answer may depend on it, and must not depend on which pass asked first
  const key = `${r.index}\u0000${service}\u0000${sourceArn ?? ''}`;
  let d = ctx.serviceTrust.get(key);
  if (!d) {
    const context: Record<string, string> = { 'aws:SourceAccount': r.ctx.accountId, ...(sourceArn ? { 'aws:SourceArn': sourceArn } : {}) };
    d = mayTrustService(r.trust!.document, service) && ctx.evaluator.serviceMayAssume
      ? ctx.evaluator.serviceMayAssume(service, r.ctx, r.trust!, context)
      : { allowed: false, evidence: [] };
    ctx.serviceTrust.set(key, d);
  }
  return d;
}

/** pass-role edges: P passes a peer role that trusts the service, and can make the service run as it. */
function passRoleEdges(pass: Pass, peers: readonly EnginePrincipal[], s: PassRoleService): void {
  const { p, ctx } = pass;
  if (!pass.possible.has('iam:passrole')) return;
  const resource = fill(s.resource, ctx.region, p.ctx.accountId);
  const roles = peers.filter((r) => r.ctx.kind === 'role' && r.index !== p.index && r.trust !== undefined);
  if (roles.length === 0) return;
  let service: Evidence[] | undefined | null = null;
  for (const r of roles) {
    const trust = serviceTrusts(ctx, r, s.principal, resource === '*' ? undefined : resource);
    if (!trust.allowed) continue;
    const passRole = ask(pass, p.ctx, 'iam:PassRole', r.ctx.arn, { 'iam:PassedToService': s.principal }, r.ctx.tags);
    if (!passRole) continue;
    if (service === null) service = anyWay(pass, s.ways, resource);
    if (!service) return;
    pass.facts.edges.push({ from: p.index, to: r.index, kind: `pass-role:${s.id}`, mode: 'become', evidence: [...passRole.evidence, ...service, ...trust.evidence] });
  }
}

/** SSM facts: is P a managed instance's role; can P run commands on its account's instances. */
function ssmFacts(pass: Pass): void {
  const { p, ctx } = pass;
  const instance = fill(SSM_EDGE.resource, ctx.region, p.ctx.accountId);
  for (const action of SSM_EDGE.actions) {
    const d = ask(pass, p.ctx, action, instance);
    if (d) {
      pass.facts.ssmOperators.push([p.index, d.evidence]);
      break;
    }
  }
  if (p.ctx.kind !== 'role' || p.trust === undefined) return;
  const trust = serviceTrusts(ctx, p, SSM_EDGE.instancePrincipal, undefined);
  if (!trust.allowed) return;
  // the agent's own call is asked of the role without the pre-filter's caller check
  const agent = ctx.evaluator.allows!(p.ctx, { action: SSM_EDGE.agentAction, resource: '*', resourceAccount: p.ctx.accountId });
  if (agent.allowed) pass.facts.ssmInstanceRoles.push([p.index, [...trust.evidence, ...agent.evidence]]);
}

/** The customer managed policies attached to a principal (AWS managed ones the engine refuses anyway). */
function managedPolicyArns(t: EnginePrincipal): readonly string[] {
  return (t.managedPolicyArns ?? []).filter((arn) => !arn.startsWith('arn:aws:iam::aws:'));
}

/** Evidence that `who` can grant `t` any permission (a put/attach, or a new version of an attached policy). */
function canGrant(pass: Pass, who: PrincipalContext, t: EnginePrincipal): { kind: string; evidence: readonly Evidence[] } | undefined {
  for (const m of MODIFY_KINDS) {
    if (m.effect !== 'grant' || m.target !== t.ctx.kind) continue;
    const d = ask(pass, who, m.action, t.ctx.arn, m.context, t.ctx.tags);
    if (d) return { kind: `iam-modify:${m.id}`, evidence: d.evidence };
  }
  for (const arn of managedPolicyArns(t)) {
    for (const k of [POLICY_VERSION_KIND, SET_DEFAULT_VERSION_KIND]) {
      const d = ask(pass, who, k.action, arn);
      if (d) return { kind: `iam-modify:${k.id}`, evidence: d.evidence };
    }
  }
  return undefined;
}

/**
 * add-user-to-group edges from P to user `t` (or itself): P may add `t` to a group of the account it is not in,
 * and with the group's policies `t` could grant itself any permission. A user with a permissions boundary is
 * skipped (the group's policies stay inside it).
 */
function addToGroupEdges(pass: Pass, t: EnginePrincipal): void {
  if (t.ctx.kind !== 'user' || t.ctx.boundary || !pass.possible.has(ADD_USER_TO_GROUP_KIND.action.toLowerCase())) return;
  const member = new Set((t.groups ?? []).map((g) => g.name));
  for (const g of pass.ctx.groups.get(t.ctx.accountId) ?? []) {
    if (member.has(g.name) || g.policies.length === 0) continue;
    const add = ask(pass, pass.p.ctx, ADD_USER_TO_GROUP_KIND.action, ADD_USER_TO_GROUP_KIND.resource.replace('{a}', t.ctx.accountId).replace('{g}', g.name));
    if (!add) continue;
    const inGroup: PrincipalContext = { ...t.ctx, identityPolicies: [...t.ctx.identityPolicies, ...g.policies] };
    const grant = canGrant(pass, inGroup, t);
    if (!grant) continue;
    pass.facts.edges.push({ from: pass.p.index, to: t.index, kind: `iam-modify:${ADD_USER_TO_GROUP_KIND.id}`, mode: 'grant', evidence: [...add.evidence, ...grant.evidence] });
    return;
  }
}

/** Evidence that P can lift `t`'s permissions boundary. */
function canLift(pass: Pass, t: EnginePrincipal): { kind: string; evidence: readonly Evidence[] } | undefined {
  for (const m of MODIFY_KINDS) {
    if (m.effect !== 'lift' || m.target !== t.ctx.kind) continue;
    const d = ask(pass, pass.p.ctx, m.action, t.ctx.arn, m.context, t.ctx.tags);
    if (d) return { kind: `iam-modify:${m.id}`, evidence: d.evidence };
  }
  return undefined;
}

/** iam-modify edges from P to a peer (or to itself). */
function modifyEdges(pass: Pass, t: EnginePrincipal): void {
  const { p } = pass;
  if (t.index !== p.index) {
    for (const m of MODIFY_KINDS) {
      if (m.effect !== 'become' || m.target !== t.ctx.kind) continue;
      const d = ask(pass, p.ctx, m.action, t.ctx.arn, m.context, t.ctx.tags);
      if (d) {
        pass.facts.edges.push({ from: p.index, to: t.index, kind: `iam-modify:${m.id}`, mode: 'become', evidence: d.evidence });
        break;
      }
    }
  }
  const lift = t.ctx.boundary ? canLift(pass, t) : undefined;
  if (t.ctx.boundary && !lift) {
    // a granted policy stays inside the target's boundary: without lifting it, no "any permission"; but the
    // target P itself may still grant itself within its boundary, which is no escalation
    return;
  }
  // P lifting its own boundary: what it can grant itself is then judged without the boundary
  const who = t.index === p.index && lift ? withoutBoundary(p.ctx) : p.ctx;
  const grant = canGrant(pass, who, t);
  if (!grant) return;
  const kind = lift ? `${lift.kind}+${grant.kind.slice('iam-modify:'.length)}` : grant.kind;
  pass.facts.edges.push({ from: p.index, to: t.index, kind, mode: 'grant', evidence: [...(lift?.evidence ?? []), ...grant.evidence] });
}

function withoutBoundary(ctx: PrincipalContext): PrincipalContext {
  const { boundary: _b, ...rest } = ctx;
  return rest;
}

/** Every escalation edge and SSM fact of one principal. */
export function principalEscalations(ctx: EscalationContext, p: EnginePrincipal, facts: EscalationFacts): void {
  if (!ctx.evaluator.allows) return;
  const possible = possibleActions(p.ctx.identityPolicies.map((np) => np.document));
  const pass: Pass = { ctx, p, possible, facts };
  const peers = (ctx.peers.get(p.ctx.accountId) ?? []).map((i) => ctx.principals[i]!);
  // SSM instance-role facts are about P as a target, so they are asked even when P itself can do nothing
  ssmFacts(pass);
  if (possible.size === 0) return;
  for (const s of PASS_ROLE_SERVICES) passRoleEdges(pass, peers, s);
  // the own-boundary question last: it asks about a second principal context
  for (const t of peers) if (t.index !== p.index) modifyEdges(pass, t);
  for (const t of peers) addToGroupEdges(pass, t);
  modifyEdges(pass, p);
}
