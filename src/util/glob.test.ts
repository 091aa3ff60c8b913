import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileGlob, globFromText, globMatch, wildcardMatch, type GlobCounter, type GlobToken } from './glob.js';
import { referenceGlobMatch, tokensOfText } from '../../test-support/glob-reference.js';

/** Steps the matcher takes for one value. */
function steps(pattern: string, value: string): { matched: boolean; steps: number } {
  const counter: GlobCounter = { steps: 0 };
  const matched = globMatch(globFromText(pattern), value, counter);
  return { matched, steps: counter.steps };
}

/** The same text pattern as ARN tokens: wildcards before the fifth colon stay in their segment. */
function arnTokens(pattern: string): GlobToken[] {
  let colons = 0;
  return tokensOfText(pattern).map((t) => {
    if (t.t === 'lit') {
      if (t.s === ':') colons++;
      return t;
    }
    return colons < 5 ? { ...t, seg: true } : t;
  });
}

describe('glob matcher', () => {
  it('matches `*` (any run, also none) and `?` (exactly one character)', () => {
    expect(wildcardMatch('s3:Get*', 's3:GetObject')).toBe(true);
    expect(wildcardMatch('s3:Get*', 's3:Get')).toBe(true);
    expect(wildcardMatch('s3:?etObject', 's3:GetObject')).toBe(true);
    expect(wildcardMatch('s3:?etObject', 's3:etObject')).toBe(false);
    expect(wildcardMatch('*a*b*', 'xxaxxbxx')).toBe(true);
    expect(wildcardMatch('*a*b*', 'xxbxxaxx')).toBe(false);
    expect(wildcardMatch('a**b', 'ab')).toBe(true);
    expect(wildcardMatch('', '')).toBe(true);
    expect(wildcardMatch('', 'a')).toBe(false);
    expect(wildcardMatch('a?c', 'abc')).toBe(true);
    expect(wildcardMatch('*?', '')).toBe(false);
    expect(wildcardMatch('S3:GET*', 's3:getobject', true)).toBe(true);
    expect(wildcardMatch('S3:GET*', 's3:getobject')).toBe(false);
  });

  it('keeps segment wildcards out of `:` and lets later ones cross it', () => {
    const g = compileGlob(arnTokens('arn:aws:iam::*:role/*'));
    expect(globMatch(g, 'arn:aws:iam::111122223333:role/a/b')).toBe(true);
    expect(globMatch(g, 'arn:aws:iam::1:2:role/a')).toBe(false);
    expect(globMatch(compileGlob(arnTokens('arn:aws:s3:::b/*')), 'arn:aws:s3:::b/x:y')).toBe(true);
    expect(globMatch(compileGlob(arnTokens('arn:*')), 'arn:aws')).toBe(true);
    expect(globMatch(compileGlob(arnTokens('arn:*')), 'arn:aws:s3')).toBe(false);
    expect(globMatch(compileGlob(arnTokens('*')), 'a:b')).toBe(false);
  });

  it('refuses an unrestricted wildcard before a segment one (a bug in the caller)', () => {
    expect(() => compileGlob([{ t: 'star' }, { t: 'lit', s: ':' }, { t: 'star', seg: true }])).toThrow(/segment wildcard/);
  });

  it('answers the adversarial patterns with polynomial work, not exponential', () => {
    const pattern = '*a'.repeat(30);
    const near = 'a'.repeat(40) + 'b';
    const r = steps(pattern, near);
    expect(r.matched).toBe(false);
    expect(r.steps).toBeLessThan(pattern.length * near.length * 2);
    expect(steps(pattern, 'a'.repeat(40)).matched).toBe(true);
    // the resource: `arn:aws:s3:::*a*a*a*a*a*a*a*a*a*ab` against a 40-character bucket name
    const res = 'arn:aws:s3:::' + '*a'.repeat(10) + 'b';
    const bucket = 'arn:aws:s3:::' + 'a'.repeat(40);
    const arn = compileGlob(arnTokens(res));
    const counter: GlobCounter = { steps: 0 };
    expect(globMatch(arn, bucket, counter)).toBe(false);
    expect(counter.steps).toBeLessThan(res.length * bucket.length * 2);
    expect(globMatch(arn, bucket + 'b')).toBe(true);
    // `?` blocks are searched character by character: still bounded by n·m
    const qm = steps('*a?a?a?a?a?b', 'a'.repeat(2000));
    expect(qm.matched).toBe(false);
    expect(qm.steps).toBeLessThan(12 * 2000 * 2);
  });

  it('agrees with the dynamic-programming reference on random patterns over {a, b, *, ?, :, /}', () => {
    const alphabet = fc.constantFrom('a', 'b', '*', '?', ':', '/');
    const text = fc.constantFrom('a', 'b', ':', '/', 'A');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 12 }), fc.array(text, { maxLength: 14 }), fc.boolean(), (p, v, ci) => {
        const pattern = p.join('');
        const value = v.join('');
        expect(globMatch(globFromText(pattern, ci), value)).toBe(referenceGlobMatch(tokensOfText(pattern), value, ci));
        expect(globMatch(compileGlob(arnTokens(pattern)), value)).toBe(referenceGlobMatch(arnTokens(pattern), value));
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with a regular expression built from the escaped pattern on short inputs', () => {
    const alphabet = fc.constantFrom('a', 'b', '*', '?', '.', '(', '+');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 8 }), fc.array(fc.constantFrom('a', 'b', '.', '(', '+'), { maxLength: 10 }), (p, v) => {
        const pattern = p.join('');
        const value = v.join('');
        const source = p.map((c) => (c === '*' ? '[\\s\\S]*' : c === '?' ? '[\\s\\S]' : c.replace(/[.(+]/, '\\$&'))).join('');
        expect(globMatch(globFromText(pattern), value)).toBe(new RegExp(`^${source}$`).test(value));
      }),
      { numRuns: 1000 },
    );
  });
});
