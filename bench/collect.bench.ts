/**
 * Benchmark: `collect` over an emulated organization (moto_server on a free loopback port).
 * Builds ACCOUNTS accounts × ROLES roles (+ a group, a user and BUCKETS buckets each), then times a full
 * collect (Organizations, IAM through AssumeRole, resources in one region) and the snapshot load.
 * The collect is the library's `collectToDirectory` (as the CLI runs it): each account is streamed to the staging
 * area beside the output as it is read, so memory must not grow with the organization: the bench samples the
 * process's RSS and heap while it runs and FAILS (exit 1) when the peak RSS passes BENCH_MAX_RSS_MB (default 400).
 * Prints what it measured. Env: BENCH_ACCOUNTS (500), BENCH_ROLES (5), BENCH_BUCKETS (1), BENCH_CONCURRENCY (8),
 * BENCH_THROTTLE (0; e.g. 0.3 collects through the throttling proxy answering that fraction with throttling errors),
 * BENCH_MAX_RSS_MB (400).
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEmulatedOrg } from '../test-support/emulated-org.js';
import { loadSnapshotDir } from '../src/io/snapshot-files.js';
import { collectToDirectory } from '../src/operations/collect.js';
import { nodeHost } from '../src/operations/host.js';
import { startThrottleProxy, type ThrottleProxy } from '../test-support/throttle-proxy.js';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
const ACCOUNTS = Number(process.env['BENCH_ACCOUNTS'] ?? 500);
const ROLES = Number(process.env['BENCH_ROLES'] ?? 5);
const BUCKETS = Number(process.env['BENCH_BUCKETS'] ?? 1);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 8);
const THROTTLE = Number(process.env['BENCH_THROTTLE'] ?? 0);
const MAX_RSS_MB = Number(process.env['BENCH_MAX_RSS_MB'] ?? 400);
const mb = (n: number) => n / 1024 / 1024;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const port = await freePort();
const endpoint = `http://127.0.0.1:${port}`;
const moto = spawn(process.env['MOTO_SERVER'] ?? 'moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
const out = await mkdtemp(join(tmpdir(), 'bh-bench-collect-'));
try {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${endpoint}/moto-api/`)).ok) break;
    } catch {
      /* starting */
    }
    if (i > 300) throw new Error('moto_server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  // 2 phases per BU, so BUs = accounts / (2 × accountsPerOu); 10 accounts per OU.
  const perOu = 10;
  const bus = Array.from({ length: Math.ceil(ACCOUNTS / (2 * perOu)) }, (_, i) => `bu${String(i).padStart(2, '0')}`);
  let t = performance.now();
  const built = await buildEmulatedOrg({ endpoint, businessUnits: bus, accountsPerOu: perOu, rolesPerAccount: ROLES, bucketsPerAccount: BUCKETS, concurrency: 8 });
  const buildS = (performance.now() - t) / 1000;
  console.log(`built ${built.accounts.length} member accounts × ${ROLES} roles, ${BUCKETS} bucket(s) each, in ${buildS.toFixed(1)} s (setup, not measured)`);

  let proxy: ThrottleProxy | undefined;
  if (THROTTLE > 0) proxy = await startThrottleProxy({ target: endpoint, throttleRate: THROTTLE, seed: 1 });
  const load = loadavg()[0] ?? 0;
  global.gc?.();
  const before = { rss: process.memoryUsage().rss, heap: process.memoryUsage().heapUsed };
  let peak = { rss: before.rss, heap: before.heap };
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peak = { rss: Math.max(peak.rss, m.rss), heap: Math.max(peak.heap, m.heapUsed) };
  }, 200);
  t = performance.now();
  const result = await collectToDirectory(
    {
      connection: { region: 'us-east-1', endpoint: proxy?.url ?? endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } },
      out: join(out, 'snap'),
      regions: ['us-east-1'],
      accountConcurrency: CONCURRENCY,
      scheduler: { readConcurrency: CONCURRENCY, baseDelayMs: 20 },
    },
    nodeHost(),
  );
  const collectS = (performance.now() - t) / 1000;
  clearInterval(sampler);
  await proxy?.close();
  if (!result.ok) throw new Error(`collect failed: ${result.diagnostics.map((d) => d.message).join('; ')}`);
  const { calls, retries } = result.value;
  const maxRss = process.resourceUsage().maxRSS * 1024;
  t = performance.now();
  const model = await loadSnapshotDir(join(out, 'snap'));
  const loadS = (performance.now() - t) / 1000;
  if (!model.ok) throw new Error('snapshot did not load');
  const c = result.value.snapshot.manifest.counts;
  console.log(
    `collect: ${c.accountsCollected}/${c.accounts} accounts, ${c.roles} roles, ${c.users} users, ${c.resources} resources, ${c.accountsFailed} failed; ` +
      `${calls} calls, ${retries} retries in ${collectS.toFixed(1)} s = ${(calls / collectS).toFixed(0)} calls/s (concurrency ${CONCURRENCY}${THROTTLE > 0 ? `, ${THROTTLE * 100} % throttled by the proxy` : ''})`,
  );
  for (const e of result.value.snapshot.manifest.errors.slice(0, 5)) console.log(`  error: account ${e.accountName ?? ''} (${e.accountId}) ${e.stage}: ${e.message}`);
  console.log(
    `memory during collect (this process; moto is another): RSS ${mb(before.rss).toFixed(0)} MB before, peak ${mb(peak.rss).toFixed(0)} MB sampled, ` +
      `${mb(maxRss).toFixed(0)} MB max RSS of the process; heap ${mb(before.heap).toFixed(0)} MB before, peak ${mb(peak.heap).toFixed(0)} MB`,
  );
  console.log(`load into model (after the collect, not part of the bound): ${loadS.toFixed(2)} s (${model.value.roles.length} roles in the model)`);
  console.log(`machine: ${cpus().length} cores, 1-min load average ${load.toFixed(1)} when collect started (the box is shared)`);
  // The time target is defined for the default organization only (500 accounts × 5 roles, docs/benchmarks.md).
  if (ACCOUNTS === 500 && ROLES === 5) console.log(`target < 60 s: ${collectS < 60 ? 'met' : 'NOT met'}`);
  else console.log(`no time target for ${ACCOUNTS} accounts × ${ROLES} roles (the < 60 s target is for 500 × 5)`);
  const peakMb = mb(peak.rss);
  console.log(`memory bound: peak RSS during collect ${peakMb.toFixed(0)} MB ${peakMb <= MAX_RSS_MB ? '<=' : '>'} ${MAX_RSS_MB} MB: ${peakMb <= MAX_RSS_MB ? 'met' : 'NOT met'}`);
  if (peakMb > MAX_RSS_MB) process.exitCode = 1;
} finally {
  moto.kill('SIGTERM');
  await rm(out, { recursive: true, force: true });
}
