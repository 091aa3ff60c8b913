/**
 * `npm run bench:startup` (after `npm run build`): wall time of starting the CLI as a user does, one fresh process
 * per run: `node -e 0` (Node's own start-up, the floor), `node bin/bulkhead.js --version` and
 * `node bin/bulkhead.js plan examples/acme.yaml`. Prints median and p90 of N runs each, and each command's
 * difference to and ratio over `node -e 0`, with the machine, Node version, date and load average, since on a
 * shared machine the figures move with the load. On Linux it also prints the children's CPU time (user + sys, from
 * /proc/self/stat in 10 ms ticks), which moves far less with the load than wall time does. Targets: `--version` within 150 ms of `node -e 0`, `plan` < 600 ms.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.env['BENCH_RUNS'] ?? 15);

interface Case {
  readonly name: string;
  readonly args: readonly string[];
}

const cases: readonly Case[] = [
  { name: 'node -e 0', args: ['-e', '0'] },
  { name: 'bulkhead --version', args: ['bin/bulkhead.js', '--version'] },
  { name: 'bulkhead plan examples/acme.yaml', args: ['bin/bulkhead.js', 'plan', 'examples/acme.yaml'] },
];

interface Sample {
  readonly wallMs: number;
  /** User + system CPU of the child; undefined where /proc is not there. */
  readonly cpuMs: number | undefined;
}

/** CPU milliseconds of this process's waited-for children (Linux: fields cutime + cstime, at 100 ticks a second). */
function childrenCpuMs(): number | undefined {
  if (!existsSync('/proc/self/stat')) return undefined;
  // the command name (field 2) may hold spaces: count the fields after its closing parenthesis
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10; // fields 16 and 17 of proc(5), 0-based from field 3
}

/** One run in a fresh process; a failed run is a broken bench, not a figure. */
function once(c: Case): Sample {
  const cpu0 = childrenCpuMs();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, c.args, { cwd: repo, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const wallMs = performance.now() - t0;
  const cpu1 = childrenCpuMs();
  if (r.status !== 0) throw new Error(`\`${c.name}\` exited ${r.status}: ${r.stderr}`);
  return { wallMs, cpuMs: cpu0 === undefined || cpu1 === undefined ? undefined : cpu1 - cpu0 };
}

/** Median and p90 of values. */
function stats(values: readonly number[]): { median: number; p90: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: quantile(sorted, 0.5), p90: quantile(sorted, 0.9) };
}

/** The q-quantile (nearest rank) of sorted values. */
function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

if (!existsSync(join(repo, 'dist/cli/main.js'))) throw new Error('dist/ is missing: run `npm run build` first');

const load = loadavg().map((l) => l.toFixed(2)).join(', ');
console.log(
  `bench:startup on ${cpus()[0]?.model ?? 'unknown cpu'} (${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB), ` +
    `node ${process.version}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, load average ${load}, ${runs} runs each`,
);
for (const c of cases) once(c); // warm the file cache: the first run after a build reads every file from disk
const samples = new Map<string, Sample[]>();
// interleaved, so a burst of load from elsewhere hits every case alike
for (let i = 0; i < runs; i++) for (const c of cases) samples.set(c.name, [...(samples.get(c.name) ?? []), once(c)]);

const wall = (c: Case) => stats(samples.get(c.name)!.map((x) => x.wallMs));
const cpuValues = (c: Case) => samples.get(c.name)!.map((x) => x.cpuMs).filter((x): x is number => x !== undefined);
const floor = wall(cases[0]!).median;
const cpuFloor = cpuValues(cases[0]!).length > 0 ? stats(cpuValues(cases[0]!)).median : undefined;
console.log(`${'command'.padEnd(34)}  median (ms)  p90 (ms)  median − node (ms)  median / node${cpuFloor === undefined ? '' : '  CPU median (ms)  CPU − node (ms)'}`);
for (const c of cases) {
  const { median, p90 } = wall(c);
  const cpu = cpuFloor === undefined ? '' : `  ${stats(cpuValues(c)).median.toFixed(0).padStart(15)}  ${(stats(cpuValues(c)).median - cpuFloor).toFixed(0).padStart(15)}`;
  console.log(
    `${c.name.padEnd(34)}  ${median.toFixed(0).padStart(11)}  ${p90.toFixed(0).padStart(8)}  ` +
      `${(median - floor).toFixed(0).padStart(18)}  ${(median / floor).toFixed(2).padStart(13)}${cpu}`,
  );
}
console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(', ')}`);
