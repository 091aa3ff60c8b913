/**
 * Pattern fuzzer (`npm run fuzz:patterns [-- --count N --seed S]`): random adversarial wildcard patterns and
 * values (many stars between repeated letters, long runs of the same letter, near misses, `?` blocks, ARN
 * segments) checked against the dynamic-programming reference, through the engine's own entry point
 * (compilePattern in every mode). Prints the number of pairs, disagreements, and the longest single match.
 * Exit 1 on any disagreement.
 */
import { performance } from 'node:perf_hooks';
import { compilePattern, type PatternMode } from '../src/policy/pattern.js';
import { seededRandom } from '../src/util/random.js';
import type { GlobToken } from '../src/util/glob.js';
import { referenceGlobMatch } from '../test-support/glob-reference.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const count = arg('count', 20_000);
const rnd = seededRandom(arg('seed', 1));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));

/** A pattern body designed to make a backtracking matcher explode: `*x*x*x…` with `?` and `/` thrown in. */
function adversarialBody(): string {
  const letter = pick(['a', 'b']);
  let s = '';
  const n = int(1, 40);
  for (let i = 0; i < n; i++) s += pick(['*', '*', '?', '']) + (rnd() < 0.9 ? letter : pick(['b', '/', ':', '?']));
  return s + pick(['', 'b', '*', '?b', ':b']);
}

/** A value that almost matches: a long run of the letter, sometimes with the tail the pattern wants. */
function adversarialValue(): string {
  const letter = pick(['a', 'a', 'b']);
  return letter.repeat(int(0, 200)) + pick(['', 'b', ':', '/b', 'a', ':b']);
}

/** Tokens as the engine sees them in `mode` (ARN wildcards before the fifth colon stay in their segment). */
function tokens(raw: string, mode: PatternMode): GlobToken[] {
  let colons = 0;
  return [...raw].map((c): GlobToken => {
    if (c === '*' || c === '?') {
      const t = c === '*' ? 'star' : 'qm';
      return mode === 'arn' && colons < 5 ? { t, seg: true } : { t };
    }
    if (c === ':') colons++;
    return { t: 'lit', s: c };
  });
}

const ctx = new Map<string, readonly string[]>();
let worst = { ms: 0, pattern: '', value: '', mode: 'string' as PatternMode };
let worstWarm = 0; // after the first 1,000 pairs (JIT warm-up)
let disagreements = 0;
const started = performance.now();
for (let i = 0; i < count; i++) {
  const mode = pick<PatternMode>(['arn', 'string', 'action']);
  const prefix = mode === 'arn' ? pick(['arn:aws:s3:::', 'arn:aws:iam::*:role/', 'arn:*:', '']) : mode === 'action' ? 's3:' : '';
  const raw = prefix + adversarialBody();
  const value = (mode === 'arn' ? pick(['arn:aws:s3:::', 'arn:aws:iam::111122223333:role/', 'arn:aws:']) : mode === 'action' ? 's3:' : '') + adversarialValue();
  const m = compilePattern(raw, mode, false);
  const t0 = performance.now();
  const got = m.test(value, ctx);
  const ms = performance.now() - t0;
  if (ms > worst.ms) worst = { ms, pattern: raw, value, mode };
  if (i >= 1000 && ms > worstWarm) worstWarm = ms;
  const toks = tokens(raw, mode);
  const lone = toks.length === 1 && toks[0]!.t === 'star'; // a lone `*` matches every value
  const want = lone || referenceGlobMatch(toks, value, mode === 'action');
  if (got !== want) {
    disagreements++;
    if (disagreements <= 5) console.error(`disagreement (${mode}): pattern ${JSON.stringify(raw)} value ${JSON.stringify(value)}: matcher ${got}, reference ${want}`);
  }
}
const total = performance.now() - started;
// a single slow sample may be a GC pause or the scheduler: time the worst pair again, best of 20
const again = compilePattern(worst.pattern, worst.mode, false);
let retimed = Infinity;
for (let r = 0; r < 20; r++) {
  const t0 = performance.now();
  again.test(worst.value, ctx);
  retimed = Math.min(retimed, performance.now() - t0);
}
console.log(`fuzz:patterns on node ${process.version}: ${count} adversarial pattern/value pairs (patterns up to ~90 characters, values up to ~230), ${disagreements} disagreements with the reference`);
console.log(`longest single match: ${worst.ms.toFixed(3)} ms (pattern ${JSON.stringify(worst.pattern.slice(0, 60))}${worst.pattern.length > 60 ? '…' : ''}, value of ${worst.value.length} characters); re-timed alone ${(retimed * 1000).toFixed(1)} µs (best of 20); worst after warm-up ${worstWarm.toFixed(3)} ms; whole run ${(total / 1000).toFixed(1)} s including the reference`);
process.exitCode = disagreements > 0 ? 1 : 0;
