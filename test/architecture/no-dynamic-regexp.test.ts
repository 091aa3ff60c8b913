/**
 * "No user text reaches a backtracking regex": shipped code never builds a regular expression at run time
 * (`new RegExp(…)` / `RegExp(…)`); wildcard patterns from policies and specs go through the linear matcher in
 * src/util/glob.ts. Regular-expression literals are fine: their text is ours.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `file:line` of every run-time RegExp construction in `source`. */
function dynamicRegExps(file: string, source: string): string[] {
  const out: string[] = [];
  source.split('\n').forEach((line, i) => {
    const code = line.replace(/\/\/.*$/, '');
    if (/\bRegExp\s*\(/.test(code)) out.push(`${file}:${i + 1}: ${line.trim()}`);
  });
  return out;
}

function shippedSources(): string[] {
  return readdirSync(join(root, 'src'), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => relative(root, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort();
}

describe('regular expressions', () => {
  it('shipped code builds none at run time', () => {
    const found = shippedSources().flatMap((f) => dynamicRegExps(f, readFileSync(join(root, f), 'utf8')));
    expect(found).toEqual([]);
  });

  it('the scan finds one (so it can fail)', () => {
    expect(dynamicRegExps('x.ts', 'const a = 1;\nconst re = new RegExp(`^${p}$`, "i");')).toEqual(['x.ts:2: const re = new RegExp(`^${p}$`, "i");']);
    expect(dynamicRegExps('x.ts', 'const re = /^a*$/; // new RegExp(x) in a comment')).toEqual([]);
  });
});
