/**
 * Where verify's memory goes, step by step: synthesises `bench:verify`'s organization of N accounts (default 300),
 * runs verify on one thread and prints, before each step (from its progress events) and after the report, the
 * heap after two full collections, RSS and the process's CPU time. With `--snapshot STEP` it also writes a heap
 * snapshot (`verify-N-STEP.heapsnapshot` in the working directory) when STEP begins, e.g. `external access` (the
 * engine phase's end, evaluator alive) or `structural rules` (evaluator dropped, graph assembled);
 * `bench/heap-by-field.mjs` summarises one. Run with `node --expose-gc --import tsx bench/verify-memory.ts [N]`.
 */
import { writeHeapSnapshot } from 'node:v8';
import { synthOrganization } from '../src/synthetic/index.js';
import { verifyModelParallel } from '../src/operations/verify-threads.js';
import { renderJson } from '../src/report/json.js';

const args = process.argv.slice(2);
const n = Number(args.find((a) => /^\d+$/.test(a)) ?? 300);
const snapshotAt = args.includes('--snapshot') ? args[args.indexOf('--snapshot') + 1] : undefined;
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run node with --expose-gc');
const mb = (x: number) => (x / 1048576).toFixed(1);
const mark = (label: string) => {
  gc();
  gc();
  const m = process.memoryUsage();
  const c = process.cpuUsage();
  console.log(`${label.padEnd(40)} heap ${mb(m.heapUsed).padStart(7)} MB  external ${mb(m.external).padStart(6)} MB  rss ${mb(m.rss).padStart(7)} MB  cpu ${((c.user + c.system) / 1e6).toFixed(1)} s`);
};
mark('start');
const model = synthOrganization({ accounts: n, rolesPerAccount: 20, resourcesPerAccount: 50, violations: true });
mark('model synthesised');
let last = '';
const report = await verifyModelParallel(model, {
  target: `synth-${n}`,
  threads: 1,
  evaluatorOptions: { defaultRegion: 'us-east-1', organizationId: 'o-synth0000' },
  progress: (e) => {
    if (e.step === last) return;
    last = e.step;
    mark(`before ${e.step}`);
    if (e.step === snapshotAt) writeHeapSnapshot(`verify-${n}-${e.step.replace(/\W+/g, '-')}.heapsnapshot`);
  },
});
mark('report (model and report alive)');
const json = renderJson(report, new Date(0));
console.log(`${report.findings.length} findings, JSON ${mb(json.length)} MB, max RSS ${mb(process.resourceUsage().maxRSS * 1024)} MB`);
