/**
 * Fuzz cases: for a target, a seed and an index, the mutated input written into a case directory. The bases are
 * the example specs (examples/*.yaml, examples/violations/*.yaml), simulate inputs built from the engine
 * conformance corpus (test/corpus/engine), and a synthesized snapshot.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { byteMutation, BYTE_CLASSES, classesFor, mutate, rngFor, type MutationClass, type Rng } from './mutate.js';
import { copyTemplate, corrupt, SNAPSHOT_CLASSES, type SnapshotClass } from './snapshot.js';
import { caseInput } from '../../test-support/engine-corpus.js';

/** The fuzz targets: three spec commands, simulate batches, corrupted snapshots. */
export const TARGETS = ['plan', 'emit', 'verify', 'simulate', 'snapshot'] as const;
/** One fuzz target. */
export type Target = (typeof TARGETS)[number];

/** The repository root. */
export const ROOT = join(import.meta.dirname, '..', '..');

/** The input a case wrote into its directory. */
export interface FuzzCase {
  readonly target: Target;
  readonly seed: number;
  readonly index: number;
  /** The mutation class (the name the CI exclusion list uses). */
  readonly cls: string;
  /** The base input (a spec file, corpus lines, the snapshot). */
  readonly base: string;
  /** What was changed. */
  readonly note: string;
  /** The input path inside the case directory: `spec.yaml`, `batch.jsonl` or `snap`. */
  readonly input: string;
  /** The input's bytes (for a snapshot: the one mutated file's, when the corruption changed a file's content). */
  readonly bytes?: Buffer;
  /** For emit: the format. */
  readonly format?: 'terraform' | 'cloudformation';
}

let specs: { name: string; text: string }[] | undefined;
/** The example specs, relative name → text. */
export function exampleSpecs(): { name: string; text: string }[] {
  if (!specs) {
    const names = ['examples/acme.yaml', 'examples/acme-full.yaml', ...readdirSync(join(ROOT, 'examples/violations')).filter((f) => f.endsWith('.yaml')).map((f) => `examples/violations/${f}`)];
    specs = names.sort().map((name) => ({ name, text: readFileSync(join(ROOT, name), 'utf8') }));
  }
  return specs;
}

type Json = Record<string, unknown>;
let lines: { name: string; text: string }[] | undefined;
/** Simulate inputs from the engine corpus, one JSON line each, named `file#case`. */
export function corpusLines(): { name: string; text: string }[] {
  if (!lines) {
    const dir = join(ROOT, 'test/corpus/engine');
    lines = [];
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
      const corpus = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { defaults?: Json; cases: Json[] };
      corpus.cases.forEach((c, i) => {
        const input = caseInput(corpus.defaults, c);
        if (input) lines!.push({ name: `${f}#${i}`, text: JSON.stringify(input) });
      });
    }
  }
  return lines;
}

/** The mutation classes of a target, in a fixed order (a case's class is drawn from these). */
export function targetClasses(target: Target): readonly string[] {
  return target === 'snapshot' ? SNAPSHOT_CLASSES : target === 'simulate' ? classesFor('json') : classesFor('yaml');
}

function specCase(target: Target, rng: Rng, cls: string): Omit<FuzzCase, 'target' | 'seed' | 'index'> {
  const base = rng.pick(exampleSpecs());
  const m = mutate({ text: base.text, format: 'yaml' }, cls as MutationClass, rng);
  const format = target === 'emit' ? rng.pick(['terraform', 'cloudformation'] as const) : undefined;
  return { cls, base: base.name, note: m.note, input: 'spec.yaml', bytes: m.bytes, ...(format ? { format } : {}) };
}

function simulateCase(rng: Rng, cls: string): Omit<FuzzCase, 'target' | 'seed' | 'index'> {
  const all = corpusLines();
  const picked = Array.from({ length: rng.int(1, 4) }, () => rng.pick(all));
  const at = rng.int(0, picked.length - 1);
  const names = picked.map((p) => p.name).join(', ');
  if ((BYTE_CLASSES as readonly string[]).includes(cls)) {
    const m = byteMutation(Buffer.from(`${picked.map((p) => p.text).join('\n')}\n`), cls as (typeof BYTE_CLASSES)[number], rng);
    return { cls, base: names, note: `whole batch: ${m.note}`, input: 'batch.jsonl', bytes: m.bytes };
  }
  const m = mutate({ text: picked[at]!.text, format: 'json' }, cls as MutationClass, rng);
  const texts = picked.map((p, i) => (i === at ? m.bytes : Buffer.from(p.text)));
  const joined = Buffer.concat(texts.flatMap((t) => [t, Buffer.from('\n')]));
  return { cls, base: names, note: `line ${at + 1}: ${m.note}`, input: 'batch.jsonl', bytes: joined };
}

/** Builds case `index` of `target` for `seed` and writes its input into `dir`. */
export async function makeCase(target: Target, seed: number, index: number, dir: string): Promise<FuzzCase> {
  const rng = rngFor(seed, target, index);
  const cls = rng.pick(targetClasses(target));
  const head = { target, seed, index };
  if (target === 'snapshot') {
    const snap = join(dir, 'snap');
    await copyTemplate(snap);
    const c = corrupt(snap, cls as SnapshotClass, rng);
    return { ...head, cls, base: 'synth --accounts 12 --roles 2 --resources 1 --seed 7 --violations', note: c.note, input: 'snap', ...(c.bytes ? { bytes: c.bytes } : {}) };
  }
  const body = target === 'simulate' ? simulateCase(rng, cls) : specCase(target, rng, cls);
  writeFileSync(join(dir, body.input), body.bytes!);
  return { ...head, ...body };
}
