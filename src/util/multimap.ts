/** Building maps of lists in linear time (appending in place instead of copying the list on every add). */

/** Appends `value` to the list of `key` in `map`, creating the list on first use. */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * The items grouped by `key` (one pass): a map in the order each key first appears, each list in the items' order.
 */
export function groupBy<K, T>(items: Iterable<T>, key: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const x of items) pushTo(out, key(x), x);
  return out;
}
