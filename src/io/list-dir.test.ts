import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listDirectory } from './list-dir.js';

describe('listDirectory', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bh-list-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('lists every name (files, directories, symlinks) sorted by code unit', async () => {
    await writeFile(join(dir, 'b'), '');
    await writeFile(join(dir, 'B'), '');
    await mkdir(join(dir, 'a'));
    await symlink('nowhere', join(dir, 'link'));
    const r = await listDirectory(dir, 'd');
    expect(r.ok && r.value).toEqual(['B', 'a', 'b', 'link']);
  });

  it('says, at the label, that a directory is missing or is a file', async () => {
    await writeFile(join(dir, 'f'), '');
    const missing = await listDirectory(join(dir, 'none'), 'none');
    expect(!missing.ok && missing.diagnostics.map((d) => [d.code, d.file, d.message])).toEqual([['BH0001', 'none', 'directory `none` does not exist; check the path']]);
    const file = await listDirectory(join(dir, 'f'), 'f');
    expect(!file.ok && file.diagnostics.map((d) => [d.code, d.file, d.message])).toEqual([['BH0001', 'f', '`f` is not a directory; give a directory']]);
  });
});
