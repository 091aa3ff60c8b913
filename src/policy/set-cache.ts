/**
 * Policy sets shared across the lines of a batch. A batch repeats the same documents on line after line, with
 * only the request changing; the policy set (validation, compilation, and the evaluator's per-set plans, which
 * hang off the set object) depends only on the rest of the line. So the cache key is the line's raw text with
 * the `request` value cut out: no re-serialising of parsed documents. Lines whose top level cannot be cut
 * cheaply (escaped or repeated keys) are built as before, without the cache.
 */
import type { Result } from '../diagnostics/diagnostic.js';
import type { PolicySet } from './evaluate.js';
import { buildPolicySet, type BuildOptions, type PolicySetInput } from './policy-set.js';
import type { PolicyType } from './types.js';

/** Builds a policy set the way buildPolicySet does (simulate takes one, so callers can cache). */
export type SetBuilder = (input: PolicySetInput, resourcePolicyType: PolicyType, options: BuildOptions) => Result<PolicySet>;

/** Offset just past the JSON string whose opening quote is at `i` (the text is known to be valid JSON). */
function stringEnd(text: string, i: number): number {
  let j = text.indexOf('"', i + 1);
  for (;;) {
    let k = j - 1;
    while (text.charCodeAt(k) === 92) k--; // an odd run of backslashes escapes the quote
    if ((j - 1 - k) % 2 === 0) return j + 1;
    j = text.indexOf('"', j + 1);
  }
}

const BRACKETS = /["{}[\]]/g;

/** Offset just past the JSON value starting at `i` (valid JSON, no leading whitespace). */
function valueEnd(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 34) return stringEnd(text, i);
  if (c !== 123 && c !== 91) {
    let j = i;
    while (j < text.length && !',}] \t\r\n'.includes(text[j]!)) j++;
    return j;
  }
  let depth = 0;
  BRACKETS.lastIndex = i;
  for (;;) {
    const m = BRACKETS.exec(text);
    if (m === null) return text.length;
    const ch = m[0];
    if (ch === '"') BRACKETS.lastIndex = stringEnd(text, m.index);
    else if (ch === '{' || ch === '[') depth++;
    else if (--depth === 0) return m.index + 1;
  }
}

function skipWs(text: string, i: number): number {
  let c = text.charCodeAt(i);
  while (c === 32 || c === 9 || c === 10 || c === 13) c = text.charCodeAt(++i);
  return i;
}

/**
 * The text of a JSON object line without its `request` member's value: equal keys mean equal everything but
 * the request. `undefined` when the text is not a plain object, a key has an escape, or `request` is missing
 * or repeated. `text` must be valid JSON (call after JSON.parse succeeded).
 */
export function lineSetKey(text: string): string | undefined {
  let i = skipWs(text, 0);
  if (text.charCodeAt(i) !== 123) return undefined;
  i = skipWs(text, i + 1);
  let cut: [number, number] | undefined;
  while (text.charCodeAt(i) === 34) {
    const end = stringEnd(text, i);
    const key = text.slice(i + 1, end - 1);
    if (key.includes('\\')) return undefined;
    i = skipWs(text, skipWs(text, end) + 1); // past the colon
    const vEnd = valueEnd(text, i);
    if (key === 'request') {
      if (cut) return undefined;
      cut = [i, vEnd];
    }
    i = skipWs(text, vEnd);
    if (text.charCodeAt(i) !== 44) break;
    i = skipWs(text, i + 1);
  }
  if (!cut) return undefined;
  return text.slice(0, cut[0]) + text.slice(cut[1]);
}

const CACHE_MAX = 1000;
const KEY_MAX = 200_000;

/**
 * A set builder that reuses the set built for an earlier line with the same key (see lineSetKey). The set, its
 * diagnostics and the evaluator's plans for it are immutable, so sharing them is safe. Bounded.
 */
export class LineSetCache {
  private readonly sets = new Map<string, Result<PolicySet>>();

  /** The builder for one line: caches under `key` (lineSetKey of the line), or builds plainly without one. */
  builderFor(key: string | undefined): SetBuilder {
    if (key === undefined || key.length > KEY_MAX) return buildPolicySet;
    return (input, type, options) => {
      const full = `${type} ${options.maxSize ?? ''} ${options.sizeKind ?? ''}\n${key}`;
      let hit = this.sets.get(full);
      if (hit === undefined) {
        hit = buildPolicySet(input, type, options);
        if (this.sets.size >= CACHE_MAX) this.sets.clear();
        this.sets.set(full, hit);
      }
      return hit;
    };
  }
}
