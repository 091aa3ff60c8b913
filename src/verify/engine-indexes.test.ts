import { describe, expect, it } from 'vitest';
import { ResourceIndexCache, type CapabilityIndex } from './engine-indexes.js';

const fake = (n: number) => ({ n }) as unknown as CapabilityIndex;

describe('ResourceIndexCache', () => {
  it('keeps a bounded number of resource-policy keys per set, the most recently used ones', () => {
    const cache = new ResourceIndexCache();
    const set = cache.forSet('one principal');
    let built = 0;
    const make = () => fake(built++);
    const none = cache.index(set, '', undefined, make);
    // one principal asking about thousands of resources whose policies each name their own resource
    for (let i = 0; i < 3000; i++) {
      cache.index(set, `policy ${i}`, undefined, make);
      expect(cache.index(set, '', undefined, make)).toBe(none); // used all along: kept
    }
    expect(built).toBe(3001);
    expect(set.size).toBeLessThanOrEqual(256);
    expect(set.has('policy 2999')).toBe(true);
    expect(set.has('policy 0')).toBe(false);
    // a forgotten key is built again, a kept one is not
    cache.index(set, 'policy 2999', undefined, make);
    expect(built).toBe(3001);
    cache.index(set, 'policy 0', undefined, make);
    expect(built).toBe(3002);
  });
});
