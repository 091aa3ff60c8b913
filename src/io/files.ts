/**
 * File-system edge: reading inputs with clear errors and writing outputs atomically.
 * The core never imports this; the CLI and the AWS adapters do.
 */
import { mkdir, open, readFile, readdir, rename, rm, stat, writeFile, mkdtemp } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';

/** Reads a UTF-8 text file, or returns a diagnostic that says why it could not. `label` is how to name it (default: the path). */
export async function readTextFile(path: string, label = path): Promise<{ text: string } | { diagnostic: Diagnostic }> {
  try {
    const s = await stat(path);
    if (s.isDirectory()) {
      return { diagnostic: { ...error('BH0002', `\`${label}\` is a directory; give a file`), file: label } };
    }
    return { text: await readFile(path, 'utf8') };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'cannot be read (permission denied)' : `cannot be read (${code ?? String(e)})`;
    return { diagnostic: { ...error('BH0001', `file \`${label}\` ${why}; check the path`), file: label } };
  }
}

/** Writes a file atomically: a temporary file beside it, fsync, then rename over the target. */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(content, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
}

/** Whether a path exists. */
export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes a whole directory atomically: files go to a temporary sibling directory that then replaces
 * `dir`. A reader never sees a half-written directory, and a failure leaves the old one in place.
 */
export async function writeDirAtomic(dir: string, files: ReadonlyMap<string, string>): Promise<void> {
  const parent = dirname(dir);
  await mkdir(parent, { recursive: true });
  const tmp = await mkdtemp(join(parent, `.${basename(dir)}.tmp-`));
  try {
    for (const [rel, content] of files) {
      const p = join(tmp, rel);
      await mkdir(dirname(p), { recursive: true });
      await writeFile(p, content, 'utf8');
    }
    const old = (await exists(dir)) ? `${tmp}.old` : undefined;
    if (old) await rename(dir, old);
    await rename(tmp, dir);
    if (old) await rm(old, { recursive: true, force: true });
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** Lists the entries of a directory, or [] when it does not exist. */
export async function listDir(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch {
    return [];
  }
}
