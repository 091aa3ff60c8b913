/**
 * The before side's access graph as a source of answers for the after side. Verify asks the engine two questions
 * per candidate pair — `capabilities(principal, resource)` and `canAssume(principal, role, trust)` — only while
 * building the graph (`evaluateShare`), and the graph keeps every answer: a pair's grants (none when the pair is
 * not in the principal's direct row) and every allowed assumption (an edge; no edge is a denial, whose evidence
 * the graph builder drops). Both answers are functions of the contexts' content, and so is whether a pair is a
 * candidate at all (the accounts and the policies' principal mentions), so where an after-side principal and
 * resource (or role and trust policy) have the content of before-side ones, the before graph holds the answer.
 * This keeps the before side free of a per-question cache. Pure.
 */
import { directGrants, type AccessGraph } from '../verify/graph.js';
import type { AssumeDecision, CapabilityGrant, NamedPolicy, PrincipalContext, ResourceContext } from '../verify/engine-port.js';

const DENIED: AssumeDecision = { allowed: false, evidence: [] };
const NONE: readonly CapabilityGrant[] = [];

/** Looks answers up in a before graph by content id (`id` gives the same number for the same content). */
export class GraphAnswers {
  private readonly principals = new Map<number, number>();
  private readonly resources = new Map<number, number>();
  private readonly roles = new Map<string, number>();

  constructor(
    private readonly graph: AccessGraph,
    private readonly id: (value: object | undefined) => number,
  ) {
    for (const p of graph.principals) {
      this.principals.set(id(p.ctx), p.index);
      if (p.trust) this.roles.set(`${id(p.ctx)}:${id(p.trust)}`, p.index);
    }
    for (const r of graph.resources) this.resources.set(id(r.ctx), r.index);
  }

  /** The grants of the before pair with this content, or undefined when the before side has no such pair. */
  capabilities(p: PrincipalContext, r: ResourceContext): readonly CapabilityGrant[] | undefined {
    const pi = this.principals.get(this.id(p));
    const ri = this.resources.get(this.id(r));
    if (pi === undefined || ri === undefined) return undefined;
    return directGrants(this.graph.direct[pi], ri) ?? NONE;
  }

  /** The before side's decision for this content, or undefined when it has no such principal and role. */
  canAssume(p: PrincipalContext, role: PrincipalContext, trust: NamedPolicy): AssumeDecision | undefined {
    const pi = this.principals.get(this.id(p));
    const ti = this.roles.get(`${this.id(role)}:${this.id(trust)}`);
    // the graph builder never asks a role about itself: two principals of one content have no such answer
    if (pi === undefined || ti === undefined || pi === ti) return undefined;
    const edge = (this.graph.out[pi] ?? []).find((e) => e.to === ti);
    return edge ? { allowed: true, evidence: edge.evidence } : DENIED;
  }
}
