/** Bounded concurrency for async work: the one helper every edge uses to run many calls with a limit. */

/**
 * Runs `fn` over `items` with at most `limit` calls in flight and returns the results in input order.
 * The first error stops new work and is re-thrown once the calls in flight have settled.
 */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  let first: unknown;
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= items.length || failed) return;
      try {
        out[i] = await fn(items[i] as T, i);
      } catch (e) {
        if (!failed) first = e;
        failed = true;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failed) throw first;
  return out;
}
