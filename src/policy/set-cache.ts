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
import { readRequestAt, type ReadValue } from './request-json.js';
import type { PolicyType } from './types.js';

/** Builds a policy set the way buildPolicySet does (simulate takes one, so callers can cache). */
export type SetBuilder = (input: PolicySetInput, resourcePolicyType: PolicyType, options: BuildOptions) => Result<PolicySet>;

function skipWs(text: string, i: number): number {
  let c = text.charCodeAt(i);
  while (c === 32 || c === 9 || c === 10 || c === 13) c = text.charCodeAt(++i);
  return i;
}

/** Where a line's `request` value is, and the line's text without it (equal keys: equal all but the request). */
export interface LineCut {
  /** The text before the request value and after it: `prefix + suffix` is the cache key. */
  readonly prefix: string;
  readonly suffix: string;
  readonly key: string;
  readonly start: number;
  readonly end: number;
  /** The request value when the light reader could read it (JSON.parse's answer), else undefined. */
  readonly request: ReadValue | undefined;
}

class Cut implements LineCut {
  constructor(
    readonly prefix: string,
    readonly suffix: string,
    readonly start: number,
    readonly end: number,
    readonly request: ReadValue | undefined,
  ) {}

  get key(): string {
    return this.prefix + this.suffix;
  }
}

/**
 * Finds the `request` member's value in a JSON object line. `undefined` when the text is not a plain object,
 * a top-level key before it has an escape, or `request` is missing or repeated. Safe on any text (it stops at
 * the first thing it does not expect); the cut is a function of the text before it, so two lines with equal
 * keys have their request at the same offset.
 */
export function lineCut(text: string): LineCut | undefined {
  let i = skipWs(text, 0);
  if (text.charCodeAt(i) !== 123) return undefined;
  i = skipWs(text, i + 1);
  let cut: [number, number] | undefined;
  let request: ReadValue | undefined;
  while (text.charCodeAt(i) === 34) {
    const end = stringEnd(text, i);
    const key = text.slice(i + 1, end - 1);
    if (key.includes('\\')) return undefined;
    i = skipWs(text, skipWs(text, end) + 1); // past the colon
    const read = key === 'request' ? readRequestAt(text, i) : undefined;
    const vEnd = read?.end ?? valueEnd(text, i);
    if (key === 'request') {
      if (cut) return undefined;
      cut = [i, vEnd];
      request = read;
      // the usual line: no other `request` key and no escapes after it, so the rest needs no scan
      if (text.indexOf('"request"', vEnd) < 0 && text.indexOf('\\', vEnd) < 0) break;
    }
    i = skipWs(text, vEnd);
    if (text.charCodeAt(i) !== 44) break;
    i = skipWs(text, i + 1);
  }
  if (!cut || cut[1] <= cut[0]) return undefined;
  return new Cut(text.slice(0, cut[0]), text.slice(cut[1]), cut[0], cut[1], request);
}

/** lineCut's key alone (tests and callers that only compare lines). */
export function lineSetKey(text: string): string | undefined {
  return lineCut(text)?.key;
}

/** What a batch remembers of a line's policy documents: the parsed input and the sets built from it. */
export interface SeenLine {
  /** The first such line's parsed input: everything but `request` is shared by every line with this key. */
  readonly value: Readonly<Record<string, unknown>>;
  readonly sets: Map<string, Result<PolicySet>>;
  /** Builds (once per type and options) the sets of such lines. */
  readonly build: SetBuilder;
}

type Entry = SeenLine;

function entry(value: Readonly<Record<string, unknown>>): SeenLine {
  const sets = new Map<string, Result<PolicySet>>();
  // the lines of one entry nearly always ask for the same set: the last answer, checked without building a key
  let last: { readonly type: PolicyType; readonly maxSize: BuildOptions['maxSize']; readonly sizeKind: BuildOptions['sizeKind']; readonly set: Result<PolicySet> } | undefined;
  const build: SetBuilder = (input, type, options) => {
    if (last !== undefined && last.type === type && last.maxSize === options.maxSize && last.sizeKind === options.sizeKind) return last.set;
    const k = `${type} ${options.maxSize ?? ''} ${options.sizeKind ?? ''}`;
    let hit = sets.get(k);
    if (hit === undefined) {
      hit = buildPolicySet(input, type, options);
      sets.set(k, hit);
    }
    last = { type, maxSize: options.maxSize, sizeKind: options.sizeKind, set: hit };
    return hit;
  };
  return { value, sets, build };
}

const CACHE_CHARS = 20_000_000;
/** The usual start of a batch line, before the request value. */
const FIRST = '{"request":';
const KEY_MAX = 200_000;
/** Texts kept under one fingerprint at most (more go to the keyed map), so colliding texts cannot slow every lookup. */
const BUCKET_MAX = 8;
/** Characters of the text the fingerprint samples, spread evenly over it. */
const SAMPLES = 16;

/** A line's text after its request, and what the cache keeps for it. */
interface FirstEntry {
  readonly suffix: string;
  readonly entry: Entry;
}

/**
 * A cheap fingerprint of a text: its length mixed with SAMPLES of its characters at evenly spread offsets (the last
 * included). Equal texts have equal fingerprints; unequal ones usually differ (the bucket compares in full).
 */
function fingerprint(text: string): number {
  const n = text.length;
  let h = n | 0;
  if (n === 0) return h;
  const step = n > SAMPLES ? Math.floor(n / SAMPLES) : 1;
  for (let i = n - 1; i >= 0; i -= step) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h;
}

/**
 * Lines seen in a batch, by lineCut key. A line whose key was seen needs only its request parsed: the rest of
 * its input is the earlier line's (same text, so same value), and so is its policy set. The set, its
 * diagnostics and the evaluator's plans for it are immutable, so sharing them is safe. Bounded by key size.
 */
export class LineSetCache {
  /**
   * Lines that start with the request (`{"request":`), by a fingerprint of the text after it (its length and a few
   * of its characters), each bucket's texts compared in full: no key to build, and no hash of the whole text.
   */
  private readonly first = new Map<number, FirstEntry[]>();
  private readonly entries = new Map<string, Entry>();
  private chars = 0;

  /** What the batch remembers of lines with this cut; undefined when none was seen. */
  find(cut: LineCut): SeenLine | undefined {
    if (cut.prefix !== FIRST) return this.entries.get(cut.key);
    const bucket = this.first.get(fingerprint(cut.suffix));
    if (bucket === undefined) return undefined;
    for (let i = 0; i < bucket.length; i++) if (bucket[i]!.suffix === cut.suffix) return bucket[i]!.entry;
    return bucket.length < BUCKET_MAX ? undefined : this.entries.get(cut.key); // a full bucket overflows to the keyed map
  }

  /** Whether a line with this cut was seen. */
  has(cut: LineCut): boolean {
    return this.find(cut) !== undefined;
  }

  /** The input of a line whose key was seen, with `request` as the line's own; undefined when not seen. */
  reuse(cut: LineCut | SeenLine, request: unknown): Record<string, unknown> | undefined {
    const e = 'sets' in cut ? cut : this.find(cut);
    if (e === undefined) return undefined;
    const value = { ...e.value }; // same key order; `request` keeps its place
    value['request'] = request;
    return value;
  }

  /** Remembers a parsed line (a plain object with a `request` member) under its key. */
  remember(cut: LineCut, value: Record<string, unknown>): void {
    const size = cut.prefix.length + cut.suffix.length;
    if (size > KEY_MAX || cut.prefix.includes('"__proto__"') || cut.suffix.includes('"__proto__"') || this.has(cut)) return;
    if (this.chars + size > CACHE_CHARS) {
      this.entries.clear();
      this.first.clear();
      this.chars = 0;
    }
    if (cut.prefix === FIRST) {
      const fp = fingerprint(cut.suffix);
      const bucket = this.first.get(fp);
      if (bucket === undefined) this.first.set(fp, [{ suffix: cut.suffix, entry: entry(value) }]);
      else if (bucket.length < BUCKET_MAX) bucket.push({ suffix: cut.suffix, entry: entry(value) });
      else this.entries.set(cut.key, entry(value)); // texts that collide beyond the bucket: keyed by the whole text
    } else this.entries.set(cut.key, entry(value));
    this.chars += size;
  }

  /** The builder for a line with this cut: the set built for the first such line, or a plain build. */
  builderFor(cut: LineCut | undefined): SetBuilder {
    return (cut === undefined ? undefined : this.find(cut))?.build ?? buildPolicySet;
  }
}
