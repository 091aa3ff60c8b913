/**
 * A light JSON reader for the small `request` value of a batch line: it returns the value and where it ends in
 * one pass, so the line needs neither a separate scan for the value's end nor JSON.parse of the slice. It
 * gives up (undefined) on anything unusual — deep nesting, a `__proto__` key, invalid text — and the caller
 * then falls back to the general path, so its answers, when it has one, are JSON.parse's.
 */

/** A value read from JSON text and the offset just past it. */
export interface ReadValue {
  readonly value: unknown;
  readonly end: number;
}

const MAX_DEPTH = 32;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

function skipWs(text: string, i: number): number {
  let c = text.charCodeAt(i);
  while (c === 32 || c === 9 || c === 10 || c === 13) c = text.charCodeAt(++i);
  return i;
}

/** Reads the JSON string whose quote is at `i`; undefined on a raw control character or a bad escape. */
function readString(text: string, i: number): ReadValue | undefined {
  let escaped = false;
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 34) {
      if (!escaped) return { value: text.slice(i + 1, j), end: j + 1 };
      try {
        return { value: JSON.parse(text.slice(i, j + 1)) as string, end: j + 1 };
      } catch (e) {
        if (e instanceof SyntaxError) return undefined;
        throw e;
      }
    }
    if (c < 32) return undefined;
    if (c === 92) {
      escaped = true;
      j++; // the escaped character (a quote here does not end the string)
    }
  }
  return undefined;
}

function readObject(text: string, i: number, depth: number): ReadValue | undefined {
  const out: Record<string, unknown> = {};
  i = skipWs(text, i + 1);
  if (text.charCodeAt(i) === 125) return { value: out, end: i + 1 };
  for (;;) {
    if (text.charCodeAt(i) !== 34) return undefined;
    const k = readString(text, i);
    if (k === undefined || k.value === '__proto__') return undefined;
    i = skipWs(text, k.end);
    if (text.charCodeAt(i) !== 58) return undefined;
    const v = readValueAt(text, skipWs(text, i + 1), depth + 1);
    if (v === undefined) return undefined;
    out[k.value as string] = v.value;
    i = skipWs(text, v.end);
    const c = text.charCodeAt(i);
    if (c === 125) return { value: out, end: i + 1 };
    if (c !== 44) return undefined;
    i = skipWs(text, i + 1);
  }
}

function readArray(text: string, i: number, depth: number): ReadValue | undefined {
  const out: unknown[] = [];
  i = skipWs(text, i + 1);
  if (text.charCodeAt(i) === 93) return { value: out, end: i + 1 };
  for (;;) {
    const v = readValueAt(text, i, depth + 1);
    if (v === undefined) return undefined;
    out.push(v.value);
    i = skipWs(text, v.end);
    const c = text.charCodeAt(i);
    if (c === 93) return { value: out, end: i + 1 };
    if (c !== 44) return undefined;
    i = skipWs(text, i + 1);
  }
}

/**
 * Where the object or array opening at `i` closes (just past its bracket), found by skipping strings with indexOf;
 * -1 when it cannot tell cheaply: a quote after a backslash (an escape may hide the string's end), brackets nested
 * deeper than MAX_DEPTH, or text that ends first. Only a hint: JSON.parse of the slice then decides.
 */
function containerEnd(text: string, i: number): number {
  let depth = 0;
  const n = text.length;
  for (let j = i; j < n; j++) {
    const c = text.charCodeAt(j);
    if (c === 34) {
      j = text.indexOf('"', j + 1);
      if (j < 0 || text.charCodeAt(j - 1) === 92) return -1;
    } else if (c === 123 || c === 91) {
      if (++depth > MAX_DEPTH) return -1;
    } else if (c === 125 || c === 93) {
      if (--depth === 0) return j + 1;
    }
  }
  return -1;
}

/**
 * readValueAt's answer, faster for the usual request (an object whose strings hide no quote behind a backslash):
 * the end found by containerEnd, the value by JSON.parse of the slice (so it is JSON.parse's answer by
 * construction); anything else goes to readValueAt.
 */
export function readRequestAt(text: string, i: number): ReadValue | undefined {
  const c = text.charCodeAt(i);
  if (c === 123 || c === 91) {
    const end = containerEnd(text, i);
    if (end > 0) {
      try {
        return { value: JSON.parse(text.slice(i, end)) as unknown, end };
      } catch (e) {
        if (!(e instanceof SyntaxError)) throw e;
      }
    }
  }
  return readValueAt(text, i);
}

/** The JSON value starting at `i` (no leading whitespace) and its end; undefined when it is not simple valid JSON. */
export function readValueAt(text: string, i: number, depth = 0): ReadValue | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const c = text.charCodeAt(i);
  if (c === 34) return readString(text, i);
  if (c === 123) return readObject(text, i, depth);
  if (c === 91) return readArray(text, i, depth);
  if (text.startsWith('true', i)) return { value: true, end: i + 4 };
  if (text.startsWith('false', i)) return { value: false, end: i + 5 };
  if (text.startsWith('null', i)) return { value: null, end: i + 4 };
  NUMBER.lastIndex = i;
  const m = NUMBER.exec(text);
  return m === null ? undefined : { value: Number(m[0]), end: i + m[0].length };
}
