/**
 * File-system edge: the one guard and writer for every output path (`--out`, `-o`). Outputs never destroy
 * what the user had:
 * - a file output that is a regular file is replaced atomically (temporary file beside it, fsync, rename); a
 *   device, FIFO or other special file is written to directly (never replaced by a regular file); a symlink is
 *   followed to its target; a directory is refused;
 * - a directory output is written only when it is absent, empty, or was written by bulkhead (its manifest says
 *   so). Anything else — files bulkhead did not write, a `.git` repository, the input being processed — is
 *   refused with an error naming what is there, even with `force` (which only lets one kind of bulkhead output
 *   replace another). The directory is swapped in with one rename, and a failure puts the old one back.
 */
import { chmod, lstat, mkdir, mkdtemp, open, readdir, readFile, readlink, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { error, fail, ok, warning, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import { MANIFEST_FILE as EMIT_MANIFEST, parseManifest } from '../emit/manifest.js';
import { MANIFEST_FILE as SNAPSHOT_MANIFEST, manifestSchema, ORGANIZATION_FILE } from '../snapshot/format.js';
import { errnoOf } from './errno.js';

/** Re-exported for callers that still take it from here; its home is ./errno.ts. */
export { errnoOf } from './errno.js';

/** Diagnostic codes of output paths (stable; the emit command introduced the first ones). */
export const OutputCode = {
  ForeignFiles: 'BH8120',
  NotADirectory: 'BH8121',
  WriteFailed: 'BH8122',
  ManifestUnreadable: 'BH8123',
  Protected: 'BH8124',
  IsADirectory: 'BH8125',
  Exists: 'BH8126',
  OtherKind: 'BH8127',
} as const;

/** What is at a path, without following a symlink. */
export type PathKind = 'missing' | 'file' | 'directory' | 'symlink' | 'fifo' | 'socket' | 'character device' | 'block device';

/** Looks at a path without following symlinks. A path under a regular file counts as missing. */
export async function pathKind(path: string): Promise<PathKind> {
  try {
    const s = await lstat(path);
    if (s.isFile()) return 'file';
    if (s.isDirectory()) return 'directory';
    if (s.isSymbolicLink()) return 'symlink';
    if (s.isFIFO()) return 'fifo';
    if (s.isSocket()) return 'socket';
    if (s.isCharacterDevice()) return 'character device';
    return 'block device';
  } catch (e) {
    if (errnoOf(e) === 'ENOENT' || errnoOf(e) === 'ENOTDIR') return 'missing';
    throw e;
  }
}

/** Errors a write can meet that are the user's to fix (anything else is a bug and surfaces). */
const EXPECTED_WRITE_ERRORS = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EISDIR', 'ENOENT', 'EEXIST', 'ENOSPC', 'EDQUOT', 'ENXIO', 'ELOOP', 'ENAMETOOLONG', 'EXDEV', 'EBUSY']);

function writeFailed(label: string, e: unknown, what = 'nothing was changed'): Diagnostic {
  const code = errnoOf(e);
  if (code === undefined || !EXPECTED_WRITE_ERRORS.has(code)) throw e;
  const why =
    code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOTDIR' || code === 'EEXIST' ? 'a part of the path is a file, not a directory' : code === 'EROFS' ? 'read-only file system' : code === 'ENOSPC' ? 'no space left on the device' : code;
  return { ...error(OutputCode.WriteFailed, `could not write \`${label}\` (${why}); ${what}; choose another output path`), file: label };
}

/** Options for {@link writeOutputFile}. */
export interface FileOutputOptions {
  /** How to name the output in messages (default: the path). */
  readonly label?: string;
  /** Replace an existing regular file (default true; `init` without --force passes false). */
  readonly overwrite?: boolean;
}

/** How a file output was written. */
export type FileWriteMode = 'created' | 'replaced' | 'written in place';

/** Resolves a symlink chain to the path it finally names (the target may not exist yet). */
async function followLinks(path: string): Promise<string> {
  for (let hops = 0; hops < 40; hops++) {
    if ((await pathKind(path)) !== 'symlink') return path;
    path = resolve(dirname(path), await readlink(path));
  }
  return path; // a loop: the write below reports ELOOP
}

/**
 * Writes one output file by the rules above. `path` must be absolute. Standard output (`-`) is the caller's:
 * this function never sees it.
 */
export async function writeOutputFile(path: string, content: string, options: FileOutputOptions = {}): Promise<Result<FileWriteMode>> {
  const label = options.label ?? path;
  try {
    const target = await followLinks(path);
    const kind = await pathKind(target);
    if (kind === 'directory') {
      return fail([{ ...error(OutputCode.IsADirectory, `output \`${label}\` is a directory; give a file path, e.g. \`${join(label, 'report.out')}\``), file: label }]);
    }
    if (kind === 'file' && options.overwrite === false) {
      return fail([{ ...error(OutputCode.Exists, `\`${label}\` already exists; pass --force to overwrite it or choose another --out`), file: label }]);
    }
    if (kind === 'missing' || kind === 'file') {
      await writeAtomically(target, content);
      return ok(kind === 'missing' ? 'created' : 'replaced');
    }
    if (kind === 'socket') {
      return fail([{ ...error(OutputCode.WriteFailed, `output \`${label}\` is a socket; give a file path`), file: label }]);
    }
    // A device or FIFO: write into it, as a shell redirection would; never replace it with a regular file.
    const fh = await open(target, 'w');
    try {
      await fh.writeFile(content, 'utf8');
    } finally {
      await fh.close();
    }
    return ok('written in place');
  } catch (e) {
    return fail([writeFailed(label, e)]);
  }
}

/** Writes a regular file atomically: a temporary file beside it, fsync, rename; the temporary file never stays. */
async function writeAtomically(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    const fh = await open(tmp, 'wx', 0o644);
    try {
      await fh.writeFile(content, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Directory outputs

/** The kinds of directory bulkhead writes; each knows its own manifest. */
export type OutputDirKind = 'emit' | 'snapshot';

/** What a directory's bulkhead manifest says was written there. */
export interface DirOwner {
  readonly kind: OutputDirKind;
  /** Files bulkhead wrote, relative to the directory, `/`-separated. */
  readonly files: ReadonlySet<string>;
  /** The manifest's text (emit reads its previous manifest from it). */
  readonly manifestText: string;
}

/** What a directory output should become. */
export interface DirOutputRequest {
  readonly kind: OutputDirKind;
  /** How to name the directory in messages (default: the path). */
  readonly label?: string;
  /** Top-level entries the user keeps beside bulkhead's files (Terraform state, …): carried over, never foreign. */
  readonly keep?: (name: string) => boolean;
  /** Let this kind of output replace a directory bulkhead wrote as another kind. Never replaces foreign files. */
  readonly force?: boolean;
  /** Absolute paths that must never be inside a replaced directory (the input being processed), with a label. */
  readonly protect?: readonly { readonly path: string; readonly label: string }[];
}

/** An output directory that passed the guard, ready for {@link commitOutputDir}. */
export interface OutputDirPlan {
  /** The directory to write (symlinks resolved). */
  readonly dir: string;
  readonly label: string;
  /** Top-level user entries that will be carried over. */
  readonly kept: readonly string[];
  /** The previous bulkhead output there, when there is one. */
  readonly owner?: DirOwner;
  /** Warnings found while looking (an unreadable manifest, …). */
  readonly diagnostics: readonly Diagnostic[];
}

async function readIfRegular(path: string): Promise<string | undefined> {
  return (await pathKind(path)) === 'file' ? readFile(path, 'utf8') : undefined;
}

function snapshotOwner(text: string): DirOwner | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    if (e instanceof SyntaxError) return undefined;
    throw e;
  }
  const m = manifestSchema.safeParse(json);
  if (!m.success || m.data.tool.name !== 'bulkhead') return undefined;
  return { kind: 'snapshot', files: new Set([SNAPSHOT_MANIFEST, ORGANIZATION_FILE, ...m.data.accountFiles]), manifestText: text };
}

/** Reads the bulkhead manifest of a directory, if it has one; an unreadable one is a warning. */
async function readOwner(dir: string, label: string): Promise<{ owner?: DirOwner; diagnostics: Diagnostic[] }> {
  const emitText = await readIfRegular(join(dir, EMIT_MANIFEST));
  if (emitText !== undefined) {
    const m = parseManifest(emitText);
    if (m) return { owner: { kind: 'emit', files: new Set(m.files), manifestText: emitText }, diagnostics: [] };
    return { diagnostics: [warning(OutputCode.ManifestUnreadable, `\`${join(label, EMIT_MANIFEST)}\` is not a bulkhead manifest; its directory's files count as foreign`)] };
  }
  const snapText = await readIfRegular(join(dir, SNAPSHOT_MANIFEST));
  if (snapText !== undefined) {
    const owner = snapshotOwner(snapText);
    if (owner) return { owner, diagnostics: [] };
  }
  return { diagnostics: [] };
}

/**
 * Entries of `dir` that bulkhead did not write, without following symlinks. A directory that holds none of
 * bulkhead's files is reported as one entry and not descended into, so the scan stays small even for `/`.
 */
async function foreignEntries(dir: string, owned: ReadonlySet<string>, keep: (name: string) => boolean): Promise<{ foreign: string[]; kept: string[] }> {
  const dirsWithOwned = new Set<string>();
  for (const f of owned) for (let i = f.indexOf('/'); i > 0; i = f.indexOf('/', i + 1)) dirsWithOwned.add(f.slice(0, i));
  const foreign: string[] = [];
  const kept: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    const names = (await readdir(rel === '' ? dir : join(dir, rel))).sort();
    for (const name of names) {
      const r = rel === '' ? name : `${rel}/${name}`;
      if (rel === '' && keep(name)) kept.push(name);
      else if (owned.has(r) && (await pathKind(join(dir, r))) === 'file') continue;
      else if (dirsWithOwned.has(r) && (await pathKind(join(dir, r))) === 'directory') await walk(r);
      else foreign.push(r);
    }
  };
  await walk('');
  return { foreign, kept };
}

function listNames(names: readonly string[]): string {
  const shown = names.slice(0, 5).map((f) => `\`${f}\``).join(', ');
  return names.length > 5 ? `${shown} and ${names.length - 5} more` : shown;
}

/** The protected entry (the input, a `.git`) that replacing `dir` would delete, described for a message. */
function protectedIn(dir: string, foreign: readonly string[], request: DirOutputRequest): string | undefined {
  for (const p of request.protect ?? []) {
    const rel = relative(dir, p.path);
    if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) return p.label;
  }
  if (foreign.some((f) => f === '.git' || f.startsWith('.git/') || f.endsWith('/.git') || f.includes('/.git/'))) return 'a `.git` repository';
  return undefined;
}

/**
 * The guard: decides whether `dir` may be written as `request.kind`, without changing anything. Errors name
 * what is in the way and what to do.
 */
export async function prepareOutputDir(path: string, request: DirOutputRequest): Promise<Result<OutputDirPlan>> {
  const label = request.label ?? path;
  try {
    const dir = (await pathKind(path)) === 'symlink' ? await realpath(path) : path;
    const kind = await pathKind(dir);
    if (kind === 'missing') return ok({ dir, label, kept: [], diagnostics: [] });
    if (kind !== 'directory') {
      return fail([{ ...error(OutputCode.NotADirectory, `output \`${label}\` exists and is not a directory (it is a ${kind}); choose another --out`), file: label }]);
    }
    const { owner, diagnostics } = await readOwner(dir, label);
    const keep = request.keep ?? (() => false);
    const { foreign, kept } = await foreignEntries(dir, owner?.files ?? new Set(), keep);
    const guarded = protectedIn(dir, foreign, request);
    if (guarded !== undefined) {
      return fail([...diagnostics, { ...error(OutputCode.Protected, `output directory \`${label}\` contains ${guarded}; replacing it would delete it, even with --force; choose a dedicated output directory`), file: label }]);
    }
    if (foreign.length > 0) {
      return fail([
        ...diagnostics,
        { ...error(OutputCode.ForeignFiles, `output directory \`${label}\` holds files bulkhead did not write (${listNames(foreign)}); choose an empty directory or remove them (--force replaces only what bulkhead wrote)`), file: label },
      ]);
    }
    if (owner && owner.kind !== request.kind && !request.force) {
      return fail([{ ...error(OutputCode.OtherKind, `output directory \`${label}\` holds a bulkhead ${owner.kind === 'emit' ? 'emit output' : 'snapshot'}, not a ${request.kind === 'emit' ? 'emit output' : 'snapshot'}; choose another directory or pass --force to replace it`), file: label }]);
    }
    return ok({ dir, label, kept, ...(owner ? { owner } : {}), diagnostics });
  } catch (e) {
    return fail([writeFailed(label, e)]);
  }
}

/**
 * Replaces the planned directory with `files` in one rename: they are written to a temporary sibling, the
 * user's kept entries are moved over from the old directory, then the new directory takes the old one's place.
 * On failure the old directory and the user's entries are put back and nothing is left behind.
 * `staged` names a sibling directory that already holds the output (a streamed collect's staging area): it is used
 * instead of a fresh temporary one, and is left in place (not deleted) when the swap fails, so the work is kept.
 */
export async function commitOutputDir(plan: OutputDirPlan, files: ReadonlyMap<string, string>, staged?: string): Promise<Result<void>> {
  const { dir, kept } = plan;
  const parent = dirname(dir);
  let tmp: string | undefined;
  const moved: string[] = [];
  let oldAside: string | undefined;
  try {
    await mkdir(parent, { recursive: true });
    tmp = staged ?? (await mkdtemp(join(parent, `.${basename(dir)}.tmp-`)));
    await chmod(tmp, 0o755); // mkdtemp makes it private; the output is an ordinary directory
    for (const [rel, content] of files) {
      const p = join(tmp, rel);
      await mkdir(dirname(p), { recursive: true });
      await writeFile(p, content, 'utf8');
    }
    for (const name of kept) {
      await rename(join(dir, name), join(tmp, name));
      moved.push(name);
    }
    if ((await pathKind(dir)) === 'directory') {
      oldAside = `${tmp}.old`;
      await rename(dir, oldAside);
    }
    await rename(tmp, dir);
    tmp = undefined;
    if (oldAside) await rm(oldAside, { recursive: true, force: true });
    return ok(undefined);
  } catch (e) {
    const d = writeFailed(plan.label, e);
    await undoCommit(dir, tmp, oldAside, moved, staged !== undefined);
    return fail([d]);
  }
}

/** Puts the old directory and the user's entries back and removes the temporary directory. */
async function undoCommit(dir: string, tmp: string | undefined, oldAside: string | undefined, moved: readonly string[], keepTmp = false): Promise<void> {
  if (tmp === undefined) return;
  if (oldAside) await rename(oldAside, dir);
  for (const name of moved) await rename(join(tmp, name), join(dir, name));
  if (!keepTmp) await rm(tmp, { recursive: true, force: true });
}

/** Guard and write in one step, for outputs that need nothing from the previous directory. */
export async function writeOutputDir(path: string, files: ReadonlyMap<string, string>, request: DirOutputRequest): Promise<Result<OutputDirPlan>> {
  const plan = await prepareOutputDir(path, request);
  if (!plan.ok) return plan;
  const written = await commitOutputDir(plan.value, files);
  return written.ok ? plan : fail([...plan.value.diagnostics, ...written.diagnostics]);
}
