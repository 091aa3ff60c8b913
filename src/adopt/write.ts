/**
 * The adopted spec as YAML text: built with the `yaml` Document API so every account, role and guardrail that does
 * not fit carries its comment right above it.
 */
import { Document, isMap, isScalar, isSeq, Scalar, visit, type Node } from 'yaml';
import type { JsonValue } from '../model/organization.js';
import { escapeText, UNSAFE_CHARACTERS } from '../util/escape.js';
import type { SpecComments } from './build.js';

/** Indents every comment line by one space after `#`. */
const asComment = (lines: readonly string[]): string => lines.map((l) => ` ${escapeText(l)}`).join('\n');

/**
 * The node a comment for `path` goes on: for a mapping key, the key itself (so the comment sits above `key:`); for
 * a list item, the item.
 */
function commentTarget(doc: Document, path: readonly (string | number)[]): Node | undefined {
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  const last = path[path.length - 1];
  if (isMap(parent)) {
    const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === last);
    return pair && isScalar(pair.key) ? pair.key : undefined;
  }
  if (isSeq(parent) && typeof last === 'number') {
    const item = parent.items[last];
    return item && (isMap(item) || isSeq(item) || isScalar(item)) ? item : undefined;
  }
  return undefined;
}

/** Whether a string holds a character no output may carry raw (a fresh test: UNSAFE_CHARACTERS is global). */
const unsafe = (s: string): boolean => s.replace(UNSAFE_CHARACTERS, '') !== s;

/**
 * Double quotes for a date-like string (`2012-10-17`), so no YAML 1.1 reader takes a policy `Version` for a
 * timestamp, and for a string with a control, separator or bidi character, which `escapeUnsafe` then writes as an
 * escape (live names and tags are user text).
 */
function quoteStrings(doc: Document): void {
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && (/^\d{4}-\d{2}-\d{2}$/.test(node.value) || unsafe(node.value))) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
}

/**
 * The unsafe characters `yaml` leaves raw inside double quotes (it escapes C0 controls itself, not U+2028 or the
 * bidi marks) as `\uXXXX`, a YAML double-quoted escape; comments were escaped already, so a raw one can only be in
 * a double-quoted scalar, and the line breaks left are the document's own.
 */
function escapeUnsafe(text: string): string {
  return text.replace(UNSAFE_CHARACTERS, (c) => (c === '\n' ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** YAML text of the spec with `header` at the top and each comment before its node. */
export function writeSpecYaml(spec: Record<string, JsonValue>, comments: SpecComments, header: readonly string[]): string {
  const doc = new Document(spec);
  doc.commentBefore = asComment(header);
  for (const [key, lines] of comments) {
    const node = commentTarget(doc, JSON.parse(key) as (string | number)[]);
    // the paths are the builder's own: one that names no node is a bug, not bad input
    if (!node) throw new Error(`adopt: no spec node at ${key} for a comment`);
    node.commentBefore = asComment(lines);
  }
  quoteStrings(doc);
  return escapeUnsafe(doc.toString({ lineWidth: 0 }));
}
