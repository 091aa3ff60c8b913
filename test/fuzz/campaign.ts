/**
 * The fuzz campaign: for each target, `count` cases from one seed, each in its own temporary directory, judged
 * in-process and (every `cliEvery`-th case) through a CLI process too. Collects per-target figures and the failing
 * cases, and writes each failing case as a reproducer.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCase, type FuzzCase, type Target } from './cases.js';
import { judgeCli, judgeInProcess, type CliMode, type Verdict } from './oracle.js';

/** Campaign settings. */
export interface CampaignOptions {
  readonly seed: number;
  /** Cases per target. */
  readonly count: number;
  readonly targets: readonly Target[];
  /** Every n-th case also runs through a CLI process (0: never). */
  readonly cliEvery: number;
  readonly cliMode: CliMode;
  /** Mutation classes left out, per target (`target:class` or `*:class`); they are counted, not run. */
  readonly exclude?: readonly string[];
  /** Only this case index (replay). */
  readonly only?: number;
  /** The first case index (default 0): a run resumed after a crash. */
  readonly start?: number;
  /** Called before each case is judged (to name the case that hangs or runs out of memory). */
  readonly onStart?: (c: FuzzCase) => void;
  /** Called after each case. */
  readonly onCase?: (c: FuzzCase, verdicts: readonly Verdict[], figures: Readonly<TargetFigures>) => void;
}

/** One failing case. */
export interface Failure {
  readonly case: FuzzCase;
  readonly verdicts: readonly Verdict[];
}

/** The figures of one target. */
export interface TargetFigures {
  readonly target: Target;
  tried: number;
  cli: number;
  excluded: number;
  failures: number;
  longestMs: number;
  longestCase: string;
  readonly classes: Record<string, number>;
}

/** What a campaign found. */
export interface CampaignResult {
  readonly figures: TargetFigures[];
  readonly failures: Failure[];
  readonly ms: number;
}

function excluded(options: CampaignOptions, target: Target, cls: string): boolean {
  return (options.exclude ?? []).some((e) => e === `${target}:${cls}` || e === `*:${cls}`);
}

async function runCase(options: CampaignOptions, target: Target, index: number, figures: TargetFigures, failures: Failure[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), `bulkhead-fuzz-${target}-`));
  try {
    const c = await makeCase(target, options.seed, index, dir);
    if (excluded(options, target, c.cls)) {
      figures.excluded++;
      return;
    }
    figures.tried++;
    figures.classes[c.cls] = (figures.classes[c.cls] ?? 0) + 1;
    options.onStart?.(c);
    const verdicts = [await judgeInProcess(c, dir)];
    if (options.cliEvery > 0 && index % options.cliEvery === 0) {
      // a fresh input for the process: the in-process run may have written `out`
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir);
      await makeCase(target, options.seed, index, dir);
      verdicts.push(judgeCli(c, dir, options.cliMode));
      figures.cli++;
    }
    for (const v of verdicts) {
      if (v.ms > figures.longestMs) {
        figures.longestMs = v.ms;
        figures.longestCase = `${target} #${index} ${c.cls} (${v.mode}): ${c.note.slice(0, 100)}`;
      }
    }
    if (verdicts.some((v) => v.problems.length > 0)) {
      figures.failures++;
      failures.push({ case: c, verdicts });
    }
    options.onCase?.(c, verdicts, figures);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the campaign. */
export async function runCampaign(options: CampaignOptions): Promise<CampaignResult> {
  const start = performance.now();
  const figures: TargetFigures[] = [];
  const failures: Failure[] = [];
  for (const target of options.targets) {
    const f: TargetFigures = { target, tried: 0, cli: 0, excluded: 0, failures: 0, longestMs: 0, longestCase: '', classes: {} };
    figures.push(f);
    const from = options.start ?? 0;
    const indexes = options.only !== undefined ? [options.only] : Array.from({ length: Math.max(0, options.count - from) }, (_, i) => from + i);
    for (const i of indexes) await runCase(options, target, i, f, failures);
  }
  return { figures, failures, ms: performance.now() - start };
}

/** A one-line summary of a failure: the case, what was changed, what was wrong. */
export function describeFailure(f: Failure): string {
  const c = f.case;
  const problems = f.verdicts.flatMap((v) => v.problems.map((p) => `[${v.mode}, ${v.outcome}] ${p}`));
  return `${c.target} seed ${c.seed} case ${c.index} (${c.cls}) base ${c.base}: ${c.note}\n    ${problems.join('\n    ')}`;
}

/** What kind of failure a case shows: its target, class and problems with the case's particulars taken out. */
export function signature(f: Failure): string {
  const problems = f.verdicts.flatMap((v) => v.problems.map((p) => `[${v.mode}] ${p}`));
  const generic = problems.map((p) => p.replace(/`[^`]*`/g, '`…`').replace(/"[^"]*"/g, '"…"').replace(/\d+/g, 'N').replace(/\(file [^)]*\)/g, ''));
  return `${f.case.target} ${f.case.cls}: ${[...new Set(generic)].join('; ')}`;
}

/** Writes a failing case as a reproducer: the input's bytes and a JSON description with the replay command. */
export function writeReproducer(f: Failure, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const c = f.case;
  const stem = `${c.target}-${c.cls}-s${c.seed}-c${c.index}`;
  const ext = c.target === 'snapshot' ? (c.bytes ? '.json' : '') : c.target === 'simulate' ? '.jsonl' : '.yaml';
  if (c.bytes) writeFileSync(join(dir, `${stem}.input${ext}`), c.bytes);
  const description = {
    target: c.target,
    class: c.cls,
    seed: c.seed,
    case: c.index,
    base: c.base,
    mutation: c.note,
    ...(c.format ? { format: c.format } : {}),
    ...(c.bytes ? { input: `${stem}.input${ext}`, inputIs: c.target === 'snapshot' ? `the mutated file inside the snapshot` : c.input } : {}),
    replay: `npm run fuzz -- --target ${c.target} --seed ${c.seed} --case ${c.index}`,
    observed: f.verdicts.map((v) => ({ mode: v.mode, outcome: v.outcome, ms: Math.round(v.ms), problems: v.problems })),
  };
  writeFileSync(join(dir, `${stem}.json`), `${JSON.stringify(description, null, 2)}\n`);
  return stem;
}
