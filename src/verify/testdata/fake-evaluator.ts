/**
 * A test double for AccessEvaluator: answers from an explicit table of (principal, resource) → capabilities and
 * (principal, role) → assumable. It matches no policies; it lets tests drive the graph and rules exactly.
 */
import type { AccessEvaluator, CapabilityGrant } from '../evaluator.js';
import type { Capability } from '../finding.js';

/** Table for the fake: keys are `principalArn|resourceArn` and `principalArn|roleArn`. */
export interface FakeTable {
  readonly grants: Readonly<Record<string, readonly Capability[]>>;
  readonly assumes: readonly string[];
}

/** Builds the fake and a log of the questions asked (to test pruning). */
export function fakeEvaluator(table: FakeTable): AccessEvaluator & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    capabilities(p, r) {
      asked.push(`${p.arn}|${r.arn}`);
      const caps = table.grants[`${p.arn}|${r.arn}`] ?? [];
      return caps.map(
        (c): CapabilityGrant => ({ capability: c, actions: [`fake:${c}`], evidence: [{ source: `fake ${p.name}`, statement: c, effect: 'Allow' }] }),
      );
    },
    canAssume(p, role, trust) {
      asked.push(`${p.arn}|${role.arn}`);
      const allowed = table.assumes.includes(`${p.arn}|${role.arn}`);
      return { allowed, evidence: allowed ? [{ source: trust.source, statement: 'fake', effect: 'Allow' }] : [] };
    },
  };
}
