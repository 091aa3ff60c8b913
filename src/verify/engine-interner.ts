/**
 * Interning for the engine adapter: the same statements and grants recur across thousands of resources, so
 * identical evidence, grants and grant lists are shared objects. This keeps the graph of a 1,000-account org
 * small in memory and spares the garbage collector.
 */
import type { StatementRef } from '../policy/index.js';
import type { CapabilityGrant } from './engine-port.js';
import type { Capability, Evidence } from './finding.js';

/** How many distinct action lists {@link Interner} keeps (a few hundred in practice: ≤ 5 actions per grant). */
const ACTION_LISTS_MAX = 20_000;

/**
 * How many policy labels {@link Interner} keeps per-statement evidence for before forgetting them (at a change of
 * principal). Placeholder labels are numbered afresh when their maps are cleared and every role's trust policy has
 * its own label, so the map grew with the organization (~16,000 labels at 1,000 accounts).
 */
const EVIDENCE_LABELS_MAX = 8192;

/**
 * How many grants and grant lists {@link Interner} keeps before forgetting them all. Capability grants keep the
 * engine's placeholder labels, so they are shared by every principal (and resource) with the same policies and
 * kept across principals; without a bound the tries would grow with the organization. Measured at 1,000 accounts
 * (`bench/verify-memory.ts`): the graph's live heap is the same (90.1–90.3 MB) with a bound of 1,000 to 100,000,
 * while the tries at the engine phase's end hold ~1 KB an entry (live heap 106.5 MB with 1,000, 108.4 with 5,000,
 * 124 with 20,000, 169.7 with 100,000).
 */
export const GRANTS_MAX = 4096;

/** A trie keyed by sequences of strings or objects: interning without building long key strings. */
class Trie<V> {
  private root: { next?: Map<unknown, unknown>; value?: V } = {};
  /** How many values it holds. */
  size = 0;
  /** Forgets every entry (the values handed out stay valid). */
  clear(): void {
    this.root = {};
    this.size = 0;
  }
  get(keys: readonly unknown[], make: () => V): V {
    let node = this.root;
    for (const k of keys) {
      node.next ??= new Map();
      let n = node.next.get(k) as typeof node | undefined;
      if (!n) node.next.set(k, (n = {}));
      node = n;
    }
    if (node.value === undefined) {
      node.value = make();
      this.size++;
    }
    return node.value;
  }
}

/**
 * Hands out one shared object per distinct evidence, grant and grant list. Relabelled evidence carries a
 * principal's own labels, so it is shared within one principal only: {@link Interner.forget} drops it when verify
 * moves on to the next principal (a trie node per label of every principal of the organization was most of the
 * engine phase's memory). Capability grants and their lists keep the placeholder labels, so they are shared by
 * every principal with the same policies: they are kept across principals, all forgotten at {@link GRANTS_MAX}.
 */
export class Interner {
  private readonly evidence = new Map<string, (Evidence | undefined)[]>();
  private readonly labelled = new Trie<Evidence>();
  private readonly grants = new Trie<CapabilityGrant>();
  private readonly lists = new Trie<CapabilityGrant[]>();
  private readonly evidenceLists = new Trie<readonly Evidence[]>();
  /** Action lists by content, shared by every principal (they name no principal); bounded, cleared when full. */
  private readonly actionLists = new Map<string, readonly string[]>();

  /**
   * The next principal: forgets the relabelled evidence, and the per-statement evidence (shared by everyone) only
   * when over its bound. Grants and lists are not forgotten here but where they are made, at {@link GRANTS_MAX}.
   */
  forget(): void {
    // evidence objects stay the same within a principal (grants are interned by evidence identity; new objects
    // after a clear only make new grants)
    if (this.evidence.size >= EVIDENCE_LABELS_MAX) this.evidence.clear();
    this.labelled.clear();
  }

  /** Forgets the grants and lists when they reach their bound (those handed out stay valid). */
  private bound(): void {
    if (this.grants.size + this.lists.size < GRANTS_MAX) return;
    this.grants.clear();
    this.lists.clear();
    this.evidenceLists.clear();
  }

  /** The evidence for statement `ref` of a policy (one object per policy label and statement). */
  ref(ref: StatementRef): Evidence {
    let byIndex = this.evidence.get(ref.policy);
    if (!byIndex) this.evidence.set(ref.policy, (byIndex = []));
    let e = byIndex[ref.statement];
    if (!e) byIndex[ref.statement] = e = { source: ref.policy, statement: ref.sid ?? `#${ref.statement}`, effect: ref.effect };
    return e;
  }

  /** The same evidence under another source label. */
  relabel(e: Evidence, source: string): Evidence {
    return this.labelled.get([source, e], () => ({ ...e, source }));
  }

  /** The grant of `capability` by these actions and evidence. */
  grant(capability: Capability, actions: readonly string[], evidence: readonly Evidence[]): CapabilityGrant {
    const key = actions.join(',');
    this.bound();
    return this.grants.get([capability, key, ...evidence], () => ({
      capability,
      actions: this.actions(key, actions),
      // grants of several capabilities (and resources) often come from the same statements: one list for them
      evidence: evidence.length === 0 ? evidence : this.evidenceLists.get(evidence, () => evidence),
    }));
  }

  /** The shared action list equal to `actions` (`key`: its elements joined by `,`, which action names never hold). */
  private actions(key: string, actions: readonly string[]): readonly string[] {
    let a = this.actionLists.get(key);
    if (a === undefined) {
      if (this.actionLists.size >= ACTION_LISTS_MAX) this.actionLists.clear();
      this.actionLists.set(key, (a = actions));
    }
    return a;
  }

  /** The shared list equal to `grants` (the empty list is returned as is). */
  list(grants: CapabilityGrant[]): CapabilityGrant[] {
    if (grants.length === 0) return grants;
    this.bound();
    return this.lists.get(grants, () => grants);
  }
}
