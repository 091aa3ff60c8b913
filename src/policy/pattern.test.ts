import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compilePattern, parsePattern, type Context, type PatternMode } from './pattern.js';
import { parseCidr, parseIp, splitOperator } from './conditions.js';

const ctx = new Map([['aws:username', ['alice']]]);

describe('patterns', () => {
  it('parses variables, defaults and the special ${*} ${?} ${$}', () => {
    expect(parsePattern("a${aws:username}${x, 'd'}${*}${?}${$}", true)).toEqual([
      { t: 'lit', s: 'a' },
      { t: 'var', key: 'aws:username' },
      { t: 'var', key: 'x', def: 'd' },
      { t: 'lit', s: '*?$' },
    ]);
    expect(parsePattern('a${b', true)).toEqual([{ t: 'lit', s: 'a${b' }]);
  });
  it('keeps ARN wildcards inside the first five segments', () => {
    const m = compilePattern('arn:aws:iam::*:role/*', 'arn', true);
    expect(m.test('arn:aws:iam::111122223333:role/a/b', ctx)).toBe(true);
    expect(m.test('arn:aws:iam::1:2:role/a', ctx)).toBe(false);
  });
  it('escapes regex characters in variable values', () => {
    const m = compilePattern('x/${aws:username}', 'string', true);
    expect(m.test('x/a.ice', new Map([['aws:username', ['a.ice']]]))).toBe(true);
    expect(m.test('x/abice', new Map([['aws:username', ['a.ice']]]))).toBe(false);
  });
  it('splits operators', () => {
    expect(splitOperator('ForAnyValue:StringLikeIfExists')).toEqual({ setOperator: 'ForAnyValue', base: 'StringLike', ifExists: true, known: true });
    expect(splitOperator('NullIfExists').known).toBe(false);
    expect(splitOperator('StringEqual').known).toBe(false);
  });
  it('parses IPv4 and IPv6', () => {
    expect(parseIp('10.0.0.1')).toEqual({ v6: false, n: 0x0a000001n });
    expect(parseIp('256.0.0.1')).toBeUndefined();
    expect(parseIp('::1')).toEqual({ v6: true, n: 1n });
    expect(parseIp('2001:db8::')?.n).toBe(0x20010db8n << 96n);
    expect(parseIp('1:2:3:4:5:6:7:8:9')).toBeUndefined();
    expect(parseIp('1::2::3')).toBeUndefined();
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
    expect(parseCidr('2001:db8::/129')).toBeUndefined();
    expect(parseCidr('10.1.2.3/8')?.net).toBe(0x0a000000n);
  });
});

/**
 * The regular expression the engine used to build (before the glob matcher): the reference for the semantics,
 * safe here because the property's patterns and values are short.
 */
function formerRegExp(raw: string, mode: PatternMode, ctx: Context): RegExp | undefined {
  const esc = (t: string): string => t.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
  const parts = parsePattern(raw, true);
  if (parts.length === 1 && parts[0]!.t === 'star') return /^[\s\S]*$/; // a lone `*` matches every value
  let src = '';
  let colons = 0;
  for (const p of parts) {
    if (p.t === 'lit') {
      src += esc(p.s);
      if (mode === 'arn') for (const ch of p.s) if (ch === ':') colons++;
    } else if (p.t === 'star') src += mode === 'arn' && colons < 5 ? '[^:]*' : '[\\s\\S]*';
    else if (p.t === 'qm') src += mode === 'arn' && colons < 5 ? '[^:]' : '[\\s\\S]';
    else {
      const v = ctx.get(p.key.toLowerCase());
      const val = v !== undefined && v.length === 1 ? v[0]! : p.def;
      if (val === undefined) return undefined;
      src += esc(val);
    }
  }
  return new RegExp(`^${src}$`, mode === 'action' ? 'i' : '');
}

describe('pattern matching semantics', () => {
  it('agrees with the former regular expressions in every mode, variables included', () => {
    const piece = fc.constantFrom('a', 'b', '*', '?', ':', '/', '.', '${v}', "${w, 'x:'}", '${*}');
    const text = fc.constantFrom('a', 'b', ':', '/', '.', 'A', '*', 'x');
    const value = fc.constantFrom('a', 'a:b', '', '*', 'A/');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 10 }), fc.array(text, { maxLength: 14 }), fc.constantFrom<PatternMode>('action', 'arn', 'string'), fc.option(value), (p, v, mode, varValue) => {
        const raw = p.join('');
        const val = v.join('');
        const c: Context = new Map(varValue === null ? [] : [['v', [varValue]]]);
        const re = formerRegExp(raw, mode, c);
        expect(compilePattern(raw, mode, true).test(val, c)).toBe(re !== undefined && re.test(val));
      }),
      { numRuns: 3000 },
    );
  });

  it('answers the adversarial patterns of the hang report (resource, StringLike, action)', () => {
    const bucket = 'arn:aws:s3:::' + 'a'.repeat(40);
    const resource = compilePattern('arn:aws:s3:::*a*a*a*a*a*a*a*a*a*ab', 'arn', true);
    expect(resource.test(bucket, ctx)).toBe(false);
    expect(resource.test(bucket + 'b', ctx)).toBe(true);
    const like = compilePattern('*a'.repeat(30) + '${aws:username}', 'string', true);
    expect(like.test('a'.repeat(40) + 'b', ctx)).toBe(false);
    expect(like.test('a'.repeat(40) + 'alice', ctx)).toBe(true);
    const action = compilePattern('s3:' + '*a'.repeat(30), 'action', false);
    expect(action.test('s3:' + 'A'.repeat(40) + 'b', ctx)).toBe(false);
    expect(action.test('s3:' + 'A'.repeat(40), ctx)).toBe(true);
  });
});
