/**
 * File edge of snapshot history (`bulkhead collect --history DIR`, `DIR@2026-11-01`, `DIR@latest`): the layout
 * and the choice of entry are pure (src/snapshot/history.ts); this module checks a history directory, writes an
 * entry (objects first, each atomically and only when new, the entry last, so a reader never sees an entry whose
 * objects are missing) and reads an entry back into a snapshot's files for the ordinary loader.
 *
 * Never destroys: an object or an entry that exists is never rewritten; a directory that is neither absent, empty
 * nor a history is refused before anything is written.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { error, fail, ok, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import {
  HISTORY_MARKER,
  HISTORY_OBJECTS,
  HISTORY_SNAPSHOTS,
  HistoryCode,
  historyEntryName,
  historyEntrySchema,
  historyEntryText,
  historyMarkerSchema,
  historyMarkerText,
  isHistoryEntryName,
  pickHistoryEntry,
  type HistoryListing,
} from '../snapshot/history.js';
import { MANIFEST_FILE, ORGANIZATION_FILE } from '../snapshot/format.js';
import { VERSION } from '../version.js';
import { readTextFile } from './files.js';
import { listDirectory } from './list-dir.js';
import { errnoOf } from './errno.js';
import { pathKind, writeOutputFile, type FileOutputOptions, type FileWriteMode, type PathKind } from './output.js';

/**
 * The file reads and writes of a history (the host's `files`, so a library caller's host sees every one;
 * `nodeHistoryFiles()` is this process's file system).
 */
export interface HistoryFiles {
  /** Reads a UTF-8 text file. */
  readText(path: string, label?: string): Promise<Result<string>>;
  /** What is at a path, without following a symlink. */
  kind(path: string): Promise<PathKind>;
  /** The names in a directory, sorted. */
  list(dir: string, label?: string): Promise<Result<string[]>>;
  /** Writes one file atomically, creating its parent directories (an entry is written with `overwrite: false`). */
  writeFile(path: string, content: string, options?: FileOutputOptions): Promise<Result<FileWriteMode>>;
}

/** The history reads and writes of this process's file system. */
export function nodeHistoryFiles(): HistoryFiles {
  return { readText: readTextFile, kind: pathKind, list: listDirectory, writeFile: writeOutputFile };
}

/** What writing one history entry did. */
export interface HistoryWriteResult {
  /** The history directory. */
  readonly dir: string;
  /** The entry's path relative to the history directory, e.g. `snapshots/20261128T120000.000Z.json`. */
  readonly entry: string;
  /** Objects written by this entry (files new or changed since any earlier entry). */
  readonly objectsWritten: number;
  /** Objects this entry shares with earlier entries (nothing new written). */
  readonly objectsReused: number;
}

/** SHA-256 of a text (UTF-8), hex. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function notHistory(label: string, what: string): Diagnostic {
  return { ...error(HistoryCode.NotHistory, `\`${label}\` is not a snapshot history (${what}); give a directory \`bulkhead collect --history\` wrote, or a new or empty one`), file: label };
}

async function readMarker(dir: string, label: string, files: HistoryFiles): Promise<Result<void>> {
  const path = join(dir, HISTORY_MARKER);
  const kind = await files.kind(path);
  if (kind !== 'file') return fail([notHistory(label, kind === 'missing' ? `it has no \`${HISTORY_MARKER}\`` : `its \`${HISTORY_MARKER}\` is a ${kind}`)]);
  const text = await files.readText(path, `${label}/${HISTORY_MARKER}`);
  let json: unknown;
  try {
    json = text.ok ? JSON.parse(text.value) : undefined;
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
  }
  if (json === undefined) return fail([notHistory(label, `its \`${HISTORY_MARKER}\` cannot be read as JSON`), ...(text.ok ? [] : text.diagnostics)]);
  return historyMarkerSchema.safeParse(json).success ? ok(undefined) : fail([notHistory(label, `its \`${HISTORY_MARKER}\` is not a bulkhead history marker`)]);
}

/** True when `dir` is a directory with a valid history marker. */
export async function isHistoryDir(dir: string, files: HistoryFiles = nodeHistoryFiles()): Promise<boolean> {
  return (await files.kind(dir)) === 'directory' && (await readMarker(dir, dir, files)).ok;
}

/**
 * Checks that `dir` may take a history entry, changing nothing: absent, an empty directory, or a history. A
 * snapshot directory, foreign files or a file are refused (BH9170) so a collection costs no AWS calls first.
 */
export async function prepareHistoryDir(dir: string, label = dir, files: HistoryFiles = nodeHistoryFiles()): Promise<Result<void>> {
  const kind = await files.kind(dir);
  if (kind === 'missing') return ok(undefined);
  if (kind !== 'directory') return fail([notHistory(label, `it is a ${kind}`)]);
  const listed = await files.list(dir, label);
  if (!listed.ok) return fail([notHistory(label, 'it cannot be read'), ...listed.diagnostics]);
  const names = listed.value;
  if (names.length === 0) return ok(undefined);
  if (!names.includes(HISTORY_MARKER)) {
    const shown = names.slice(0, 3).map((n) => `\`${n}\``).join(', ');
    return fail([notHistory(label, `it holds ${shown}${names.length > 3 ? ` and ${names.length - 3} more` : ''} and no \`${HISTORY_MARKER}\``)]);
  }
  return readMarker(dir, label, files);
}

/** Writes one file that must not exist yet, atomically (the output guard's file writer, or the host's). */
async function writeNew(fs: HistoryFiles, path: string, content: string, label: string): Promise<Result<void>> {
  const w = await fs.writeFile(path, content, { label, overwrite: false });
  return w.ok ? ok(undefined) : w;
}

/**
 * Adds a snapshot (its files, relative path → text, as `snapshotFiles` makes them) to the history at `dir` as the
 * entry of `collectedAt`, every check and write through `fs`. Check the directory with {@link prepareHistoryDir} first.
 */
export async function writeHistoryEntry(dir: string, files: ReadonlyMap<string, string>, collectedAt: Date, label = dir, fs: HistoryFiles = nodeHistoryFiles()): Promise<Result<HistoryWriteResult>> {
  const entry = `${HISTORY_SNAPSHOTS}/${historyEntryName(collectedAt)}`;
  if ((await fs.kind(join(dir, entry))) !== 'missing') {
    return fail([{ ...error(HistoryCode.EntryExists, `the history \`${label}\` has an entry for \`${collectedAt.toISOString()}\` already (\`${entry}\`); it is never overwritten; collect again later`), file: `${label}/${entry}` }]);
  }
  // (writeFile creates the history's directories with its first file)
  if ((await fs.kind(join(dir, HISTORY_MARKER))) === 'missing') {
    const m = await writeNew(fs, join(dir, HISTORY_MARKER), historyMarkerText(VERSION), `${label}/${HISTORY_MARKER}`);
    if (!m.ok) return m;
  }
  const hashes = new Map<string, string>();
  let written = 0;
  for (const [name, text] of files) {
    const hash = sha256Hex(text);
    hashes.set(name, hash);
    const rel = `${HISTORY_OBJECTS}/${hash}.json`;
    if ((await fs.kind(join(dir, rel))) === 'file') continue;
    const w = await writeNew(fs, join(dir, rel), text, `${label}/${rel}`);
    // another collection may have stored the same content meanwhile: same name, same content
    if (!w.ok && (await fs.kind(join(dir, rel))) !== 'file') return w;
    if (w.ok) written++;
  }
  const e = await writeNew(fs, join(dir, entry), historyEntryText(collectedAt, hashes), `${label}/${entry}`);
  if (!e.ok) return e;
  return ok({ dir, entry, objectsWritten: written, objectsReused: new Set(hashes.values()).size - written });
}

/** `20261128T120000.000Z.json` → its time. */
function entryTime(name: string): Date {
  const s = name.slice(0, 20);
  return new Date(`${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}${s.slice(15)}`);
}

/**
 * Adds the snapshot directory `snapshotDir` (its manifest, organization and `accountFiles`) to the history: the
 * files are read one at a time into the entry's map; see `writeHistoryEntry` (`fs`: the history's files). The
 * snapshot directory is read from this process's file system, where collect's staging area wrote it.
 */
export async function writeHistoryEntryFromDir(
  dir: string,
  snapshotDir: string,
  accountFiles: readonly string[],
  collectedAt: Date,
  label = dir,
  fs: HistoryFiles = nodeHistoryFiles(),
): Promise<Result<HistoryWriteResult>> {
  const files = new Map<string, string>();
  for (const name of [MANIFEST_FILE, ORGANIZATION_FILE, ...accountFiles]) {
    try {
      files.set(name, await readFile(join(snapshotDir, name), 'utf8'));
    } catch (e) {
      if (errnoOf(e) === undefined) throw e;
      return fail([{ ...error(HistoryCode.NotHistory, `cannot read \`${name}\` of the collected snapshot (${errnoOf(e)}) to add it to the history \`${label}\`; collect again`), file: label }]);
    }
  }
  return writeHistoryEntry(dir, files, collectedAt, label, fs);
}

/** The entries of a history, oldest first (other files in `snapshots/` are ignored). */
export async function listHistory(dir: string, label = dir, files: HistoryFiles = nodeHistoryFiles()): Promise<Result<HistoryListing[]>> {
  const kind = await files.kind(dir);
  if (kind !== 'directory') return fail([notHistory(label, kind === 'missing' ? 'it does not exist' : `it is a ${kind}`)]);
  const marker = await readMarker(dir, label, files);
  if (!marker.ok) return marker;
  const snapshots = join(dir, HISTORY_SNAPSHOTS);
  let names: string[] = [];
  if ((await files.kind(snapshots)) === 'directory') {
    const listed = await files.list(snapshots, `${label}/${HISTORY_SNAPSHOTS}`);
    if (!listed.ok) return fail([broken(label, HISTORY_SNAPSHOTS, 'cannot be listed'), ...listed.diagnostics]);
    names = listed.value;
  }
  const listed = names.filter(isHistoryEntryName).map((name) => ({ name, collectedAt: entryTime(name) }));
  return ok(listed.filter((l) => !Number.isNaN(l.collectedAt.getTime())).sort((a, b) => a.collectedAt.getTime() - b.collectedAt.getTime()));
}

function broken(label: string, rel: string, what: string): Diagnostic {
  return { ...error(HistoryCode.Broken, `the history \`${label}\` is damaged: \`${rel}\` ${what}; restore the directory from a backup or start a new history`), file: `${label}/${rel}` };
}

async function readIn(dir: string, rel: string, label: string, files: HistoryFiles): Promise<Result<string>> {
  const kind = await files.kind(join(dir, rel));
  if (kind !== 'file') return fail([broken(label, rel, kind === 'missing' ? 'is missing' : `is a ${kind}, not a file`)]);
  const text = await files.readText(join(dir, rel), `${label}/${rel}`);
  // the reader's own diagnostic follows: why (permission denied, not UTF-8 at line:col)
  return text.ok ? text : fail([broken(label, rel, 'cannot be read'), ...text.diagnostics]);
}

/**
 * Reads one entry back as a snapshot's files (relative path → text) for `loadSnapshot` / `parseSnapshot`; every
 * object's hash is checked, so a damaged history is an error, never a silently different snapshot.
 */
export async function readHistoryEntry(dir: string, name: string, label = dir, files: HistoryFiles = nodeHistoryFiles()): Promise<Result<Map<string, string>>> {
  const rel = `${HISTORY_SNAPSHOTS}/${name}`;
  const text = await readIn(dir, rel, label, files);
  if (!text.ok) return text;
  let json: unknown;
  try {
    json = JSON.parse(text.value);
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    return fail([broken(label, rel, 'is not JSON')]);
  }
  const entry = historyEntrySchema.safeParse(json);
  if (!entry.success) return fail([broken(label, rel, `is not a history entry (${entry.error.issues[0]?.message ?? 'invalid'})`)]);
  const out = new Map<string, string>();
  const problems: Diagnostic[] = [];
  for (const [file, hash] of Object.entries(entry.data.files)) {
    const objRel = `${HISTORY_OBJECTS}/${hash}.json`;
    const obj = await readIn(dir, objRel, label, files);
    if (!obj.ok) problems.push(...obj.diagnostics);
    else if (sha256Hex(obj.value) !== hash) problems.push(broken(label, objRel, `(\`${file}\` of \`${rel}\`) does not match its hash`));
    else out.set(file, obj.value);
  }
  return problems.length > 0 ? fail(problems) : ok(out);
}

/**
 * Resolves a history reference: `at` is `latest` or a UTC date `YYYY-MM-DD` (the newest entry on or before it).
 * `label` is the reference as the user wrote it (`DIR@2026-11-01`). Returns the snapshot's files and the entry,
 * read through `files` (the host's, for an operation).
 */
export async function readHistoryRef(dir: string, at: string, label: string, files: HistoryFiles = nodeHistoryFiles()): Promise<Result<{ files: Map<string, string>; entry: HistoryListing }>> {
  const dirLabel = label.slice(0, label.lastIndexOf('@'));
  const listed = await listHistory(dir, dirLabel, files);
  if (!listed.ok) return listed;
  const chosen = pickHistoryEntry(listed.value, at, label);
  // the history directory is where the problem is, as for BH9170/BH9175
  if (!chosen.ok) return fail(chosen.diagnostics.map((d) => ({ ...d, file: d.file ?? dirLabel })));
  const read = await readHistoryEntry(dir, chosen.value.name, dirLabel, files);
  return read.ok ? ok({ files: read.value, entry: chosen.value }) : read;
}
