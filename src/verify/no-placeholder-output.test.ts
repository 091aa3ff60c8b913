import { describe, expect, it } from 'vitest';
import { computeDelta } from '../delta/delta.js';
import { synthOrganization } from '../synthetic/index.js';
import { createEngineEvaluator } from './engine-adapter.js';
import { verifyModel } from './verify.js';

// The engine's placeholder labels start with U+0000 (engine-compiler.ts); shared capability grants keep them, and
// every reader must resolve them to the holder's and resource's own names before anything is reported.
const PLACEHOLDER = '\\u0000';

describe('no placeholder label reaches a report', () => {
  it('verify: findings and their evidence name real policies only', () => {
    const m = synthOrganization({ accounts: 10, rolesPerAccount: 6, resourcesPerAccount: 4, violations: true, seed: 3 });
    const r = verifyModel(m, { target: 't', evaluator: createEngineEvaluator() });
    expect(r.findings.some((f) => f.evidence.length > 0)).toBe(true);
    expect(JSON.stringify(r)).not.toContain(PLACEHOLDER);
  });

  it('diff: access gained and lost carry resolved evidence', () => {
    const before = synthOrganization({ accounts: 8, rolesPerAccount: 4, resourcesPerAccount: 3, violations: false, seed: 1 });
    const after = synthOrganization({ accounts: 8, rolesPerAccount: 4, resourcesPerAccount: 3, violations: true, seed: 1 });
    const d = computeDelta({ model: before, label: 'before' }, { model: after, label: 'after' });
    expect(d.access.some((a) => a.evidence.length > 0)).toBe(true);
    expect(JSON.stringify(d)).not.toContain(PLACEHOLDER);
  });
});
