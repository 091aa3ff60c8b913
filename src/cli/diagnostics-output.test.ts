import { describe, expect, it } from 'vitest';
import { error, warning } from '../diagnostics/diagnostic.js';
import { memoryIo } from '../../test-support/cli.js';
import { printDiagnostics } from './diagnostics-output.js';

describe('printDiagnostics', () => {
  it('prints one line per diagnostic even when a value carries newlines and terminal escapes', () => {
    const { io, err } = memoryIo();
    const forged = 'x\nspec.yaml:1:1: error BH1001: forged\r\u001b[31mred\u2028';
    printDiagnostics(io, [
      { ...error('BH1010', `unknown phase \`${forged}\``, `phases[0]`), file: 'spec.yaml', position: { line: 2, col: 3 } },
      warning('BH3002', `account \`${forged}\` has no email`),
    ]);
    const text = err.join('');
    const lines = text.split('\n');
    expect(lines).toHaveLength(4); // two diagnostics, the count, and the final newline
    expect(lines.filter((l) => /^spec\.yaml:1:1/.test(l))).toEqual([]);
    expect(text).not.toMatch(/[\r\u001b\u2028]/);
    expect(lines[1]).toBe('spec.yaml:2:3: error BH1010: unknown phase `x\\nspec.yaml:1:1: error BH1001: forged\\r\\x1b[31mred\\u2028` (at phases[0])');
    expect(lines[2]).toBe('1 error, 1 warning');
  });
});
