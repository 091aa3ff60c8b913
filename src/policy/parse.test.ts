import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePolicy as parseBare, parseJsonText, validatePolicyDocument, MAX_INPUT_CHARS } from './parse.js';
import { parsePolicy } from './index.js';
import { POLICY_TYPES } from './types.js';

describe('parsePolicy robustness', () => {
  it('never throws on any JSON value, for every policy type', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(...POLICY_TYPES), (v, t) => {
        const r = parseBare(v, t);
        expect(Array.isArray(r.diagnostics)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on arbitrary text, including odd Unicode', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const r = parseBare(s, 'identity');
        expect((r.ok ? r.value : undefined) === undefined || r.diagnostics.every((d) => d.severity === 'warning')).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on policy-shaped objects with random leaves', () => {
    const leaf = fc.oneof(fc.jsonValue(), fc.string(), fc.constantFrom('*', 's3:GetObject', 'arn:aws:s3:::b/*', '${aws:username}', '${', 'Allow'));
    const stmt = fc.dictionary(fc.constantFrom('Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition', 'X'), leaf);
    fc.assert(
      fc.property(fc.array(stmt, { maxLength: 4 }), fc.constantFrom(...POLICY_TYPES), (stmts, t) => {
        parseBare({ Version: '2012-10-17', Statement: stmts }, t);
      }),
      { numRuns: 500 },
    );
  });

  it('handles deep nesting without a stack overflow', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const r = parseBare(deep, 'identity');
    expect(r.ok ? r.value : undefined).toBeUndefined();
    expect(r.diagnostics[0]!.code).toMatch(/^BH300[13]$/);
    let v: unknown = 'x';
    for (let i = 0; i < 100_000; i++) v = { Condition: v };
    const r2 = parseBare({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: v }] }, 'identity');
    expect(r2.ok ? r2.value : undefined).toBeUndefined();
  });

  it('reads a 10 MB policy quickly and reports the size limit', () => {
    const big = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: Array.from({ length: 200_000 }, (_, i) => `arn:aws:s3:::b/${i}-xxxxxxxxxxxxxxxxxxxxxx`) }] };
    const text = JSON.stringify(big);
    expect(text.length).toBeGreaterThan(9_000_000);
    const t0 = performance.now();
    const r = parseBare(text, 'scp');
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(r.diagnostics.map((d) => d.code)).toContain('BH3002');
  });

  it('refuses input beyond the reading cap', () => {
    const r = parseJsonText(' '.repeat(MAX_INPUT_CHARS + 1));
    expect(!r.ok && r.diagnostics[0]!.code).toBe('BH3002');
  });

  it('reports malformed JSON with line and column', () => {
    const r = parseBare('{\n  "Version": "2012-10-17",\n  "Statement": [,]\n}', 'identity');
    expect(r.diagnostics[0]).toMatchObject({ code: 'BH3001', position: { line: 3, col: 17 } });
  });

  it('gives a JSON path, the bad value and a suggestion', () => {
    const ds = validatePolicyDocument({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Actoin: 's3:GetObject', Resource: '*' }] }, 'identity');
    const d = ds.find((x) => x.code === 'BH3004')!;
    expect(d.path).toBe('Statement[0].Actoin');
    expect(d.message).toContain('`Actoin`');
    expect(d.message).toContain('did you mean `Action`');
  });

  it('shows a long bad value as its start and its length, and a non-string as JSON', () => {
    const ds = validatePolicyDocument({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'x'.repeat(100), Resource: '*' }] }, 'identity');
    expect(ds.find((x) => x.code === 'BH3011')?.message).toBe(`action \`${'x'.repeat(40)}…(100 characters)\` is not \`service:Action\` (e.g. \`s3:GetObject\`) or \`*\``);
    const effect = validatePolicyDocument({ Version: '2012-10-17', Statement: [{ Effect: ['Allow'], Action: '*', Resource: '*' }] }, 'identity');
    expect(effect.find((x) => x.code === 'BH3007')?.message).toContain('`Effect` `["Allow"]` is not valid');
  });

  it('suggests a known action for a typo (real catalogue)', () => {
    const r = parsePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObjekt'], Resource: '*' }] }, 'identity');
    const d = r.diagnostics.find((x) => x.code === 'BH3013')!;
    expect(d).toMatchObject({ severity: 'warning', path: 'Statement[0].Action[0]' });
    expect(d.message).toContain('did you mean `s3:GetObject`');
    expect(r.ok ? r.value : undefined).toBeDefined();
  });

  it('keeps `__proto__` keys as data', () => {
    const doc = JSON.parse('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"__proto__":"x"}}}]}') as unknown;
    const r = parseBare(doc, 'identity');
    expect((r.ok ? r.value : undefined)?.statements[0]?.condition[0]?.key).toBe('__proto__');
  });
});
