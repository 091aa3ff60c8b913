/**
 * File-system edge: reading inputs with clear errors. Outputs go through ./output.ts (the one guard and writer).
 * The core never imports this; operations and the CLI do. It loads no schema library (errno.ts, not output.ts),
 * so a command that only reads a file starts quickly.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { open, stat } from 'node:fs/promises';
import { error, fail, ok, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import { errnoOf } from './errno.js';

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The 1-based line and column of byte `offset` in `bytes` (columns count characters, not bytes). */
function bytePosition(bytes: Uint8Array, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      start = i + 1;
    }
  }
  const lead = new TextDecoder('utf-8', { ignoreBOM: start > 0 }).decode(bytes.subarray(start, offset)); // a BOM only starts the file
  return { line, col: [...lead].length + 1 };
}

/**
 * How many bytes at the end of `bytes[0, end)` start a character they do not finish (0 to 3): a lead byte and
 * fewer continuation bytes than it announces. The bytes before `end` are taken to be valid UTF-8 so far.
 */
export function incompleteTail(bytes: Uint8Array, end = bytes.length): number {
  let at = end;
  while (at > 0 && end - at < 3 && ((bytes[at - 1] ?? 0) & 0xc0) === 0x80) at--;
  const lead = at > 0 ? (bytes[at - 1] ?? 0) : 0;
  if (lead < 0xc0) return 0; // ASCII, or only continuation bytes (which then finish an earlier character)
  const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
  return end - (at - 1) < length ? end - (at - 1) : 0;
}

/**
 * The offset of the first byte where `bytes` stops being valid UTF-8: the valid prefix decodes, and a character
 * the next byte does not continue (`C3 41`, or `C3` at the end) is invalid from its lead byte on.
 */
export function firstInvalidByte(bytes: Uint8Array): number {
  let lo = 0;
  let hi = bytes.length;
  // the longest prefix that decodes, give or take an incomplete sequence at its end: binary search on validity
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      lo = mid;
    } catch (e) {
      if (!(e instanceof TypeError)) throw e;
      hi = mid - 1;
    }
  }
  // the longest prefix may end in the start of a character: the error is at its lead byte, not after it
  return lo - incompleteTail(bytes, lo);
}

/**
 * Decodes UTF-8 strictly: invalid bytes are an error with their position instead of silently becoming U+FFFD
 * (which would reach the model as part of a name). A leading byte-order mark is dropped, as editors write one.
 */
export function decodeUtf8(bytes: Uint8Array, label: string): Result<string> {
  try {
    const text = STRICT_UTF8.decode(bytes);
    return ok(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    const offset = firstInvalidByte(bytes);
    const bad = bytes[offset] ?? 0;
    return fail([
      {
        ...error('BH0003', `file \`${label}\` is not valid UTF-8 (byte 0x${bad.toString(16).padStart(2, '0')} at offset ${offset}); save it as UTF-8`),
        file: label,
        position: bytePosition(bytes, offset),
      },
    ]);
  }
}

/** Reads a UTF-8 text file, or says why it could not. `label` is how to name it (default: the path). */
export async function readTextFile(path: string, label = path): Promise<Result<string>> {
  const bytes = await readFileBytes(path, label);
  return bytes.ok ? decodeUtf8(bytes.value, label) : bytes;
}

/**
 * Reads a UTF-8 text file as pieces of about `pieceBytes` bytes, each ending after a newline (or at the end), for
 * callers that work through a large file line by line: the whole file is checked strictly first (one fast pass,
 * the same verdict and error as readTextFile), then each piece is decoded when it is taken, a piece of plain ASCII
 * without the UTF-8 decoder. The pieces joined are readTextFile's text (byte-order marks dropped the same way). A
 * piece is at most 16 MiB: a longer line comes in parts.
 */
export async function readTextFilePieces(path: string, pieceBytes: number, label = path): Promise<Result<Iterable<string>>> {
  const bytes = await readFileBytes(path, label);
  if (!bytes.ok) return bytes;
  return utf8Pieces(bytes.value, pieceBytes, label);
}

const BOM = [0xef, 0xbb, 0xbf] as const;

function startsWithBom(bytes: Uint8Array, at: number): boolean {
  return bytes[at] === BOM[0] && bytes[at + 1] === BOM[1] && bytes[at + 2] === BOM[2];
}

/** decodeUtf8's text in pieces ending after a newline (see readTextFilePieces); a newline is never inside a character. */
export function utf8Pieces(bytes: Uint8Array, pieceBytes: number, label: string): Result<Iterable<string>> {
  if (!isUtf8(bytes)) {
    const whole = decodeUtf8(bytes, label); // the located error (the strict decoder refuses what isUtf8 does)
    if (!whole.ok) return whole;
  }
  // decodeUtf8 drops the BOM the decoder consumes and then one more U+FEFF
  let start = startsWithBom(bytes, 0) ? 3 : 0;
  if (startsWithBom(bytes, start)) start += 3;
  return ok(pieces(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), start, Math.max(1, pieceBytes)));
}

/** The most bytes of one piece: a longer line is given in parts (each ending on a character's first byte). */
const MAX_PIECE_BYTES = 16 * 2 ** 20;

/** `at`, or the nearest offset before it that does not fall inside a UTF-8 character (its bytes 0b10xxxxxx). */
function characterStart(buf: Buffer, at: number, floor: number): number {
  let i = at;
  while (i > floor + 1 && ((buf[i] ?? 0) & 0xc0) === 0x80) i--;
  return i;
}

function* pieces(buf: Buffer, start: number, size: number): Generator<string> {
  while (start < buf.length) {
    const nl = buf.indexOf(0x0a, Math.min(buf.length, start + size) - 1);
    let end = nl < 0 ? buf.length : nl + 1;
    if (end - start > MAX_PIECE_BYTES) end = characterStart(buf, start + MAX_PIECE_BYTES, start);
    const piece = buf.subarray(start, end);
    yield isAscii(piece) ? piece.toString('latin1') : piece.toString('utf8');
    start = end;
  }
}

/**
 * Whether `path` is a regular file (`file`: read whole, its size known) or one that is read as it arrives
 * (`stream`: a FIFO, `/dev/stdin`, a process substitution, a device), or why it cannot be read (the messages of
 * readTextFile).
 */
export async function fileKind(path: string, label = path): Promise<Result<'file' | 'stream'>> {
  try {
    const s = await stat(path);
    if (s.isDirectory()) return fail([isDirectory(label)]);
    return ok(s.isFile() ? 'file' : 'stream');
  } catch (e) {
    return fail([unreadable(e, label)]);
  }
}

function isDirectory(label: string): Diagnostic {
  return { ...error('BH0002', `\`${label}\` is a directory; give a file`), file: label };
}

function unreadable(e: unknown, label: string): Diagnostic {
  const code = errnoOf(e);
  if (code === undefined) throw e;
  if (code === 'ERR_FS_FILE_TOO_LARGE') return { ...error('BH0001', tooLarge(label)), file: label };
  const why = code === 'ENOENT' || code === 'ENOTDIR' ? 'does not exist' : code === 'EACCES' ? 'cannot be read (permission denied)' : `cannot be read (${code})`;
  return { ...error('BH0001', `file \`${label}\` ${why}; check the path`), file: label };
}

/** The largest file read whole: Node.js's limit for one buffer read from a file (`readFile` refuses more). */
export const MAX_WHOLE_FILE = 2 ** 31 - 1;
/** Bytes asked of the system in one read (its length must fit a 32-bit integer). */
const READ_STEP = 2 ** 30;

/** The BH0001 message for standard input over MAX_WHOLE_FILE. */
export function tooLargeInput(): string {
  return `standard input is larger than 2 GiB, the most that is read as one input; split it (\`simulate --batch -\` reads standard input in pieces)`;
}

function tooLarge(label: string, size?: number): string {
  const gib = size === undefined ? '' : ` (${(size / 2 ** 30).toFixed(1)} GiB)`;
  return `file \`${label}\` is larger than 2 GiB${gib}, the most that is read as one file; split it, or for \`simulate --batch\` give it on standard input (\`-\`), which is read in pieces`;
}

/** A file's bytes, or why they cannot be read. */
async function readFileBytes(path: string, label: string): Promise<Result<Buffer>> {
  try {
    const s = await stat(path);
    if (s.isDirectory()) return fail([isDirectory(label)]);
    if (s.isFile() && s.size > MAX_WHOLE_FILE) return fail([{ ...error('BH0001', tooLarge(label, s.size)), file: label }]);
    if (s.isFile() && s.size > 0) return ok(await readRegularFile(path, s.size));
    const bytes = await bytesUpTo(fileChunks(path), MAX_WHOLE_FILE); // no size: a FIFO, a device, an empty or /proc file
    return bytes === undefined ? fail([{ ...error('BH0001', tooLarge(label)), file: label }]) : ok(bytes);
  } catch (e) {
    return fail([unreadable(e, label)]);
  }
}

/** A file's bytes as they arrive, in reads of up to 64 KiB, each in a buffer of its own (a FIFO, a device, `/dev/stdin`). */
export async function* fileChunks(path: string): AsyncGenerator<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    for (;;) {
      const chunk = Buffer.allocUnsafe(65_536);
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) return;
      yield chunk.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/**
 * All of `chunks` as one buffer, or undefined once they hold more than `max` bytes (the rest is not read, so an
 * endless source such as `/dev/zero` stops there). Each chunk must be a buffer of its own (it is kept, not copied).
 */
export async function bytesUpTo(chunks: AsyncIterable<Uint8Array>, max: number): Promise<Buffer | undefined> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const c of chunks) {
    total += c.length;
    if (total > max) return undefined;
    parts.push(c);
  }
  return Buffer.concat(parts, total);
}

/**
 * A regular file's bytes (`size` from its stat) in as few reads as the system allows, usually one: `readFile`
 * reads 512 KiB at a time, each read waiting for the main thread to ask for the next, so a large file read while
 * modules load or lines are evaluated took twice as long. Like `readFile`, it reads the size the file had when it
 * was looked at (a file cut short since gives what is left). At most MAX_WHOLE_FILE bytes, READ_STEP per read.
 */
async function readRegularFile(path: string, size: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const bytes = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const { bytesRead } = await handle.read(bytes, filled, Math.min(READ_STEP, size - filled), filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled === size ? bytes : bytes.subarray(0, filled);
  } finally {
    await handle.close();
  }
}
