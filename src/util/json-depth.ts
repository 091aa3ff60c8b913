/**
 * A linear, non-recursive pre-check of JSON text for nesting depth, run before anything that recurses over the value:
 * the schema checks, the policy engine and `String(array)` recurse once per level, so a line of `[[[…` 10,000 deep
 * overflows the stack and 100,000 deep exhausts the heap. One pass over the characters counts the brackets outside
 * strings and stops at the first one that opens a level past the limit, with its line, column and the path to it.
 *
 * It does not validate the JSON (the parser does that after it): a stray `]` or an unterminated string only ends the
 * scan early, never throws.
 */

/**
 * How deep JSON input may nest (objects and arrays together). The IAM JSON policy grammar nests at most 6 levels
 * (policy → `Statement` list → statement → `Condition` → operator → key → value list, whose values are strings,
 * numbers or booleans): "Grammar of the IAM JSON policy language",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html. A `simulate` input line wraps
 * policies 2–3 levels deeper, a snapshot account file about 6 (`iam.roles[i].inlinePolicies[j].document`), so real
 * input stays under 15; 100 leaves a wide margin and keeps every recursive walk far from the stack limit.
 */
export const MAX_JSON_DEPTH = 100;

/** How many leading segments of the path a finding keeps (the rest are levels of the same nesting). */
const PATH_SEGMENTS = 12;

/** Where JSON text first nests deeper than the limit. */
export interface DeepJson {
  /** Offset (UTF-16 code units) of the bracket that opens the level past the limit. */
  readonly offset: number;
  /** 1-based line and column of that bracket. */
  readonly line: number;
  readonly col: number;
  /** The depth that bracket opens (the limit + 1). */
  readonly depth: number;
  /** Keys and indexes from the root to the value that bracket opens (at most the first 12). */
  readonly path: readonly (string | number)[];
}

/** One open object or array: the key or index of its current member. */
interface Frame {
  readonly object: boolean;
  key?: string;
  index: number;
  /** In an object: the next string is a key (after `{` or `,`). */
  expectKey: boolean;
}

/** A JSON string's text, or its raw characters when its escapes are bad (the parser reports those later). */
function stringValue(text: string, start: number, end: number): string {
  try {
    return JSON.parse(text.slice(start, end + 1)) as string;
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    return text.slice(start + 1, end);
  }
}

/** The offset of the quote that closes the string opened at `start`, or -1 when it does not close. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) i++; // backslash: skip the escaped character
    else if (c === 0x22) return i;
  }
  return -1;
}

function pathOf(stack: readonly Frame[]): (string | number)[] {
  const path: (string | number)[] = [];
  for (const f of stack.slice(0, PATH_SEGMENTS)) {
    if (!f.object) path.push(f.index);
    else if (f.key !== undefined) path.push(f.key);
  }
  return path;
}

/**
 * Whether JSON text opens more than `max` levels of brackets outside strings: the quick test (one pass over the
 * character codes, no allocation) for text checked often (every `simulate --batch` line), so that only text that
 * fails it is scanned again by findDeepJson for the path and position of the bracket. Both end at an unterminated
 * string or a stray closing bracket and skip strings with stringEnd, so they agree on what is too deep.
 */
export function nestsDeeper(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = stringEnd(text, i);
      if (i < 0) return false;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) {
      if (--depth < 0) return false;
    }
  }
  return false;
}

/** The first place `text` (JSON) nests deeper than `max` levels, if any. Linear in the text's length. */
export function findDeepJson(text: string, max = MAX_JSON_DEPTH): DeepJson | undefined {
  const stack: Frame[] = [];
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const end = stringEnd(text, i);
      if (end < 0) return undefined;
      const top = stack[stack.length - 1];
      if (top?.object && top.expectKey) {
        top.key = stringValue(text, i, end);
        top.expectKey = false;
      }
      i = end;
    } else if (c === '{' || c === '[') {
      if (stack.length + 1 > max) return { offset: i, line, col: i - lineStart + 1, depth: stack.length + 1, path: pathOf(stack) };
      stack.push({ object: c === '{', index: 0, expectKey: c === '{' });
    } else if (c === '}' || c === ']') {
      if (stack.pop() === undefined) return undefined;
    } else if (c === ',') {
      const top = stack[stack.length - 1];
      if (top?.object) top.expectKey = true;
      else if (top) top.index++;
    } else if (c === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return undefined;
}

/** A finding's path as `iam.roles[2].document` (keys that are not identifiers quoted), `…` when it was cut. */
export function formatJsonPath(found: DeepJson): string {
  let out = '';
  for (const p of found.path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(p)) out += out ? `.${p}` : p;
    else out += `[${JSON.stringify(p)}]`;
  }
  return found.depth - 1 > PATH_SEGMENTS ? `${out}…` : out;
}
