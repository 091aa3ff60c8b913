/**
 * Keys a snapshot file holds that its format does not know. zod's object parser strips them without a word, so a
 * misspelt key in a hand-edited snapshot, or a field a newer bulkhead writes, would vanish silently: each is
 * reported as a warning (`SnapshotCodes.UnknownKey`) with its JSON path, the keys allowed there and a did-you-mean.
 * Free-form maps (tags, policy documents) are data: every key in them is kept and none is reported.
 *
 * The walk follows the format's zod schemas (format.ts): objects (named fields), arrays, optionals and the
 * preprocess pipes `obj` wraps objects in. Anything else (a tag map, a JSON value, a string) is a leaf. Pure.
 */
import { z } from 'zod';
import { warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import { compareStrings } from '../util/order.js';
import { didYouMean } from '../util/suggest.js';
import { SnapshotCodes } from './codes.js';

/** One unknown key: where it is (object path and key) and how many more objects of the same place hold it. */
interface UnknownKey {
  readonly at: readonly (string | number)[];
  readonly key: string;
  readonly allowed: readonly string[];
  others: number;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The schema under the wrappers that do not change the shape (`optional`, the `obj` preprocess pipe). */
function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    if (s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
    else if (s instanceof z.ZodPipe) s = s.out as z.ZodType;
    else return s;
  }
}

/** Walks `value` along `schema`, recording unknown keys once per place (array indices collapsed) and key. */
function walk(schema: z.ZodType, value: unknown, at: (string | number)[], found: Map<string, UnknownKey>): void {
  const s = unwrap(schema);
  if (s instanceof z.ZodArray) {
    if (Array.isArray(value)) value.forEach((item, i) => walk(s.element as z.ZodType, item, [...at, i], found));
    return;
  }
  if (!(s instanceof z.ZodObject) || !isObject(value)) return;
  const shape = s.shape as Record<string, z.ZodType>;
  for (const key of Object.keys(value)) {
    if (Object.hasOwn(shape, key)) {
      walk(shape[key]!, value[key], [...at, key], found);
      continue;
    }
    if (key === '__proto__') continue; // refused as an error of its own (SnapshotCodes.ProtoKey)
    const place = JSON.stringify([...at.map((p) => (typeof p === 'number' ? '[]' : p)), key]);
    const seen = found.get(place);
    if (seen) seen.others++;
    else found.set(place, { at, key, allowed: Object.keys(shape).sort(compareStrings), others: 0 });
  }
}

/** A JSON path as the loader writes it: `iam.roles[0].name`. */
function jsonPath(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/**
 * A warning per key of `value` that `schema` does not know, in the file `file`: the first place it occurs (with how
 * many more objects of that place hold it), that it is ignored, the keys allowed there and a did-you-mean.
 */
export function unknownKeyWarnings(schema: z.ZodType, value: unknown, file: string): Diagnostic[] {
  const found = new Map<string, UnknownKey>();
  walk(schema, value, [], found);
  return [...found.values()].map((u) => {
    const where = u.at.length === 0 ? 'at the top level' : `in \`${jsonPath(u.at)}\``;
    const more = u.others > 0 ? ` (and in ${u.others} more like it)` : '';
    const allowed = u.allowed.map((k) => `\`${k}\``).join(', ');
    return {
      ...warning(
        SnapshotCodes.UnknownKey,
        `unknown key \`${u.key}\` ${where}${more} is ignored${didYouMean(u.key, u.allowed)}; the keys allowed there are ${allowed}`,
        jsonPath([...u.at, u.key]),
      ),
      file,
    };
  });
}
