/**
 * The mutation fuzzer's mutators: seeded, named mutation classes over a text document (a YAML spec, a JSON
 * simulate line, a JSON snapshot file). Every case draws from its own PRNG derived from (seed, target, index),
 * so one case replays alone (`npm run fuzz -- --target T --seed S --case I`).
 */
import YAML from 'yaml';
import { seededRandom } from '../../src/util/random.js';

/** A seeded source of choices. */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number;
  pick<T>(xs: readonly T[]): T;
  chance(p: number): boolean;
}

/** FNV-1a over a string: the per-case seed. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h >>> 0;
}

/** The PRNG of one case: independent of every other case, so a case replays on its own. */
export function rngFor(seed: number, target: string, index: number): Rng {
  const r = seededRandom(hash(`${seed}:${target}:${index}`));
  const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  return { next: r, int, pick: (xs) => xs[int(0, xs.length - 1)]!, chance: (p) => r() < p };
}

/** A document to mutate: its text and how it is written. */
export interface Doc {
  readonly text: string;
  readonly format: 'yaml' | 'json';
}

/** What a mutation produced: the bytes to feed and a one-line description for the reproducer. */
export interface Mutated {
  readonly bytes: Buffer;
  readonly note: string;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
/** A place in a parsed document: a container and the key (or index) of one of its values. */
interface Slot {
  readonly parent: Json[] | { [k: string]: Json };
  readonly key: string | number;
  readonly path: string;
}

function slots(value: Json, path = '', out: Slot[] = []): Slot[] {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      out.push({ parent: value, key: i, path: `${path}[${i}]` });
      slots(v, `${path}[${i}]`, out);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push({ parent: value, key: k, path: path ? `${path}.${k}` : k });
      slots(v, path ? `${path}.${k}` : k, out);
    }
  }
  return out;
}

function get(s: Slot): Json {
  return (s.parent as Record<string | number, Json>)[s.key]!;
}
function set(s: Slot, v: Json): void {
  (s.parent as Record<string | number, Json>)[s.key] = v;
}

/** Parses a document, or undefined when it does not parse (then only byte-level mutations apply). */
function parseDoc(doc: Doc): Json | undefined {
  try {
    return (doc.format === 'json' ? JSON.parse(doc.text) : YAML.parse(doc.text)) as Json;
  } catch (e) {
    if (e instanceof SyntaxError || e instanceof YAML.YAMLError) return undefined;
    throw e;
  }
}

function serialize(value: Json, format: Doc['format']): string {
  return format === 'json' ? JSON.stringify(value) : YAML.stringify(value, { lineWidth: 0 });
}

const PLACEHOLDER = '__FUZZ_SLOT__';

/** Replaces one slot's value with raw text (a flow collection, an alias) written into the serialized document. */
function rawAt(doc: Doc, value: Json, slot: Slot, raw: string): string {
  set(slot, PLACEHOLDER);
  const text = serialize(value, doc.format);
  const quoted = doc.format === 'json' ? `"${PLACEHOLDER}"` : PLACEHOLDER;
  return text.replace(quoted, () => raw);
}

const CONTROL = ['\u0000', '\u0007', '\b', '\u001b[31m', '\u001b]0;title\u0007', '\r', '\n', '\t', '\u007f', '\u0085', '\u2028', '\u000b'];
const BIDI = ['\u202e', '\u202d', '\u2066', '\u2067', '\u2068', '\u2069', '\u200f', '\u200e', '\u061c', '\u200b', '\ufeff', '\u202a'];
const WRONG: readonly Json[] = [42, -1, 0, 3.5, 1e21, true, false, null, [], {}, 'x', '', [1, 'two'], { x: 1 }, '12345678901234567890'];

function typeOf(v: Json): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

function insertAt(s: string, rng: Rng, piece: string): string {
  const i = rng.int(0, s.length);
  return s.slice(0, i) + piece + s.slice(i);
}

/** Picks a string slot (a value or, for objects, the key itself); undefined when there is none. */
function stringSlot(all: readonly Slot[], rng: Rng): Slot | undefined {
  const strings = all.filter((s) => typeof get(s) === 'string');
  return strings.length ? rng.pick(strings) : undefined;
}

/** Renames an object key in place (keeping the order of the others). */
function renameKey(slot: Slot, name: string): void {
  const parent = slot.parent as { [k: string]: Json };
  const entries = Object.entries(parent).map(([k, v]): [string, Json] => [k === slot.key ? name : k, v]);
  for (const k of Object.keys(parent)) delete parent[k];
  for (const [k, v] of entries) parent[k] = v;
}

/** Mutates the characters of a string value or key (control characters, bidi controls, a huge string). */
function stringMutation(doc: Doc, value: Json, all: readonly Slot[], rng: Rng, kind: 'control' | 'bidi' | 'huge'): Mutated | undefined {
  const keyTarget = rng.chance(0.25) ? all.filter((s) => typeof s.key === 'string') : [];
  const slot = keyTarget.length ? rng.pick(keyTarget) : stringSlot(all, rng);
  if (!slot) return undefined;
  const old = keyTarget.length ? String(slot.key) : (get(slot) as string);
  let next: string;
  if (kind === 'huge') next = rng.pick(['a', 'ab-', old || 'x', '\u00e9', '\ud83d\ude00']).repeat(rng.pick([10_000, 100_000, 1_100_000]));
  else {
    next = old;
    for (let i = rng.int(1, 3); i > 0; i--) next = insertAt(next, rng, rng.pick(kind === 'control' ? CONTROL : BIDI));
  }
  if (keyTarget.length) renameKey(slot, next);
  else set(slot, next);
  const shown = JSON.stringify(next.length > 60 ? `${next.slice(0, 20)}…(${next.length} chars)` : next);
  return { bytes: Buffer.from(serialize(value, doc.format)), note: `${keyTarget.length ? 'key' : 'value'} at ${slot.path} ← ${shown}` };
}

/** Deep nesting: a slot becomes `[[[…]]]` or `{a: {a: …}}` `depth` levels deep. */
function deepNesting(doc: Doc, value: Json, slot: Slot, rng: Rng): Mutated {
  const depth = rng.pick([200, 1_000, 10_000, 100_000]);
  const raw = rng.chance(0.5) ? '['.repeat(depth) + ']'.repeat(depth) : doc.format === 'json' ? '{"a":'.repeat(depth) + '1' + '}'.repeat(depth) : '{a: '.repeat(depth) + '1' + '}'.repeat(depth);
  return { bytes: Buffer.from(rawAt(doc, value, slot, raw)), note: `${slot.path} ← ${raw.slice(0, 4)}… ${depth} levels deep` };
}

/** The anchor and alias classes of YAML. */
export const ANCHOR_CLASSES = ['alias-bomb', 'alias-self', 'alias-undefined', 'anchor-shared', 'merge-key'] as const;

/** YAML anchors: an alias bomb (billion laughs), a self-referencing anchor, an undefined alias, a shared anchor, a merge key. */
function anchors(doc: Doc, value: Json, all: readonly Slot[], rng: Rng, kind: (typeof ANCHOR_CLASSES)[number]): Mutated {
  const slot = rng.pick(all);
  if (kind === 'alias-bomb') {
    const levels = rng.int(4, 10);
    const parts = ['&a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i < levels; i++) parts.push(`&a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]`);
    return { bytes: Buffer.from(rawAt(doc, value, slot, `[${parts.join(', ')}]`)), note: `${slot.path} ← alias bomb, ${levels} levels of 9 aliases` };
  }
  if (kind === 'alias-self') return { bytes: Buffer.from(rawAt(doc, value, slot, '&self [*self]')), note: `${slot.path} ← &self [*self]` };
  if (kind === 'alias-undefined') return { bytes: Buffer.from(rawAt(doc, value, slot, '*nowhere')), note: `${slot.path} ← *nowhere (undefined alias)` };
  // the anchor must come before the alias in the document: a slot earlier in document order, not an ancestor
  const before = all.slice(0, all.indexOf(slot)).filter((s) => !slot.path.startsWith(s.path));
  if (!before.length) return { bytes: Buffer.from(rawAt(doc, value, slot, kind === 'merge-key' ? '&fz {a: 1, <<: {b: 2}}' : '&fz [1]')), note: `${slot.path} ← an anchor nobody uses` };
  const other = rng.pick(before);
  const shared = JSON.stringify(get(other));
  set(other, '__FUZZ_ANCHOR__');
  const raw = kind === 'merge-key' ? `{<<: *fz, extra: 1}` : '*fz';
  let text = rawAt(doc, value, slot, raw);
  text = text.replace(/__FUZZ_ANCHOR__/, () => `&fz ${kind === 'merge-key' ? '{a: 1}' : shared}`);
  return { bytes: Buffer.from(text), note: `${slot.path} ← ${raw}, anchor &fz at ${other.path}` };
}

/** A key written twice: the YAML line (or JSON member) repeated in the same mapping. */
function duplicateKey(doc: Doc, rng: Rng): Mutated | undefined {
  if (doc.format === 'json') {
    const keys = [...doc.text.matchAll(/"((?:[^"\\]|\\.)*)":/g)];
    if (!keys.length) return undefined;
    const m = rng.pick(keys);
    const dup = `"${m[1]}":${rng.pick(['"dup"', '1', 'null', '[]', '{}'])},`;
    return { bytes: Buffer.from(doc.text.slice(0, m.index) + dup + doc.text.slice(m.index)), note: `duplicate key "${m[1]}" at offset ${m.index}` };
  }
  const lines = doc.text.split('\n');
  const keyed = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s*(- )?[\w.-]+:/.test(l));
  if (!keyed.length) return undefined;
  const [line, i] = rng.pick(keyed);
  const copy = line.replace(/^(\s*)- /, '$1  ');
  lines.splice(i + 1, 0, copy.includes(': ') || copy.trimEnd().endsWith(':') ? copy : `${copy} dup`);
  return { bytes: Buffer.from(lines.join('\n')), note: `line ${i + 1} repeated: ${JSON.stringify(copy.slice(0, 60))}` };
}

/** The structural mutation classes (need a document that parses). */
export const STRUCTURAL_CLASSES = ['delete-key', 'wrong-type', 'swap-values', 'control-chars', 'bidi-chars', 'huge-string', 'deep-nesting', 'duplicate-key'] as const;
/** YAML-only classes. */
export const YAML_CLASSES = [...ANCHOR_CLASSES, 'tabs', 'multi-document'] as const;
/** Byte-level classes (any document). */
export const BYTE_CLASSES = ['bom', 'crlf', 'cr-only', 'binary', 'invalid-utf8', 'truncate', 'byte-flip', 'empty'] as const;
/** Every mutation class of a document. */
export type MutationClass = (typeof STRUCTURAL_CLASSES)[number] | (typeof YAML_CLASSES)[number] | (typeof BYTE_CLASSES)[number];

/** The classes that apply to a document format. */
export function classesFor(format: Doc['format']): MutationClass[] {
  return [...STRUCTURAL_CLASSES, ...(format === 'yaml' ? YAML_CLASSES : []), ...BYTE_CLASSES];
}

function structural(doc: Doc, cls: (typeof STRUCTURAL_CLASSES)[number], rng: Rng): Mutated | undefined {
  const value = parseDoc(doc);
  if (value === undefined || value === null || typeof value !== 'object') return undefined;
  const all = slots(value);
  if (!all.length) return undefined;
  const slot = rng.pick(all);
  switch (cls) {
    case 'delete-key': {
      const keyed = all.filter((s) => !Array.isArray(s.parent));
      const s = keyed.length ? rng.pick(keyed) : slot;
      if (Array.isArray(s.parent)) s.parent.splice(s.key as number, 1);
      else delete s.parent[s.key as string];
      return { bytes: Buffer.from(serialize(value, doc.format)), note: `deleted ${s.path}` };
    }
    case 'wrong-type': {
      const was = typeOf(get(slot));
      const next = rng.pick(WRONG.filter((w) => typeOf(w) !== was));
      set(slot, structuredClone(next));
      return { bytes: Buffer.from(serialize(value, doc.format)), note: `${slot.path} (${was}) ← ${JSON.stringify(next)}` };
    }
    case 'swap-values': {
      const other = rng.pick(all);
      const a = structuredClone(get(slot));
      const b = structuredClone(get(other));
      set(slot, b);
      set(other, a);
      return { bytes: Buffer.from(serialize(value, doc.format)), note: `swapped ${slot.path} and ${other.path}` };
    }
    case 'control-chars':
      return stringMutation(doc, value, all, rng, 'control');
    case 'bidi-chars':
      return stringMutation(doc, value, all, rng, 'bidi');
    case 'huge-string':
      return stringMutation(doc, value, all, rng, 'huge');
    case 'deep-nesting':
      return deepNesting(doc, value, slot, rng);
    case 'duplicate-key':
      return duplicateKey(doc, rng);
  }
}

const INVALID_UTF8 = [[0xff], [0xfe], [0xc3, 0x28], [0xe2, 0x28, 0xa1], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x80], [0xe2, 0x82]];

/** Byte-level mutations: the document's bytes without regard to its syntax. */
export function byteMutation(bytes: Buffer, cls: (typeof BYTE_CLASSES)[number], rng: Rng): Mutated {
  const at = rng.int(0, bytes.length);
  switch (cls) {
    case 'bom': {
      const bom = Buffer.from([0xef, 0xbb, 0xbf]);
      const where = rng.pick(['start', 'twice', 'middle'] as const);
      if (where === 'start') return { bytes: Buffer.concat([bom, bytes]), note: 'UTF-8 BOM at the start' };
      if (where === 'twice') return { bytes: Buffer.concat([bom, bom, bytes]), note: 'two UTF-8 BOMs at the start' };
      return { bytes: Buffer.concat([bytes.subarray(0, at), bom, bytes.subarray(at)]), note: `UTF-8 BOM at offset ${at}` };
    }
    case 'crlf': {
      const text = bytes.toString('latin1');
      const mixed = rng.chance(0.3);
      const out = mixed ? text.replace(/\n/g, () => (rng.chance(0.5) ? '\r\n' : '\n')) : text.replace(/\n/g, '\r\n');
      return { bytes: Buffer.from(out, 'latin1'), note: `line endings: ${mixed ? 'mixed CRLF and LF' : 'CRLF'}` };
    }
    case 'cr-only':
      return { bytes: Buffer.from(bytes.toString('latin1').replace(/\n/g, '\r'), 'latin1'), note: 'line endings: CR only (classic Mac)' };
    case 'binary': {
      const junk = Buffer.from(Array.from({ length: rng.int(1, 64) }, () => rng.int(0, 255)));
      if (rng.chance(0.2)) return { bytes: junk, note: `whole file replaced by ${junk.length} random bytes ${junk.toString('hex')}` };
      const nul = rng.chance(0.3) ? Buffer.alloc(rng.int(1, 8)) : junk;
      return { bytes: Buffer.concat([bytes.subarray(0, at), nul, bytes.subarray(at)]), note: `bytes ${nul.toString('hex')} inserted at offset ${at}` };
    }
    case 'invalid-utf8': {
      const seq = Buffer.from(rng.pick(INVALID_UTF8));
      return { bytes: Buffer.concat([bytes.subarray(0, at), seq, bytes.subarray(at)]), note: `invalid UTF-8 ${seq.toString('hex')} at offset ${at}` };
    }
    case 'truncate':
      return { bytes: bytes.subarray(0, at), note: `truncated to ${at} of ${bytes.length} bytes` };
    case 'byte-flip': {
      const out = Buffer.from(bytes);
      const flips: string[] = [];
      for (let i = rng.int(1, 8); i > 0 && out.length; i--) {
        const o = rng.int(0, out.length - 1);
        const bit = 1 << rng.int(0, 7);
        out[o] = out[o]! ^ bit;
        flips.push(`${o}^${bit}`);
      }
      return { bytes: out, note: `bits flipped (offset^mask): ${flips.join(' ')}` };
    }
    case 'empty': {
      const body = rng.pick(['', ' ', '\n', '\n\n\n', '#\n', '---\n', '...\n', '~\n', 'null\n', '[]\n', '{}\n', '""\n', '0\n']);
      return { bytes: Buffer.from(body), note: `whole file is ${JSON.stringify(body)}` };
    }
  }
}

/** YAML-only mutations: anchors and aliases, tab indentation, several documents in one file. */
function yamlMutation(doc: Doc, cls: (typeof YAML_CLASSES)[number], rng: Rng): Mutated | undefined {
  if (cls === 'tabs') {
    const lines = doc.text.split('\n');
    const indented = lines.map((l, i) => [l, i] as const).filter(([l]) => /^ +\S/.test(l));
    if (!indented.length) return undefined;
    const [line, i] = rng.pick(indented);
    lines[i] = line.replace(/^ +/, (s) => '\t'.repeat(Math.max(1, s.length / 2)));
    return { bytes: Buffer.from(lines.join('\n')), note: `line ${i + 1} indented with tabs` };
  }
  if (cls === 'multi-document') {
    const second = rng.pick([doc.text, '', 'junk: [', 'version: 2\n']);
    return { bytes: Buffer.from(`${doc.text}\n---\n${second}`), note: `a second document after \`---\`: ${JSON.stringify(second.slice(0, 20))}` };
  }
  const value = parseDoc(doc);
  if (value === undefined || value === null || typeof value !== 'object') return undefined;
  const all = slots(value);
  return all.length ? anchors(doc, value, all, rng, cls) : undefined;
}

/** Applies a mutation class to a document; falls back to a byte flip when the class does not apply. */
export function mutate(doc: Doc, cls: MutationClass, rng: Rng): Mutated {
  let m: Mutated | undefined;
  if ((STRUCTURAL_CLASSES as readonly string[]).includes(cls)) m = structural(doc, cls as (typeof STRUCTURAL_CLASSES)[number], rng);
  else if ((YAML_CLASSES as readonly string[]).includes(cls)) m = yamlMutation(doc, cls as (typeof YAML_CLASSES)[number], rng);
  else m = byteMutation(Buffer.from(doc.text), cls as (typeof BYTE_CLASSES)[number], rng);
  if (m) return m;
  const flipped = byteMutation(Buffer.from(doc.text), 'byte-flip', rng);
  return { bytes: flipped.bytes, note: `(${cls} did not apply) ${flipped.note}` };
}
