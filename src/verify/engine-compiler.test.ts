import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { documentKey, PolicyCompiler } from './engine-compiler.js';

const trust = () => ({
  Version: '2012-10-17' as const,
  Statement: [{ Effect: 'Allow' as const, Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'sts:AssumeRole' }],
});

describe('PolicyCompiler', () => {
  it('shares compiled statements between documents with the same text, each keeping its own label', () => {
    const diagnostics: Diagnostic[] = [];
    const c = new PolicyCompiler(diagnostics, true);
    const a = c.compile({ source: 'role a trust policy', document: trust() }, 'trust');
    const b = c.compile({ source: 'role b trust policy', document: trust() }, 'trust');
    expect(a?.label).toBe('role a trust policy');
    expect(b?.label).toBe('role b trust policy');
    expect(b?.compiled).toBe(a?.compiled);
    // another type is compiled on its own (validation differs per type)
    expect(c.compile({ source: 'as resource', document: trust() }, 'resource')?.compiled).not.toBe(a?.compiled);
    expect(diagnostics).toEqual([]);
  });

  it('reports a left-out statement once per document, also when its text was compiled for another', () => {
    const diagnostics: Diagnostic[] = [];
    const c = new PolicyCompiler(diagnostics, true);
    const bad = () => ({ Version: '2012-10-17' as const, Statement: [{ Effect: 'Allow' as const, Action: 'sts:AssumeRole' }] });
    c.compile({ source: 'role a trust policy', document: bad() }, 'trust');
    c.compile({ source: 'role b trust policy', document: bad() }, 'trust');
    expect(diagnostics.map((d) => [d.code, d.path])).toEqual([
      ['BH7101', 'role a trust policy'],
      ['BH7101', 'role b trust policy'],
    ]);
  });

  it('never gives two principal-policy texts the same placeholder label, also once the placeholders were forgotten', () => {
    const c = new PolicyCompiler([], true);
    const doc = (i: number) => ({ Version: '2012-10-17' as const, Statement: [{ Effect: 'Allow' as const, Action: 's3:GetObject', Resource: `arn:aws:s3:::b${i}/*` }] });
    const first = c.principalPolicy({ source: 'p0', document: doc(0) }, 'identity #0');
    const labels = new Set<string>();
    for (let i = 0; i < 5000; i++) labels.add(c.principalPolicy({ source: `p${i}`, document: doc(i) }, 'identity #0').source);
    expect(labels.size).toBe(5000);
    // the first text's placeholder was forgotten at the bound: it comes back under a new label
    expect(c.principalPolicy({ source: 'p0', document: doc(0) }, 'identity #0').source).not.toBe(first.source);
  });

  it('forgets resource-policy placeholders at its bound, never reusing a label', () => {
    const c = new PolicyCompiler([], true);
    const doc = (i: number) => ({ Version: '2012-10-17' as const, Statement: [{ Effect: 'Allow' as const, Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 's3:GetObject', Resource: `arn:aws:s3:::b${i}/*` }] });
    const first = c.resourcePolicy({ source: 'resource b0 policy', document: doc(0) });
    expect(c.resourcePolicy({ source: 'resource b0 policy', document: doc(0) })).toBe(first); // same text: same placeholder
    const labels = new Set<string>([first.source]);
    for (let i = 1; i < 5000; i++) labels.add(c.resourcePolicy({ source: `resource b${i} policy`, document: doc(i) }).source);
    expect(labels.size).toBe(5000);
    // the first text's placeholder (and so its compiled statements) was let go at the bound
    const again = c.resourcePolicy({ source: 'resource b0 policy', document: doc(0) });
    expect(again).not.toBe(first);
    expect(labels.has(again.source)).toBe(false);
  });

  it('keeps the placeholder of a principal policy asked about again and again, while hundreds of others come and go', () => {
    const c = new PolicyCompiler([], true);
    const doc = (i: number) => ({ Version: '2012-10-17' as const, Statement: [{ Effect: 'Allow' as const, Action: 's3:GetObject', Resource: `arn:aws:s3:::b${i}/*` }] });
    const shared = { source: 'managed', document: { Version: '2012-10-17' as const, Statement: [{ Effect: 'Allow' as const, Action: '*', Resource: '*' }] } };
    const first = c.principalPolicy(shared, 'identity #0');
    const own = c.principalPolicy({ source: 'p0', document: doc(0) }, 'identity #0');
    for (let i = 1; i < 1000; i++) {
      c.principalPolicy({ source: `p${i}`, document: doc(i) }, 'identity #0');
      // the same content under the same position: the same placeholder (so the same compiled statements)
      expect(c.principalPolicy({ ...shared, source: `managed ${i}` }, 'identity #0')).toBe(first);
    }
    // a text asked about once was let go long ago (at most a few dozen are kept)
    expect(c.principalPolicy({ source: 'p0', document: doc(0) }, 'identity #0')).not.toBe(own);
  });

  it('keeps a planned resource text compiled until its last asker, however many texts come in between, then lets it go', () => {
    const c = new PolicyCompiler([], true);
    const doc = (i: number) => ({ Version: '2012-10-17' as const, Statement: [{ Effect: 'Allow' as const, Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 's3:GetObject', Resource: `arn:aws:s3:::b${i}/*` }] });
    const resource = (i: number, policy = doc(i)) => ({ arn: `arn:aws:s3:::b${i}`, type: 's3:bucket', accountName: 'a', accountId: '111111111111', tags: {}, policy: { source: `bucket b${i} policy`, document: policy } });
    // b0's text is asked about by the principals at positions 0 and 3 (the second through another bucket with the same text)
    const planned = [resource(0), resource(1), { ...resource(2), policy: { source: 'bucket b2 policy', document: doc(0) } }];
    c.planResourcePolicies({ resources: planned, lastAsker: [0, 1, 3] });
    const first = c.compile(c.resourcePolicy(planned[0]!.policy), 'resource', planned[0]!.policy.source)?.compiled;
    expect(first).toBeDefined();
    // the principal at position 1 meets 5,000 unplanned texts: the count bound forgets those, not b0's
    c.releaseResourcePolicies(1);
    for (let i = 10; i < 5010; i++) c.compile(c.resourcePolicy(resource(i).policy), 'resource');
    c.releaseResourcePolicies(3);
    // the later asker gets the same compiled statements: the text was not parsed and compiled again
    expect(c.compile(c.resourcePolicy(planned[2]!.policy), 'resource', planned[2]!.policy.source)?.compiled).toBe(first);
    // b1's last asker (position 1) is done, and so, once position 4 asks, is b0's: both are let go
    c.releaseResourcePolicies(4);
    const again = c.resourcePolicy(planned[0]!.policy);
    expect(c.compile(again, 'resource')?.compiled).not.toBe(first);
  });

  it('keeps at most 4,096 planned texts, those whose last asker comes soonest', () => {
    const c = new PolicyCompiler([], true);
    const doc = (i: number) => ({ Version: '2012-10-17' as const, Statement: [{ Effect: 'Allow' as const, Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 's3:GetObject', Resource: `arn:aws:s3:::b${i}/*` }] });
    const rs = Array.from({ length: 6000 }, (_, i) => ({ arn: `arn:aws:s3:::b${i}`, type: 's3:bucket', accountName: 'a', accountId: '111111111111', tags: {}, policy: { source: `bucket b${i} policy`, document: doc(i) } }));
    // the later a text is met, the sooner its last asker comes
    c.planResourcePolicies({ resources: rs, lastAsker: rs.map((_, i) => 6000 - i) });
    const first = rs.map((r) => c.resourcePolicy(r.policy));
    expect(c.resourcePlaceholders).toBeLessThanOrEqual(4096 + 1);
    expect(c.resourcePolicy(rs[5999]!.policy)).toBe(first[5999]);
    expect(c.resourcePolicy(rs[6000 - 4096]!.policy)).toBe(first[6000 - 4096]);
    // the texts whose last asker is furthest away were let go for them
    expect(c.resourcePolicy(rs[0]!.policy)).not.toBe(first[0]);
  });

  it('forgets the heap entries of planned texts let go: a long plan holds entries for what is kept, not for all it met', () => {
    const c = new PolicyCompiler([], true);
    const doc = (i: number) => ({ Version: '2012-10-17' as const, Statement: [{ Effect: 'Allow' as const, Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 's3:GetObject', Resource: `arn:aws:s3:::b${i}/*` }] });
    const rs = Array.from({ length: 20_000 }, (_, i) => ({ arn: `arn:aws:s3:::b${i}`, type: 's3:bucket', accountName: 'a', accountId: '111111111111', tags: {}, policy: { source: `bucket b${i} policy`, document: doc(i) } }));
    // each text is asked about by one principal, the one at its own position: kept while it asks, then let go
    c.planResourcePolicies({ resources: rs, lastAsker: rs.map((_, i) => i) });
    let most = 0;
    rs.forEach((r, i) => {
      c.releaseResourcePolicies(i);
      const kept = c.resourcePolicy(r.policy);
      expect(c.resourcePolicy(r.policy)).toBe(kept); // still kept while its asker asks
      most = Math.max(most, c.plannedHeapEntries);
    });
    expect(c.resourcePlaceholders).toBeLessThanOrEqual(2);
    expect(most).toBeLessThanOrEqual(2 * 2 + 1024 + 1);
  });

  it('keeps planned resource texts no longer than their plan', () => {
    const c = new PolicyCompiler([], true);
    const r = { arn: 'arn:aws:s3:::b', type: 's3:bucket', accountName: 'a', accountId: '111111111111', tags: {}, policy: { source: 'bucket b policy', document: trust() } };
    c.planResourcePolicies({ resources: [r], lastAsker: [5] });
    const first = c.resourcePolicy(r.policy);
    expect(c.resourcePolicy(r.policy)).toBe(first);
    c.planResourcePolicies(undefined);
    expect(c.resourcePlaceholders).toBe(0);
    // never reused: a text met again after its plan gets a new label
    expect(c.resourcePolicy(r.policy).source).not.toBe(first.source);
  });

  it('keys documents by their text: the same text the same key, another text another key', () => {
    expect(documentKey(trust())).toBe(documentKey(trust()));
    expect(documentKey(trust())).not.toBe(documentKey({ ...trust(), Version: '2008-10-17' }));
    expect(documentKey(trust())).toHaveLength(44);
  });
});
