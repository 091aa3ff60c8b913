/**
 * The standing fuzz campaign, CI share: a fixed seed, a few hundred mutated inputs over every target (plan, emit,
 * verify, simulate batches, corrupted snapshots), judged in-process, and a few of them through a CLI process (the
 * sources through tsx, so the test never runs a stale dist/). `npm run fuzz` runs thousands; see docs/fuzzing.md.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, TARGETS, type FuzzCase, type Target } from './cases.js';
import { describeFailure, runCampaign } from './campaign.js';
import { mutate, rngFor } from './mutate.js';
import { judgeCli, judgeInProcess } from './oracle.js';
import { copyTemplate } from './snapshot.js';

/** The findings' reproducers (test/fuzz/findings/README.md): fixed now, replayed as regression inputs. */
const FINDINGS = join(ROOT, 'test/fuzz/findings');

interface Reproducer {
  readonly target: Target;
  readonly class: string;
  readonly seed: number;
  readonly case: number;
  readonly base: string;
  readonly mutation: string;
  readonly format?: 'terraform' | 'cloudformation';
  readonly input: string;
}

function reproducers(): { name: string; r: Reproducer }[] {
  return readdirSync(FINDINGS)
    .filter((f) => f.endsWith('.json') && !f.includes('.input.'))
    .sort()
    .map((name) => ({ name, r: JSON.parse(readFileSync(join(FINDINGS, name), 'utf8')) as Reproducer }));
}

/** Writes a reproducer's stored input into `dir` as its case (a snapshot: the synthesized one with the mutated file replaced). */
async function reproducerCase(r: Reproducer, dir: string): Promise<FuzzCase> {
  const bytes = readFileSync(join(FINDINGS, r.input));
  const head = { target: r.target, seed: r.seed, index: r.case, cls: r.class, base: r.base, note: r.mutation, bytes, ...(r.format ? { format: r.format } : {}) };
  if (r.target === 'snapshot') {
    const rel = /^([\w./-]+\.json): /.exec(r.mutation)?.[1];
    if (rel === undefined) throw new Error(`reproducer ${r.input}: its mutation names no snapshot file`);
    await copyTemplate(join(dir, 'snap'));
    writeFileSync(join(dir, 'snap', rel), bytes);
    return { ...head, input: 'snap' };
  }
  const input = r.target === 'simulate' ? 'batch.jsonl' : 'spec.yaml';
  writeFileSync(join(dir, input), bytes);
  return { ...head, input };
}

/** The CI seed: fixed, so the cases are the same on every run. */
const CI_SEED = 20261201;
/** Cases per target in CI (5 targets). */
const CI_COUNT = 60;

describe('mutation fuzzer', () => {
  it('replays: the same seed, target and index give the same mutation', () => {
    const doc = { text: 'version: 1\norganization:\n  name: acme\n', format: 'yaml' as const };
    for (const cls of ['wrong-type', 'byte-flip', 'alias-bomb', 'huge-string'] as const) {
      expect(mutate(doc, cls, rngFor(7, 'plan', 3)).bytes.equals(mutate(doc, cls, rngFor(7, 'plan', 3)).bytes)).toBe(true);
    }
    expect(mutate(doc, 'byte-flip', rngFor(7, 'plan', 3)).bytes.equals(mutate(doc, 'byte-flip', rngFor(7, 'plan', 4)).bytes)).toBe(false);
  });

  it(`${CI_COUNT} cases per target, seed ${CI_SEED}: no throw, no exit 70, no stack trace, every error located, nothing left behind, in time`, async () => {
    const result = await runCampaign({ seed: CI_SEED, count: CI_COUNT, targets: TARGETS, cliEvery: 30, cliMode: 'tsx' });
    console.log(`fuzz CI: ${result.figures.map((f) => `${f.target} ${f.tried} (${f.cli} cli, longest ${Math.round(f.longestMs)} ms)`).join(', ')}`);
    expect(result.failures.map(describeFailure)).toEqual([]);
    for (const f of result.figures) expect(f.tried, `${f.target} ran its cases`).toBe(CI_COUNT);
  }, 300_000);

  it('replays every stored reproducer of a fixed finding: in-process, and through a CLI process', async () => {
    const all = reproducers();
    expect(all.length).toBeGreaterThanOrEqual(10);
    const problems: string[] = [];
    for (const { name, r } of all) {
      for (const mode of ['in-process', 'cli'] as const) {
        const dir = mkdtempSync(join(tmpdir(), 'bulkhead-fuzz-replay-'));
        try {
          mkdirSync(dir, { recursive: true });
          const c = await reproducerCase(r, dir);
          const v = mode === 'cli' ? judgeCli(c, dir, 'tsx') : await judgeInProcess(c, dir);
          problems.push(...v.problems.map((p) => `${name} [${mode}, ${v.outcome}]: ${p}`));
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
    }
    expect(problems).toEqual([]);
  }, 300_000);
});
