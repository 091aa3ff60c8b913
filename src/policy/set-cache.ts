/**
 * Policy sets shared across the lines of a batch. A batch repeats the same documents on line after line, with
 * only the request changing; the policy set (validation, compilation, and the evaluator's per-set plans, which
 * hang off the set object) depends only on the rest of the line. So the cache key is the line's raw text with
 * the `request` value cut out: no re-serialising of parsed documents. Lines whose top level cannot be cut
 * cheaply (escaped or repeated keys) are built as before, without the cache.
 */
import type { Result } from '../diagnostics/diagnostic.js';
import { jsonStringEnd as stringEnd, jsonValueEnd as valueEnd } from './json-locate.js';
import type { PolicySet } from './evaluate.js';
import { buildPolicySet, type BuildOptions, type PolicySetInput } from './policy-set.js';
import type { PolicyType } from './types.js';

/** Builds a policy set the way buildPolicySet does (simulate takes one, so callers can cache). */
export type SetBuilder = (input: PolicySetInput, resourcePolicyType: PolicyType, options: BuildOptions) => Result<PolicySet>;

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
      // the usual line: no other `request` key and no escapes after it, so the rest needs no scan
      if (text.indexOf('"request"', vEnd) < 0 && text.indexOf('\\', vEnd) < 0) break;
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
