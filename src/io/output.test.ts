import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test-support/cli.js';
import { commitOutputDir, prepareOutputDir, writeOutputDir, writeOutputFile } from './output.js';

const root = join(import.meta.dirname, '..', '..');
const acme = join(root, 'examples/acme.yaml');

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'bulkhead-output-'));
}

/** Every file under dir (relative paths, sorted) with its content; symlinks shown as `-> target`. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string): void => {
    const full = join(dir, rel);
    const s = lstatSync(full);
    if (s.isSymbolicLink()) out[rel] = '-> link';
    else if (s.isDirectory()) for (const n of readdirSync(full)) walk(rel ? `${rel}/${n}` : n);
    else out[rel] = readFileSync(full, 'utf8');
  };
  walk('');
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** A scratch git checkout with one committed file. */
function gitCheckout(): string {
  const w = scratch();
  writeFileSync(join(w, 'README.md'), 'mine\n');
  execFileSync('git', ['init', '-q'], { cwd: w });
  return w;
}

describe('file outputs', () => {
  it('creates and atomically replaces a regular file, leaving no temporary file', async () => {
    const w = scratch();
    expect(await writeOutputFile(join(w, 'r.txt'), 'one')).toMatchObject({ ok: true, value: 'created' });
    expect(await writeOutputFile(join(w, 'r.txt'), 'two')).toMatchObject({ ok: true, value: 'replaced' });
    expect(readdirSync(w)).toEqual(['r.txt']);
    expect(readFileSync(join(w, 'r.txt'), 'utf8')).toBe('two');
  });

  it('refuses to overwrite when asked not to', async () => {
    const w = scratch();
    writeFileSync(join(w, 'spec.yaml'), 'mine');
    const r = await writeOutputFile(join(w, 'spec.yaml'), 'new', { overwrite: false, label: 'spec.yaml' });
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]).toMatchObject({ code: 'BH8126', file: 'spec.yaml' });
    expect(readFileSync(join(w, 'spec.yaml'), 'utf8')).toBe('mine');
  });

  it('writes into a device instead of replacing it with a regular file', async () => {
    expect(await writeOutputFile('/dev/null', 'x')).toMatchObject({ ok: true, value: 'written in place' });
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('writes into a FIFO, which stays a FIFO', async () => {
    const w = scratch();
    const fifo = join(w, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const reader = open(fifo, 'r').then(async (fh) => {
      try {
        return await fh.readFile('utf8');
      } finally {
        await fh.close();
      }
    });
    expect(await writeOutputFile(fifo, 'through the pipe')).toMatchObject({ ok: true, value: 'written in place' });
    expect(await reader).toBe('through the pipe');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('follows a symlink: the target is written, the link stays', async () => {
    const w = scratch();
    writeFileSync(join(w, 'real.txt'), 'old');
    symlinkSync('real.txt', join(w, 'link.txt'));
    expect((await writeOutputFile(join(w, 'link.txt'), 'new')).ok).toBe(true);
    expect(lstatSync(join(w, 'link.txt')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(w, 'real.txt'), 'utf8')).toBe('new');
  });

  it('refuses a directory and a path under a regular file with clear errors, leaving nothing behind', async () => {
    const w = scratch();
    mkdirSync(join(w, 'dir'));
    writeFileSync(join(w, 'file'), 'x');
    const d = await writeOutputFile(join(w, 'dir'), 'x', { label: 'dir' });
    expect(d.diagnostics[0]).toMatchObject({ code: 'BH8125' });
    expect(d.diagnostics[0]?.message).toContain('`dir` is a directory');
    const f = await writeOutputFile(join(w, 'file/report.json'), 'x', { label: 'file/report.json' });
    expect(f.diagnostics[0]).toMatchObject({ code: 'BH8122' });
    expect(f.diagnostics[0]?.message).toContain('not a directory');
    expect(readdirSync(w).sort()).toEqual(['dir', 'file']);
    expect(readdirSync(join(w, 'dir'))).toEqual([]);
  });
});

describe('directory outputs', () => {
  const files = new Map([['manifest.json', '{}']]);

  it('writes an absent or empty directory', async () => {
    const w = scratch();
    expect((await writeOutputDir(join(w, 'new'), files, { kind: 'emit' })).ok).toBe(true);
    mkdirSync(join(w, 'empty'));
    expect((await writeOutputDir(join(w, 'empty'), files, { kind: 'emit' })).ok).toBe(true);
    expect(readdirSync(join(w, 'empty'))).toEqual(['manifest.json']);
  });

  it('refuses foreign files even with force, naming them, and changes nothing', async () => {
    const w = scratch();
    mkdirSync(join(w, 'out/sub'), { recursive: true });
    writeFileSync(join(w, 'out/notes.txt'), 'mine');
    writeFileSync(join(w, 'out/sub/more.txt'), 'mine');
    const before = tree(join(w, 'out'));
    const r = await writeOutputDir(join(w, 'out'), files, { kind: 'snapshot', force: true, label: 'out' });
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]).toMatchObject({ code: 'BH8120' });
    expect(r.diagnostics[0]?.message).toContain('`notes.txt`, `sub`');
    expect(tree(join(w, 'out'))).toEqual(before);
    expect(readdirSync(w)).toEqual(['out']);
  });

  it('does not follow symlinks while looking: a loop and a link to / are foreign entries, not a crash', async () => {
    const w = scratch();
    mkdirSync(join(w, 'out'));
    symlinkSync('.', join(w, 'out/self'));
    symlinkSync('/', join(w, 'out/root'));
    const r = await prepareOutputDir(join(w, 'out'), { kind: 'emit', label: 'out' });
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]?.message).toContain('`root`, `self`');
  });

  it('refuses `/` quickly without walking the file system', async () => {
    const r = await prepareOutputDir('/', { kind: 'emit', label: '/' });
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]?.code).toMatch(/^BH812[04]$/);
  });

  it('replaces a directory bulkhead wrote as a snapshot, and another kind only with force', async () => {
    const w = scratch();
    const out = join(w, 'snap');
    expect((await runCli(['synth', '--accounts', '8', '--roles', '1', '--resources', '1', '--out', 'snap'], { cwd: w })).code).toBe(0);
    expect((await runCli(['synth', '--accounts', '9', '--roles', '1', '--resources', '1', '--out', 'snap'], { cwd: w })).code).toBe(0);
    const emitOver = await prepareOutputDir(out, { kind: 'emit', label: 'snap' });
    expect(emitOver.diagnostics[0]).toMatchObject({ code: 'BH8127' });
    expect((await prepareOutputDir(out, { kind: 'emit', force: true })).ok).toBe(true);
  });

  it('leaves the old directory and no temporary directory behind when a write fails', async () => {
    const w = scratch();
    mkdirSync(join(w, 'out'));
    writeFileSync(join(w, 'out/terraform.tfstate'), 'state');
    const plan = await prepareOutputDir(join(w, 'out'), { kind: 'emit', keep: (n) => n === 'terraform.tfstate' });
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    // `a` is written as a file, so writing `a/b` fails half-way.
    const bad = new Map([
      ['a', 'file'],
      ['a/b', 'cannot exist'],
    ]);
    const r = await commitOutputDir(plan.value, bad);
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]).toMatchObject({ code: 'BH8122' });
    expect(tree(join(w, 'out'))).toEqual({ 'terraform.tfstate': 'state' });
    expect(readdirSync(w)).toEqual(['out']);
  });
});

describe('outputs never destroy what the user had (CLI)', () => {
  it('`synth --out .` in a git checkout refuses and keeps .git and every file', async () => {
    const w = gitCheckout();
    const before = readdirSync(w).sort();
    const r = await runCli(['synth', '--accounts', '8', '--out', '.'], { cwd: w });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('BH8124');
    expect(r.stderr).toContain('a `.git` repository');
    expect(readdirSync(w).sort()).toEqual(before);
    expect(existsSync(join(w, '.git/HEAD'))).toBe(true);
  });

  it('`synth --out DIR` refuses a directory of the user’s files', async () => {
    const w = scratch();
    mkdirSync(join(w, 'data'));
    writeFileSync(join(w, 'data/keep.csv'), '1,2');
    const r = await runCli(['synth', '--accounts', '8', '--out', 'data'], { cwd: w });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('`keep.csv`');
    expect(readFileSync(join(w, 'data/keep.csv'), 'utf8')).toBe('1,2');
  });

  it('`verify --out /dev/null` and `init --force -o /dev/null` leave the device a device', async () => {
    const v = await runCli(['verify', acme, '--out', '/dev/null']);
    expect(v.code).toBe(0);
    const i = await runCli(['init', '--force', '-o', '/dev/null']);
    expect(i.code).toBe(0);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('`verify --out` to a directory or under a file is a clear error and leaves no temporary file', async () => {
    const w = scratch();
    mkdirSync(join(w, 'reports'));
    writeFileSync(join(w, 'file'), 'x');
    const d = await runCli(['verify', acme, '--out', 'reports'], { cwd: w });
    expect(d.code).toBe(1);
    expect(d.stderr).toContain('BH8125');
    const f = await runCli(['verify', acme, '--out', 'file/r.json'], { cwd: w });
    expect(f.code).toBe(1);
    expect(f.stderr).toContain('BH8122');
    expect(readdirSync(w).sort()).toEqual(['file', 'reports']);
    expect(readdirSync(join(w, 'reports'))).toEqual([]);
  });

  it('`verify --out -` writes to standard output', async () => {
    const r = await runCli(['verify', acme, '--format', 'json', '--out', '-']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveProperty('summary');
  });

  it('`emit --out` into a git checkout with --force refuses and keeps everything', async () => {
    const w = gitCheckout();
    const before = readdirSync(w).sort();
    const r = await runCli(['emit', acme, '-f', 'terraform', '-o', '.', '--force'], { cwd: w });
    expect(r.code).toBe(1);
    expect(readdirSync(w).sort()).toEqual(before);
  });
});
