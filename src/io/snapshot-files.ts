/**
 * File edge of snapshots: writing a snapshot directory atomically and reading one back into text files
 * for the pure loader.
 */
import { join } from 'node:path';
import { error, fail, ok, type Result } from '../diagnostics/diagnostic.js';
import { exists, listDir, readTextFile, writeDirAtomic } from './files.js';
import type { OrganizationModel } from '../model/organization.js';
import { loadSnapshot } from '../snapshot/load.js';
import { MANIFEST_FILE, ORGANIZATION_FILE, snapshotFiles, type Snapshot } from '../snapshot/format.js';

/** Writes a snapshot directory; the directory is replaced as a whole, so readers never see half of one. */
export async function writeSnapshot(dir: string, snapshot: Snapshot): Promise<void> {
  await writeDirAtomic(dir, snapshotFiles(snapshot));
}

/** Reads the files of a snapshot directory (relative path → text). */
export async function readSnapshotFiles(dir: string): Promise<Result<Map<string, string>>> {
  if (!(await exists(dir))) {
    return fail([{ ...error('BH6001', `snapshot directory \`${dir}\` does not exist; run \`bulkhead collect --out ${dir}\` first`), file: dir }]);
  }
  const files = new Map<string, string>();
  for (const rel of [MANIFEST_FILE, ORGANIZATION_FILE, ...(await listDir(join(dir, 'accounts'))).filter((f) => f.endsWith('.json')).map((f) => `accounts/${f}`)]) {
    const r = await readTextFile(join(dir, rel));
    if ('text' in r) files.set(rel, r.text);
  }
  return ok(files);
}

/** Reads a snapshot directory into the organization model. */
export async function loadSnapshotDir(dir: string): Promise<Result<OrganizationModel>> {
  const files = await readSnapshotFiles(dir);
  if (!files.ok) return files;
  return loadSnapshot(files.value, dir);
}
