import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// .ci/count.mjs prints the last line of a CI run from vitest's JSON report; these reports are shaped like the ones
// vitest 4 writes (a file whose beforeAll throws: status failed, message set, its tests skipped).

const script = join(import.meta.dirname, '..', '..', '.ci', 'count.mjs');
const dir = mkdtempSync(join(tmpdir(), 'ci-count-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Test {
  readonly status: 'passed' | 'failed' | 'skipped' | 'pending' | 'todo';
}
interface File {
  readonly status: 'passed' | 'failed';
  readonly message: string;
  readonly assertionResults: readonly Test[];
}

const tests = (status: Test['status'], n: number): Test[] => Array.from({ length: n }, () => ({ status }));
const green = (n: number): File => ({ status: 'passed', message: '', assertionResults: tests('passed', n) });

function report(files: readonly File[]): object {
  const all = files.flatMap((f) => f.assertionResults);
  return {
    numPassedTests: all.filter((t) => t.status === 'passed').length,
    numFailedTests: all.filter((t) => t.status === 'failed').length,
    success: files.every((f) => f.status === 'passed'),
    testResults: files.map((f, i) => ({ name: `/repo/src/f${i}.test.ts`, ...f, assertionResults: f.assertionResults.map((t, j) => ({ title: `t${j}`, ...t })) })),
  };
}

let n = 0;
function run(content: object | string | undefined, exitCode: number): { line: string; status: number | null } {
  const file = join(dir, `report-${n++}.json`);
  if (content !== undefined) writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  const r = spawnSync(process.execPath, [script, file, String(exitCode)], { encoding: 'utf8' });
  return { line: r.stdout, status: r.status };
}

describe('.ci/count.mjs', () => {
  it('counts all green as green', () => {
    expect(run(report([green(3), green(2)]), 0)).toEqual({ line: '5 passed, 0 failed\n', status: 0 });
  });

  it('counts a failing test', () => {
    const file: File = { status: 'failed', message: '', assertionResults: [...tests('passed', 2), ...tests('failed', 1)] };
    expect(run(report([green(4), file]), 1)).toEqual({ line: '6 passed, 1 failed\n', status: 1 });
  });

  it('counts a suite whose beforeAll failed, and its skipped tests', () => {
    const file: File = { status: 'failed', message: 'chromium is not installed; apt-get install -y chromium', assertionResults: tests('skipped', 3) };
    expect(run(report([green(1136), file]), 1)).toEqual({ line: '1136 passed, 4 failed\n', status: 1 });
  });

  it('counts a file that did not load (no tests at all)', () => {
    const file: File = { status: 'failed', message: "Cannot find module './gone.js'", assertionResults: [] };
    expect(run(report([green(2), file]), 1)).toEqual({ line: '2 passed, 1 failed\n', status: 1 });
  });

  it('counts skipped, pending and todo tests as failures even when vitest exits 0', () => {
    const file: File = { status: 'passed', message: '', assertionResults: [...tests('passed', 2), ...tests('skipped', 1), ...tests('pending', 1), ...tests('todo', 1)] };
    expect(run(report([file]), 0)).toEqual({ line: '2 passed, 3 failed\n', status: 1 });
  });

  it('never says 0 failed when vitest exited non-zero with a clean report', () => {
    expect(run(report([green(7)]), 1)).toEqual({ line: '7 passed, 1 failed\n', status: 1 });
  });

  it('counts a missing or unreadable report as one failure', () => {
    expect(run(undefined, 1)).toEqual({ line: '0 passed, 1 failed\n', status: 1 });
    expect(run('{"testResults": [', 0)).toEqual({ line: '0 passed, 1 failed\n', status: 1 });
  });
});
