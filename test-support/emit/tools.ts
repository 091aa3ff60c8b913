/**
 * Running the real tools the emit tests validate with: Terraform (offline, through the repo's CLI config and the
 * provider mirror) and cfn-lint. A missing tool makes the test fail with a message saying what to install; it is
 * never skipped.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO } from './models.js';

/** What a tool run printed and returned. */
export interface ToolRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Runs a command; rejects with install advice when the binary is not found. */
export function run(bin: string, args: readonly string[], opts: { cwd: string; env?: Record<string, string>; install: string }): Promise<ToolRun> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const p = spawn(bin, [...args], { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    p.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    p.on('error', (e: NodeJS.ErrnoException) =>
      reject(new Error(e.code === 'ENOENT' ? `\`${bin}\` is not installed or not on PATH: ${opts.install}` : `cannot run \`${bin}\`: ${e.message}`)),
    );
    p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr, ms: Date.now() - start }));
  });
}

/** Provider mirror: BULKHEAD_TF_PLUGIN_MIRROR, default /opt/tf-plugins (see terraform/cli.tfrc). */
export function pluginMirror(): string {
  return process.env['BULKHEAD_TF_PLUGIN_MIRROR'] ?? '/opt/tf-plugins';
}

let cliConfig: string | undefined;

/** The Terraform CLI config to use: the repo's terraform/cli.tfrc, or a copy pointing at another mirror. */
export function terraformCliConfig(): string {
  if (cliConfig) return cliConfig;
  const repoFile = join(REPO, 'terraform/cli.tfrc');
  const mirror = pluginMirror();
  if (mirror === '/opt/tf-plugins') return (cliConfig = repoFile);
  const copy = join(mkdtempSync(join(tmpdir(), 'bulkhead-tfrc-')), 'cli.tfrc');
  writeFileSync(copy, readFileSync(repoFile, 'utf8').replace('"/opt/tf-plugins"', JSON.stringify(mirror)));
  return (cliConfig = copy);
}

/** Runs terraform offline in `cwd` (TF_CLI_CONFIG_FILE → the mirror, no checkpoint calls, no prompts). */
export function terraform(args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<ToolRun> {
  return run(process.env['TERRAFORM'] ?? 'terraform', args, {
    cwd,
    env: { TF_CLI_CONFIG_FILE: terraformCliConfig(), CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0', ...env },
    install: 'install Terraform ≥ 1.5 (https://developer.hashicorp.com/terraform/install) and mirror the AWS provider (README: Requirements), or set TERRAFORM',
  });
}

/** Runs cfn-lint (`pip install cfn-lint`). */
export function cfnLint(args: readonly string[], cwd: string): Promise<ToolRun> {
  return run(process.env['CFN_LINT'] ?? 'cfn-lint', args, { cwd, install: 'install cfn-lint (`pip install cfn-lint`), or set CFN_LINT' });
}

/** Fails with the tool's output when it did not exit as expected. */
export function expectExit(r: ToolRun, code: number, what: string): void {
  if (r.code !== code) throw new Error(`${what} exited ${r.code} (expected ${code}):\n${r.stdout}\n${r.stderr}`);
}

/** Writes emitted files under `dir`. */
export function writeFiles(dir: string, files: ReadonlyMap<string, string>): void {
  for (const [rel, content] of files) {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
}

/** Provider settings that point every configuration (default and aliases) at moto (a Terraform override file). */
export function motoOverride(endpoint: string, aliases: readonly string[]): string {
  const body = (alias?: string) =>
    [
      'provider "aws" {',
      ...(alias ? [`  alias                       = "${alias}"`] : []),
      '  access_key                  = "testing"',
      '  secret_key                  = "testing"',
      '  skip_credentials_validation = true',
      '  skip_requesting_account_id  = true',
      '  skip_metadata_api_check     = true',
      '  skip_region_validation      = true',
      '',
      '  endpoints {',
      `    organizations = "${endpoint}"`,
      `    iam           = "${endpoint}"`,
      `    sts           = "${endpoint}"`,
      `    cloudformation = "${endpoint}"`,
      '  }',
      '}',
    ].join('\n');
  return `${[body(), ...aliases.map(body)].join('\n\n')}\n`;
}
