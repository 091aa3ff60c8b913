/**
 * File edge of snapshots: the one reader of a snapshot directory (into text files for the pure loader) and the
 * one writer (through the output guard, swapped in atomically so readers never see half of one).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { error, fail, ok, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import type { OrganizationModel } from '../model/organization.js';
import { MANIFEST_FILE, ORGANIZATION_FILE, snapshotFiles, type Snapshot } from '../snapshot/format.js';
import { loadSnapshot, SnapshotCodes } from '../snapshot/load.js';
import { errnoOf } from './errno.js';
import { pathKind, writeOutputDir, type OutputDirPlan } from './output.js';

/** Options for {@link writeSnapshot}. */
export interface WriteSnapshotOptions {
  /** How to name the directory in messages (default: the path). */
  readonly label?: string;
  /** Replace a directory that holds another kind of bulkhead output (never foreign files). */
  readonly force?: boolean;
}

/** Writes a snapshot directory through the output guard. */
export async function writeSnapshot(dir: string, snapshot: Snapshot, options: WriteSnapshotOptions = {}): Promise<Result<OutputDirPlan>> {
  return writeOutputDir(dir, snapshotFiles(snapshot), { kind: 'snapshot', ...options });
}

function notRegular(rel: string, label: string, kind: string): Diagnostic {
  return { ...error(SnapshotCodes.MissingFile, `snapshot file \`${rel}\` is a ${kind}, not a regular file; a snapshot holds plain JSON files — restore it or re-run \`bulkhead collect\``), file: `${label}/${rel}` };
}

/**
 * The snapshot's files to read: manifest, organization and every entry of `accounts/` (checked one by one). An
 * `accounts` that is there but no directory (a symlink to one, say) is reported rather than read as empty.
 */
async function snapshotEntries(dir: string, label: string, problems: Diagnostic[]): Promise<string[]> {
  const rels = [MANIFEST_FILE, ORGANIZATION_FILE];
  const kind = await pathKind(join(dir, 'accounts'));
  if (kind === 'directory') {
    for (const name of (await readdir(join(dir, 'accounts'))).sort()) rels.push(`accounts/${name}`);
  } else if (kind !== 'missing') {
    problems.push({ ...error(SnapshotCodes.MissingFile, `\`accounts\` in the snapshot is a ${kind}, not a directory; restore it or re-run \`bulkhead collect\``), file: `${label}/accounts` });
  }
  return rels;
}

/**
 * Reads the files of a snapshot directory (relative path → text). Entries are never followed: a symlink, FIFO
 * or directory where a snapshot file belongs is an error that says what it is. A missing file is left out for
 * the loader to report.
 */
export async function readSnapshotFiles(dir: string, label = dir): Promise<Result<Map<string, string>>> {
  const kind = await pathKind(dir);
  if (kind === 'missing') {
    return fail([{ ...error(SnapshotCodes.MissingFile, `snapshot directory \`${label}\` does not exist; run \`bulkhead collect --out ${label}\` first`), file: label }]);
  }
  if (kind !== 'directory') return fail([{ ...error(SnapshotCodes.MissingFile, `snapshot \`${label}\` is a ${kind}, not a directory; give the directory \`bulkhead collect\` wrote`), file: label }]);
  const files = new Map<string, string>();
  const problems: Diagnostic[] = [];
  for (const rel of await snapshotEntries(dir, label, problems)) {
    const k = await pathKind(join(dir, rel));
    if (k === 'missing') continue;
    if (k !== 'file') {
      if (rel.endsWith('.json') || !rel.startsWith('accounts/')) problems.push(notRegular(rel, label, k));
      continue;
    }
    if (!rel.endsWith('.json')) continue;
    try {
      files.set(rel, await readFile(join(dir, rel), 'utf8'));
    } catch (e) {
      if (errnoOf(e) !== 'EACCES' && errnoOf(e) !== 'EPERM') throw e;
      problems.push({ ...error(SnapshotCodes.MissingFile, `snapshot file \`${rel}\` cannot be read (permission denied); check its permissions`), file: `${label}/${rel}` });
    }
  }
  return problems.length > 0 ? fail(problems) : ok(files);
}

/** Reads a snapshot directory into the organization model. */
export async function loadSnapshotDir(dir: string, label = dir): Promise<Result<OrganizationModel>> {
  const files = await readSnapshotFiles(dir, label);
  if (!files.ok) return files;
  return loadSnapshot(files.value, label);
}
