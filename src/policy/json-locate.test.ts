import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonErrorOffset, jsonPathOffsets, locateDiagnostics } from './json-locate.js';

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

describe('jsonPathOffsets', () => {
  it('maps diagnostic paths to offsets', () => {
    const text = '{\n  "a": [1, {"b": "x"}],\n  "c": {"d": true}\n}';
    const m = jsonPathOffsets(text);
    expect(text.slice(m.get('a[1].b')!, m.get('a[1].b')! + 3)).toBe('"b"');
    expect(m.get('c.d')).toBe(text.indexOf('"d"'));
    expect(m.get('')).toBe(0);
    expect(m.get('a[0]')).toBe(text.indexOf('1'));
  });
  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string(), (s) => void jsonPathOffsets(s)), { numRuns: 1000 });
  });
});

describe('locateDiagnostics', () => {
  it('adds line and column from the path, falling back to the nearest parent', () => {
    const text = '{\n  "Statement": [\n    {"Effect": "Permit"}\n  ]\n}';
    const ds: { path: string; position?: { line: number; col: number } }[] = [{ path: 'Statement[0].Effect' }, { path: 'Statement[0].Action' }];
    const [a, b] = locateDiagnostics(ds, text);
    expect(a!.position).toEqual({ line: 3, col: 6 });
    expect(b!.position).toEqual({ line: 3, col: 5 });
  });
});
