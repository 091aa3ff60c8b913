/**
 * File-system edge: reading inputs with clear errors. Outputs go through ./output.ts (the one guard and writer).
 * The core never imports this; operations and the CLI do.
 */
import { readFile, stat } from 'node:fs/promises';
import { error, fail, ok, type Result } from '../diagnostics/diagnostic.js';
import { errnoOf } from './output.js';

/** Reads a UTF-8 text file, or says why it could not. `label` is how to name it (default: the path). */
export async function readTextFile(path: string, label = path): Promise<Result<string>> {
  try {
    const s = await stat(path);
    if (s.isDirectory()) {
      return fail([{ ...error('BH0002', `\`${label}\` is a directory; give a file`), file: label }]);
    }
    return ok(await readFile(path, 'utf8'));
  } catch (e) {
    const code = errnoOf(e);
    if (code === undefined) throw e;
    const why = code === 'ENOENT' || code === 'ENOTDIR' ? 'does not exist' : code === 'EACCES' ? 'cannot be read (permission denied)' : `cannot be read (${code})`;
    return fail([{ ...error('BH0001', `file \`${label}\` ${why}; check the path`), file: label }]);
  }
}
