import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdir, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { spawnSync } from 'node:child_process';
import { Journal } from './journal.js';

function openOk(path: string, now: () => Date): Journal {
  const j = Journal.open(path, now);
  if (!j.ok) throw new Error(JSON.stringify(j.diagnostics));
  return j.value;
}

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
    const a = openOk(path, now);
    a.record('create-account:a@x', 'start');
    a.record('create-account:a@x', 'pending', { requestId: 'car-1' });
    a.record('create-account:b@x', 'pending', { requestId: 'car-2' });
    a.record('create-account:b@x', 'done');
    a.close();
    const b = openOk(path, now);
    expect([...b.pendingCreateRequests()]).toEqual([['create-account:a@x', 'car-1']]);
    b.close();
  });

  it('ignores a line torn by a kill and continues on a fresh line', async () => {
    dir = await mkdtemp(join(tmpdir(), 'bh-journal-'));
    const path = join(dir, 'j.jsonl');
    await writeFile(path, '{"at":"2026-11-01T00:00:00.000Z","run":"r1","key":"close-account:x","status":"done"}\n{"at":"2026-11-28T00:00:00.000Z","run":"r1","key":"clo');
    const j = openOk(path, () => new Date('2026-11-28T12:00:00Z'));
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
    const j = openOk(path, () => new Date(0));
    j.close();
    await expect(readFile(path, 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('reports a line that is JSON but not an entry with file:line and what is wrong, and leaves the file as it was', async () => {
    dir = await mkdtemp(join(tmpdir(), 'bh-journal-'));
    const path = join(dir, 'j.jsonl');
    const good = '{"at":"2026-11-01T00:00:00.000Z","run":"r1","key":"close-account:x","status":"done"}';
    const text = `${good}\n{"at":"2026-11-01T00:00:00.000Z","run":"r1","key":42,"status":"done"}\n${good}\n"just a string"\n`;
    await writeFile(path, text);
    const j = Journal.open(path, () => new Date(0), { label: 'state/j.jsonl' });
    expect(j.ok).toBe(false);
    expect(j.diagnostics.map((d) => [d.code, d.file, d.position?.line])).toEqual([
      ['BH6205', 'state/j.jsonl', 2],
      ['BH6205', 'state/j.jsonl', 4],
    ]);
    expect(j.diagnostics[0]?.message).toMatch(/^journal line 2 is not a bulkhead journal entry \(`key`: invalid input: expected string, received number\); apply never rewrites the journal/);
    expect(await readFile(path, 'utf8')).toBe(text);
  });

  it('says what is wrong when the journal path is a directory or goes through a file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'bh-journal-'));
    await mkdir(join(dir, 'adir'));
    await writeFile(join(dir, 'afile'), 'x');
    const isDir = Journal.open(join(dir, 'adir'), () => new Date(0), { label: 'adir' });
    expect(isDir.ok ? [] : isDir.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([
      'BH6205 the apply journal `adir` is a directory; give a file path with --journal (or a directory with --state)',
    ]);
    const notDir = Journal.open(join(dir, 'afile', 'j.jsonl'), () => new Date(0), { label: 'afile/j.jsonl' });
    expect(notDir.ok ? [] : notDir.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([
      'BH6205 a part of the apply journal path `afile/j.jsonl` is a file, not a directory; give a directory with --state or a file path with --journal',
    ]);
  });

  it('locks the journal for one run: a second is refused with the holder, the lock goes with close', async () => {
    dir = await mkdtemp(join(tmpdir(), 'bh-journal-'));
    const path = join(dir, 'j.jsonl');
    const a = openOk(path, () => new Date('2026-11-28T12:00:00Z'));
    expect(a.lock()).toMatchObject({ ok: true, value: { pid: process.pid, host: hostname() } });
    const b = openOk(path, () => new Date(0));
    const refused = b.lock();
    expect(refused.ok).toBe(false);
    expect(refused.diagnostics[0]?.code).toBe('BH6206');
    expect(refused.diagnostics[0]?.message).toContain(`another apply holds it (pid ${process.pid} on host \`${hostname()}\`, started 2026-11-28T12:00:00.000Z)`);
    a.close();
    await expect(stat(`${path}.lock`)).rejects.toThrow(/ENOENT/);
    expect(b.lock().ok).toBe(true);
    b.close();
  });

  it('takes over a stale lock whose process is gone, and refuses a lock file it does not understand', async () => {
    dir = await mkdtemp(join(tmpdir(), 'bh-journal-'));
    const path = join(dir, 'j.jsonl');
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    await writeFile(`${path}.lock`, JSON.stringify({ pid: Number(gone.stdout), host: hostname(), started: '2026-01-01T00:00:00.000Z' }));
    const j = openOk(path, () => new Date(0));
    expect(j.lock().ok).toBe(true);
    j.close();
    await writeFile(`${path}.lock`, 'not a lock');
    const k = openOk(path, () => new Date(0));
    expect(k.lock().diagnostics[0]?.message).toContain('is there but is not a bulkhead lock');
    k.close();
    expect(await readFile(`${path}.lock`, 'utf8')).toBe('not a lock');
  });
});
