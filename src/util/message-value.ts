/**
 * A user value as a diagnostic message shows it: whole when short, else its start and its length, so a huge value
 * (a 5 MB name, a deep list) stays one short line and the message still says how long it was.
 *
 * This only shortens; it does not escape. Messages are escaped once, where they are written: `formatDiagnostic`
 * (src/diagnostics/diagnostic.ts) passes the message through `escapeText` (util/escape.ts) for terminals and logs,
 * and the JSON/SARIF/Markdown writers escape for their own formats. Pure.
 */

/** The longest value (in characters) a message shows whole. */
export const MESSAGE_VALUE_MAX = 64;

/** How many leading characters of a longer value a message keeps. */
export const MESSAGE_VALUE_START = 40;

/**
 * True for what JSON.stringify throws on a value it cannot serialise: TypeError (cyclic, BigInt) or RangeError
 * (nested too deeply for the stack, or too long for a string). Anything else is a bug and should surface.
 */
export function isSerialiseError(e: unknown): boolean {
  return e instanceof TypeError || e instanceof RangeError;
}

/** The text of `value`: a string as it is, anything else as JSON (or `{...}` / `[...]` when it cannot be serialised). */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch (e) {
    if (!isSerialiseError(e)) throw e;
    // cyclic (YAML anchors can make one), too deep for the stack, too long for a string, or a BigInt
    if (Array.isArray(value)) return '[...]';
    if (typeof value === 'object' && value !== null) return '{...}';
    return String(value);
  }
}

/** The number of code points of `s` (a character outside the BMP counts once, as a person reads it). */
function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** The first `max` code points of `s`, never splitting a surrogate pair. */
function startOf(s: string, max: number): string {
  let end = 0;
  for (let n = 0; n < max && end < s.length; n++) {
    const c = s.charCodeAt(end);
    end += c >= 0xd800 && c <= 0xdbff && end + 1 < s.length ? 2 : 1;
  }
  return s.slice(0, end);
}

/**
 * `value` for a diagnostic message, without backticks (the message adds them): a string as it is, anything else as
 * JSON; `nothing` for `undefined` (a missing field). Up to `MESSAGE_VALUE_MAX` characters it is shown whole; a longer
 * one becomes its first `MESSAGE_VALUE_START` characters and its length, e.g. `xxxx…(129 characters)`. A value
 * JSON cannot serialise (cyclic, too deep, BigInt) is shown as `{...}`, `[...]` or its `String` form; never throws
 * for a value a parser produced.
 */
export function messageValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const s = textOf(value);
  if (s.length <= MESSAGE_VALUE_MAX) return s;
  const n = codePoints(s);
  return n <= MESSAGE_VALUE_MAX ? s : `${startOf(s, MESSAGE_VALUE_START)}…(${n} characters)`;
}

/** `messageValue(value)` in backticks, or a bare `nothing` when the value is missing: for "…, got `7`" messages. */
export function quotedMessageValue(value: unknown): string {
  return value === undefined ? 'nothing' : `\`${messageValue(value)}\``;
}
