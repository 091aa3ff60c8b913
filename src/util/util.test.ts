import { describe, expect, it } from 'vitest';
import { compareStrings, sortBy, sortedMap, sortedRecord } from './order.js';
import { pool } from './pool.js';

describe('order', () => {
  it('compares by code units, not locale', () => {
    expect(['b', 'B', 'a', 'é', 'e'].sort(compareStrings)).toEqual(['B', 'a', 'b', 'e', 'é']);
    expect(compareStrings('x', 'x')).toBe(0);
  });
  it('sorts records, maps and keyed items', () => {
    expect(Object.keys(sortedRecord({ b: 1, a: 2, C: 3 }))).toEqual(['C', 'a', 'b']);
    expect([...sortedMap(new Map([['z', 1], ['y', 2]])).keys()]).toEqual(['y', 'z']);
    expect(sortBy([{ n: 'b' }, { n: 'a' }], (x) => x.n)).toEqual([{ n: 'a' }, { n: 'b' }]);
  });
});

describe('pool', () => {
  it('keeps input order and never exceeds the limit', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await pool([30, 10, 20, 0], 2, async (ms, i) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, ms));
      inFlight--;
      return i;
    });
    expect(out).toEqual([0, 1, 2, 3]);
    expect(peak).toBe(2);
  });
  it('re-throws the first error and starts no new work after it', async () => {
    const started: number[] = [];
    await expect(
      pool([1, 2, 3, 4], 1, async (n) => {
        started.push(n);
        if (n === 2) throw new Error('boom');
        return n;
      }),
    ).rejects.toThrow('boom');
    expect(started).toEqual([1, 2]);
  });
  it('handles an empty list', async () => {
    expect(await pool([], 4, async () => 1)).toEqual([]);
  });
});
