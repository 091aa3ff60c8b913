/**
 * `npm run bench:migrate`: `bulkhead migrate` through the `migrate` operation (reading the snapshot directory,
 * planning the target spec, the coupling graph with shared data from the policy engine, partition, waves, and the
 * projected organization verified) on two synthetic kitchen-sink organizations written with the snapshot writer:
 *
 * - `1x5000`: one account holding 5,000 resources (1,000 stacks of 5: stack, function, table, queue, bucket);
 * - `200x200`: 200 accounts × 200 resources (40 stacks each).
 *
 * Stacks rotate over dev/stage/prod × payments/shop; every 7th stack is untagged (its name decides); every 10th
 * function also reads a table of the other business unit in its phase (shared data that becomes a cross-account
 * grant). Targets: < 30 s and < 1 GB each. Options: `--case 1x5000|200x200|all` (default all), `--runs N` (default 1).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSnapshot } from '../src/io/snapshot-files.js';
import { InventoryBuilder, organizationOf, snapshotWithInventory, TARGET_SPEC } from '../src/migrate/testdata/kitchen-sink.js';
import { nodeHost } from '../src/operations/host.js';
import { migrate } from '../src/operations/migrate.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const PHASES = ['dev', 'stage', 'prod'];
const UNITS = ['payments', 'shop'];

/** One account of `stacks` stacks of 5 resources. */
function account(index: number, stacks: number): InventoryBuilder {
  const id = String(300000000000 + index);
  const b = new InventoryBuilder(`legacy-${index}`, id);
  for (let s = 0; s < stacks; s++) {
    const phase = PHASES[s % 3]!;
    const bu = UNITS[Math.floor(s / 3) % 2]!;
    const name = `${bu}-${phase}-svc${s}`;
    b.stack(name, s % 7 === 0 ? {} : { Environment: phase, BusinessUnit: bu });
    const table = b.table(`${name}-table`, {}, name);
    const queue = b.queue(`${name}-queue`, {}, name);
    const bucket = b.bucket(`${name}-bucket-${id}`, {}, name);
    const other = `arn:aws:dynamodb:us-east-1:${id}:table/${UNITS[(Math.floor(s / 3) + 1) % 2]}-${phase}-svc${s + 3}-table`;
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

async function runCase(label: string, accounts: number, stacksPerAccount: number, runs: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-bench-migrate-'));
  try {
    let t = performance.now();
    const model = organizationOf(Array.from({ length: accounts }, (_, i) => account(i, stacksPerAccount)));
    const w = await writeSnapshot(join(dir, 'snap'), snapshotWithInventory(model, new Date('2026-12-01T00:00:00Z')));
    if (!w.ok) throw new Error(JSON.stringify(w.diagnostics));
    console.log(`${label}: ${accounts} account(s), ${model.inventory!.resources.length} resources, ${model.roles.length} roles; snapshot written in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      t = performance.now();
      const cpu0 = process.cpuUsage();
      const r = await migrate({ snapshot: join(dir, 'snap'), spec: { text: TARGET_SPEC, label: 'target.yaml' }, format: 'html' }, nodeHost({ report: () => {} }));
      const ms = performance.now() - t;
      const cpu = process.cpuUsage(cpu0);
      if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
      times.push(ms);
      const p = r.value.plan;
      console.log(
        `  run ${i + 1}: ${(ms / 1000).toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} CPU-s; ${p.groups.length} groups, ${p.edges.length} couplings, ${p.waves.length} waves, cross-account ${p.dependencies.before} → ${p.dependencies.after}, ${p.grants.length} grants, proof ${p.proof ? (p.proof.holds ? 'holds' : 'does not hold') : 'none'}; html ${(r.value.rendered!.length / 1e6).toFixed(1)} MB`,
      );
    }
    times.sort((a, b) => a - b);
    console.log(`  median ${(times[Math.floor(times.length / 2)]! / 1000).toFixed(1)} s over ${runs} run(s); peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (process so far)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const which = arg('--case', 'all');
  const runs = Number(arg('--runs', '1'));
  console.log(`migrate benchmark on ${new Date().toISOString()}, node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}), load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  if (which === 'all' || which === '1x5000') await runCase('1x5000', 1, 1000, runs);
  if (which === 'all' || which === '200x200') await runCase('200x200', 200, 40, runs);
}

await main();
