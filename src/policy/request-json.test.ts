import { describe, expect, it } from 'vitest';
import { readRequestAt, readValueAt } from './request-json.js';

describe('readValueAt', () => {
  const valid = [
    '{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","context":{"a":["x",1,true,null,-0.5e3],"b":{}}}',
    '{ "a" : [ ] , "b" : "\\u0041\\"\\\\\\/\\n" , "a" : 2 }',
    '"x\\ud800"', '[1,[2,[3]]]', '-0', '1E+2', 'false', 'null', '{"":""}', '{"__proto_":1}',
  ];
  it('reads what JSON.parse reads, and says where the value ends', () => {
    for (const t of valid) {
      const r = readValueAt(`${t} ,rest`, 0);
      expect(r?.value).toStrictEqual(JSON.parse(t));
      expect(r?.end).toBe(t.length);
    }
  });
  it('gives up on invalid or unusual text', () => {
    const bad = ['{"a":01}', '{"a" 1}', '{"a":1,}', '[1,]', '"\u0001"', '"\\x"', '{"__proto__":{}}', '-', '{"a":tru}', '"abc', `${'['.repeat(40)}${']'.repeat(40)}`, '{a:1}'];
    for (const t of bad) {
      const r = readValueAt(t, 0);
      if (r !== undefined) expect(() => JSON.parse(t.slice(0, r.end))).not.toThrow(); // a valid prefix at most
      if (r !== undefined) expect(r.end).toBeLessThan(t.length);
    }
  });
});

describe('readRequestAt', () => {
  it('gives readValueAt\'s answers where readValueAt has one, and says where the value ends', () => {
    const texts = [
      '{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","context":{"a":["x",1,true,null,-0.5e3],"b":{}}}',
      '{ "a" : [ ] , "b" : "\\u0041\\"\\\\\\/\\n" , "a" : 2 }', // a quote after a backslash: readValueAt reads it
      '{"a":"x]}"}', '[1,[2,[3]]]', '"x"', '-0', 'null', '{"a":"tab\\there"}',
    ];
    for (const t of texts) {
      const r = readRequestAt(`${t} ,"request":{}}`, 0);
      expect(r?.value).toStrictEqual(JSON.parse(t));
      expect(r?.end).toBe(t.length);
    }
  });
  it('reads `__proto__` as JSON.parse does (an own key), where readValueAt gives up', () => {
    const r = readRequestAt('{"__proto__":{"a":1}}', 0);
    expect(Object.keys(r?.value as object)).toStrictEqual(['__proto__']);
    expect(Object.getPrototypeOf(r?.value)).toBe(Object.prototype);
  });
  it('gives up on invalid text and on nesting deeper than readValueAt reads', () => {
    for (const t of ['{"a":01}', '{"a":1,}', '{"a":"\u0001"}', '{"a":"x\\"', '{"a":"x}', `${'['.repeat(40)}${']'.repeat(40)}`, '{a:1}']) {
      const r = readRequestAt(t, 0);
      if (r !== undefined) expect(r.end).toBeLessThan(t.length); // a valid prefix at most, never a wrong value
    }
  });
});
