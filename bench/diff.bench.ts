/**
 * `npm run bench:diff`: two synthetic 1,000-account snapshots (20 roles and 50 resources per account, as
 * bench/verify.bench.ts) that differ in 1 % of the accounts (10 accounts: one role in each gets a new inline policy
 * with a statement granting S3 data access on every bucket), written with the snapshot writer, then `bulkhead diff`
 * through the `diff` operation (reading both directories, verifying both, comparing). Prints what it measured.
 *
 * Options: `--accounts N` (default 1000), `--runs N` (default 1), `--threads N` (threads for the before side's engine
 * questions; default `auto`, which is 1 on a busy machine), `--phases` (then one more diff, step by step on one
 * thread, with the CPU time of each step: loading both sides, the before side, the after side, comparing).
 * `npm run bench:diff` runs it with the heap budget and V8 options `bulkhead diff` gets from its launcher
 * (src/cli/heap-launch.ts; a test holds the script to them).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSnapshot } from '../src/io/snapshot-files.js';
import type { OrganizationModel } from '../src/model/organization.js';
import { nodeHost } from '../src/operations/host.js';
import { deltaSide, diff, loadSides } from '../src/operations/diff.js';
import { analyseSide, cacheFor, compareSides } from '../src/delta/delta.js';
import { synthOrganization, synthSnapshot } from '../src/synthetic/index.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** The same organization with one role in every 100th member account given S3 data access everywhere. */
function changed(model: OrganizationModel): { model: OrganizationModel; accounts: number } {
  const members = model.accounts.filter((a) => a.name !== model.organization.managementAccount).map((a) => a.name);
  const pick = new Set(members.filter((_, i) => i % 100 === 0));
  const done = new Set<string>();
  const roles = model.roles.map((r) => {
    if (!pick.has(r.account) || done.has(r.account)) return r;
    done.add(r.account);
    const grant = { Version: '2012-10-17', Statement: [{ Sid: 'BenchAllBuckets', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: '*' }] };
    return { ...r, policies: [...r.policies, { name: 'bench-added', kind: 'inline' as const, document: grant }] };
  });
  return { model: { ...model, roles }, accounts: done.size };
}

/** The median of `values` (the lower middle one for an even count). */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/** CPU-seconds of this process so far. */
function cpuSeconds(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
}

/** The diff of `main`, step by step (as `computeDelta` does it for two snapshots), with each step's CPU time. */
async function phases(dir: string): Promise<void> {
  let t = cpuSeconds();
  const lap = (step: string) => {
    const now = cpuSeconds();
    const spent = now - t;
    t = now;
    return `${step} ${spent.toFixed(1)}`;
  };
  const loaded = await loadSides({ before: join(dir, 'before'), after: join(dir, 'after') }, nodeHost({ report: () => {} }));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
  const [b, a] = [deltaSide(loaded.value.before, 'before'), deltaSide(loaded.value.after, 'after')];
  const steps = [lap('loading')];
  const cache = cacheFor(b);
  const before = analyseSide(b, {}, cache, 'engine');
  steps.push(lap('before side'));
  const after = analyseSide(a, {}, cacheFor(a, cache), before.graph);
  steps.push(lap('after side'));
  compareSides({ ...b, ...before }, { ...a, ...after });
  steps.push(lap('comparing'));
  console.log(`phases (CPU-s): ${steps.join(', ')}; engine questions ${cache.misses} asked, ${cache.hits} answered from the cache`);
}

async function main(): Promise<void> {
  const n = arg('--accounts', 1000);
  const runs = arg('--runs', 1);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${runs}`);
  const threadsArg = process.argv.indexOf('--threads');
  const threads = threadsArg >= 0 ? Number(process.argv[threadsArg + 1]) : 'auto';
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-bench-diff-'));
  try {
    let t = performance.now();
    const before = synthOrganization({ accounts: n, rolesPerAccount: 20, resourcesPerAccount: 50, violations: true });
    const after = changed(before);
    const at = new Date('2026-12-01T00:00:00Z');
    for (const [name, m] of [['before', before], ['after', after.model]] as const) {
      const w = await writeSnapshot(join(dir, name), synthSnapshot(m, at));
      if (!w.ok) throw new Error(JSON.stringify(w.diagnostics));
    }
    console.log(`diff benchmark on ${new Date().toISOString()}, node ${process.version}, ${availableParallelism()} cores, load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
    console.log(`${before.accounts.length} accounts, ${before.roles.length} roles, ${before.resources.length} resources; ${after.accounts} accounts changed; snapshots written in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      t = performance.now();
      const cpu0 = process.cpuUsage();
      const r = await diff({ before: join(dir, 'before'), after: join(dir, 'after'), threads }, nodeHost({ report: (e) => (e.kind === 'progress' && i === 0 ? console.log(e.message) : undefined) }));
      const ms = performance.now() - t;
      const cpu = process.cpuUsage(cpu0);
      if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
      times.push(ms);
      const s = r.value.summary;
      console.log(
        `run ${i + 1}: diff ${(ms / 1000).toFixed(1)} s (CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s), max RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB; structural ${s.structural.changed + s.structural.added + s.structural.removed}, access gained ${s.access.gained} lost ${s.access.lost}, findings new ${s.findings.new} resolved ${s.findings.resolved} unchanged ${s.findings.unchanged}`,
      );
    }
    // the median of the timed runs only, printed before the step-by-step diff (which is not timed as a run)
    console.log(`median of ${runs}: ${(median(times) / 1000).toFixed(1)} s (target < 30 s)`);
    if (process.argv.includes('--phases')) await phases(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
