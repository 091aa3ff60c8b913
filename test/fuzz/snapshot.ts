/**
 * Snapshot corruption for the fuzzer: a synthesized snapshot directory (written once per process by the
 * `synthesizeSnapshot` operation) copied per case and corrupted — file contents mutated, manifest entries removed
 * or invented, files removed, replaced by a directory, a symlink or a FIFO, the directory replaced by a file.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizeSnapshot } from '../../src/operations/synth.js';
import { nodeHost } from '../../src/operations/host.js';
import { BYTE_CLASSES, mutate, STRUCTURAL_CLASSES, type MutationClass, type Rng, type YAML_CLASSES } from './mutate.js';

/** Corruptions of a snapshot directory as a whole (besides the content classes applied to one of its files). */
export const SNAPSHOT_DIR_CLASSES = [
  'remove-manifest-entry',
  'add-manifest-entry',
  'remove-file',
  'replace-with-directory',
  'replace-with-symlink',
  'replace-with-fifo',
  'extra-file',
  'snapshot-is-file',
] as const;
/** Every snapshot corruption class. */
export type SnapshotClass = Exclude<MutationClass, (typeof YAML_CLASSES)[number]> | (typeof SNAPSHOT_DIR_CLASSES)[number];
/** The snapshot corruption classes, in a fixed order. */
export const SNAPSHOT_CLASSES: readonly SnapshotClass[] = [...STRUCTURAL_CLASSES, ...BYTE_CLASSES, ...SNAPSHOT_DIR_CLASSES];

let template: string | undefined;

/** The synthesized snapshot every case starts from (12 accounts, 2 roles and 1 resource each, with violations). */
export async function snapshotTemplate(): Promise<string> {
  if (template) return template;
  const base = mkdtempSync(join(tmpdir(), 'bulkhead-fuzz-template-'));
  const host = nodeHost({ cwd: base, now: () => new Date('2026-01-01T00:00:00Z') });
  const r = await synthesizeSnapshot({ options: { accounts: 12, rolesPerAccount: 2, resourcesPerAccount: 1, seed: 7, violations: true }, out: 'snap' }, host);
  if (!r.ok) throw new Error(`could not synthesize the fuzz template: ${JSON.stringify(r.diagnostics)}`);
  template = join(base, 'snap');
  return template;
}

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

/** What a corruption did: a description, and the mutated file's bytes when the corruption is a content change. */
export interface Corruption {
  readonly note: string;
  readonly file?: string;
  readonly bytes?: Buffer;
}

function editManifest(dir: string, edit: (m: { accountFiles: string[] }) => string): string {
  const path = join(dir, 'manifest.json');
  const m = JSON.parse(readFileSync(path, 'utf8')) as { accountFiles: string[] };
  const note = edit(m);
  writeFileSync(path, JSON.stringify(m, null, 2));
  return note;
}

/** Corrupts the snapshot directory `dir` (a copy of the template) in place. */
export function corrupt(dir: string, cls: SnapshotClass, rng: Rng): Corruption {
  const all = files(dir);
  const rel = rng.pick(all);
  const abs = join(dir, rel);
  switch (cls) {
    case 'remove-manifest-entry':
      return { note: editManifest(dir, (m) => `manifest accountFiles entry \`${m.accountFiles.splice(rng.int(0, m.accountFiles.length - 1), 1)[0]}\` removed`) };
    case 'add-manifest-entry': {
      const entry = rng.pick(['accounts/999999999999.json', '../../../etc/passwd', 'accounts/../manifest.json', '/etc/hostname', 'accounts/', '', 'accounts/\u0000.json']);
      return { note: editManifest(dir, (m) => (m.accountFiles.push(entry), `manifest accountFiles entry ${JSON.stringify(entry)} added`)) };
    }
    case 'remove-file':
      rmSync(abs);
      return { note: `${rel} removed` };
    case 'replace-with-directory':
      rmSync(abs);
      mkdirSync(abs);
      return { note: `${rel} replaced by a directory` };
    case 'replace-with-symlink': {
      const to = rng.pick(['/etc/passwd', '/dev/zero', 'manifest.json', 'missing.json', '.', '/proc/self/fd/0']);
      rmSync(abs);
      symlinkSync(to, abs);
      return { note: `${rel} replaced by a symlink to ${to}` };
    }
    case 'replace-with-fifo':
      rmSync(abs);
      execFileSync('mkfifo', [abs]);
      return { note: `${rel} replaced by a FIFO` };
    case 'extra-file': {
      const name = rng.pick(['accounts/extra.json', 'accounts/123456789012.json.bak', 'accounts/nested/x.json', 'accounts/.hidden.json', 'notes.txt']);
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), rng.pick(['{}', 'junk', '{"accountId": "123456789012"}', '']));
      return { note: `extra file ${name}` };
    }
    case 'snapshot-is-file':
      rmSync(dir, { recursive: true });
      writeFileSync(dir, '{}');
      return { note: 'the snapshot directory replaced by a file' };
    default: {
      const m = mutate({ text: readFileSync(abs, 'utf8'), format: 'json' }, cls, rng);
      writeFileSync(abs, m.bytes);
      return { note: `${rel}: ${m.note}`, file: rel, bytes: m.bytes };
    }
  }
}

/** A fresh copy of the template at `dir`. */
export async function copyTemplate(dir: string): Promise<void> {
  cpSync(await snapshotTemplate(), dir, { recursive: true });
}
