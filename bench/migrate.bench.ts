/**
 * `npm run bench:migrate`: `bulkhead migrate SNAPSHOT --spec TARGET --format html --out FILE --fail-on-proof` as a
 * user runs it — the built CLI (`dist/`, `npm run build` first) in a child process, on a snapshot directory on disk
 * — so the figures (wall, CPU user + system, max RSS of the child) are the command's own, not the generator's or the
 * snapshot writer's. Two synthetic kitchen-sink organizations, written with the snapshot writer:
 *
 * - `1x5000`: one account holding 5,000 resources (1,000 stacks of 5: stack, function, table, queue, bucket);
 * - `200x200`: 200 accounts × 200 resources (40 stacks each).
 *
 * Stacks rotate over dev/stage/prod × payments/shop; every 7th stack is untagged (its name decides); every 10th
 * function also reads a table of the other business unit in its phase (shared data that becomes a cross-account
 * grant). Resource and role names are unique per legacy account (`payments-dev-svc3-a17-table`), as in real
 * organizations: bucket names are global, and tables, queues, functions and roles are named after their stack and
 * account. A documented share of accounts (every 50th, `--colliding-every N`, 0 for none) keeps names they share
 * with each other, so the projection's collision path (two legacy resources at one ARN in a target account) is
 * measured too. Targets: < 30 s and < 1 GB each. Options: `--case 1x5000|200x200|all` (default all), `--runs N`
 * (default 3; the median is printed), `--node-arg ARG` (repeatable, e.g. `--cpu-prof`) passed to the child's node.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSnapshot } from '../src/io/snapshot-files.js';
import { InventoryBuilder, organizationOf, snapshotWithInventory, TARGET_SPEC } from '../src/migrate/testdata/kitchen-sink.js';
import { median } from './common.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

function args(name: string): string[] {
  return process.argv.flatMap((a, i) => (a === name && process.argv[i + 1] !== undefined ? [process.argv[i + 1]!] : []));
}

const PHASES = ['dev', 'stage', 'prod'];
const UNITS = ['payments', 'shop'];

/** One account of `stacks` stacks of 5 resources; `shared` keeps names without the account (colliding ones). */
function account(index: number, stacks: number, shared: boolean): InventoryBuilder {
  const id = String(300000000000 + index);
  const b = new InventoryBuilder(`legacy-${index}`, id);
  const suffix = shared ? '' : `-a${index}`;
  for (let s = 0; s < stacks; s++) {
    const phase = PHASES[s % 3]!;
    const bu = UNITS[Math.floor(s / 3) % 2]!;
    const name = `${bu}-${phase}-svc${s}${suffix}`;
    b.stack(name, s % 7 === 0 ? {} : { Environment: phase, BusinessUnit: bu });
    const table = b.table(`${name}-table`, {}, name);
    const queue = b.queue(`${name}-queue`, {}, name);
    const bucket = b.bucket(`${bu}-${phase}-svc${s}-bucket-${id}`, {}, name); // bucket names are global: never shared
    const other = `arn:aws:dynamodb:us-east-1:${id}:table/${UNITS[(Math.floor(s / 3) + 1) % 2]}-${phase}-svc${s + 3}${suffix}-table`;
    const grants = [
      { actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], resources: [table] },
      { actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage'], resources: [queue] },
      ...(s % 10 === 0 && s + 3 < stacks ? [{ actions: ['dynamodb:GetItem'], resources: [other] }] : []),
    ];
    const fn = b.fn(`${name}-fn`, {}, name, grants);
    b.ref('lambda-env', fn, table, 'TABLE');
    b.ref('event-source', queue, fn, `mapping ${s}`);
    b.ref('bucket-notification', bucket, queue, 'events s3:ObjectCreated:*');
  }
  return b;
}

/** The newest modification time of the TypeScript sources under src/ (to refuse a stale `dist/`). */
function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

interface Run {
  readonly wallS: number;
  readonly cpuS: number;
  readonly rssMb: number;
  readonly load: number;
  readonly status: number | null;
  readonly stderr: string;
  readonly htmlMb: number;
}

/** One child run of `bulkhead migrate`, with its own resource usage (bench/child-usage.mjs). */
function runChild(dir: string, nodeArgs: readonly string[]): Run {
  const usage = join(dir, 'usage.json');
  const out = join(dir, 'plan.html');
  rmSync(usage, { force: true });
  const load = loadavg()[0]!;
  const t = performance.now();
  const r = spawnSync(
    process.execPath,
    [...nodeArgs, '--import', join(repo, 'bench/child-usage.mjs'), join(repo, 'bin/bulkhead.js'), 'migrate', 'snap', '--spec', 'target.yaml', '--format', 'html', '--out', out, '--fail-on-proof'],
    { cwd: dir, env: { ...process.env, BULKHEAD_BENCH_USAGE: usage }, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 << 20 },
  );
  const wallS = (performance.now() - t) / 1000;
  if (!existsSync(usage)) throw new Error(`the child wrote no usage (status ${r.status}, signal ${r.signal}): ${r.stderr}`);
  const u = JSON.parse(readFileSync(usage, 'utf8')) as { userUs: number; systemUs: number; maxRssKb: number };
  const htmlMb = existsSync(out) ? statSync(out).size / 1e6 : 0;
  return { wallS, cpuS: (u.userUs + u.systemUs) / 1e6, rssMb: u.maxRssKb / 1024, load, status: r.status, stderr: r.stderr.trim(), htmlMb };
}


async function runCase(label: string, accounts: number, stacksPerAccount: number, runs: number, collidingEvery: number, nodeArgs: readonly string[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-bench-migrate-'));
  try {
    const t = performance.now();
    const shared = (i: number) => collidingEvery > 0 && i % collidingEvery === collidingEvery - 1;
    const model = organizationOf(Array.from({ length: accounts }, (_, i) => account(i, stacksPerAccount, shared(i))));
    const w = await writeSnapshot(join(dir, 'snap'), snapshotWithInventory(model, new Date('2026-12-01T00:00:00Z')));
    if (!w.ok) throw new Error(JSON.stringify(w.diagnostics));
    writeFileSync(join(dir, 'target.yaml'), TARGET_SPEC);
    const colliding = Array.from({ length: accounts }, (_, i) => i).filter(shared).length;
    console.log(
      `${label}: ${accounts} account(s) (${colliding} with shared names), ${model.inventory!.resources.length} resources, ${model.roles.length} roles; snapshot written in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    const done: Run[] = [];
    for (let i = 0; i < runs; i++) {
      const r = runChild(dir, nodeArgs);
      done.push(r);
      const summary = r.stderr.split('\n').filter((l) => l.startsWith('wrote ') || l.includes('incomplete')).join(' | ');
      console.log(
        `  run ${i + 1}: ${r.wallS.toFixed(1)} s wall, ${r.cpuS.toFixed(1)} CPU-s, max RSS ${r.rssMb.toFixed(0)} MB, load ${r.load.toFixed(1)}; exit ${r.status}${r.status === 3 ? ' (the proof does not hold)' : ''}; html ${r.htmlMb.toFixed(1)} MB; ${summary}`,
      );
      if (r.status !== 0 && r.status !== 3) throw new Error(`migrate failed (exit ${r.status}):\n${r.stderr}`);
    }
    console.log(
      `  median over ${runs} run(s): ${median(done.map((r) => r.wallS)).toFixed(1)} s wall, ${median(done.map((r) => r.cpuS)).toFixed(1)} CPU-s, max RSS ${median(done.map((r) => r.rssMb)).toFixed(0)} MB (largest ${Math.max(...done.map((r) => r.rssMb)).toFixed(0)} MB); load ${median(done.map((r) => r.load)).toFixed(1)}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const built = join(repo, 'dist/cli/main.js');
  if (!existsSync(built) || statSync(built).mtimeMs < newestSource(join(repo, 'src'))) throw new Error('dist/ is missing or older than src/: run `npm run build` first');
  const which = arg('--case', 'all');
  const runs = Number(arg('--runs', '3'));
  const collidingEvery = Number(arg('--colliding-every', '50'));
  const nodeArgs = args('--node-arg');
  console.log(`migrate benchmark on ${new Date().toISOString()}, node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}), load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  if (which === 'all' || which === '1x5000') await runCase('1x5000', 1, 1000, runs, 0, nodeArgs);
  if (which === 'all' || which === '200x200') await runCase('200x200', 200, 40, runs, collidingEvery, nodeArgs);
}

await main();
