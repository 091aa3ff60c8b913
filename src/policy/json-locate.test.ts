import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonErrorOffset } from './json-locate.js';

function parses(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

describe('jsonErrorOffset', () => {
  it('agrees with JSON.parse on valid and broken JSON', () => {
    const broken = fc.tuple(fc.json(), fc.nat(), fc.constantFrom('', ',', '}', ']', '"', ':', 'x', '\\')).map(([j, at, ins]) => {
      const k = at % (j.length + 1);
      return j.slice(0, k) + ins + j.slice(k);
    });
    fc.assert(
      fc.property(fc.oneof(fc.json(), broken, fc.string()), (s) => {
        expect(jsonErrorOffset(s) === -1).toBe(parses(s));
      }),
      { numRuns: 2000 },
    );
  });
  it('points at the offending character', () => {
    expect(jsonErrorOffset('{"a": [,]}')).toBe(7);
    expect(jsonErrorOffset('{"a": 1')).toBe(7);
    expect(jsonErrorOffset('[1] x')).toBe(4);
  });
});
