/**
 * The Terraform half of `npm run bench:emit`: emits a synthetic organization, then times `terraform init`,
 * `validate` and `plan` (against a moto_server this script starts) on it, with the peak memory summed over
 * terraform and every provider process it starts (resident set sizes of the process tree, sampled every 100 ms
 * from /proc; Linux only).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emitTerraform, type TerraformLayout } from '../src/emit/terraform.js';
import { planFromYaml } from '../src/plan/index.js';
import { motoOverride, terraformCliConfig, writeFiles } from '../test-support/emit/tools.js';
import { benchSpec } from './synthetic-spec.js';

/** One measured terraform command. */
export interface TfMeasure {
  readonly ms: number;
  readonly peakMb: number;
  readonly processes: number;
  readonly code: number;
}

/** Resident memory (kB) of a process, or 0 when it is gone. */
function rssKb(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
    return line ? Number(line.split(/\s+/)[1]) : 0;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ESRCH') return 0;
    throw e;
  }
}

/** The process and all its descendants (from /proc/<pid>/task/<pid>/children). */
function tree(root: number): number[] {
  const out: number[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift()!;
    out.push(pid);
    try {
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const kids = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
        if (kids) queue.push(...kids.split(/\s+/).map(Number));
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' && (e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
    }
  }
  return out;
}

/** Runs terraform in `cwd`, sampling the summed RSS of its process tree. */
function measure(args: readonly string[], cwd: string): Promise<TfMeasure> {
  const t0 = performance.now();
  const p = spawn(process.env['TERRAFORM'] ?? 'terraform', [...args], {
    cwd,
    env: { ...process.env, TF_CLI_CONFIG_FILE: terraformCliConfig(), CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let peak = 0;
  const seen = new Set<number>();
  let stderr = '';
  p.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const timer = setInterval(() => {
    const pids = tree(p.pid!);
    for (const x of pids) seen.add(x);
    peak = Math.max(peak, pids.reduce((n, x) => n + rssKb(x), 0));
  }, 100);
  return new Promise((resolve) => {
    p.on('close', (code) => {
      clearInterval(timer);
      if (code !== 0) process.stderr.write(`terraform ${args[0]} exited ${code}:\n${stderr.slice(-2000)}\n`);
      resolve({ ms: Math.round(performance.now() - t0), peakMb: Math.round(peak / 1024), processes: seen.size, code: code ?? -1 });
    });
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts moto_server on a free loopback port; resolves when it answers. */
export async function startMoto(): Promise<{ url: string; proc: ChildProcess }> {
  const port = await freePort();
  const proc = spawn(process.env['MOTO_SERVER'] ?? 'moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    const up = await fetch(`${url}/moto-api/`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return { url, proc };
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill('SIGTERM');
  throw new Error(`moto_server did not answer on ${url}`);
}

/** What one size measured. */
export interface TfBenchRow {
  readonly accounts: number;
  readonly layout: TerraformLayout;
  readonly providerBlocks: number;
  readonly init: TfMeasure;
  readonly validate: TfMeasure;
  readonly plan: TfMeasure;
}

/** Emits the synthetic spec with `businessUnits` BUs in `layout` and measures init, validate and plan against moto. */
export async function benchTerraform(businessUnits: number, layout: TerraformLayout, motoUrl: string): Promise<TfBenchRow> {
  const planned = planFromYaml(benchSpec(businessUnits), 'bench.yaml');
  if (!planned.ok) throw new Error('bench spec did not plan');
  const emitted = emitTerraform(planned.value, { terraformLayout: layout });
  if (!emitted.ok) throw new Error(`emit failed: ${JSON.stringify(emitted.diagnostics.slice(0, 3))}`);
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-bench-tf-'));
  try {
    writeFiles(dir, emitted.value.files);
    const aliases = [...(emitted.value.files.get('providers.tf') ?? '').matchAll(/alias\s+= "([^"]+)"/g)].map((m) => m[1]!);
    writeFileSync(join(dir, 'moto_override.tf'), motoOverride(motoUrl, aliases));
    await fetch(`${motoUrl}/moto-api/reset`, { method: 'POST' });
    const init = await measure(['init', '-input=false', '-no-color'], dir);
    const validate = await measure(['validate', '-no-color'], dir);
    const plan = await measure(['plan', '-input=false', '-no-color', '-refresh=true', '-out=plan.bin'], dir);
    return { accounts: planned.value.accounts.length, layout, providerBlocks: aliases.length + 1, init, validate, plan };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
