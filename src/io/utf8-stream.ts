/**
 * Strict UTF-8 decoding of a byte stream (standard input) for callers that work through it line by line: the same
 * verdict and BH0003 error, position included, as ./files.ts gives a file with the same bytes.
 */
import { TextDecoder } from 'node:util';
import { error, ok, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import { fileChunks, firstInvalidByte, incompleteTail } from './files.js';

/** Text in pieces that end after a newline (the last may not), and after they ended, whether the bytes were valid. */
export interface StrictTextPieces {
  readonly pieces: AsyncIterable<string>;
  /** Once `pieces` has ended: ok, or the BH0003 error that ended it at the line holding the first invalid byte. */
  readonly outcome: () => Result<void>;
}

/** Where the decoding stands: what came before the chunk being decoded. */
interface StreamState {
  /** Bytes taken before the current chunk. */
  consumed: number;
  /** The last (up to 3) bytes taken, which hold what the decoder keeps of a character split across chunks. */
  tail: Uint8Array;
  /** The 1-based line the decoder is on, and its text so far (held back until its newline arrives). */
  line: number;
  carry: string;
  /** Code points of the current line already passed on (a line longer than `holdAtMost` is not held whole). */
  released: number;
  readonly holdAtMost: number;
}

/**
 * The most bytes decoded at once: a larger chunk (a pipe or a redirected file gives 64 KiB) is decoded in parts of
 * this size, each giving its own piece. 64 KiB pieces made `simulate --batch`'s per-line work slower, as they did for
 * a FILE (cli/commands/simulate-action.ts, PIECE): `simulate --batch - < FILE` on the 60,000-line bench file took
 * 0.76 s wall instead of 0.80 (docs/benchmarks.md, simulate).
 */
const DECODE_BYTES = 32_768;

/**
 * Decodes `chunks` strictly (a character split across chunks decodes as one read would) into pieces of whole
 * lines. A leading byte-order mark is dropped, as decodeUtf8 drops it. At the first invalid byte the pieces end
 * before the line holding it (no partial line is passed on) and `outcome` gives the error, labelled `label`,
 * with the byte's offset and line:col. A line is held back at most `holdAtMost` characters: a longer one is passed
 * on in parts (memory stays bounded on an endless line; the caller refuses such a line whatever follows in it).
 */
export function strictTextPieces(chunks: AsyncIterable<Uint8Array>, label: string, holdAtMost = Number.POSITIVE_INFINITY): StrictTextPieces {
  let failure: Diagnostic | undefined;
  async function* pieces(): AsyncGenerator<string> {
    const decoder = new TextDecoder('utf-8', { fatal: true }); // drops one leading BOM
    const state: StreamState = { consumed: 0, tail: new Uint8Array(0), line: 1, carry: '', released: 0, holdAtMost };
    let first = true;
    const out = (text: string): string => {
      const piece = first && text.startsWith('\uFEFF') ? text.slice(1) : text; // decodeUtf8 drops one more U+FEFF
      first = false;
      return piece;
    };
    const stop = function* (chunk: Uint8Array): Generator<string> {
      const found = located(state, chunk, label);
      failure = found.diagnostic;
      if (found.before !== '') yield out(found.before);
    };
    for await (const received of chunks) {
      for (let at = 0; at < received.length; at += DECODE_BYTES) {
        const chunk = received.length <= DECODE_BYTES ? received : received.subarray(at, at + DECODE_BYTES);
        const text = decodeOrFail(decoder, chunk, true);
        if (text === undefined) return yield* stop(chunk);
        const piece = advance(state, text, chunk);
        if (piece !== '') yield out(piece);
      }
    }
    const rest = decodeOrFail(decoder, new Uint8Array(0), false);
    if (rest === undefined) return yield* stop(new Uint8Array(0));
    if (state.carry + rest !== '') yield out(state.carry + rest);
  }
  return { pieces: pieces(), outcome: () => (failure ? { ok: false, diagnostics: [failure] } : ok(undefined)) };
}

/**
 * A file read as it arrives (a FIFO, `/dev/stdin`, a process substitution), as strictTextPieces gives standard
 * input: for `simulate --batch FILE` when FILE has no size (files.ts fileKind says `stream`).
 */
export function fileTextPieces(path: string, label: string, holdAtMost?: number): StrictTextPieces {
  return strictTextPieces(fileChunks(path), label, holdAtMost);
}

/** The chunk's text, or undefined when it holds an invalid byte (at the end: a character cut short). */
function decodeOrFail(decoder: TextDecoder, chunk: Uint8Array, stream: boolean): string | undefined {
  try {
    return decoder.decode(chunk, { stream });
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    return undefined;
  }
}

/** Takes a decoded chunk: returns its text up to the last newline (with the held-back start of its first line). */
function advance(state: StreamState, text: string, chunk: Uint8Array): string {
  state.consumed += chunk.length;
  state.tail = chunk.length >= 3 ? chunk.slice(-3) : concat(state.tail, chunk).slice(-3);
  // only the new text is searched: the held-back start holds no newline (a long line is not scanned again per chunk)
  const nl = text.lastIndexOf('\n');
  if (nl < 0) {
    state.carry += text;
    if (state.carry.length <= state.holdAtMost) return '';
    const piece = state.carry; // too long to hold: passed on, its code points counted for a later error's column
    state.released += codePoints(piece);
    state.carry = '';
    return piece;
  }
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) state.line++;
  const piece = state.carry + text.slice(0, nl + 1);
  state.carry = text.slice(nl + 1);
  state.released = 0;
  return piece;
}

/**
 * The BH0003 error for the first invalid byte of `chunk` (or of what the decoder kept of the bytes before it),
 * and the text of the whole lines before the one holding it that were not passed on yet.
 */
function located(state: StreamState, chunk: Uint8Array, label: string): { diagnostic: Diagnostic; before: string } {
  const kept = state.tail.subarray(state.tail.length - incompleteTail(state.tail));
  const bytes = concat(kept, chunk);
  const at = firstInvalidByte(bytes);
  const bad = bytes[at] ?? 0;
  const offset = state.consumed - kept.length + at;
  // the valid bytes before it; a BOM is dropped only at the very start, as the stream's decoder drops it
  const all = state.carry + new TextDecoder('utf-8', { ignoreBOM: offset - at > 0 }).decode(bytes.subarray(0, at));
  const nl = all.lastIndexOf('\n');
  let line = state.line;
  for (let i = all.indexOf('\n'); i >= 0; i = all.indexOf('\n', i + 1)) line++;
  const diagnostic: Diagnostic = {
    ...error('BH0003', `file \`${label}\` is not valid UTF-8 (byte 0x${bad.toString(16).padStart(2, '0')} at offset ${offset}); save it as UTF-8`),
    file: label,
    position: { line, col: (nl < 0 ? state.released : 0) + codePoints(all.slice(nl + 1)) + 1 },
  };
  return { diagnostic, before: all.slice(0, nl + 1) };
}

function codePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++; // a low surrogate is the second half of one character
  }
  return n;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const all = new Uint8Array(a.length + b.length);
  all.set(a);
  all.set(b, a.length);
  return all;
}
