/** The nesting pre-check of a `simulate` input line, before anything recursive reads it (see src/util/json-depth.ts). */
import { error, fail, type Result } from '../diagnostics/diagnostic.js';
import { escapeText } from '../util/escape.js';
import { findDeepJson, formatJsonPath, MAX_JSON_DEPTH, nestsDeeper } from '../util/json-depth.js';

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
