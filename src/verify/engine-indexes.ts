/**
 * The engine adapter's cache of capability indexes. An index (the engine's per-service action classes for one
 * policy set) is keyed by the principal's compiled policies (its "set key"), the resource policy's key and the
 * resource's RCP levels, so principals with the same policies and resources with the same policy text share
 * one. Bounded: it only saves work, so when it grows large everything but the current set is forgotten.
 */
import type { CapabilityIndex as EngineIndex } from '../policy/index.js';
import type { Capability } from './finding.js';

/** The engine's capability index over verify's capabilities. */
export type CapabilityIndex = EngineIndex<Capability>;

/** Capability indexes kept for reuse across principals (memory bound; each holds per-service action classes). */
const MAX_SHARED_INDEXES = 400;

/**
 * Resource-policy keys kept per set, least recently used first out. A set met by one principal asking about
 * thousands of resources whose policies each name their own resource (a log reader named by every bucket) built an
 * index per policy text and kept them all: ~2,600 at 1,000 accounts, growing with the organization. The no-policy
 * key and the texts many resources share stay recently used, so they are kept.
 */
const MAX_POLICIES_PER_SET = 256;

/** Stands for "no RCP levels" as a map key. */
const NO_RCP = {};

/** The indexes of one principal set: by resource-policy key, then by RCP levels object. */
export type SetIndexes = Map<string, Map<unknown, CapabilityIndex>>;

/** See the module comment. */
export class ResourceIndexCache {
  private readonly bySet = new Map<string, SetIndexes>();
  private count = 0;

  /** The indexes of the set `setKey` (called once per principal; trims the cache when it is over its bound). */
  forSet(setKey: string): SetIndexes {
    if (this.count > MAX_SHARED_INDEXES) {
      const mine = this.bySet.get(setKey);
      this.bySet.clear();
      this.count = 0;
      if (mine) {
        this.bySet.set(setKey, mine);
        for (const m of mine.values()) this.count += m.size;
      }
    }
    const indexes = this.bySet.get(setKey) ?? new Map();
    this.bySet.set(setKey, indexes);
    return indexes;
  }

  /** The index for a resource-policy key and RCP levels in `indexes`, built by `make` on first use. */
  index(indexes: SetIndexes, policyKey: string, rcpLevels: object | undefined, make: () => CapabilityIndex): CapabilityIndex {
    let byRcp = indexes.get(policyKey);
    if (byRcp) {
      // most recently used last (a Map iterates in insertion order)
      indexes.delete(policyKey);
      indexes.set(policyKey, byRcp);
    } else {
      if (indexes.size >= MAX_POLICIES_PER_SET) {
        const [oldest, old] = indexes.entries().next().value as [string, Map<unknown, CapabilityIndex>];
        indexes.delete(oldest);
        this.count -= old.size;
      }
      indexes.set(policyKey, (byRcp = new Map()));
    }
    const rcpKey = rcpLevels ?? NO_RCP;
    let index = byRcp.get(rcpKey);
    if (!index) {
      index = make();
      byRcp.set(rcpKey, index);
      this.count++;
    }
    return index;
  }
}
