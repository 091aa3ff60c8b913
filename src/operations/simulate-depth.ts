/** The nesting pre-check of a `simulate` input line, before anything recursive reads it (see src/util/json-depth.ts). */
import { error, fail, type Result } from '../diagnostics/diagnostic.js';
import { escapeText } from '../util/escape.js';
import { findDeepJson, formatJsonPath, MAX_JSON_DEPTH } from '../util/json-depth.js';

/**
 * Whether JSON text opens more than `max` levels of brackets outside strings: the quick test every batch line takes
 * (one pass over the character codes, no allocation). Only a line that fails it is scanned again by findDeepJson for
 * the path and position of the bracket, so both agree on what is too deep: an unterminated string or a stray closing
 * bracket ends both scans, and both skip the character after a backslash inside a string.
 */
export function nestsDeeper(text: string, max: number): boolean {
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      for (i++; i < n; i++) {
        const s = text.charCodeAt(i);
        if (s === 0x5c) i++;
        else if (s === 0x22) break;
      }
      if (i >= n) return false;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) {
      if (--depth < 0) return false;
    }
  }
  return false;
}

/**
 * The located error for an input line nested deeper than {@link MAX_JSON_DEPTH} levels, or undefined when it is not.
 * Linear and non-recursive: a line of `[[[…` 100,000 deep is refused here instead of overflowing the stack (or the
 * heap) in the parser, the locator or the engine.
 */
export function tooDeepLine(line: string, lineNo: number, label: string): Result<never> | undefined {
  if (!nestsDeeper(line, MAX_JSON_DEPTH)) return undefined;
  const deep = findDeepJson(line);
  if (deep === undefined) return undefined;
  const at = formatJsonPath(deep);
  return fail([
    {
      ...error(
        'BH3104',
        `the input nests deeper than ${MAX_JSON_DEPTH} levels (objects and lists inside each other); a simulate input needs about 10: flatten it or close the brackets`,
        at ? escapeText(at) : undefined,
      ),
      file: label,
      position: { line: lineNo, col: deep.col },
    },
  ]);
}
