import { describe, expect, it } from 'vitest';
import { groupBy, pushTo } from './multimap.js';

describe('pushTo', () => {
  it('appends in order, creating a list per key', () => {
    const m = new Map<string, number[]>();
    pushTo(m, 'a', 1);
    pushTo(m, 'b', 2);
    pushTo(m, 'a', 3);
    expect([...m]).toEqual([['a', [1, 3]], ['b', [2]]]);
  });
});

describe('groupBy', () => {
  it('groups by key in first-seen key order, keeping the items\' order in each group', () => {
    const g = groupBy(['b1', 'a1', 'b2', 'c1', 'a2'], (s) => s[0]!);
    expect([...g]).toEqual([['b', ['b1', 'b2']], ['a', ['a1', 'a2']], ['c', ['c1']]]);
    expect(groupBy([], (s: string) => s).size).toBe(0);
  });
});
