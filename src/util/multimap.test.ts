import { describe, expect, it } from 'vitest';
import { pushTo } from './multimap.js';

describe('pushTo', () => {
  it('appends in order, creating a list per key', () => {
    const m = new Map<string, number[]>();
    pushTo(m, 'a', 1);
    pushTo(m, 'b', 2);
    pushTo(m, 'a', 3);
    expect([...m]).toEqual([['a', [1, 3]], ['b', [2]]]);
  });
});
