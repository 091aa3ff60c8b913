/**
 * Wildcard patterns with policy variables, compiled once and matched many times.
 *
 * Rules (IAM User Guide):
 * - "IAM JSON policy elements: Action": action names match case-insensitively, `*` and `?` wildcards.
 * - "IAM JSON policy elements: Resource": ARNs match case-sensitively; `*`/`?` stay inside one of the
 *   colon-separated partition/service/region/account segments but may span `:` and `/` in the resource part.
 * - "Condition operators" (String, ARN): StringLike wildcards span everything; ArnLike is segment-aware like Resource.
 * - "IAM policy elements: Variables and tags": `${key}`, `${key, 'default'}`, and the specials `${*}`, `${?}`, `${$}`
 *   which stand for the literal characters. A variable without a value and without default makes the value not match.
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html for the Resource
 *   wildcards: `*` and `?` within the colon-separated segments.)
 *
 * Matching goes through the backtracking-free glob matcher in src/util/glob.ts: no regular expression is ever
 * built from policy text (one such pattern could take exponential time on a near miss).
 */
import { compileGlob, globMatch, type Glob, type GlobToken } from '../util/glob.js';

/**
 * A normalised request context: lowercase keys to value lists. `resolved` caches, per pattern, the compiled
 * glob its variables resolve to in this context (created on first use; a plain Map, so no GC ephemerons).
 */
export interface Context extends ReadonlyMap<string, readonly string[]> {
  resolved?: Map<object, Glob | null>;
}

/** One piece of a parsed pattern. */
export type Part =
  | { readonly t: 'lit'; readonly s: string }
  | { readonly t: 'star' }
  | { readonly t: 'qm' }
  | { readonly t: 'var'; readonly key: string; readonly def?: string };

/** How wildcards behave. */
export type PatternMode = 'action' | 'arn' | 'string';

/** Splits a pattern into literals, wildcards and (when `variables`) policy variables. Never throws. */
export function parsePattern(raw: string, variables: boolean): Part[] {
  const parts: Part[] = [];
  let lit = '';
  const flush = (): void => {
    if (lit) parts.push({ t: 'lit', s: lit });
    lit = '';
  };
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '*') {
      flush();
      parts.push({ t: 'star' });
    } else if (c === '?') {
      flush();
      parts.push({ t: 'qm' });
    } else if (variables && c === '$' && raw[i + 1] === '{') {
      const end = raw.indexOf('}', i + 2);
      if (end < 0) {
        lit += c;
        continue;
      }
      const inner = raw.slice(i + 2, end);
      const v = parseVariable(inner);
      if (v === undefined) {
        lit += raw.slice(i, end + 1);
      } else if (typeof v === 'string') {
        lit += v; // ${*} ${?} ${$}: the literal character
      } else {
        flush();
        parts.push(v);
      }
      i = end;
    } else {
      lit += c;
    }
  }
  flush();
  return parts;
}

/** `*`, `?`, `$` give a literal; `key` or `key, 'default'` give a variable; anything else is not a variable. */
function parseVariable(inner: string): string | { t: 'var'; key: string; def?: string } | undefined {
  if (inner === '*' || inner === '?' || inner === '$') return inner;
  const m = /^\s*([A-Za-z0-9:_\-/.@+=,]+?)\s*(?:,\s*'([^']*)'\s*)?$/.exec(inner);
  if (!m) return undefined;
  const key = m[1]!;
  if (key.includes(',')) return undefined;
  return m[2] === undefined ? { t: 'var', key } : { t: 'var', key, def: m[2] };
}

/** Whether a raw string has `${...}` that parses as a policy variable (for validation warnings). */
export function variablesIn(raw: string): string[] {
  return parsePattern(raw, true).flatMap((p) => (p.t === 'var' ? [p.key] : []));
}

/** Resolves a variable against the context; undefined when it has no single value and no default. */
export function resolveVar(key: string, def: string | undefined, ctx: Context): string | undefined {
  const v = ctx.get(key.toLowerCase());
  if (v !== undefined && v.length === 1) return v[0]!;
  return def;
}

/**
 * Glob tokens for parts whose variables are already resolved: in `arn` mode the wildcards before the pattern's
 * fifth own colon (partition, service, region, account) stay inside their segment; colons inside variable
 * values are literal text and do not count.
 */
function tokensOf(parts: readonly Part[], mode: PatternMode, values: readonly string[]): GlobToken[] {
  const out: GlobToken[] = [];
  let colons = 0;
  let next = 0;
  for (const p of parts) {
    if (p.t === 'lit') {
      out.push(p);
      if (mode === 'arn') for (const ch of p.s) if (ch === ':') colons++;
    } else if (p.t === 'var') out.push({ t: 'lit', s: values[next++]! });
    else out.push(mode === 'arn' && colons < 5 ? { t: p.t, seg: true } : { t: p.t });
  }
  return out;
}

/** A compiled pattern. `test` returns false when a variable cannot be resolved. */
export interface Matcher {
  readonly raw: string;
  /** True when the pattern is `*` (matches every value). */
  readonly all: boolean;
  readonly hasVariables: boolean;
  test(value: string, ctx: Context): boolean;
  /** Resolves variables to the literal string (no wildcards), for StringEquals-style operators. */
  literal(ctx: Context): string | undefined;
}

/**
 * Compiles a pattern. `wildcards` false means `*` and `?` are literal (StringEquals, ArnEquals are not:
 * ArnEquals does allow wildcards per the docs, so callers pass true there).
 */
export function compilePattern(raw: string, mode: PatternMode, variables: boolean, wildcards = true): Matcher {
  const parts0 = parsePattern(raw, variables);
  const parts: Part[] = wildcards
    ? parts0
    : parts0.map((p): Part => (p.t === 'star' ? { t: 'lit', s: '*' } : p.t === 'qm' ? { t: 'lit', s: '?' } : p));
  const hasVariables = parts.some((p) => p.t === 'var');
  const hasWild = parts.some((p) => p.t === 'star' || p.t === 'qm');
  const literal = (ctx: Context): string | undefined => {
    let s = '';
    for (const p of parts) {
      if (p.t === 'lit') s += p.s;
      else if (p.t === 'star') s += '*';
      else if (p.t === 'qm') s += '?';
      else {
        const v = resolveVar(p.key, p.def, ctx);
        if (v === undefined) return undefined;
        s += v;
      }
    }
    return s;
  };
  if (parts.length === 1 && parts[0]!.t === 'star') {
    return { raw, all: true, hasVariables: false, test: () => true, literal };
  }
  if (!hasVariables && !hasWild) {
    const text = parts.map((p) => (p.t === 'lit' ? p.s : '')).join('');
    if (mode === 'action') {
      const lower = text.toLowerCase();
      return { raw, all: false, hasVariables, test: (v) => v.toLowerCase() === lower, literal };
    }
    return { raw, all: false, hasVariables, test: (v) => v === text, literal };
  }
  if (!hasVariables && mode !== 'action' && parts.length === 2 && parts[0]!.t === 'lit' && parts[1]!.t === 'star') {
    // `arn:aws:s3:::bucket/*`: a prefix test, unless the star sits in an ARN segment that stops at ':'
    const prefix = parts[0]!.s;
    const colons = prefix.split(':').length - 1;
    if (mode !== 'arn' || colons >= 5) return { raw, all: false, hasVariables, test: (v) => v.startsWith(prefix), literal };
  }
  if (!hasVariables) {
    const glob = compileGlob(tokensOf(parts, mode, []), mode === 'action');
    return { raw, all: false, hasVariables, test: (v) => globMatch(glob, v), literal };
  }
  return variableMatcher(raw, parts, mode, literal);
}

/**
 * A pattern with variables: the glob its variables resolve to is compiled per set of values (bounded cache,
 * contexts vary per request) and remembered on the context, so one prepared request resolves it once.
 */
function variableMatcher(raw: string, parts: readonly Part[], mode: PatternMode, literal: Matcher['literal']): Matcher {
  const vars = parts.flatMap((p) => (p.t === 'var' ? [{ key: p.key.toLowerCase(), def: p.def }] : []));
  const cache = new Map<string, Glob>();
  const self = {};
  const resolve = (ctx: Context): Glob | null => {
    const values: string[] = [];
    for (const t of vars) {
      const vals = ctx.get(t.key);
      const val = vals !== undefined && vals.length === 1 ? vals[0]! : t.def;
      if (val === undefined) return null;
      values.push(val);
    }
    const key = values.join('\u0000');
    let glob = cache.get(key);
    if (!glob) {
      if (cache.size > 256) cache.clear();
      glob = compileGlob(tokensOf(parts, mode, values), mode === 'action');
      cache.set(key, glob);
    }
    return glob;
  };
  return {
    raw,
    all: false,
    hasVariables: true,
    literal,
    test(v, ctx) {
      const perContext = (ctx.resolved ??= new Map());
      let glob = perContext.get(self);
      if (glob === undefined) perContext.set(self, (glob = resolve(ctx)));
      return glob !== null && globMatch(glob, v);
    },
  };
}
