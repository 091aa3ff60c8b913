/**
 * Start-up of `simulate --batch FILE`: it loads the policy engine and the catalogue, but no schema library, YAML or
 * AWS SDK (reading the file used to pull the snapshot schemas, and zod with them, through io/output). The CLI runs
 * in a child process (from the sources, through tsx) with a module hook that lists every module it resolves.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = join(dirname(fileURLToPath(import.meta.url)), '../../..');
let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bulkhead-simulate-startup-'));
  writeFileSync(
    join(dir, 'hooks.mjs'),
    "import { writeSync } from 'node:fs';\nexport async function resolve(s, c, next) {\n  const r = await next(s, c);\n  writeSync(2, `LOADED ${r.url}\\n`);\n  return r;\n}\n",
  );
  writeFileSync(join(dir, 'register.mjs'), "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n");
  const line = { request: { principal: 'arn:aws:iam::111122223333:user/alice', action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' }, identityPolicies: [] };
  writeFileSync(join(dir, 'batch.jsonl'), `${JSON.stringify(line)}\n`);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('simulate --batch start-up', () => {
  it('loads no zod, YAML, AWS SDK or snapshot schemas', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--import', pathToFileURL(join(dir, 'register.mjs')).href, 'test-support/cli-process.ts', 'simulate', '--batch', join(dir, 'batch.jsonl')], {
      cwd: repo,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(run.stdout).toContain('"decision":"ImplicitlyDenied"');
    const loaded = run.stderr.split('\n').filter((l) => l.startsWith('LOADED ')).map((l) => l.slice('LOADED '.length));
    expect(loaded.some((m) => m.includes('src/policy/evaluate.ts'))).toBe(true);
    expect(loaded.filter((m) => /node_modules\/(@aws-sdk|@smithy|zod|yaml)\/|src\/(snapshot|aws|verify|plan)\//.test(m))).toEqual([]);
  }, 60_000);
});
