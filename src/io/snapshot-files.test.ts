/** The snapshot reader never follows or reads what is not a regular file where a snapshot file belongs. */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSnapshotDir, readSnapshotFiles } from './snapshot-files.js';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples/violations/prod-bucket-grants-dev');
const APP = 'accounts/222222222222.json';

function copy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bh-snap-files-'));
  cpSync(EXAMPLE, dir, { recursive: true });
  return dir;
}

describe('readSnapshotFiles', () => {
  it('reads the example', async () => {
    const r = await loadSnapshotDir(copy(), 'snap');
    expect(r.ok).toBe(true);
    expect(r.diagnostics).toEqual([]);
  });

  const replacements: [string, (path: string, dir: string) => void, string][] = [
    ['directory', (p) => mkdirSync(p), 'directory'],
    ['symlink', (p, dir) => symlinkSync(join(dir, 'accounts/333333333333.json'), p), 'symlink'],
    ['FIFO', (p) => execFileSync('mkfifo', [p]), 'fifo'],
  ];
  for (const [what, make, kind] of replacements) {
    it(`a listed account file that is a ${what} is an error naming it`, async () => {
      const dir = copy();
      rmSync(join(dir, APP));
      make(join(dir, APP), dir);
      const r = await readSnapshotFiles(dir, 'snap');
      expect(r.ok).toBe(false);
      expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'BH6001', file: `snap/${APP}`, message: expect.stringContaining(`is a ${kind}, not a regular file`) as string })]);
    });
  }

  it('an `accounts` that is a symlink is an error, not an empty snapshot', async () => {
    const dir = copy();
    const elsewhere = mkdtempSync(join(tmpdir(), 'bh-snap-elsewhere-'));
    cpSync(join(dir, 'accounts'), elsewhere, { recursive: true });
    rmSync(join(dir, 'accounts'), { recursive: true });
    symlinkSync(elsewhere, join(dir, 'accounts'));
    const r = await readSnapshotFiles(dir, 'snap');
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]).toMatchObject({ code: 'BH6001', file: 'snap/accounts', message: expect.stringContaining('is a symlink, not a directory') as string });
  });
});
