/**
 * One set of ordering helpers for deterministic output: code-unit string comparison (never locale-dependent),
 * entry and key sorting. Use these instead of writing `a < b ? -1 : …` by hand.
 */

/** Compares two strings by UTF-16 code units, like `Array.prototype.sort` without a comparator. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compares `[key, value]` entries by key. */
export function compareEntries<V>(a: readonly [string, V], b: readonly [string, V]): number {
  return compareStrings(a[0], b[0]);
}

/** A copy of a record with its keys in code-unit order (so JSON output is stable). */
export function sortedRecord<V>(record: Readonly<Record<string, V>>): Record<string, V> {
  return Object.fromEntries(Object.entries(record).sort(compareEntries));
}

/** A copy of a map's entries sorted by key, as a new map. */
export function sortedMap<V>(map: ReadonlyMap<string, V>): Map<string, V> {
  return new Map([...map].sort(compareEntries));
}

/** Sorts items by a string key computed once per item. */
export function sortBy<T>(items: Iterable<T>, key: (item: T) => string): T[] {
  return [...items]
    .map((item) => ({ item, k: key(item) }))
    .sort((a, b) => compareStrings(a.k, b.k))
    .map((x) => x.item);
}
