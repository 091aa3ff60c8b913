import { describe, expect, it } from 'vitest';
import { findDeepJson, formatJsonPath, MAX_JSON_DEPTH } from './json-depth.js';

describe('findDeepJson', () => {
  it('passes JSON nested up to the limit and finds the bracket one level past it', () => {
    expect(findDeepJson(`${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`)).toBeUndefined();
    const over = `${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`;
    expect(findDeepJson(over)).toMatchObject({ offset: MAX_JSON_DEPTH, line: 1, col: MAX_JSON_DEPTH + 1, depth: MAX_JSON_DEPTH + 1 });
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ a: '[[[[[[[[[[', b: '\\"[[[[[[[', c: ['{{{{{{'] });
    expect(findDeepJson(text, 2)).toBeUndefined();
    expect(findDeepJson(JSON.stringify({ a: [[1]] }), 2)).toMatchObject({ depth: 3, path: ['a', 0] });
  });

  it('names the path with keys and indexes, and the line and column across lines', () => {
    const text = JSON.stringify({ iam: { roles: [{}, {}, { doc: { Statement: [[[1]]] } }] } }, null, 2);
    const found = findDeepJson(text, 6)!;
    expect(found.path).toEqual(['iam', 'roles', 2, 'doc', 'Statement', 0]);
    expect(formatJsonPath(found)).toBe('iam.roles[2].doc.Statement[0]');
    const lines = text.slice(0, found.offset).split('\n');
    expect({ line: found.line, col: found.col }).toEqual({ line: lines.length, col: lines[lines.length - 1]!.length + 1 });
    expect(formatJsonPath(findDeepJson(JSON.stringify({ 'a b': { 'x"y': [[]] } }), 3)!)).toBe('["a b"]["x\\"y"][0]');
  });

  it('cuts a long path and marks it', () => {
    const found = findDeepJson(`${'{"a":'.repeat(200)}1${'}'.repeat(200)}`)!;
    expect(found.path).toHaveLength(12);
    expect(formatJsonPath(found)).toBe(`a${'.a'.repeat(11)}…`);
  });

  it('is linear: a million levels in one pass, no stack', () => {
    const n = 1_000_000;
    const start = performance.now();
    expect(findDeepJson(`${'['.repeat(n)}${']'.repeat(n)}`)?.depth).toBe(MAX_JSON_DEPTH + 1);
    expect(findDeepJson(`[${'[1],'.repeat(n)}[1]]`)).toBeUndefined();
    expect(performance.now() - start).toBeLessThan(2_000);
  });

  it('never throws on broken JSON', () => {
    for (const t of ['', ']]]', '"unterminated [[[', '{"a\\', '[}{]', '{"\\u12": [[[]]]}']) expect(() => findDeepJson(t, 2)).not.toThrow();
  });
});
