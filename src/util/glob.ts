/**
 * Wildcard matching without backtracking: `*` matches any run of characters (also none), `?` exactly one
 * UTF-16 code unit. One matcher for every pattern that comes from policy or user text (actions, resources,
 * condition values, catalogue action expansion), because a regular expression built from such text
 * (`^a.*a.*a.*…b$`) backtracks exponentially on a near miss: one policy could stall the engine.
 *
 * How it works: a pattern splits at its stars into blocks of literal characters and `?`. The first block must
 * match at the start, the last at the end, and every block in between is placed at its leftmost position after
 * the previous one. Leftmost placement is optimal when a star may match anything (a later placement leaves less
 * room for the rest and gains nothing), so no choice is ever revisited: at most O(n·m) character comparisons for
 * a value of length n and a pattern of length m, usually O(n + m) through `indexOf`/`startsWith`.
 *
 * Segment wildcards (ARN matching): a wildcard marked `seg` does not match `:`. Every `seg` wildcard must come
 * before every unmarked one with a literal `:` between them (how ARN patterns are written: see
 * src/policy/pattern.ts). Then the head of the pattern up to that colon holds literal colons only, so the value's
 * colons line up with the pattern's in order: each colon-free chunk of the head is matched against the value's
 * chunk between the same colons, and the rest of the pattern against the rest of the value.
 */

/** One token of a wildcard pattern. `seg` wildcards stay inside one colon-separated segment. */
export type GlobToken =
  | { readonly t: 'lit'; readonly s: string }
  | { readonly t: 'star'; readonly seg?: boolean }
  | { readonly t: 'qm'; readonly seg?: boolean };

/** A run of literal characters and `?` between two stars; `qm[i]` marks a `?` at offset i. */
interface Block {
  readonly text: string;
  readonly qm: readonly boolean[] | undefined;
}

/** A colon-free (or, for the tail, unrestricted) part of a pattern: blocks separated by stars. */
interface Piece {
  readonly blocks: readonly Block[];
  /** Sum of the block lengths: the shortest value that can match. */
  readonly min: number;
  /** The piece is a lone `*`: it matches every (colon-free) chunk. */
  readonly any: boolean;
  /** Shape, for native string tests: 1 exact text, 2 `text*`, 3 `*text`, 4 `a*b`, 0 anything else. */
  readonly shape: 0 | 1 | 2 | 3 | 4;
}

/**
 * One step of the head: literal text with its colons (`piece` undefined), or a wildcard chunk up to the next `:`
 * (`lit` empty). One object shape for both, so the matcher's loop stays monomorphic.
 */
interface HeadItem {
  readonly lit: string;
  readonly piece: Piece | undefined;
}

/** A compiled wildcard pattern. */
export interface Glob {
  /** The segment part of the pattern (empty unless `seg` wildcards); every wildcard chunk ends at a `:`. */
  readonly head: readonly HeadItem[];
  /** The rest of the pattern. */
  readonly tail: Piece;
  /** True when the tail may not match `:` either (the pattern has no colon after its last `seg` wildcard). */
  readonly tailNoColon: boolean;
  /** Compare case-insensitively (pattern and value lowercased). */
  readonly ignoreCase: boolean;
}

/** Counts character comparisons (the work done) when passed to the matcher. */
export interface GlobCounter {
  steps: number;
}

function pieceOf(tokens: readonly GlobToken[]): Piece {
  const blocks: Block[] = [];
  let text = '';
  let qms: number[] = [];
  const flush = (): void => {
    let qm: boolean[] | undefined;
    if (qms.length > 0) {
      qm = new Array<boolean>(text.length).fill(false);
      for (const i of qms) qm[i] = true;
    }
    blocks.push({ text, qm });
    text = '';
    qms = [];
  };
  for (const tk of tokens) {
    if (tk.t === 'star') flush();
    else if (tk.t === 'qm') {
      qms.push(text.length);
      text += '?';
    } else text += tk.s;
  }
  flush();
  const any = blocks.length === 2 && blocks[0]!.text === '' && blocks[1]!.text === '';
  return { blocks, min: blocks.reduce((n, b) => n + b.text.length, 0), any, shape: shapeOf(blocks) };
}

function shapeOf(blocks: readonly Block[]): Piece['shape'] {
  if (blocks.some((b) => b.qm !== undefined)) return 0;
  if (blocks.length === 1) return 1;
  if (blocks.length !== 2) return 0;
  if (blocks[1]!.text === '') return 2;
  return blocks[0]!.text === '' ? 3 : 4;
}

/** Splits tokens at every literal `:` (the colons are dropped). */
function splitAtColons(tokens: readonly GlobToken[]): GlobToken[][] {
  const out: GlobToken[][] = [[]];
  for (const tk of tokens) {
    if (tk.t !== 'lit') out[out.length - 1]!.push(tk);
    else
      tk.s.split(':').forEach((s, i) => {
        if (i > 0) out.push([]);
        if (s) out[out.length - 1]!.push({ t: 'lit', s });
      });
  }
  return out;
}

/** Head items: runs of literal chunks become one literal (with their colons), wildcard chunks pieces. */
function headOf(chunks: readonly GlobToken[][]): HeadItem[] {
  const out: HeadItem[] = [];
  let lit = '';
  for (const chunk of chunks) {
    if (chunk.every((t) => t.t === 'lit')) {
      lit += chunk.map((t) => (t.t === 'lit' ? t.s : '')).join('') + ':';
      continue;
    }
    if (lit) out.push({ lit, piece: undefined });
    lit = '';
    out.push({ lit: '', piece: pieceOf(chunk) });
  }
  if (lit) out.push({ lit, piece: undefined });
  return out;
}

/**
 * Compiles tokens. Throws (a bug in the caller) when an unmarked wildcard comes before a `seg` one or no
 * literal `:` separates them.
 */
export function compileGlob(tokens: readonly GlobToken[], ignoreCase = false): Glob {
  const toks = ignoreCase ? tokens.map((t): GlobToken => (t.t === 'lit' ? { t: 'lit', s: t.s.toLowerCase() } : t)) : tokens;
  let lastSeg = -1;
  toks.forEach((t, i) => {
    if (t.t !== 'lit' && t.seg === true) lastSeg = i;
  });
  if (lastSeg < 0) return { head: [], tail: pieceOf(toks), tailNoColon: false, ignoreCase };
  // the head ends at the first literal `:` after the last segment wildcard
  let headToks: readonly GlobToken[] = toks;
  let tailToks: GlobToken[] | undefined;
  for (let i = lastSeg + 1; i < toks.length && tailToks === undefined; i++) {
    const t = toks[i]!;
    const c = t.t === 'lit' ? t.s.indexOf(':') : -1;
    if (t.t !== 'lit' || c < 0) continue;
    headToks = [...toks.slice(0, i), { t: 'lit', s: t.s.slice(0, c) }];
    tailToks = [{ t: 'lit', s: t.s.slice(c + 1) }, ...toks.slice(i + 1)];
  }
  if (headToks.some((t) => t.t !== 'lit' && t.seg !== true)) throw new Error('glob: a segment wildcard follows an unrestricted one');
  const chunks = splitAtColons(headToks);
  if (tailToks === undefined) {
    const last = chunks.pop()!;
    return { head: headOf(chunks), tail: pieceOf(last), tailNoColon: true, ignoreCase };
  }
  return { head: headOf(chunks), tail: pieceOf(tailToks), tailNoColon: false, ignoreCase };
}

/** Compiles pattern text in which every `*` and `?` is a wildcard (no segments). */
export function globFromText(pattern: string, ignoreCase = false): Glob {
  const tokens: GlobToken[] = [];
  let lit = '';
  for (const c of pattern) {
    if (c === '*' || c === '?') {
      if (lit) tokens.push({ t: 'lit', s: lit });
      lit = '';
      tokens.push({ t: c === '*' ? 'star' : 'qm' });
    } else lit += c;
  }
  if (lit) tokens.push({ t: 'lit', s: lit });
  return compileGlob(tokens, ignoreCase);
}

/**
 * True when `text` occurs in `v` at offset `at`. `lastIndexOf` from `at` compares natively in blocks
 * (`startsWith` and a charCodeAt loop go one character at a time, several times slower on V8); the first- and
 * last-character tests keep most misses from scanning backwards. At most O(at·|text|): the O(n·m) bound holds.
 */
function equalAt(v: string, at: number, text: string): boolean {
  if (text.length === 0) return at <= v.length;
  const last = text.length - 1;
  if (at + text.length > v.length || v.charCodeAt(at) !== text.charCodeAt(0) || v.charCodeAt(at + last) !== text.charCodeAt(last)) return false;
  return v.lastIndexOf(text, at) === at;
}

/** True when block `b` matches the value at offset `at` (the caller checked that it fits). */
function blockAt(v: string, at: number, b: Block, counter: GlobCounter | undefined): boolean {
  if (b.qm === undefined && counter === undefined) return equalAt(v, at, b.text);
  const t = b.text;
  for (let i = 0; i < t.length; i++) {
    if (counter) counter.steps++;
    if (b.qm?.[i] !== true && v.charCodeAt(at + i) !== t.charCodeAt(i)) return false;
  }
  return true;
}

/** Leftmost offset in [from, lastStart] where block `b` matches, or -1. */
function findBlock(v: string, from: number, lastStart: number, b: Block, counter: GlobCounter | undefined): number {
  if (b.qm === undefined && counter === undefined) {
    const i = v.indexOf(b.text, from);
    return i >= 0 && i <= lastStart ? i : -1;
  }
  for (let i = from; i <= lastStart; i++) {
    if (counter) counter.steps++;
    if (blockAt(v, i, b, counter)) return i;
  }
  return -1;
}

/** Matches a piece against v[start, end): no backtracking, each middle block at its leftmost place. */
function pieceMatches(p: Piece, v: string, start: number, end: number, counter: GlobCounter | undefined): boolean {
  if (counter === undefined && p.shape !== 0) return shapeMatches(p, v, start, end);
  const blocks = p.blocks;
  const first = blocks[0]!;
  if (blocks.length === 1) return end - start === first.text.length && blockAt(v, start, first, counter);
  if (end - start < p.min) return false;
  if (!blockAt(v, start, first, counter)) return false;
  const last = blocks[blocks.length - 1]!;
  const limit = end - last.text.length; // where the last block starts
  let pos = start + first.text.length;
  for (let i = 1; i < blocks.length - 1; i++) {
    const b = blocks[i]!;
    if (b.text.length === 0) continue;
    const at = findBlock(v, pos, limit - b.text.length, b, counter);
    if (at < 0) return false;
    pos = at + b.text.length;
  }
  return blockAt(v, limit, last, counter);
}

/** The common shapes (no `?`, at most one star): one or two native compares. */
function shapeMatches(p: Piece, v: string, start: number, end: number): boolean {
  const a = p.blocks[0]!.text;
  switch (p.shape) {
    case 1:
      return end - start === a.length && equalAt(v, start, a);
    case 2:
      return end - start >= a.length && equalAt(v, start, a);
    case 3: {
      const b = p.blocks[1]!.text;
      return end - start >= b.length && equalAt(v, end - b.length, b);
    }
    default: {
      const b = p.blocks[1]!.text;
      return end - start >= p.min && equalAt(v, start, a) && equalAt(v, end - b.length, b);
    }
  }
}

/** Matches a value against a compiled pattern; pass a counter to count the comparisons made. */
export function globMatch(g: Glob, value: string, counter?: GlobCounter): boolean {
  const v = g.ignoreCase ? value.toLowerCase() : value;
  let pos = 0;
  const head = g.head;
  for (let i = 0; i < head.length; i++) {
    const item = head[i]!;
    const piece = item.piece;
    if (piece === undefined) {
      if (counter) counter.steps += item.lit.length;
      if (!equalAt(v, pos, item.lit)) return false;
      pos += item.lit.length;
      continue;
    }
    const colon = v.indexOf(':', pos);
    if (colon < 0) return false;
    if (counter) counter.steps += colon - pos + 1;
    if (!piece.any && !pieceMatches(piece, v, pos, colon, counter)) return false;
    pos = colon + 1;
  }
  if (g.tailNoColon && v.indexOf(':', pos) >= 0) return false;
  return pieceMatches(g.tail, v, pos, v.length, counter);
}

/** Compiles and matches in one go (text patterns, no segments). */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  return globMatch(globFromText(pattern, ignoreCase), value);
}
