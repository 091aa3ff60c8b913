import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Journal } from './journal.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('Journal', () => {
  it('tracks pending CreateAccount requests until they finish, across runs', async () => {
    dir = await mkdtemp(join(tmpdir(), 'bh-journal-'));
    const path = join(dir, 'j.jsonl');
    let t = 0;
    const now = () => new Date(Date.UTC(2026, 10, 28, 12, 0, t++));
    const a = Journal.open(path, now);
    a.record('create-account:a@x', 'start');
    a.record('create-account:a@x', 'pending', { requestId: 'car-1' });
    a.record('create-account:b@x', 'pending', { requestId: 'car-2' });
    a.record('create-account:b@x', 'done');
    a.close();
    const b = Journal.open(path, now);
    expect([...b.pendingCreateRequests()]).toEqual([['create-account:a@x', 'car-1']]);
    b.close();
  });

  it('ignores a line torn by a kill and continues on a fresh line', async () => {
    dir = await mkdtemp(join(tmpdir(), 'bh-journal-'));
    const path = join(dir, 'j.jsonl');
    await writeFile(path, '{"at":"2026-11-01T00:00:00.000Z","run":"r1","key":"close-account:x","status":"done"}\n{"at":"2026-11-28T00:00:00.000Z","run":"r1","key":"clo');
    const j = Journal.open(path, () => new Date('2026-11-28T12:00:00Z'));
    expect(j.entries).toHaveLength(1);
    expect(j.closedSince(new Date('2026-10-29T12:00:00Z'))).toBe(1);
    expect(j.closedSince(new Date('2026-11-02T00:00:00Z'))).toBe(0);
    j.record('tag-ou:Root', 'done');
    j.close();
    const lines = (await readFile(path, 'utf8')).split('\n');
    expect(JSON.parse(lines[2] ?? '')).toMatchObject({ key: 'tag-ou:Root', status: 'done' });
  });

  it('creates no file until something is recorded', async () => {
    dir = await mkdtemp(join(tmpdir(), 'bh-journal-'));
    const path = join(dir, 'sub', 'j.jsonl');
    const j = Journal.open(path, () => new Date(0));
    j.close();
    await expect(readFile(path, 'utf8')).rejects.toThrow(/ENOENT/);
  });
});
