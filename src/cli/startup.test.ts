/**
 * Start-up cost: every command's implementation is imported when it runs, so `--version`, `--help` and usage
 * errors load commander and the command table only, `plan` never loads the AWS SDK, and `simulate --batch` no
 * schema library. The CLI runs in a child
 * process (from the sources, through tsx) with a module hook that lists every module it resolves.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_FORMATS } from '../report/render.js';
import { SEVERITIES } from '../verify/finding.js';
import { VERIFY_REPORT_FORMATS, VERIFY_SEVERITIES } from './commands/verify.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '../..');
let hookDir = '';

beforeAll(() => {
  hookDir = mkdtempSync(join(tmpdir(), 'bulkhead-startup-'));
  writeFileSync(
    join(hookDir, 'hooks.mjs'),
    "import { writeSync } from 'node:fs';\n" +
      'export async function resolve(specifier, context, next) {\n' +
      '  const r = await next(specifier, context);\n' +
      "  writeSync(2, `LOADED ${r.url}\\n`);\n" +
      '  return r;\n' +
      '}\n',
  );
  writeFileSync(join(hookDir, 'register.mjs'), "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n");
});

afterAll(() => rmSync(hookDir, { recursive: true, force: true }));

/** What one CLI run printed and the modules (URLs, repository-relative inside it) it resolved. */
function cliRun(args: readonly string[]): { stdout: string; modules: string[] } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--import', pathToFileURL(join(hookDir, 'register.mjs')).href, 'test-support/cli-process.ts', ...args], {
    cwd: repo,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  const modules = run.stderr
    .split('\n')
    .filter((l) => l.startsWith('LOADED '))
    .map((l) => l.slice('LOADED '.length).replace(`${pathToFileURL(repo).href}/`, ''));
  return { stdout: run.stdout, modules };
}

/** The modules one CLI run resolves. */
const modulesLoadedBy = (args: readonly string[]): string[] => cliRun(args).modules;

const heavy = (modules: readonly string[]): string[] =>
  modules.filter((m) => /node_modules\/(@aws-sdk|@smithy|zod|yaml)\/|src\/(catalog|aws|policy|plan|report|verify|operations)\//.test(m));

describe('start-up', () => {
  it('`--version` and `--help` load commander and the command table only', () => {
    const version = modulesLoadedBy(['--version']);
    expect(version.some((m) => m.endsWith('src/cli/commands/index.ts'))).toBe(true);
    expect(heavy(version)).toEqual([]);
    expect(heavy(modulesLoadedBy(['verify', '--help']))).toEqual([]);
  }, 60_000);

  it('a usage error loads no implementation either', () => {
    expect(heavy(modulesLoadedBy(['verify', 'x', '--format', 'nope']))).toEqual([]);
  }, 60_000);

  it('`plan` loads the planner but not the AWS SDK', () => {
    const modules = modulesLoadedBy(['plan', 'examples/acme.yaml']);
    expect(modules.some((m) => m.endsWith('src/plan/index.ts'))).toBe(true);
    expect(modules.filter((m) => /node_modules\/(@aws-sdk|@smithy)\/|src\/aws\/clients\.ts/.test(m))).toEqual([]);
  }, 60_000);

  it('`simulate --batch FILE` loads the engine but no zod, YAML, AWS SDK or snapshot schemas', () => {
    // reading the file used to pull the snapshot schemas, and zod with them, through io/output
    const batch = join(hookDir, 'batch.jsonl');
    const line = { request: { principal: 'arn:aws:iam::111122223333:user/alice', action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' }, identityPolicies: [] };
    writeFileSync(batch, `${JSON.stringify(line)}\n`);
    const run = cliRun(['simulate', '--batch', batch]);
    expect(run.stdout).toContain('"decision":"ImplicitlyDenied"');
    expect(run.modules.some((m) => m.endsWith('src/policy/evaluate.ts'))).toBe(true);
    expect(run.modules.filter((m) => /node_modules\/(@aws-sdk|@smithy|zod|yaml)\/|src\/(snapshot|aws|verify|plan)\//.test(m))).toEqual([]);
  }, 60_000);

  it('the choices spelled out in the verify command table match the report and finding modules', () => {
    expect([...VERIFY_REPORT_FORMATS]).toEqual([...REPORT_FORMATS]);
    expect([...VERIFY_SEVERITIES]).toEqual([...SEVERITIES]);
  });
});
