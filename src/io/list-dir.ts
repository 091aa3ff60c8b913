/** Listing a directory for operations (the host's `files.list`): names sorted, user errors as a Result. */
import { readdir } from 'node:fs/promises';
import { error, fail, ok, type Result } from '../diagnostics/diagnostic.js';
import { compareStrings } from '../util/order.js';
import { errnoOf } from './errno.js';

/** The names in directory `dir` (files, directories and others; not `.`/`..`), sorted; BH0001 when it cannot be read. */
export async function listDirectory(dir: string, label = dir): Promise<Result<string[]>> {
  try {
    return ok((await readdir(dir)).sort(compareStrings));
  } catch (e) {
    const code = errnoOf(e);
    if (code === undefined) throw e;
    if (code === 'ENOTDIR') return fail([{ ...error('BH0001', `\`${label}\` is not a directory; give a directory`), file: label }]);
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' || code === 'EPERM' ? 'cannot be read (permission denied)' : `cannot be read (${code})`;
    return fail([{ ...error('BH0001', `directory \`${label}\` ${why}; check the path`), file: label }]);
  }
}
