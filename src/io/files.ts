/**
 * File-system edge: reading inputs with clear errors. Outputs go through ./output.ts (the one guard and writer).
 * The core never imports this; operations and the CLI do.
 */
import { readFile, stat } from 'node:fs/promises';
import { error, fail, ok, type Result } from '../diagnostics/diagnostic.js';
import { errnoOf } from './output.js';

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
  const lead = new TextDecoder('utf-8').decode(bytes.subarray(start, offset));
  return { line, col: [...lead].length + 1 };
}

/** The first offset where `bytes` stops being valid UTF-8 (the valid prefix decodes; one more byte would not). */
function firstInvalidByte(bytes: Uint8Array): number {
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
  return lo;
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
  try {
    const s = await stat(path);
    if (s.isDirectory()) {
      return fail([{ ...error('BH0002', `\`${label}\` is a directory; give a file`), file: label }]);
    }
    return decodeUtf8(await readFile(path), label);
  } catch (e) {
    const code = errnoOf(e);
    if (code === undefined) throw e;
    const why = code === 'ENOENT' || code === 'ENOTDIR' ? 'does not exist' : code === 'EACCES' ? 'cannot be read (permission denied)' : `cannot be read (${code})`;
    return fail([{ ...error('BH0001', `file \`${label}\` ${why}; check the path`), file: label }]);
  }
}
