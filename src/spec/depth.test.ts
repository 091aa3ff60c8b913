import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../diagnostics/diagnostic.js';
import { findDeepNesting, MAX_NESTING_DEPTH } from './depth.js';
import { parseSpec } from './parse.js';

const TWO_MB = 2 * 1024 * 1024;

describe('findDeepNesting', () => {
  it('finds flow, block-mapping and block-sequence nesting past the limit', () => {
    expect(findDeepNesting('a: ' + '['.repeat(70) + ']'.repeat(70))?.offset).toBe(3 + MAX_NESTING_DEPTH - 1);
    expect(findDeepNesting(Array.from({ length: 70 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n'))).toBeDefined();
    expect(findDeepNesting('- '.repeat(70) + 'x')).toBeDefined();
    expect(findDeepNesting(Array.from({ length: 70 }, (_, i) => `${'  '.repeat(i)}-`).join('\n'))).toBeDefined();
  });

  it('accepts nesting up to the limit', () => {
    expect(findDeepNesting('a: ' + '['.repeat(MAX_NESTING_DEPTH - 1) + ']'.repeat(MAX_NESTING_DEPTH - 1))).toBeUndefined();
  });

  it('does not count brackets in quoted, block and plain scalars or comments', () => {
    const deep = '['.repeat(100);
    const text = [
      `a: "${deep}"`,
      `b: '${deep}'`,
      `c: don't ${deep}`,
      `d: 1 # ${deep}`,
      'e: |',
      `  ${deep}`,
      `      ${'{'.repeat(100)}`,
      '',
      `  ${deep}`,
      'f: >-',
      `  ${deep}`,
      `g: ["${deep}", '${deep}', x # ${deep}
  ]`,
      `h: "multi ${deep}`,
      `  line ${deep}"`,
    ].join('\n');
    expect(findDeepNesting(text)).toBeUndefined();
  });

  it('reads a few megabytes of nesting in well under a second, with a positioned error', () => {
    const inputs = [
      '['.repeat(TWO_MB / 2) + ']'.repeat(TWO_MB / 2),
      '- '.repeat(TWO_MB / 2),
      Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n'),
      'a: ' + '{a: '.repeat(TWO_MB / 4),
    ];
    for (const text of inputs) {
      const start = performance.now();
      const r = parseSpec(text, 'deep.yaml');
      expect(performance.now() - start).toBeLessThan(500);
      expect(r.diagnostics.map(formatDiagnostic)).toEqual([expect.stringMatching(/^deep\.yaml:\d+:\d+: error BH1008: the spec nests deeper than 64 levels here/)]);
    }
  });
});
