/**
 * The built launcher (`bin/bulkhead.js` over dist/, `npm run build` first) as a user runs it: the analysing commands
 * are re-executed with a heap budget, running out of it prints one clear error and exits 5, the others are not
 * re-executed. A preload script given to Node (`--require`, kept in the child's execArgv) records every process.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUT_OF_MEMORY_EXIT } from './heap-launch.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '../..');
const bin = join(repo, 'bin/bulkhead.js');
let dir = '';
let snapshot = '';
let preload = '';

/** The environment of a run: the test runner's, without any heap setting of its own. */
function env(extra: Record<string, string> = {}): Record<string, string> {
  const e: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'NODE_OPTIONS' && !k.startsWith('BULKHEAD_')) e[k] = v;
  return { ...e, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...extra };
}

/** Runs the built CLI with the recording preload; returns its output and the processes it started. */
function run(args: readonly string[], extra: Record<string, string> = {}) {
  const log = join(dir, `procs-${Math.random().toString(36).slice(2)}.log`);
  const r = spawnSync(process.execPath, ['--require', preload, bin, ...args], { encoding: 'utf8', env: env({ ...extra, HEAP_TEST_LOG: log }) });
  const procs = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { pid: number; execArgv: string[] }) : [];
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, procs };
}

beforeAll(() => {
  if (!existsSync(join(repo, 'dist/cli/heap-launch.js'))) throw new Error('dist/ is not built: run `npm run build` first');
  dir = mkdtempSync(join(tmpdir(), 'bulkhead-heap-'));
  preload = join(dir, 'record.cjs');
  writeFileSync(preload, "require('node:fs').appendFileSync(process.env.HEAP_TEST_LOG, JSON.stringify({ pid: process.pid, execArgv: process.execArgv }) + '\\n');\n");
  snapshot = join(dir, 'snap');
  const synth = run(['synth', '--accounts', '30', '--out', snapshot]);
  expect(synth.code, synth.stderr).toBe(0);
  expect(synth.procs).toHaveLength(1); // synth is not re-executed
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the heap launcher (built CLI)', () => {
  it('`--version` and `plan` run in one process', () => {
    const v = run(['--version']);
    expect(v.code).toBe(0);
    expect(v.procs).toHaveLength(1);
    const p = run(['plan', join(repo, 'examples/acme.yaml')]);
    expect(p.code).toBe(0);
    expect(p.procs).toHaveLength(1);
  });

  it('verify is re-executed with the default budget and Node’s own options kept, with the same output as in one process', () => {
    const launched = run(['verify', snapshot, '--threads', '1']);
    expect(launched.procs).toHaveLength(2);
    expect(launched.procs[1]!.execArgv).toEqual(['--require', preload, '--no-allocation-site-pretenuring', '--max-semi-space-size=64', '--max-old-space-size=1800']);
    const direct = run(['verify', snapshot, '--threads', '1'], { BULKHEAD_MAX_HEAP_MB: 'node' });
    expect(direct.procs).toHaveLength(1);
    expect(launched.code).toBe(3); // the synthetic organization has findings at or above high
    expect(launched.code).toBe(direct.code);
    expect(launched.stdout).toBe(direct.stdout);
    expect(launched.stdout).toContain('finding');
    expect(launched.stderr).toBe(direct.stderr);
  }, 60_000);

  it('a heap the user sized is left alone', () => {
    const r = run(['verify', snapshot, '--threads', '1', '--format', 'json'], { NODE_OPTIONS: '--max-old-space-size=3000' });
    expect(r.code).toBe(3);
    expect(r.procs).toHaveLength(1);
  }, 60_000);

  it('running out of the budget prints one clear error, exit 5, and none of V8’s report', () => {
    const r = run(['verify', snapshot, '--threads', '1'], { BULKHEAD_MAX_HEAP_MB: '16' });
    expect(r.code).toBe(OUT_OF_MEMORY_EXIT);
    expect(r.stderr).toContain('error: `bulkhead verify` ran out of memory at its 16 MB heap budget; give it more with BULKHEAD_MAX_HEAP_MB=<megabytes>');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    for (const v8 of ['FATAL ERROR', 'heap out of memory', 'Native stack', '<--- Last few GCs', 'node::']) expect(r.stderr).not.toContain(v8);
  }, 60_000);

  it('an error that only reads like V8’s report (a path the user gave) is passed on with its own exit code', () => {
    const name = 'FATAL ERROR: heap out of memory';
    const r = spawnSync(process.execPath, [bin, 'verify', name], { cwd: dir, encoding: 'utf8', env: env() });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${name}: error BH7001: verify target \`${name}\` does not exist`);
    expect(r.stderr).not.toContain('ran out of memory');
  }, 60_000);

  it('a bad BULKHEAD_MAX_HEAP_MB is a usage error, exit 2, before anything runs', () => {
    const r = run(['verify', snapshot], { BULKHEAD_MAX_HEAP_MB: '2g' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: BULKHEAD_MAX_HEAP_MB is `2g`: expected the heap budget in megabytes');
    expect(r.procs).toHaveLength(1);
  });

  // `script` (util-linux) runs the CLI on a pseudo-terminal; without it there is no terminal to test with
  const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!hasScript)('progress still shows on a terminal: the child is told its stderr, a pipe to the launcher, ends at one', () => {
    const typescript = join(dir, 'typescript');
    const command = [process.execPath, bin, 'verify', snapshot, '--threads', '1', '--format', 'json', '--out', join(dir, 'report.json')].map((a) => `'${a}'`).join(' ');
    const r = spawnSync('script', ['-qec', command, typescript], { encoding: 'utf8', env: env() });
    expect(r.status).toBe(3);
    const screen = readFileSync(typescript, 'utf8');
    expect(screen).toContain('\x1b[2Kverify: ');
  }, 60_000);

  it('a signal to the launcher reaches the child: exit 128 + n, and no child left behind', async () => {
    const log = join(dir, 'signal.log');
    const child = spawn(process.execPath, ['--require', preload, bin, 'verify', snapshot, '--threads', '1'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: env({ HEAP_TEST_LOG: log, BULKHEAD_MAX_HEAP_MB: '20' }), // slow: it spends its time collecting garbage
    });
    const waitForChild = async () => {
      for (let i = 0; i < 200; i++) {
        if (existsSync(log) && readFileSync(log, 'utf8').trim().split('\n').length === 2) return;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error('the launcher started no child');
    };
    await waitForChild();
    const grandchild = (JSON.parse(readFileSync(log, 'utf8').trim().split('\n')[1]!) as { pid: number }).pid;
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(128 + 15);
    expect(() => process.kill(grandchild, 0)).toThrow(/ESRCH/);
  }, 60_000);
});
