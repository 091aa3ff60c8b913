import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../diagnostics/diagnostic.js';
import { findDeepJson, nestsDeeper } from '../util/json-depth.js';
import { simulateLine } from './simulate.js';

const LINE = JSON.stringify({
  request: { principal: 'arn:aws:iam::111122223333:user/alice', action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', resourceAccount: '111122223333' },
  identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': ['a', 'b'] } } }] }],
});

describe('simulate --batch: a line nested too deeply', () => {
  it('is refused with a located error before it is parsed (10,000 levels threw RangeError, 100,000 ran out of heap)', () => {
    for (const n of [10_000, 100_000]) {
      const deep = LINE.replace('"111122223333"}', `${'['.repeat(n)}${']'.repeat(n)}}`);
      const r = simulateLine(deep, 2, { label: 'batch.jsonl' });
      expect(r.ok).toBe(false);
      expect(r.diagnostics.map(formatDiagnostic)).toEqual([
        expect.stringMatching(/^batch\.jsonl:2:\d+: error BH3104: the input nests deeper than 100 levels \(.* \(at request\.resourceAccount\[0\]\[0\]/),
      ]);
    }
  });

  it('leaves ordinary lines (a policy with a condition, about 8 levels) alone', () => {
    expect(simulateLine(LINE, 1, { label: 'batch.jsonl' }).ok).toBe(true);
  });

  it('the quick test agrees with the located scan on strings, escapes, stray brackets and the limit itself', () => {
    const cases = [
      '[[[]]]',
      '[[["[[[["]]]',
      '[[["\\"]]]',
      '[[["\\""[[[[[[]',
      '[["unterminated [[[[[[',
      ']][[[[[[[[',
      '{"a":[{"b":[[]]}]}',
      '[[[[',
      '[[[[[',
    ];
    for (const t of cases) for (const max of [1, 3, 4, 5]) expect([t, max, nestsDeeper(t, max)]).toEqual([t, max, findDeepJson(t, max) !== undefined]);
    expect(nestsDeeper(`${'['.repeat(100)}${']'.repeat(100)}`, 100)).toBe(false);
    expect(nestsDeeper(`${'['.repeat(101)}${']'.repeat(101)}`, 100)).toBe(true);
  });
});
