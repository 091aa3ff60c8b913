import { describe, expect, it } from 'vitest';
import { synthOrganization } from '../synth/synth.js';
import { createEngineEvaluator } from './engine-adapter.js';
import { verifyModelParallel } from './parallel.js';
import { verifyModel } from './verify.js';

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
