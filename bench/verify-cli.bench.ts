/**
 * `npm run bench:verify-cli` (after `npm run build`): `bulkhead verify` as a user runs it, through `bin/bulkhead.js`
 * and the heap launcher (src/cli/heap-launch.ts), on synthetic organizations written to disk by the CLI itself
 * (`bulkhead synth --accounts N --roles 20 --resources 50 --violations --out DIR`).
 *
 * Per size it prints the snapshot's size on disk and, as the median of `--runs` runs: wall time; CPU time (user +
 * system of the whole process tree, launcher and re-executed child, from this process's cutime + cstime in
 * /proc/self/stat: the launcher waits for its child, so the child's CPU is in it); and max RSS, read as VmHWM (the
 * kernel's high-water mark of resident memory) from /proc/<pid>/status of the launcher and of each child it starts,
 * sampled every 50 ms while they run (the last sample of a process is at most 50 ms before it exits). It reports
 * the launcher's, the largest child's and their sum (what the tree held at most, at worst at once).
 * Linux only (/proc). Prints the load average and `uptime`: on a shared machine compare CPU time and max RSS.
 *
 * Options: `--sizes 1000,2000` (default 1000; 8 to 10000, synth's range); `--runs N` (default 3); `--threads N`
 * passed to verify (default: verify's own `auto`). `BULKHEAD_MAX_HEAP_MB` is passed through (default budget 1800 MB).
 * The snapshot takes about 35 KB per account on disk (35 MB at 1,000 accounts, so about 350 MB at 10,000), in a
 * temporary directory: one size at a time, removed after its runs and at the end (also on Ctrl-C). With
 * `BULKHEAD_MAX_HEAP_MB=node` there is no child: the launcher column is then the whole run. With `BENCH_HOLD_FILE=PATH` it waits before each
 * run while that file exists (a quiet window kept for someone else's measurement on a shared machine).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(repo, 'bin/bulkhead.js');
const HOLD = process.env['BENCH_HOLD_FILE'];

/** The value after `flag` in the command line, if given. */
function option(flag: string): string | undefined {
  const at = process.argv.indexOf(flag);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

/** A whole number option, or exit 2 with what was wrong. */
function wholeNumbers(flag: string, fallback: string, min: number, max: number): number[] {
  const text = option(flag) ?? fallback;
  const values = text.split(',').map((s) => Number(s.trim()));
  if (values.some((v) => !Number.isInteger(v) || v < min || v > max)) {
    process.stderr.write(`error: ${flag} \`${text}\`: expected whole numbers from ${min} to ${max}, comma-separated\n`);
    process.exit(2);
  }
  return values;
}

/** User + system CPU milliseconds of this process's waited-for children (cutime + cstime, 100 ticks a second). */
function childrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

/** VmHWM of a process in MB, or undefined once it is gone. */
function highWaterMb(pid: number): number | undefined {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? undefined : Number(m[1]) / 1024;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ESRCH') return undefined;
    throw e;
  }
}

/** The pids of a process's children (the kernel's list where it keeps one, else a scan of /proc). */
function childrenOf(pid: number): number[] {
  const list = `/proc/${pid}/task/${pid}/children`;
  try {
    if (existsSync(list)) return readFileSync(list, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    return [];
  }
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const s = readFileSync(`/proc/${d}/stat`, 'utf8');
        return Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw e;
      }
    })
    .map(Number);
}

/** Bytes under a directory. */
function diskBytes(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.size;
  return readdirSync(path).reduce((sum, name) => sum + diskBytes(join(path, name)), 0);
}

/** Waits while someone else's quiet window is open. */
async function waitForQuiet(): Promise<void> {
  if (HOLD === undefined || HOLD === '' || !existsSync(HOLD)) return;
  process.stderr.write(`waiting: ${HOLD} exists (a quiet window)\n`);
  while (existsSync(HOLD)) await new Promise((r) => setTimeout(r, 20_000));
}

interface Sample {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly launcherMb: number;
  readonly childMb: number;
  readonly children: number;
  readonly code: number | null;
}

/** One `bulkhead verify` run, its tree sampled until it exits. */
async function verifyOnce(snapshot: string, threads: string | undefined): Promise<Sample> {
  const cpu0 = childrenCpuMs();
  const t0 = performance.now();
  const args = [bin, 'verify', snapshot, ...(threads === undefined ? [] : ['--threads', threads])];
  const proc = spawn(process.execPath, args, { cwd: repo, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
  const peak = new Map<number, number>(); // pid → last VmHWM seen
  const sample = () => {
    for (const pid of [proc.pid!, ...childrenOf(proc.pid!)]) {
      const mb = highWaterMb(pid);
      if (mb !== undefined) peak.set(pid, mb);
    }
  };
  const timer = setInterval(sample, 50);
  sample();
  const code = await new Promise<number | null>((resolve) => proc.once('exit', (c) => resolve(c)));
  clearInterval(timer);
  const wallMs = performance.now() - t0;
  await new Promise((r) => setImmediate(r)); // let the stderr pipe drain
  if (code !== 0 && code !== 3 && code !== 4) throw new Error(`verify exited ${code}: ${stderr}`);
  const childMbs = [...peak].filter(([pid]) => pid !== proc.pid).map(([, mb]) => mb);
  return { wallMs, cpuMs: childrenCpuMs() - cpu0, launcherMb: peak.get(proc.pid!) ?? 0, childMb: Math.max(0, ...childMbs), children: childMbs.length, code };
}

/** The median of values. */
function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Synthesises one size, times it `runs` times, prints its row. */
async function benchSize(n: number, runs: number, threads: string | undefined, root: string): Promise<void> {
  const snapshot = join(root, `synth-${n}`);
  await waitForQuiet();
  const t0 = performance.now();
  const synth = spawnSync(process.execPath, [bin, 'synth', '--accounts', String(n), '--roles', '20', '--resources', '50', '--violations', '--out', snapshot], { cwd: repo, encoding: 'utf8' });
  if (synth.status !== 0) throw new Error(`synth exited ${synth.status}: ${synth.stderr}`);
  const synthS = (performance.now() - t0) / 1000;
  const diskMb = diskBytes(snapshot) / 1024 / 1024;
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    await waitForQuiet();
    const s = await verifyOnce(snapshot, threads);
    samples.push(s);
    process.stderr.write(`  ${n} accounts run ${i + 1}: ${(s.wallMs / 1000).toFixed(1)} s wall, ${(s.cpuMs / 1000).toFixed(1)} CPU-s, max RSS launcher ${s.launcherMb.toFixed(0)} MB + child ${s.childMb.toFixed(0)} MB (${s.children} child), exit ${s.code}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
  }
  const m = (f: (s: Sample) => number) => median(samples.map(f));
  console.log(
    `| ${n} | ${diskMb.toFixed(0)} MB | ${synthS.toFixed(1)} s | ${(m((s) => s.wallMs) / 1000).toFixed(1)} s | ${(m((s) => s.cpuMs) / 1000).toFixed(1)} s | ` +
      `${m((s) => s.launcherMb).toFixed(0)} MB | ${m((s) => s.childMb).toFixed(0)} MB | ${m((s) => s.launcherMb + s.childMb).toFixed(0)} MB | ${samples[0]!.code} |`,
  );
  rmSync(snapshot, { recursive: true, force: true }); // one snapshot on disk at a time
}

async function mainBench(): Promise<void> {
  if (!existsSync('/proc/self/status')) throw new Error('this benchmark reads /proc (Linux only)');
  if (!existsSync(join(repo, 'dist/cli/heap-launch.js'))) throw new Error('dist/ is not built: run `npm run build` first');
  const sizes = wholeNumbers('--sizes', '1000', 8, 10_000);
  const [runs] = wholeNumbers('--runs', '3', 1, 100);
  const threads = option('--threads');
  const root = mkdtempSync(join(tmpdir(), 'bulkhead-verify-cli-'));
  const cleanUp = () => rmSync(root, { recursive: true, force: true });
  for (const s of ['SIGINT', 'SIGTERM'] as const) process.once(s, () => (cleanUp(), process.exit(130)));
  const uptime = spawnSync('uptime', { encoding: 'utf8' }).stdout.trim();
  console.log(`verify through bin/bulkhead.js: ${new Date().toISOString()}, Node ${process.version}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GB`);
  console.log(`heap budget: BULKHEAD_MAX_HEAP_MB=${process.env['BULKHEAD_MAX_HEAP_MB'] ?? '(unset: 1800)'}; NODE_OPTIONS=${process.env['NODE_OPTIONS'] ?? '(unset)'}; threads ${threads ?? 'auto'}; median of ${runs}`);
  console.log(`uptime at start: ${uptime}`);
  console.log('| accounts | snapshot on disk | synth | wall | CPU (user+sys, tree) | max RSS launcher | max RSS child | sum | exit |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  try {
    for (const n of sizes) await benchSize(n, runs ?? 3, threads, root);
  } finally {
    cleanUp();
  }
  console.log(`uptime at end: ${spawnSync('uptime', { encoding: 'utf8' }).stdout.trim()}`);
}

await mainBench();
