/**
 * Reference wildcard matcher for tests and the pattern fuzzer: the textbook dynamic programme over
 * (pattern position, value position), obviously correct and O(n·m), never used by the engine.
 * Same token model as src/util/glob.ts: `*` any run, `?` one code unit, `seg` wildcards never match `:`.
 */
import type { GlobToken } from '../src/util/glob.js';

type Item = { k: 'lit'; c: string } | { k: 'star' | 'qm'; seg: boolean };

function items(tokens: readonly GlobToken[], ignoreCase: boolean): Item[] {
  const out: Item[] = [];
  for (const t of tokens) {
    if (t.t === 'lit') {
      const s = ignoreCase ? t.s.toLowerCase() : t.s;
      for (let i = 0; i < s.length; i++) out.push({ k: 'lit', c: s[i]! });
    } else out.push({ k: t.t, seg: t.seg === true });
  }
  return out;
}

/** True when the value matches the tokens (dynamic programming, no shortcuts). */
export function referenceGlobMatch(tokens: readonly GlobToken[], value: string, ignoreCase = false): boolean {
  const p = items(tokens, ignoreCase);
  const v = ignoreCase ? value.toLowerCase() : value;
  // row[j]: pattern prefix p[0..i) matches v[0..j)
  let row: boolean[] = Array.from({ length: v.length + 1 }, (_, j) => j === 0);
  for (const it of p) {
    const next: boolean[] = new Array<boolean>(v.length + 1).fill(false);
    for (let j = 0; j <= v.length; j++) {
      if (it.k === 'star') {
        next[j] = row[j]! || (j > 0 && next[j - 1]! && !(it.seg && v[j - 1] === ':'));
      } else if (j > 0 && row[j - 1]) {
        const c = v[j - 1]!;
        next[j] = it.k === 'lit' ? c === it.c : !(it.seg && c === ':');
      }
    }
    row = next;
  }
  return row[v.length]!;
}

/** Tokens of a text pattern where every `*` and `?` is a wildcard; `seg` marks all wildcards as segment ones. */
export function tokensOfText(pattern: string, seg = false): GlobToken[] {
  const out: GlobToken[] = [];
  for (const c of pattern) {
    if (c === '*') out.push(seg ? { t: 'star', seg } : { t: 'star' });
    else if (c === '?') out.push(seg ? { t: 'qm', seg } : { t: 'qm' });
    else out.push({ t: 'lit', s: c });
  }
  return out;
}
