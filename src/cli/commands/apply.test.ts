/**
 * apply's journal options, checked before any AWS call (the endpoint is a closed port: reaching it would fail
 * differently): a spec on standard input needs --journal or --state, and a journal path that cannot hold a
 * journal or a journal line that is not an entry is a clear error naming the file (and line).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MOTO_ENV, runCli } from '../../../test-support/cli.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const offline = ['--endpoint-url', 'http://127.0.0.1:9'];

describe('apply journal options', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bh-apply-journal-'));
    await copyFile(join(repo, 'examples/acme.yaml'), join(dir, 'acme.yaml'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('`apply -` without --journal or --state is a usage error that says what to pass', async () => {
    const spec = await readFile(join(dir, 'acme.yaml'), 'utf8');
    const r = await runCli(['apply', '-', ...offline], { cwd: dir, stdin: spec, env: MOTO_ENV });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: `apply -` reads the spec from standard input, so its journal has no default place: pass --journal FILE (or --state DIR)');
    const both = await runCli(['apply', 'acme.yaml', '--journal', 'j.jsonl', '--state', 's', ...offline], { cwd: dir, env: MOTO_ENV });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('give --journal FILE or --state DIR, not both');
  });

  it('refuses --state that is a file and --journal that is a directory (BH6205, exit 1)', async () => {
    await writeFile(join(dir, 'state'), 'a file');
    await mkdir(join(dir, 'jdir'));
    const notDir = await runCli(['apply', 'acme.yaml', '--yes', '--state', 'state', ...offline], { cwd: dir, env: MOTO_ENV });
    expect(notDir.code).toBe(1);
    expect(notDir.stderr).toContain('BH6205: a part of the apply journal path `state/acme.apply-journal.jsonl` is a file, not a directory');
    const isDir = await runCli(['apply', 'acme.yaml', '--journal', 'jdir', ...offline], { cwd: dir, env: MOTO_ENV });
    expect(isDir.code).toBe(1);
    expect(isDir.stderr).toContain('BH6205: the apply journal `jdir` is a directory');
    expect(isDir.stderr).not.toContain('internal error');
  });

  it('names the journal line that is not an entry, and keeps the journal as it was', async () => {
    const journal = join(dir, 'acme.apply-journal.jsonl');
    const text = '{"at":"2026-11-01T00:00:00.000Z","run":"r","key":"tag-ou:Root","status":"done"}\n{"at":"2026-11-01T00:00:00.000Z","run":"r","key":["x"],"status":"done"}\n';
    await writeFile(journal, text);
    const r = await runCli(['apply', 'acme.yaml', '--yes', ...offline], { cwd: dir, env: MOTO_ENV });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/acme\.apply-journal\.jsonl:2:1: error BH6205: journal line 2 is not a bulkhead journal entry \(`key`: invalid input: expected string, received array\)/);
    expect(r.stderr).not.toContain('startsWith');
    expect(await readFile(journal, 'utf8')).toBe(text);
  });
});
