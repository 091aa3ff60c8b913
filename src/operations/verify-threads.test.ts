import { describe, expect, it } from 'vitest';
import { synthOrganization } from '../synthetic/synth.js';
import { createEngineEvaluator } from '../verify/engine-adapter.js';
import { verifyModelParallel } from './verify-threads.js';
import { verifyModel } from '../verify/verify.js';

describe('verifyModelParallel', () => {
  it('gives exactly the single-threaded report, without falling back', async () => {
    const model = synthOrganization({ accounts: 14, rolesPerAccount: 4, resourcesPerAccount: 6, violations: true });
    const one = verifyModel(model, { target: 'synth', evaluator: createEngineEvaluator() });
    const three = await verifyModelParallel(model, { target: 'synth', threads: 3 });
    expect(three.summary.warnings).toEqual([]);
    expect(JSON.stringify(three)).toBe(JSON.stringify(one));
    expect(one.findings.some((f) => f.rule === 'boundary.nonprod-to-prod' && f.path.length === 2)).toBe(true);
  });
});

describe('verifyModelParallel with people and escalation edges', () => {
  it('the worker, given only the prepared nodes and its candidate pairs, finds what one thread finds', async () => {
    // people add users with groups, SSO roles and pass-role / iam-modify / SSM questions: all asked in the worker too
    const model = synthOrganization({ accounts: 12, rolesPerAccount: 5, resourcesPerAccount: 6, violations: true, people: true, seed: 7 });
    const one = verifyModel(model, { target: 'synth', evaluator: createEngineEvaluator() });
    const two = await verifyModelParallel(model, { target: 'synth', threads: 2 });
    expect(two.summary.warnings).toEqual([]);
    expect(one.findings.some((f) => f.rule.startsWith('escalation.'))).toBe(true);
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
  });
});

describe('engine shortcuts', () => {
  it('skipping and memoising queries never changes the report', () => {
    const model = synthOrganization({ accounts: 16, rolesPerAccount: 10, resourcesPerAccount: 12, violations: true, seed: 3 });
    const fast = createEngineEvaluator();
    const a = verifyModel(model, { target: 'synth', evaluator: fast });
    const b = verifyModel(model, { target: 'synth', evaluator: createEngineEvaluator({ shortcuts: false }) });
    expect(fast.skippedQueries).toBeGreaterThan(0);
    expect(fast.memoHits).toBeGreaterThan(0);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});

describe('engine shortcuts, pair by pair', () => {
  it('every direct grant and assumption edge, with its evidence, is the same with and without shortcuts', async () => {
    const { prepareVerify } = await import('../verify/verify.js');
    const { candidatePairs, directEntries, evaluateShare, resolvedEvidence } = await import('../verify/graph.js');
    const model = synthOrganization({ accounts: 12, rolesPerAccount: 12, resourcesPerAccount: 10, violations: true, seed: 5 });
    const p = prepareVerify(model, {});
    const c = candidatePairs(p.principals, p.resources);
    const fast = evaluateShare(p.principals, p.resources, c, createEngineEvaluator());
    const slow = evaluateShare(p.principals, p.resources, c, createEngineEvaluator({ shortcuts: false }));
    // the fast side's grants keep placeholder labels (shared across principals): compare under each pair's own
    const own = (share: typeof fast) =>
      share.direct.map(([pi, row]) => [pi, directEntries(row).map((d) => ({ resource: d.resource, grants: d.grants.map((g) => ({ ...g, evidence: g.evidence.map((e) => resolvedEvidence(p.principals[pi]!.ctx, p.resources[d.resource]!.ctx, e)) })) }))] as const);
    expect(fast.direct.length).toBeGreaterThan(50);
    expect(JSON.stringify(own(fast))).toBe(JSON.stringify(own(slow)));
    expect(JSON.stringify(fast.edges)).toBe(JSON.stringify(slow.edges));
    // KMS key policies (shared text within an account) keep their own resource's label
    const kms = own(fast).flatMap(([, d]) => d).find((d) => p.resources[d.resource]!.ctx.type === 'kms:key' && d.grants.some((g) => g.evidence.some((e) => e.source.startsWith('resource '))));
    expect(kms).toBeDefined();
    const arn = p.resources[kms!.resource]!.ctx.arn;
    expect(kms!.grants.flatMap((g) => g.evidence).filter((e) => e.source.startsWith('resource ')).every((e) => e.source === `resource ${arn} policy`)).toBe(true);
  });
});
