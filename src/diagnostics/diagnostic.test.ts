import { describe, expect, it } from 'vitest';
import { error, formatDiagnostic, sortDiagnostics, warning } from './diagnostic.js';

describe('formatDiagnostic', () => {
  it('prints file:line:col: severity CODE: message (at path)', () => {
    const d = { ...error('BH1001', 'bad `x`', 'a.b'), file: 'spec.yaml', position: { line: 3, col: 7 } };
    expect(formatDiagnostic(d)).toBe('spec.yaml:3:7: error BH1001: bad `x` (at a.b)');
  });
  it('leaves out what is unknown', () => {
    expect(formatDiagnostic(warning('BH3002', 'hmm'))).toBe('warning BH3002: hmm');
  });
  it('sorts by file, position, path, code', () => {
    const a = { ...error('BH1002', 'm'), file: 'f', position: { line: 2, col: 1 } };
    const b = { ...error('BH1001', 'm'), file: 'f', position: { line: 1, col: 9 } };
    expect(sortDiagnostics([a, b]).map((d) => d.code)).toEqual(['BH1001', 'BH1002']);
  });
});
