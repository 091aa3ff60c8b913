/**
 * The standing fuzz campaign, CI share: a fixed seed, a few hundred mutated inputs over every target (plan, emit,
 * verify, simulate batches, corrupted snapshots), judged in-process, and a few of them through a CLI process (the
 * sources through tsx, so the test never runs a stale dist/). `npm run fuzz` runs thousands; see docs/fuzzing.md.
 */
import { describe, expect, it } from 'vitest';
import { TARGETS, type Target } from './cases.js';
import { describeFailure, runCampaign, type Failure } from './campaign.js';
import { mutate, rngFor } from './mutate.js';

/** The CI seed: fixed, so the cases are the same on every run. */
const CI_SEED = 20261201;
/** Cases per target in CI (5 targets). */
const CI_COUNT = 60;

/**
 * Known findings, not yet fixed: see test/fuzz/findings/README.md (each has its reproducer there). A failing case
 * is counted as known only when its mutation class is listed here for its target AND every problem it shows
 * matches the signature; anything else fails the test. Remove an entry when its fix lands.
 */
const CRASH = /RangeError|Maximum call stack|internal error|exit 70|not in the documented set|the process died|took \d+ ms/;
const KNOWN: readonly { id: string; targets: readonly Target[]; classes: readonly string[]; signature: RegExp }[] = [
  // F1: whole-document spec errors have no position: the root is not a mapping (empty, a comment, a scalar, a list,
  // cut short) — BH1003; the spec is over the size limit — BH1001
  { id: 'F1', targets: ['plan', 'emit', 'verify'], classes: ['empty', 'truncate', 'byte-flip', 'binary', 'multi-document', 'huge-string'], signature: /unlocated BH1003|unlocated error line: ".*error BH1003|unlocated BH1001: the spec is \d+ bytes|unlocated error line: ".*error BH1001: the spec is \d+ bytes/ },
  // F2: alias errors found when the YAML becomes values (alias bomb, undefined alias) — BH1001 has no position
  { id: 'F2', targets: ['plan', 'emit', 'verify'], classes: ['alias-bomb', 'alias-undefined'], signature: /unlocated BH1001|unlocated error line: ".*error BH1001/ },
  // F3: a simulate line nested thousands of levels deep: RangeError thrown (exit 70), or the heap runs out (abort)
  { id: 'F3', targets: ['simulate'], classes: ['deep-nesting'], signature: CRASH },
  // F4: a spec with CR-only line endings reads as one comment line: "got null" (BH1003, no position)
  { id: 'F4', targets: ['plan', 'emit', 'verify'], classes: ['cr-only'], signature: /unlocated BH1003|unlocated error line: ".*error BH1003/ },
  // F5: a self-referencing YAML anchor (`&self [*self]`) in a spec: RangeError in the account-reference walk, or
  // TypeError (circular structure to JSON) in the role policy size check (exit 70)
  { id: 'F5', targets: ['plan', 'emit', 'verify'], classes: ['alias-self'], signature: /RangeError|Maximum call stack|TypeError: Converting circular|internal error|exit 70|not in the documented set/ },
  // F6: a snapshot account file nested 100 000 levels deep: RangeError in the snapshot schema (exit 70)
  { id: 'F6', targets: ['snapshot'], classes: ['deep-nesting'], signature: CRASH },
  // F7: a control character in a business unit's owner passes plan, then emit rejects the tag value (BH8113) with
  // no file, position or path
  { id: 'F7', targets: ['emit'], classes: ['control-chars', 'bidi-chars'], signature: /unlocated BH8113|unlocated error line: ".*error BH8113/ },
];

function known(f: Failure): string | undefined {
  const problems = f.verdicts.flatMap((v) => v.problems);
  return KNOWN.find((k) => k.targets.includes(f.case.target) && k.classes.includes(f.case.cls) && problems.every((p) => k.signature.test(p)))?.id;
}

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
    const unknown = result.failures.filter((f) => known(f) === undefined);
    const seen = [...new Set(result.failures.map(known).filter((k) => k !== undefined))].sort();
    console.log(`fuzz CI: ${result.figures.map((f) => `${f.target} ${f.tried} (${f.cli} cli, longest ${Math.round(f.longestMs)} ms)`).join(', ')}; known findings seen: ${seen.join(', ') || 'none'}`);
    expect(unknown.map(describeFailure)).toEqual([]);
    for (const f of result.figures) expect(f.tried, `${f.target} ran its cases`).toBe(CI_COUNT);
  }, 300_000);
});
