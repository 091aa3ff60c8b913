/**
 * A cheap pre-scan of spec text for nesting depth, run before the YAML parser: the parser and the composer recurse
 * per level, so a few megabytes of `[[[…` or of ever deeper indentation take seconds of CPU, then overflow the stack or
 * exhaust memory. One linear pass over the characters finds the first place nested deeper than the limit.
 *
 * It reads just enough YAML to count levels: block nodes by indentation (each `- `, `? ` and `: ` at the start of a
 * line opens one more), flow collections by their brackets, and it skips what cannot hold structure: comments,
 * quoted scalars, block scalars (`|`, `>`) and plain scalars. It is approximate in odd corners (a plain scalar continued
 * on a line starting with `[` counts a level; a sequence not indented under its key counts none), which the limit,
 * far above what a spec needs, absorbs.
 */

/** How deep a spec may nest, block and flow levels together. A spec needs about 12 (an SCP condition in a guardrail). */
export const MAX_NESTING_DEPTH = 64;

/** Where the text first nests deeper than the limit. */
export interface DeepNesting {
  /** Offset (UTF-16 code units) of the character that opens the level past the limit. */
  readonly offset: number;
  readonly depth: number;
}

interface Scan {
  readonly text: string;
  readonly max: number;
  i: number;
  /** Columns of the open block nodes, innermost last. */
  readonly block: number[];
  flow: number;
  found?: DeepNesting;
}

const isBreak = (c: string | undefined) => c === '\n' || c === '\r';
const isBlank = (c: string | undefined) => c === ' ' || c === '\t' || c === undefined || isBreak(c);

/** Records the first level past the limit; true when found. */
function deeper(s: Scan, at: number): boolean {
  const depth = s.block.length + s.flow;
  if (depth > s.max && s.found === undefined) s.found = { offset: at, depth };
  return s.found !== undefined;
}

function skipToLineEnd(s: Scan): void {
  while (s.i < s.text.length && !isBreak(s.text[s.i])) s.i++;
}

/** Skips a quoted scalar starting at `s.i` (it may span lines); `s.i` ends after the closing quote. */
function skipQuoted(s: Scan): void {
  const { text } = s;
  const quote = text[s.i];
  s.i++;
  while (s.i < text.length) {
    const c = text[s.i];
    if (quote === '"' && c === '\\') s.i += 2;
    else if (c === quote) {
      if (quote === "'" && text[s.i + 1] === "'") s.i += 2;
      else {
        s.i++;
        return;
      }
    } else s.i++;
  }
}

/** Scans a flow collection starting at `s.i` (`[` or `{`) to its closing bracket, across lines. */
function scanFlow(s: Scan): void {
  const { text } = s;
  let tokenStart = true;
  while (s.i < text.length) {
    const c = text[s.i]!;
    if (c === '[' || c === '{') {
      s.flow++;
      if (deeper(s, s.i)) return;
      s.i++;
      tokenStart = true;
    } else if (c === ']' || c === '}') {
      s.flow--;
      s.i++;
      if (s.flow === 0) return;
      tokenStart = false;
    } else if ((c === '"' || c === "'") && tokenStart) {
      skipQuoted(s);
      tokenStart = false;
    } else if (c === '#' && tokenStart) skipToLineEnd(s);
    else {
      tokenStart = c === ',' || isBlank(c);
      s.i++;
    }
  }
}

/** Skips the lines of a block scalar whose header is on the current line (content lines are indented deeper than `indent`). */
function skipBlockScalar(s: Scan, indent: number): void {
  const { text } = s;
  skipToLineEnd(s);
  while (s.i < text.length) {
    let j = s.i;
    while (isBreak(text[j])) j++;
    let col = 0;
    while (text[j + col] === ' ') col++;
    if (col <= indent && !isBreak(text[j + col]) && j + col < text.length) {
      s.i = j;
      return;
    }
    s.i = j + col;
    skipToLineEnd(s);
  }
}

/**
 * Scans the rest of a block line from a token start: properties, a quoted or plain key or value, `: ` and a value
 * after it, a flow collection, a block scalar header or a comment.
 */
function scanLineRest(s: Scan, indent: number): void {
  const { text } = s;
  while (s.i < text.length && !isBreak(text[s.i]) && s.found === undefined) {
    const c = text[s.i]!;
    if (c === ' ' || c === '\t') s.i++;
    else if (c === '#') return skipToLineEnd(s);
    else if (c === '[' || c === '{') scanFlow(s);
    else if (c === '"' || c === "'") skipQuoted(s);
    else if (c === '|' || c === '>') return skipBlockScalar(s, indent);
    else if (c === '&' || c === '!' || c === '*') while (s.i < text.length && !isBlank(text[s.i])) s.i++;
    else if (c === ':' && isBlank(text[s.i + 1])) s.i++;
    else {
      // a plain scalar: it ends at `: `, ` #` or the line end, and nothing inside it opens a level
      while (s.i < text.length && !isBreak(text[s.i]) && !(text[s.i] === ':' && isBlank(text[s.i + 1])) && !(text[s.i] === '#' && isBlank(text[s.i - 1]))) s.i++;
    }
  }
}

/** Scans one block line from its first character: indentation, then `- `/`? `/`: ` indicators, then the rest. */
function scanBlockLine(s: Scan): void {
  const { text } = s;
  const lineStart = s.i;
  while (text[s.i] === ' ') s.i++;
  const c = text[s.i];
  if (s.i >= text.length || isBreak(c) || c === '#' || c === '%') return skipToLineEnd(s);
  if (s.i === lineStart && (text.startsWith('---', s.i) || text.startsWith('...', s.i)) && isBlank(text[s.i + 3])) {
    s.block.length = 0;
    s.i += 3;
    return scanLineRest(s, -1);
  }
  const indent = s.i - lineStart;
  while (s.block.length > 0 && s.block[s.block.length - 1]! >= indent) s.block.pop();
  s.block.push(indent);
  if (deeper(s, s.i)) return;
  // each compact indicator opens a nested node on the same line (`- - - x`, `? - x`)
  while ((text[s.i] === '-' || text[s.i] === '?' || text[s.i] === ':') && isBlank(text[s.i + 1]) && !isBreak(text[s.i + 1])) {
    s.i++;
    while (text[s.i] === ' ') s.i++;
    if (s.i >= text.length || isBreak(text[s.i]) || text[s.i] === '#') break;
    s.block.push(s.i - lineStart);
    if (deeper(s, s.i)) return;
  }
  scanLineRest(s, indent);
}

/** The first place `text` nests deeper than `max` levels (block and flow together), if any. Linear in the text's length. */
export function findDeepNesting(text: string, max = MAX_NESTING_DEPTH): DeepNesting | undefined {
  const s: Scan = { text, max, i: 0, block: [], flow: 0 };
  while (s.i < text.length && s.found === undefined) {
    scanBlockLine(s);
    while (isBreak(text[s.i])) s.i++;
  }
  return s.found;
}
