import { describe, expect, it } from 'vitest';
import { compilePattern, parsePattern } from './pattern.js';
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
