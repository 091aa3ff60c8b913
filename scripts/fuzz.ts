/**
 * The mutation fuzzer (`npm run fuzz [-- --seed S --count N --target T[,T…] --case I --cli-every K --cli dist|tsx
 * --out DIR --exclude target:class,…]`): mutated example specs through plan, emit and verify, mutated simulate
 * batches, corrupted snapshots. Prints the seed, then per target the inputs tried, failures and the longest case;
 * writes every failing case as a reproducer into DIR (default fuzz-findings/). Exit 1 on any failure.
 * See docs/fuzzing.md.
 */
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { ROOT, TARGETS, type Target } from '../test/fuzz/cases.js';
import { describeFailure, runCampaign, writeReproducer } from '../test/fuzz/campaign.js';
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
const out = arg('out') ?? join(ROOT, 'fuzz-findings');
const exclude = arg('exclude')?.split(',') ?? [];

process.stdout.write(
  `fuzz: seed ${seed}, ${only !== undefined ? `case ${only}` : `${count} cases`} per target (${targets.join(', ')}), every ${cliEvery || '∞'}th through the CLI (${cliMode})` +
    `; ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`,
);
if (cliMode === 'dist') process.stdout.write('fuzz: the CLI runs from dist/ — run `npm run build` first so it matches the sources\n');

let done = 0;
const result = await runCampaign({
  seed,
  count,
  targets,
  cliEvery,
  cliMode,
  exclude,
  ...(only !== undefined ? { only } : {}),
  onCase: (c, verdicts) => {
    done++;
    if (only !== undefined) {
      process.stdout.write(`${c.target} #${c.index} ${c.cls} base ${c.base}: ${c.note}\n`);
      for (const v of verdicts) process.stdout.write(`  ${v.mode}: ${v.outcome} in ${Math.round(v.ms)} ms${v.problems.length ? `\n    ${v.problems.join('\n    ')}` : ''}\n`);
    } else if (done % 250 === 0) process.stderr.write(`fuzz: ${done} cases…\n`);
  },
});

process.stdout.write('\ntarget    tried   cli  excluded  failures  longest\n');
for (const f of result.figures) {
  process.stdout.write(`${f.target.padEnd(9)} ${String(f.tried).padStart(5)} ${String(f.cli).padStart(5)} ${String(f.excluded).padStart(9)} ${String(f.failures).padStart(9)}  ${Math.round(f.longestMs)} ms — ${f.longestCase}\n`);
}
process.stdout.write(`total ${result.figures.reduce((n, f) => n + f.tried, 0)} cases in ${(result.ms / 1000).toFixed(1)} s, ${result.failures.length} failing\n`);
if (result.failures.length) {
  process.stdout.write(`\nfailures (reproducers in ${out}):\n`);
  for (const f of result.failures) process.stdout.write(`  ${writeReproducer(f, out)}: ${describeFailure(f)}\n`);
}
process.exitCode = result.failures.length ? 1 : 0;
