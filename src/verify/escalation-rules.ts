/**
 * Rule `escalation.path`: which principals can become admin of which account, transitively and across accounts,
 * over every way up (role assumption, pass-role, SSM, IAM rewrites; see escalation-catalog.ts). A principal is
 * admin of its account when someone it can act as can grant it any permission (put/attach a policy, a new version
 * of an attached policy, with its boundary lifted when it has one). One finding per (origin, account), with the
 * shortest path (breadth-first, fixed edge order) and the granting statements of every hop as evidence.
 */
import type { OrganizationModel } from '../model/organization.js';
import type { Attribution } from './attribution.js';
import type { EscalationEdge } from './escalation.js';
import { principalDisplayName, type Evidence, type Finding, type FindingSeverity } from './finding.js';
import type { AccessGraph, PrincipalNode } from './graph.js';

/** One traversable hop: `to` reached from `from` by `kind`. */
interface Hop {
  readonly from: number;
  readonly to: number;
  readonly kind: string;
  readonly evidence: readonly Evidence[];
}

/** What the rule's search works over: traversable hops and grant edges per principal. */
interface Search {
  readonly graph: AccessGraph;
  readonly hops: readonly (readonly Hop[])[];
  readonly grants: readonly (readonly EscalationEdge[])[];
}

function searchOf(graph: AccessGraph): Search {
  const hops: Hop[][] = graph.principals.map(() => []);
  const grants: EscalationEdge[][] = graph.principals.map(() => []);
  for (const e of graph.edges) hops[e.from]!.push({ from: e.from, to: e.to, kind: 'assume', evidence: e.evidence });
  for (const e of graph.escalations) (e.mode === 'become' ? hops : grants)[e.from]!.push(e);
  return { graph, hops, grants };
}

/** Origins that can reach a principal with a grant edge (reverse breadth-first search): the only ones to search from. */
function originsThatMayEscalate(s: Search): number[] {
  const reverse: number[][] = s.graph.principals.map(() => []);
  s.hops.forEach((list) => list.forEach((h) => reverse[h.to]!.push(h.from)));
  const seen = new Set<number>();
  const queue: number[] = [];
  s.grants.forEach((list, i) => {
    if (list.length > 0) {
      seen.add(i);
      queue.push(i);
    }
  });
  for (let k = 0; k < queue.length; k++) for (const f of reverse[queue[k]!]!) if (!seen.has(f)) (seen.add(f), queue.push(f));
  return [...seen].sort((a, b) => a - b);
}

/** Breadth-first search from an origin: the hop that first reached each node (undefined for the origin). */
function search(s: Search, origin: number): { order: number[]; via: Map<number, Hop | undefined> } {
  const via = new Map<number, Hop | undefined>([[origin, undefined]]);
  const order = [origin];
  for (let k = 0; k < order.length; k++) {
    for (const h of s.hops[order[k]!]!) {
      if (via.has(h.to)) continue;
      via.set(h.to, h);
      order.push(h.to);
    }
  }
  return { order, via };
}

function hopsTo(via: Map<number, Hop | undefined>, node: number): Hop[] {
  const out: Hop[] = [];
  for (let h = via.get(node); h; h = via.get(h.from)) out.unshift(h);
  return out;
}

/** The shortest way an origin becomes admin of one account: the path to the target and the grant edge. */
interface Way {
  readonly path: Hop[];
  readonly grant: EscalationEdge;
  /** Path from the origin to the grant's holder when it differs from the target. */
  readonly granterPath: Hop[];
}

/** Per account id, the shortest way (first found in breadth-first order of the target, then the granter). */
function waysToAdmin(s: Search, origin: number): Map<string, Way> {
  const { order, via } = search(s, origin);
  const ways = new Map<string, Way>();
  const rank = new Map(order.map((n, i) => [n, i]));
  const best = new Map<string, number>();
  for (const x of order) {
    for (const g of s.grants[x]!) {
      const tRank = rank.get(g.to);
      if (tRank === undefined) continue;
      const acct = s.graph.principals[g.to]!.ctx.accountId;
      const cost = Math.max(tRank, rank.get(x)!);
      if ((best.get(acct) ?? Infinity) <= cost) continue;
      best.set(acct, cost);
      ways.set(acct, { path: hopsTo(via, g.to), grant: g, granterPath: x === g.to ? [] : hopsTo(via, x) });
    }
  }
  return ways;
}

/**
 * Whether a grant edge gives its target more than it had: it first lifts a permissions boundary (its kind is
 * `<lift>+<grant>`), or it adds the target to an IAM group whose policies let it grant itself anything.
 */
function liftsBoundary(g: EscalationEdge): boolean {
  return g.kind.includes('+') || g.kind === 'iam-modify:add-user-to-group';
}

/** Whether the way uses more than plain assumption into a principal that is admin by itself. */
function usesEscalation(w: Way): boolean {
  return w.path.some((h) => h.kind !== 'assume') || w.granterPath.some((h) => h.kind !== 'assume') || w.grant.from !== w.grant.to || liftsBoundary(w.grant);
}

function name(p: PrincipalNode): string {
  return `\`${p.ctx.name}\``;
}

/** ` via `a` → `b` (kind) → …` for the hops. */
function hopText(graph: AccessGraph, hops: readonly Hop[]): string {
  return hops.map((h) => ` → ${name(graph.principals[h.to]!)} (${h.kind})`).join('');
}

/** Evidence of every hop, each noted with its hop, listed once. */
function wayEvidence(graph: AccessGraph, w: Way): Evidence[] {
  const seen = new Set<string>();
  const out: Evidence[] = [];
  const label = (from: number, to: number, kind: string) => `${graph.principals[from]!.ctx.name} → ${graph.principals[to]!.ctx.name} (${kind})`;
  for (const h of [...w.granterPath, ...w.path, { from: w.grant.from, to: w.grant.to, kind: w.grant.kind, evidence: w.grant.evidence }]) {
    const note = label(h.from, h.to, h.kind);
    for (const ev of h.evidence) {
      const k = `${note}\u0000${ev.source}\u0000${ev.statement}\u0000${ev.effect}`;
      if (seen.has(k)) continue;
      seen.add(k);
      out.push({ ...ev, note });
    }
  }
  return out;
}

/** Severity: non-production reaching production is critical, across business units high, else medium. */
function severityOf(attribution: Attribution, o: PrincipalNode, account: string): FindingSeverity {
  const target = attribution.accounts.get(account);
  if (o.attr.phase.value !== undefined && !o.attr.production && target?.production) return 'critical';
  const bu = o.attr.businessUnit.value;
  const tbu = target?.businessUnit.value;
  if (bu !== undefined && tbu !== undefined && bu !== tbu) return 'high';
  return 'medium';
}

function wayFinding(graph: AccessGraph, attribution: Attribution, o: PrincipalNode, w: Way, severity: FindingSeverity): Finding {
  const t = graph.principals[w.grant.to]!;
  const x = graph.principals[w.grant.from]!;
  const account = t.ctx.accountName;
  const targetPhase = attribution.accounts.get(account)?.phase.value;
  const who = `${o.attr.phase.value !== undefined ? `${o.attr.phase.value} ` : ''}principal \`${principalDisplayName(o.ctx)}\``;
  const where = `${targetPhase !== undefined ? `${targetPhase} ` : ''}account \`${account}\``;
  const grant =
    x.index === t.index
      ? `${name(t)} can grant itself any permission (${w.grant.kind})`
      : `${name(x)}${w.granterPath.length > 0 ? ` (reached via ${name(o)}${hopText(graph, w.granterPath)})` : ''} can grant ${name(t)} any permission (${w.grant.kind})`;
  return {
    rule: 'escalation.path',
    severity,
    principal: o.ctx.arn,
    principalName: principalDisplayName(o.ctx),
    resource: '-',
    account,
    capabilities: [],
    path: w.path.length > 0 ? [o.ctx.arn, ...w.path.map((h) => graph.principals[h.to]!.ctx.arn)] : [],
    ...(w.path.length > 0 ? { pathNames: [principalDisplayName(o.ctx), ...w.path.map((h) => principalDisplayName(graph.principals[h.to]!.ctx))] } : {}),
    evidence: wayEvidence(graph, w),
    message: `${who} can become admin of ${where} via ${name(o)}${hopText(graph, w.path)}, where ${grant}; remove the granting statements listed as evidence or deny the actions with an SCP`,
  };
}

/**
 * Rule `escalation.path` over the graph. An origin that is already admin of its own account by itself is no
 * escalation there (lifting its own permissions boundary first is); a way that only assumes roles into an account's admin is reported when it crosses from
 * non-production into production or across business units (inside one phase and unit, assuming the account's
 * admin role is its designed way in).
 */
export function escalationFindings(_model: OrganizationModel, attribution: Attribution, graph: AccessGraph): Finding[] {
  const s = searchOf(graph);
  if (s.grants.every((g) => g.length === 0)) return [];
  const findings: Finding[] = [];
  for (const origin of originsThatMayEscalate(s)) {
    const o = graph.principals[origin]!;
    for (const [acctId, w] of waysToAdmin(s, origin)) {
      // admin of its own account by itself (not by lifting its own boundary) is no escalation
      if (acctId === o.ctx.accountId && w.path.length === 0 && w.grant.from === origin && !liftsBoundary(w.grant)) continue;
      const severity = severityOf(attribution, o, graph.principals[w.grant.to]!.ctx.accountName);
      if (severity === 'medium' && !usesEscalation(w)) continue;
      findings.push(wayFinding(graph, attribution, o, w, severity));
    }
  }
  return findings;
}
