/**
 * Whole-process `simulate --batch` benchmark (`npm run bench:simulate`; run `npm run build` first).
 *
 * Makes BENCH_LINES (default 60,000) JSON Lines from the engine conformance corpus (bench/simulate-corpus.ts,
 * deterministic), then times BENCH_RUNS (default 3) runs of `node bin/bulkhead.js simulate --batch FILE`
 * (start-up, parsing, validation, evaluation and printing; output to a file), and as many runs of the same
 * requests through the `@cloud-copilot/iam-simulate` library (`runSimulation`, one request after another, in a
 * Node process of its own that reads the same file). Runs alternate so both see the same load. Prints median,
 * min and max of each, the ratio of the medians, and how many decisions agree.
 *
 * The peer is AGPL-licensed and never a dependency of this project: the benchmark installs it with
 * `npm install --prefix` into a scratch folder outside the repository (BENCH_PEER_DIR, default
 * <os tmpdir>/bulkhead-bench-peer; version BENCH_PEER_VERSION). If it cannot be installed, only our figures are
 * printed. BENCH_NO_PEER=1 skips it. BENCH_THREADS (a count or `auto`) passes `--threads` to bulkhead (default: none,
 * which is `auto`).
 *
 * A third process, the *floor*, does less than any batch evaluator in a Node process must: it starts Node, reads
 * the file (one-byte text when it is ASCII), finds each line and JSON.parses its request (the request's end found by
 * a plain text search, cheaper than a correct reader), and writes one constant result line per input line; it loads
 * no module, reads no policy and evaluates nothing. The peer's time over the floor's bounds the ratio any Node
 * evaluator could reach against the peer on this machine and input.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { batchInput } from './simulate-corpus.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const LINES = Number(process.env['BENCH_LINES'] ?? 60_000);
const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const THREADS = process.env['BENCH_THREADS'] === undefined ? [] : ['--threads', process.env['BENCH_THREADS']];
const PEER = `@cloud-copilot/iam-simulate@${process.env['BENCH_PEER_VERSION'] ?? '0.1.173'}`;
const PEER_DIR = process.env['BENCH_PEER_DIR'] ?? join(os.tmpdir(), 'bulkhead-bench-peer');
const work = join(os.tmpdir(), `bulkhead-bench-simulate-${process.pid}`);

/** The peer's side: a plain Node script run in the scratch folder, so it resolves the peer from there. */
const PEER_SCRIPT = String.raw`
import { readFileSync, writeFileSync } from 'node:fs';
import { runSimulation } from '@cloud-copilot/iam-simulate';
const [input, output] = process.argv.slice(2);
const levels = (v, kind) => (Array.isArray(v) ? v : []).map((lvl, i) => ({ orgIdentifier: kind + '-' + i, policies: (Array.isArray(lvl) ? lvl : []).map((policy, j) => ({ name: kind + '-' + i + '-' + j, policy })) }));
const account = (arn) => /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/.exec(String(arn))?.[1] ?? '111122223333';
const strings = (ctx) => Object.fromEntries(Object.entries(ctx ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v)]));
const out = [];
for (const line of readFileSync(input, 'utf8').split('\n')) {
  if (line === '') continue;
  let v;
  try { v = JSON.parse(line); } catch { out.push('error'); continue; }
  const r = v.request ?? {};
  const empty = (p) => p === undefined || (typeof p === 'object' && p !== null && Object.keys(p).length === 0);
  const sim = {
    request: { principal: r.principal, action: r.action, resource: { resource: r.resource, accountId: r.resourceAccount ?? account(r.principal) }, contextVariables: strings(r.context) },
    identityPolicies: (Array.isArray(v.identityPolicies) ? v.identityPolicies : []).map((policy, i) => ({ name: 'identity-' + i, policy })),
    serviceControlPolicies: levels(v.serviceControlPolicies, 'scp'),
    resourceControlPolicies: levels(v.resourceControlPolicies, 'rcp'),
    ...(empty(v.resourcePolicy) ? {} : { resourcePolicy: v.resourcePolicy }),
    ...(empty(v.permissionBoundary) ? {} : { permissionBoundaryPolicies: [{ name: 'boundary', policy: v.permissionBoundary }] }),
    ...(empty(v.sessionPolicy) ? {} : { sessionPolicy: v.sessionPolicy }),
  };
  try {
    const res = await runSimulation(sim, {});
    out.push(res.resultType === 'error' ? 'error' : res.overallResult);
  } catch (e) {
    out.push('error'); // a thrown error is a refused request for this comparison
  }
}
writeFileSync(output, out.join('\n') + '\n');
`;

/** The floor (see the header): a plain Node script with no imports beyond node:fs. */
const FLOOR_SCRIPT = String.raw`
import { readFileSync, writeFileSync } from 'node:fs';
import { isAscii } from 'node:buffer';
const [input, output] = process.argv.slice(2);
const buf = readFileSync(input);
const text = isAscii(buf) ? buf.latin1Slice(0, buf.length) : buf.toString('utf8');
const FIRST = '{"request":';
const RESULT = '{"decision":"ImplicitlyDenied","blockedBy":["identity"],"explanation":[]}\n';
const out = [];
let parsed = 0;
for (let start = 0, nl = text.indexOf('\n'); start < text.length; start = nl + 1, nl = text.indexOf('\n', start)) {
  const stop = nl < 0 ? text.length : nl;
  if (stop > start) {
    // the request's end by a plain text search (a correct reader must scan brackets and strings: more work)
    const end = text.startsWith(FIRST, start) ? text.indexOf('},"', start) + 1 : 0;
    try {
      if (JSON.parse(end > 0 && end < stop ? text.slice(start + FIRST.length, end) : text.slice(start, stop)) !== null) parsed++;
    } catch {}
    out.push(RESULT);
  }
  if (nl < 0) break;
}
writeFileSync(output, out.join(''));
if (parsed === 0) process.exitCode = 1;
`;

interface Run {
  ms: number;
  /** CPU time of the child (user + system), from the reaped children's times in /proc (Linux); NaN elsewhere. */
  cpuMs: number;
  ok: boolean;
  /** The child's exit status (null when a signal ended it). */
  status: number | null;
}

/** CPU milliseconds of this process's reaped children so far (Linux /proc; NaN where unavailable). */
function childrenCpuMs(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from the 3rd on
    return ((Number(f[13]) + Number(f[14])) * 1000) / 100; // cutime + cstime, in clock ticks (USER_HZ = 100)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return Number.NaN;
    throw e;
  }
}

function timeProcess(args: readonly string[], cwd: string, stdoutFile: string): Run {
  const fd = openSync(stdoutFile, 'w');
  const c0 = childrenCpuMs();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd, stdio: ['ignore', fd, 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - t0;
  closeSync(fd);
  if (r.status !== 0 && r.status !== 1) process.stderr.write(r.stderr.toString().slice(0, 2000));
  return { ms, cpuMs: childrenCpuMs() - c0, ok: r.status === 0 || r.status === 1, status: r.status };
}

/** Installs the peer into the scratch folder (once); false when npm cannot. */
function installPeer(): boolean {
  const marker = join(PEER_DIR, 'node_modules', '@cloud-copilot', 'iam-simulate', 'package.json');
  if (!existsSync(marker)) {
    mkdirSync(PEER_DIR, { recursive: true });
    const r = spawnSync('npm', ['install', '--prefix', PEER_DIR, '--no-audit', '--no-fund', PEER], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
    if (r.status !== 0 || !existsSync(marker)) {
      console.log(`peer: could not install ${PEER} into ${PEER_DIR} (npm exit ${r.status ?? r.signal}); printing only our figures`);
      return false;
    }
  }
  writeFileSync(join(PEER_DIR, 'run-peer.mjs'), PEER_SCRIPT);
  return true;
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, min: s[0]!, max: s[s.length - 1]! };
};
const perSec = (ms: number) => Math.round((LINES / ms) * 1000).toLocaleString('en-US');
const line = (name: string, runs: readonly Run[]) => {
  const s = stats(runs.map((r) => r.ms));
  const c = stats(runs.map((r) => r.cpuMs));
  return `${name}: wall median ${(s.median / 1000).toFixed(2)} s = ${perSec(s.median)} requests/s (min ${(s.min / 1000).toFixed(2)} s, max ${(s.max / 1000).toFixed(2)} s, ${runs.length} runs); CPU median ${(c.median / 1000).toFixed(2)} s = ${perSec(c.median)} requests per CPU-second`;
};

/** Decisions as both sides print them: ours from the result lines, `error` for a refused line. */
function ourDecisions(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { decision?: string }).decision ?? 'error');
}

function agreement(ours: readonly string[], peer: readonly string[]): void {
  let same = 0;
  const differ = new Map<string, number>();
  for (let i = 0; i < ours.length; i++) {
    if (ours[i] === peer[i]) same++;
    else differ.set(`ours ${ours[i]} / peer ${peer[i]}`, (differ.get(`ours ${ours[i]} / peer ${peer[i]}`) ?? 0) + 1);
  }
  console.log(`agreement: ${same.toLocaleString('en-US')} of ${ours.length.toLocaleString('en-US')} decisions (${((100 * same) / ours.length).toFixed(1)} %); disagreements:`);
  for (const [k, n] of [...differ].sort((a, b) => b[1] - a[1])) console.log(`  ${n.toLocaleString('en-US')} × ${k}`);
}

function main(): void {
  const bin = join(root, 'bin', 'bulkhead.js');
  if (!existsSync(join(root, 'dist', 'index.js'))) {
    console.log('bench:simulate times the built CLI: run `npm run build` first');
    process.exitCode = 2;
    return;
  }
  mkdirSync(work, { recursive: true });
  const input = join(work, 'input.jsonl');
  writeFileSync(input, `${batchInput(LINES).join('\n')}\n`);
  const peer = process.env['BENCH_NO_PEER'] === '1' ? false : installPeer();
  const load0 = os.loadavg();
  console.log(`bench:simulate on ${os.cpus()[0]?.model ?? 'unknown cpu'} (${os.cpus().length} cores visible), node ${process.version}, ${new Date().toISOString()}`);
  console.log(`input: ${LINES.toLocaleString('en-US')} lines from the engine corpus; load average at start ${load0.map((x) => x.toFixed(2)).join(' ')}`);
  const floorScript = join(work, 'floor.mjs');
  writeFileSync(floorScript, FLOOR_SCRIPT);
  const ours: Run[] = [];
  const theirs: Run[] = [];
  const floor: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    const o = timeProcess([bin, 'simulate', '--batch', ...THREADS, input], root, join(work, 'ours.jsonl'));
    if (!o.ok) throw new Error('bulkhead simulate --batch failed');
    ours.push(o);
    const f = timeProcess([floorScript, input, join(work, 'floor.jsonl')], work, join(work, 'floor-stdout.txt'));
    if (f.status !== 0) throw new Error('the floor script failed');
    floor.push(f);
    if (peer) {
      const p = timeProcess([join(PEER_DIR, 'run-peer.mjs'), input, join(work, 'peer.txt')], PEER_DIR, join(work, 'peer-stdout.txt'));
      if (p.ok) theirs.push(p);
    }
  }
  console.log(line(`bulkhead simulate --batch${THREADS.length > 0 ? ` --threads ${THREADS[1]}` : ''} (whole process)`, ours));
  console.log(line('floor: node reads the file, parses each request, writes a constant line (no evaluation)', floor));
  if (peer && theirs.length > 0) {
    console.log(line(`${PEER} runSimulation (whole process)`, theirs));
    const ratio = (runs: readonly Run[], f: (r: Run) => number) => (stats(theirs.map(f)).median / stats(runs.map(f)).median).toFixed(1);
    console.log(`ratio of medians: ${ratio(ours, (r) => r.ms)}× wall-clock, ${ratio(ours, (r) => r.cpuMs)}× CPU time (target ≥ 50×)`);
    console.log(`peer over floor: ${ratio(floor, (r) => r.ms)}× wall-clock, ${ratio(floor, (r) => r.cpuMs)}× CPU time (the floor does less than any evaluator must: the most a Node evaluator could reach here)`);
    agreement(ourDecisions(join(work, 'ours.jsonl')), readFileSync(join(work, 'peer.txt'), 'utf8').split('\n').filter(Boolean));
  } else if (peer) console.log('peer: every run failed; no ratio');
  console.log(`load average at end ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  rmSync(work, { recursive: true, force: true }); // the 26 MB input and both outputs
}

main();
