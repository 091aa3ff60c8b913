import fc from 'fast-check';
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
  it('shows a newline, ESC or bidi override in an echoed value as a visible escape, keeping the object raw', () => {
    const d = { ...error('BH1010', 'unknown phase `dev\nspec.yaml:1:1: error BH1001: forged\u001b[2J\u202e`', 'phases[0]\n'), file: 'sp\u001bec.yaml' };
    expect(formatDiagnostic(d)).toBe('sp\\x1bec.yaml: error BH1010: unknown phase `dev\\nspec.yaml:1:1: error BH1001: forged\\x1b[2J\\u202e` (at phases[0]\\n)');
    expect(d.message).toContain('\n');
  });
  it('property: a diagnostic is one line, whatever its message, path and file echo', () => {
    const value = fc.array(fc.oneof(fc.constantFrom('\n', '\r', '\u2028', '\u2029', '\u0085', '\v', '\f', '\u001b[1A'), fc.string({ unit: 'binary', maxLength: 5 })), { maxLength: 8 }).map((p) => p.join(''));
    fc.assert(
      fc.property(value, value, value, (v, path, file) => {
        const text = formatDiagnostic({ ...error('BH1001', `bad \`${v}\``, path), file });
        expect(text.split(/\r\n|\r|\n|\u2028|\u2029|\u0085|\v|\f/)).toHaveLength(1);
        expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
      }),
    );
  });
  it('sorts by file, position, path, code', () => {
    const a = { ...error('BH1002', 'm'), file: 'f', position: { line: 2, col: 1 } };
    const b = { ...error('BH1001', 'm'), file: 'f', position: { line: 1, col: 9 } };
    expect(sortDiagnostics([a, b]).map((d) => d.code)).toEqual(['BH1001', 'BH1002']);
  });
});
