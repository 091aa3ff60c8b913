/**
 * The mutation fuzzer (`npm run fuzz [-- --seed S --count N --target T[,T…] --case I --cli-every K --cli dist|tsx
 * --out DIR --exclude target:class,… --trace]`): mutated example specs through plan, emit and verify, mutated
 * simulate batches, corrupted snapshots. Prints the seed, then per target the inputs tried, failures and the
 * longest case; writes every failing case as a reproducer into DIR (default .tmp/fuzz-findings/). Exit 1 on any
 * failure. See docs/fuzzing.md.
 *
 * Each target runs in a child process, so an input that exhausts the heap or kills the process is a finding
 * (recorded with its reproducer) instead of the end of the campaign: the child names each case before judging it,
 * and after a crash the target resumes at the next case.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCase, ROOT, TARGETS, type Target } from '../test/fuzz/cases.js';
import { describeFailure, runCampaign, signature, writeReproducer, type Failure, type TargetFigures } from '../test/fuzz/campaign.js';
import type { CliMode } from '../test/fuzz/oracle.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function intArg(name: string, fallback: number): number {
  const v = arg(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) {
    process.stderr.write(`--${name} takes a non-negative integer, got \`${v}\`\n`);
    process.exit(2);
  }
  return n;
}

const seed = intArg('seed', Date.now() % 2 ** 31);
const only = arg('case') !== undefined ? intArg('case', 0) : undefined;
const targets = (arg('target') ?? TARGETS.join(',')).split(',') as Target[];
for (const t of targets) {
  if (!TARGETS.includes(t)) {
    process.stderr.write(`--target takes ${TARGETS.join('|')} (comma-separated), got \`${t}\`\n`);
    process.exit(2);
  }
}
const count = intArg('count', 3000);
const cliEvery = intArg('cli-every', only !== undefined ? 1 : 20);
const cliMode = (arg('cli') ?? (existsSync(join(ROOT, 'dist/cli/main.js')) ? 'dist' : 'tsx')) as CliMode;
const out = arg('out') ?? join(ROOT, '.tmp/fuzz-findings');
const exclude = arg('exclude')?.split(',') ?? [];
const trace = process.argv.includes('--trace');

/** What a child hands back: its figures and its failures (summarized; the reproducers are written already). */
interface ChildResult {
  figures: TargetFigures;
  failures: { signature: string; stem: string; description: string }[];
  /** The target ran to its end (false: the child died after the last case recorded here). */
  done: boolean;
}

/** Child mode: one target from case `start`, every case named in `traceFile` before it is judged; the figures and
 * failures so far are in `resultFile` after every case (`done` once the target is finished). */
async function child(target: Target, start: number, traceFile: string, resultFile: string): Promise<void> {
  const failures: ChildResult['failures'] = [];
  const save = (figures: TargetFigures, done: boolean): void => writeFileSync(resultFile, JSON.stringify({ figures, failures, done } satisfies ChildResult));
  const result = await runCampaign({
    seed,
    count,
    targets: [target],
    cliEvery,
    cliMode,
    exclude,
    start,
    ...(only !== undefined ? { only } : {}),
    onStart: (c) => {
      writeFileSync(traceFile, String(c.index));
      if (trace) process.stderr.write(`fuzz: ${c.target} #${c.index} ${c.cls}: ${c.note.slice(0, 120)} (heap ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MB)\n`);
    },
    onCase: (c, verdicts, figures) => {
      if (verdicts.some((v) => v.problems.length > 0)) {
        const f: Failure = { case: c, verdicts };
        failures.push({ signature: signature(f), stem: writeReproducer(f, out), description: describeFailure(f) });
      }
      save(figures, false);
      if (only !== undefined) {
        process.stdout.write(`${c.target} #${c.index} ${c.cls} base ${c.base}: ${c.note}\n`);
        for (const v of verdicts) process.stdout.write(`  ${v.mode}: ${v.outcome} in ${Math.round(v.ms)} ms${v.problems.length ? `\n    ${v.problems.join('\n    ')}` : ''}\n`);
      } else if ((c.index + 1) % 250 === 0) process.stderr.write(`fuzz: ${target} ${c.index + 1} cases…\n`);
    },
  });
  save(result.figures[0]!, true);
}

/** Records the case a child died in as a failure with its reproducer. */
async function crashFailure(target: Target, index: number, how: string): Promise<ChildResult['failures'][number]> {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-fuzz-crash-'));
  try {
    const c = await makeCase(target, seed, index, dir);
    const f: Failure = { case: c, verdicts: [{ mode: 'in-process', ms: 0, outcome: how, problems: [`the process died: ${how}`] }] };
    return { signature: signature(f), stem: writeReproducer(f, out), description: describeFailure(f) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs one target in child processes, resuming after each crash. */
async function supervise(target: Target, work: string): Promise<ChildResult> {
  const total: ChildResult = { figures: { target, tried: 0, cli: 0, excluded: 0, failures: 0, longestMs: 0, longestCase: '', classes: {} }, failures: [], done: true };
  let start = 0;
  for (;;) {
    const traceFile = join(work, `${target}.trace`);
    const resultFile = join(work, `${target}.json`);
    rmSync(resultFile, { force: true });
    const run = spawnSync(process.execPath, ['--max-old-space-size=2048', '--import', 'tsx', join(ROOT, 'scripts/fuzz.ts'), ...process.argv.slice(2), '--child', `${target}:${start}:${traceFile}:${resultFile}`], { stdio: 'inherit' });
    if (existsSync(resultFile)) {
      const r = JSON.parse(readFileSync(resultFile, 'utf8')) as ChildResult;
      merge(total.figures, r.figures);
      total.failures.push(...r.failures);
      if (r.done) return total;
    }
    const index = Number(readFileSync(traceFile, 'utf8'));
    const how = run.signal ? `signal ${run.signal}` : `exit ${run.status}`;
    process.stderr.write(`fuzz: ${target} case ${index} killed the process (${how}); resuming at ${index + 1}\n`);
    total.failures.push(await crashFailure(target, index, how));
    total.figures.tried++;
    total.figures.failures++;
    if (only !== undefined) return total;
    start = index + 1;
  }
}

function merge(into: TargetFigures, from: TargetFigures): void {
  into.tried += from.tried;
  into.cli += from.cli;
  into.excluded += from.excluded;
  into.failures += from.failures;
  if (from.longestMs > into.longestMs) {
    into.longestMs = from.longestMs;
    into.longestCase = from.longestCase;
  }
  for (const [k, n] of Object.entries(from.classes)) into.classes[k] = (into.classes[k] ?? 0) + n;
}

async function parent(): Promise<void> {
  process.stdout.write(
    `fuzz: seed ${seed}, ${only !== undefined ? `case ${only}` : `${count} cases`} per target (${targets.join(', ')}), every ${cliEvery || '∞'}th through the CLI (${cliMode})` +
      `; ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`,
  );
  if (cliMode === 'dist') process.stdout.write('fuzz: the CLI runs from dist/ — run `npm run build` first so it matches the sources\n');
  mkdirSync(out, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'bulkhead-fuzz-run-'));
  const started = performance.now();
  const results: ChildResult[] = [];
  for (const t of targets) results.push(await supervise(t, work));
  rmSync(work, { recursive: true, force: true });
  process.stdout.write('\ntarget    tried   cli  excluded  failures  longest\n');
  for (const { figures: f } of results) {
    process.stdout.write(`${f.target.padEnd(9)} ${String(f.tried).padStart(5)} ${String(f.cli).padStart(5)} ${String(f.excluded).padStart(9)} ${String(f.failures).padStart(9)}  ${Math.round(f.longestMs)} ms — ${f.longestCase}\n`);
  }
  const failures = results.flatMap((r) => r.failures);
  process.stdout.write(`total ${results.reduce((n, r) => n + r.figures.tried, 0)} cases in ${((performance.now() - started) / 1000).toFixed(1)} s, ${failures.length} failing\n`);
  if (failures.length) {
    // one line per kind of failure, with its first case in full; every case is written as a reproducer
    const kinds = new Map<string, typeof failures>();
    for (const f of failures) kinds.set(f.signature, [...(kinds.get(f.signature) ?? []), f]);
    process.stdout.write(`\n${kinds.size} kinds of failure (reproducers in ${out}):\n`);
    for (const [kind, fs] of [...kinds].sort((a, b) => b[1].length - a[1].length)) {
      process.stdout.write(`\n${fs.length} × ${kind}\n  first: ${fs[0]!.stem}: ${fs[0]!.description}\n`);
    }
  }
  process.exitCode = failures.length ? 1 : 0;
}

const childSpec = arg('child');
if (childSpec) {
  const [target, start, traceFile, resultFile] = childSpec.split(':') as [Target, string, string, string];
  await child(target, Number(start), traceFile, resultFile);
} else await parent();
