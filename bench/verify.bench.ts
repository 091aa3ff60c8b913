/**
 * `npm run bench:verify`: synthesises organizations of 1,000, 2,000, 5,000 and 10,000 accounts (20 roles and 50 resources per
 * account, SCPs, some cross-account trust and resource policies) and times `verify` on each with the real engine.
 * Each size runs in its own child process so peak memory (max RSS) is per size. Prints what it measured, including the
 * main thread's garbage-collection pauses during verify (`main GC s`, from `gc` performance entries).
 *
 * Options: `--sizes 1000,2000,5000,10000` to choose sizes (the default); `--threads N` (default: as many as the
 * cores and the child's heap limit allow, `memoryThreads` in src/operations/verify-threads.ts; unlike `verify`'s
 * `auto`, the load average and the organization's size are not read, so a loaded machine still gets every core);
 * `--heap MB` the V8 old-space limit of each child (default: the budget the CLI gives `verify`, `DEFAULT_HEAP_MB` in
 * src/cli/heap-launch.ts, so the figures are what a user gets; a larger one lets V8 grow the heap well ahead of the
 * live data); `--v8-default` runs the children without the V8 options the CLI adds for `verify` (ANALYSIS_V8_FLAGS
 * in src/cli/heap-launch.ts), to compare; `--compare` instead checks that the JSON reports of 60
 * and 150 accounts are byte-identical on one and on several threads (prints their SHA-1, exit 1 when they differ);
 * `--one N` is the child mode.
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { synthOrganization } from '../src/synthetic/index.js';
import { availableParallelism, loadavg } from 'node:os';
import { heapLimitBytes, memoryThreads, verifyModelParallel } from '../src/operations/verify-threads.js';
import { renderJson } from '../src/report/json.js';
import { ANALYSIS_V8_FLAGS, DEFAULT_HEAP_MB } from '../src/cli/heap-launch.js';
import { benchVerifyOptions, optionValue, runChild, timeVerify } from './common.js';

interface Row {
  threads: number;
  accounts: number;
  roles: number;
  resources: number;
  synthMs: number;
  verifyMs: number;
  verifyCpuMs: number;
  gcMs: number;
  renderMs: number;
  capabilityQueries: number;
  assumeQueries: number;
  prunedPairs: number;
  edges: number;
  findings: number;
  maxRssMb: number;
}

async function one(n: number, threads: number): Promise<Row> {
  const t = await timeVerify({ accounts: n, rolesPerAccount: 20, resourcesPerAccount: 50, violations: true }, `synth-${n}`, threads);
  const { model, report } = t;
  return {
    threads,
    accounts: model.accounts.length,
    roles: model.roles.length,
    resources: model.resources.length,
    synthMs: t.synthMs,
    verifyMs: t.verifyMs,
    verifyCpuMs: t.verifyCpuMs,
    gcMs: t.gcMs,
    renderMs: t.renderMs,
    capabilityQueries: report.summary.stats.capabilityQueries,
    assumeQueries: report.summary.stats.assumeQueries,
    prunedPairs: report.summary.stats.prunedPairs,
    edges: report.summary.assumeEdges,
    findings: report.findings.length,
    maxRssMb: t.maxRssMb,
  };
}

/** The JSON report of a synthetic organization of `n` accounts on `threads` threads, and its SHA-1. */
async function reportDigest(n: number, threads: number): Promise<string> {
  const model = synthOrganization({ accounts: n, rolesPerAccount: 20, resourcesPerAccount: 50, violations: true });
  const report = await verifyModelParallel(model, benchVerifyOptions(`synth-${n}`, threads));
  return createHash('sha1').update(renderJson(report, new Date(0))).digest('hex');
}

/** The synthetic organization's nodes (principals and resources) per account: 20 roles and 50 resources. */
const NODES_PER_ACCOUNT = 70;

const args = process.argv.slice(2);
// 0: chosen in each child from the cores and the child's heap limit
const threads = args.includes('--threads') ? Number(optionValue(args, '--threads')) : 0;
if (args.includes('--one')) {
  const n = Number(optionValue(args, '--one'));
  const chosen = threads > 0 ? threads : Math.min(availableParallelism(), memoryThreads(n * NODES_PER_ACCOUNT, heapLimitBytes()));
  process.stdout.write(`${JSON.stringify(await one(n, chosen))}\n`);
} else if (args.includes('--compare')) {
  // the JSON reports of 60 and 150 accounts must be byte-identical on one and on several threads
  let same = true;
  for (const n of [60, 150]) {
    const digests = [await reportDigest(n, 1), await reportDigest(n, Math.max(2, threads))];
    same &&= digests[0] === digests[1];
    console.log(`${n} accounts: 1 thread ${digests[0]}, ${Math.max(2, threads)} threads ${digests[1]}${digests[0] === digests[1] ? '' : ' DIFFERENT'}`);
  }
  process.exitCode = same ? 0 : 1;
} else {
  const sizes = (args.includes('--sizes') ? optionValue(args, '--sizes')! : '1000,2000,5000,10000').split(',').map(Number);
  const script = fileURLToPath(import.meta.url);
  const heapMb = args.includes('--heap') ? Number(optionValue(args, '--heap')) : DEFAULT_HEAP_MB;
  const v8Flags = args.includes('--v8-default') ? [] : ANALYSIS_V8_FLAGS;
  console.log(`verify benchmark on ${new Date().toISOString()}, node ${process.version}, ${availableParallelism()} cores, ${threads > 0 ? `${threads} thread(s)` : 'threads by cores and heap limit'}, heap limit ${heapMb} MB, V8 options ${v8Flags.length > 0 ? v8Flags.join(' ') : "V8's defaults"}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log('accounts  roles  resources  synth s  verify s  verify CPU s  main GC s  json s  cap.queries  assume q.  pruned pairs  edges  findings  max RSS MB  threads');
  const rows: Row[] = [];
  for (const n of sizes) {
    const row = runChild<Row>(script, n, threads, heapMb, v8Flags);
    if (!row) continue;
    rows.push(row);
    console.log(
      [
        String(row.accounts).padStart(8),
        String(row.roles).padStart(6),
        String(row.resources).padStart(10),
        (row.synthMs / 1000).toFixed(2).padStart(8),
        (row.verifyMs / 1000).toFixed(2).padStart(9),
        (row.verifyCpuMs / 1000).toFixed(2).padStart(13),
        (row.gcMs / 1000).toFixed(2).padStart(10),
        (row.renderMs / 1000).toFixed(2).padStart(7),
        String(row.capabilityQueries).padStart(12),
        String(row.assumeQueries).padStart(10),
        String(row.prunedPairs).padStart(13),
        String(row.edges).padStart(6),
        String(row.findings).padStart(9),
        row.maxRssMb.toFixed(0).padStart(11),
        String(row.threads).padStart(8),
      ].join(' '),
    );
  }
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1]!;
    const b = rows[i]!;
    console.log(`growth ${a.accounts} -> ${b.accounts} accounts (x${(b.accounts / a.accounts).toFixed(1)}): verify time x${(b.verifyMs / a.verifyMs).toFixed(1)}, CPU x${(b.verifyCpuMs / a.verifyCpuMs).toFixed(1)}`);
  }
}
