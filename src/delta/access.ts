/**
 * The access delta: each side's effective access (verify's access graph and transitive closure), keyed by
 * principal × resource in the after side's names, compared capability by capability. Gains carry the after side's
 * path and statements, losses the before side's.
 */
import { compareStrings } from '../util/order.js';
import { EMPTY_ROW, effectiveAccess, accessEvidence, type AccessGraph, type EffectiveAccess, type PrincipalNode } from '../verify/graph.js';
import { orderEvidence, sortCapabilities, type Capability, type Evidence } from '../verify/finding.js';
import type { AccessChange } from './types.js';
import { principalKey } from './structure.js';

/** How one capability is held: the shortest path and its statements. */
interface Holding {
  readonly path: readonly string[];
  readonly evidence: readonly Evidence[];
}

/** Where a holding comes from; made into a `Holding` only for a change (most access is unchanged). */
interface HeldBy {
  readonly graph: AccessGraph;
  readonly access: EffectiveAccess;
  readonly keys: readonly string[];
}

function holding(h: HeldBy): Holding {
  return { path: h.access.path.map((i) => h.keys[i]!), evidence: orderEvidence(accessEvidence(h.graph, h.access)) };
}

/** One principal's access to one resource. */
interface ResourceAccess {
  readonly account: string;
  readonly caps: Map<Capability, HeldBy>;
}

/** principal key → resource key → access. */
export type AccessMap = Map<string, Map<string, ResourceAccess>>;

/** The IAM path of a role or user from its ARN (`/aws-reserved/sso.amazonaws.com/` …), `/` when it has none. */
function iamPath(arn: string): string {
  const at = arn.search(/:(role|user)\//);
  if (at < 0) return '/';
  const rest = arn.slice(arn.indexOf('/', at) + 1);
  const cut = rest.lastIndexOf('/');
  return cut < 0 ? '/' : `/${rest.slice(0, cut + 1)}`;
}

function nodeKey(n: PrincipalNode, account: (name: string) => string): string {
  return principalKey(account(n.ctx.accountName), { path: iamPath(n.ctx.arn), name: n.ctx.name });
}

/** The key of a resource in the access map: its ARN, or `<account> any <type>` for a stand-in. */
function resourceKey(graph: AccessGraph, index: number, account: (name: string) => string): string {
  const r = graph.resources[index]!.ctx;
  return r.abstract ? `${account(r.accountName)} any ${r.type}` : r.arn;
}

/**
 * A side's effective access, with account names mapped by `account` (before → after names; identity for after);
 * principals in `skip` (see `unchangedPrincipals`) are left out.
 */
export function accessMap(graph: AccessGraph, account: (name: string) => string, skip?: ReadonlySet<number>): AccessMap {
  const out: AccessMap = new Map();
  const keys = graph.principals.map((n) => nodeKey(n, account));
  for (const p of graph.principals) {
    if (skip?.has(p.index)) continue;
    const byResource = new Map<string, ResourceAccess>();
    for (const e of effectiveAccess(graph, p.index)) {
      const rk = resourceKey(graph, e.resource, account);
      const entry = byResource.get(rk) ?? { account: account(graph.resources[e.resource]!.ctx.accountName), caps: new Map<Capability, HeldBy>() };
      byResource.set(rk, entry);
      const held: HeldBy = { graph, access: e, keys };
      for (const c of e.capabilities) if (!entry.caps.has(c)) entry.caps.set(c, held);
    }
    if (byResource.size > 0) out.set(keys[p.index]!, byResource);
  }
  return out;
}

/** One side's graph with its principal keys and resource keys in the after side's names. */
interface KeyedGraph {
  readonly graph: AccessGraph;
  readonly keys: readonly string[];
  readonly resourceKeys: readonly string[];
}

function keyed(graph: AccessGraph, account: (name: string) => string): KeyedGraph {
  return { graph, keys: graph.principals.map((n) => nodeKey(n, account)), resourceKeys: graph.resources.map((r) => resourceKey(graph, r.index, account)) };
}

/** Whether principal `i` of `a` has, by keys, the same direct access (in order) and assume edges (in order) as `j` of `b`. */
function sameNode(b: KeyedGraph, j: number, a: KeyedGraph, i: number): boolean {
  const [rb, ra] = [b.graph.direct[j] ?? EMPTY_ROW, a.graph.direct[i] ?? EMPTY_ROW];
  if (rb.resources.length !== ra.resources.length) return false;
  for (let k = 0; k < ra.resources.length; k++) {
    const [xg, yg] = [rb.grants[k]!, ra.grants[k]!];
    if (b.resourceKeys[rb.resources[k]!] !== a.resourceKeys[ra.resources[k]!] || xg.length !== yg.length) return false;
    if (xg.some((g, n) => g.capability !== yg[n]!.capability)) return false;
  }
  const [eb, ea] = [b.graph.out[j] ?? [], a.graph.out[i] ?? []];
  return eb.length === ea.length && ea.every((e, n) => a.keys[e.to] === b.keys[eb[n]!.to]);
}

/**
 * Principals whose effective access is the same on both sides without computing it: an after principal every
 * principal it can reach (itself included) has a before principal of the same key with the same direct access and
 * the same assume edges (by keys). Its before counterpart then reaches the same keys through the same edges, so
 * both hold the same capabilities on the same resource keys: neither side's access map needs it, and the access
 * delta is unchanged. Keys are unique on each side (principal keys are account and name); when they are not,
 * nothing is left out. Returns the principal indexes to leave out of each side's access map.
 */
export function unchangedPrincipals(before: AccessGraph, after: AccessGraph, toAfter: (name: string) => string): { before: Set<number>; after: Set<number> } {
  const [b, a] = [keyed(before, toAfter), keyed(after, (n) => n)];
  const byKey = new Map(b.keys.map((k, j) => [k, j]));
  if (byKey.size !== b.keys.length || new Set(a.keys).size !== a.keys.length) return { before: new Set(), after: new Set() };
  const counterpart = a.keys.map((k, i) => {
    const j = byKey.get(k);
    return j !== undefined && sameNode(b, j, a, i) ? j : -1;
  });
  // dirty: principals that can reach a changed one (a changed one reaches itself)
  const into: number[][] = a.keys.map(() => []);
  for (const e of after.edges) into[e.to]!.push(e.from);
  const dirty = new Set<number>();
  const queue = counterpart.flatMap((j, i) => (j < 0 ? [i] : []));
  for (const i of queue) dirty.add(i);
  while (queue.length > 0) {
    for (const from of into[queue.pop()!]!) {
      if (dirty.has(from)) continue;
      dirty.add(from);
      queue.push(from);
    }
  }
  const out = { before: new Set<number>(), after: new Set<number>() };
  counterpart.forEach((j, i) => {
    if (j >= 0 && !dirty.has(i)) {
      out.after.add(i);
      out.before.add(j);
    }
  });
  return out;
}

/** Capabilities in `a` and not in `b`, one resource of one principal. */
function missing(a: ResourceAccess | undefined, b: ResourceAccess | undefined): Capability[] {
  if (!a) return [];
  return [...a.caps.keys()].filter((c) => !b?.caps.has(c));
}

/** Raw changes, one per principal × resource × direction. */
interface RawChange {
  readonly direction: AccessChange['direction'];
  readonly principal: string;
  readonly resource: string;
  readonly account: string;
  readonly capabilities: Capability[];
  readonly holding: Holding;
}

function rawChanges(before: AccessMap, after: AccessMap): RawChange[] {
  const out: RawChange[] = [];
  const principals = new Set([...before.keys(), ...after.keys()]);
  for (const p of principals) {
    const b = before.get(p) ?? new Map<string, ResourceAccess>();
    const a = after.get(p) ?? new Map<string, ResourceAccess>();
    for (const rk of new Set([...b.keys(), ...a.keys()])) {
      const gained = missing(a.get(rk), b.get(rk));
      if (gained.length > 0) out.push({ direction: 'gained', principal: p, resource: rk, account: a.get(rk)!.account, capabilities: sortCapabilities(gained), holding: holding(a.get(rk)!.caps.get(gained[0]!)!) });
      const lost = missing(b.get(rk), a.get(rk));
      if (lost.length > 0) out.push({ direction: 'lost', principal: p, resource: rk, account: b.get(rk)!.account, capabilities: sortCapabilities(lost), holding: holding(b.get(rk)!.caps.get(lost[0]!)!) });
    }
  }
  return out;
}

/**
 * The access delta: per principal × account, capabilities gained and lost, resources reached alike grouped into one
 * change (same direction, capabilities and path). Severity is filled in by the caller from the findings.
 */
export function accessChanges(before: AccessMap, after: AccessMap): Omit<AccessChange, 'severity'>[] {
  const groups = new Map<string, { change: Omit<AccessChange, 'severity' | 'resources'>; resources: string[] }>();
  for (const r of rawChanges(before, after)) {
    const k = [r.direction, r.principal, r.account, r.capabilities.join(','), r.holding.path.join('>')].join('\u0000');
    const g = groups.get(k);
    if (g) g.resources.push(r.resource);
    else groups.set(k, { change: { direction: r.direction, principal: r.principal, account: r.account, capabilities: r.capabilities, path: r.holding.path, evidence: r.holding.evidence }, resources: [r.resource] });
  }
  return [...groups.values()]
    .map((g) => ({ ...g.change, resources: g.resources.sort(compareStrings) }))
    .sort(
      (x, y) =>
        compareStrings(x.direction, y.direction) ||
        compareStrings(x.principal, y.principal) ||
        compareStrings(x.account, y.account) ||
        compareStrings(x.capabilities.join(','), y.capabilities.join(',')) ||
        compareStrings(x.path.join('>'), y.path.join('>')),
    );
}
