/**
 * One escaping function per output format, so a value echoed from a spec, a snapshot or AWS cannot forge
 * output: a newline in an account name cannot start a new diagnostic line, an ESC sequence cannot reach the
 * terminal, a backtick cannot end a Markdown code span, `<script>` cannot become HTML.
 *
 * - Plain text and terminal: `escapeText`. Control characters (C0, DEL, C1), line and paragraph separators and
 *   the bidirectional embedding/override/isolate characters (the "Trojan Source" set, CVE-2021-42574) become
 *   visible escapes (`\n`, `\x1b`, `\u202e`), so every value stays on its line and reads in its own order.
 *   Backslashes are left alone: the escapes are for people reading, not a reversible encoding.
 * - Markdown: `markdownText` for paragraphs, headings, list items and table cells; `markdownCode` for inline code
 *   spans (a fence longer than the longest backtick run in the value).
 * - HTML and SVG (element content and quoted attributes): `escapeHtml`.
 * - JSON and SARIF keep every value exactly (they are data): `escapeJson` only rewrites the characters above as
 *   `\uXXXX` escapes inside the serialized text, which `JSON.parse` reads back to the same value.
 *
 * Pure; the colour codes of the plan tree are added after escaping, by the renderer.
 */

/**
 * The characters no echoed value may carry raw into any output: C0 controls, DEL, C1 controls (U+0085 NEL
 * included), U+2028/U+2029 (line and paragraph separator), the bidi marks U+061C, U+200E, U+200F, and the
 * embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069.
 */
export const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\0': '\\0', '\b': '\\b', '\f': '\\f', '\v': '\\v' };

function hex(c: string, digits: number): string {
  return c.charCodeAt(0).toString(16).padStart(digits, '0');
}

/** The visible escape of one unsafe character: `\n`, `\x1b`, `\u202e`. */
function visible(c: string): string {
  const code = c.charCodeAt(0);
  return NAMED[c] ?? (code <= 0xff ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`);
}

/**
 * Plain text and terminal output: every unsafe character (see `UNSAFE_CHARACTERS`) shown as a visible escape,
 * so the value stays on one line and cannot move the cursor, change colours or reorder the text around it.
 */
export function escapeText(value: string): string {
  return value.replace(UNSAFE_CHARACTERS, visible);
}

const MD_INLINE = /[\\`*_[\]<>|#~&]/g;
const MD_INLINE_MAP: Readonly<Record<string, string>> = { '<': '&lt;', '>': '&gt;', '&': '&amp;' };

/**
 * Markdown text (a paragraph, heading, list item or table cell): unsafe characters become visible escapes (so a
 * value never ends its line, row or heading); Markdown punctuation (`\` `` ` `` `*` `_` `[` `]` `|` `#` `~`) is
 * backslash-escaped; `<`, `>` and `&` become entities, so no HTML survives; a value starting like a
 * block (`-`, `+`, `=`, `1.`) has that start escaped.
 */
export function markdownText(value: string): string {
  const inline = value.replace(MD_INLINE, (c) => MD_INLINE_MAP[c] ?? `\\${c}`);
  const block = inline.replace(/^([-+=])/, '\\$1').replace(/^(\d+)([.)])/, '$1\\$2');
  return escapeText(block);
}

/** Options for `markdownCode`. */
export interface MarkdownCodeOptions {
  /** The span sits in a GFM table cell, where `|` must be written `\|` even inside code. */
  readonly inTable?: boolean;
}

/**
 * A Markdown inline code span showing `value` literally: unsafe characters as visible escapes, fenced with one
 * backtick more than the longest backtick run in the value, padded with a space where it starts or ends with a
 * backtick (or has a space at both ends, which CommonMark would strip). An empty value shows as one space.
 */
export function markdownCode(value: string, options: MarkdownCodeOptions = {}): string {
  let text = escapeText(value);
  if (options.inTable) text = text.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  if (text === '') return '` `';
  // CommonMark strips one space from each end when both ends are spaces (and the span is not all spaces)
  const stripped = text.startsWith(' ') && text.endsWith(' ') && text.trim() !== '';
  const pad = text.startsWith('`') || text.endsWith('`') || stripped ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

const HTML: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * HTML and SVG element content or a quoted attribute value: `& < > " '` become entities and unsafe characters
 * visible escapes (HTML would drop or reorder them silently).
 */
export function escapeHtml(value: string): string {
  return escapeText(value).replace(/[&<>"']/g, (c) => HTML[c]!);
}

/** The unsafe characters `JSON.stringify` writes raw; it escapes C0 itself, and the newlines between tokens stay. */
const JSON_RAW = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Serialized JSON (`JSON.stringify` output): the unsafe characters that `JSON.stringify` leaves raw (DEL, C1,
 * separators, bidi) become `\uXXXX` escapes, so the text carries none of them while `JSON.parse` returns
 * exactly the same values. Apply it to the whole serialized text, never to a value.
 */
export function escapeJson(json: string): string {
  return json.replace(JSON_RAW, (c) => `\\u${hex(c, 4)}`);
}
