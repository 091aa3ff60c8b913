/**
 * The engine adapter's policy compiler: parses and compiles each named document once per policy type, and, when
 * sharing is on, hands out content-keyed placeholders so principals and resources with the same policy text share
 * compiled policies.
 *
 * What AWS stores, the engine evaluates: documents are parsed for evaluation (no size limit, style errors do not
 * matter). Only what cannot be evaluated is left out — a statement with an error AWS would refuse, or a document
 * that cannot be read at all — and each document concerned gets one BH7101 warning whose `path` is the document's
 * source label, so verify can list it in `summary.incomplete`.
 */
import { createHash } from 'node:crypto';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { warning } from '../diagnostics/diagnostic.js';
import { compilePolicy, parseForEvaluation, type LabeledPolicy, type LeftOutStatement, type PolicyType } from '../policy/index.js';
import type { NamedPolicy, QuestionPlan } from './engine-port.js';
import { pushTo } from '../util/multimap.js';

/** What compiling one document gave: the compiled policy (unless nothing could be read), and what was left out. */
interface Compiled {
  readonly lp?: LabeledPolicy;
  /** The BH7101 message after the document's name; undefined when nothing was left out. */
  readonly problem?: string;
}

/** The BH7101 message tail for left-out statements. */
function leftOutMessage(leftOut: readonly LeftOutStatement[]): string {
  const which = leftOut.map((l) => `${l.index}${l.sid !== undefined && l.sid !== '' ? ` (\`${l.sid}\`)` : ''}`).join(', ');
  return `could not be evaluated in full: statement ${which} ${leftOut.length === 1 ? 'is' : 'are'} left out of the analysis (${leftOut[0]!.reason.message}); fix the document`;
}

// placeholder label prefixes of shared (content-keyed) policies; a model cannot produce a label starting with NUL
/** Label prefix of a shared resource policy. */
export const RESOURCE_POLICY_LABEL = '\u0000shared resource policy ';
/** Label prefix of a principal's identity policy `i` (followed by `i:`). */
export const PRINCIPAL_POLICY_LABEL = '\u0000identity policy ';
/** Label of a principal's permissions boundary. */
export const PRINCIPAL_BOUNDARY_LABEL = '\u0000boundary';

/**
 * The real label a placeholder label stands for: identity policy `i` → the principal's `identityPolicies[i]`, the
 * boundary → its boundary, a shared resource policy → the resource's own policy (`resourcePolicy`). Undefined when
 * `source` is no placeholder or names nothing the principal or resource has (the label then stays as it is).
 */
export function placeholderSource(
  source: string,
  principal: Pick<NamedPoliciesOf, 'identityPolicies' | 'boundary'> | undefined,
  resourcePolicy: NamedPolicy | undefined,
): string | undefined {
  if (source.charCodeAt(0) !== 0) return undefined;
  if (principal && source.startsWith(PRINCIPAL_POLICY_LABEL)) {
    return principal.identityPolicies[Number(source.slice(PRINCIPAL_POLICY_LABEL.length).split(':')[0])]?.source;
  }
  if (principal?.boundary && source.startsWith(PRINCIPAL_BOUNDARY_LABEL)) return principal.boundary.source;
  if (resourcePolicy && source.startsWith(RESOURCE_POLICY_LABEL)) return resourcePolicy.source;
  return undefined;
}

/** The principal policies a placeholder may stand for. */
interface NamedPoliciesOf {
  readonly identityPolicies: readonly NamedPolicy[];
  readonly boundary?: NamedPolicy;
}

/**
 * A document's content key: the SHA-256 of its JSON text (44 characters) instead of the text itself. The key is kept
 * for every document verify asks about (the compiler caches it per document object, the index caches and
 * placeholders are keyed by it): at 1,000 accounts the 56,800 identity, boundary, trust and resource documents'
 * texts are 9.2 MB of characters (2.8 MB distinct), kept for the whole engine phase. Two texts share a key only if
 * they are the same text (SHA-256 has no known collision).
 */
export function documentKey(document: unknown): string {
  return createHash('sha256').update(JSON.stringify(document)).digest('base64');
}

/** Organization-policy levels, root first. */
export type PolicyLevels = readonly (readonly NamedPolicy[])[];

/** A document's compiled statements without a label (unless nothing could be read), and what was left out. */
interface TextCompiled {
  readonly compiled?: LabeledPolicy['compiled'];
  readonly problem?: string;
}

/** Parses and compiles a document (its label is not used: the result is shared by every document with its text). */
function compileText(np: NamedPolicy, type: PolicyType): TextCompiled {
  const r = parseForEvaluation(np.document, type);
  if (!r.ok) {
    const first = r.diagnostics.find((d) => d.severity === 'error');
    return { problem: `could not be evaluated and is left out of the analysis (${first?.message ?? 'invalid policy'}); fix the document` };
  }
  const compiled = compilePolicy(r.value.policy);
  return r.value.leftOut.length === 0 ? { compiled } : { compiled, problem: leftOutMessage(r.value.leftOut) };
}

/**
 * How many principal-policy placeholders are kept, least recently used first out. Most principals' policies name
 * their own resources, so their placeholders (and compiled statements) serve that principal and few others, and
 * verify asks principal by principal: keeping 4,096 of them held ~9 MB at 1,000 accounts (live heap at the engine
 * phase's end 148.5 MB; 142.4 MB with 256 kept, 139.5 MB with at most 64, the same CPU). A policy many principals share (an AWS managed policy)
 * stays recently used, so it keeps one placeholder, and its principals keep sharing capability indexes.
 */
const MAX_PRINCIPAL_PLACEHOLDERS = 64;

/**
 * How many resource-policy placeholders are kept for texts no question plan covers (external access, questions
 * asked without a plan). Most resource policies name their own resource, so their text is met for that resource
 * only; keeping one placeholder (and so its compiled statements) per text for the whole run grew with the
 * organization (~4,800 at 1,000 accounts). Forgetting them all when the bound is reached costs at most a
 * recompilation. Texts a plan covers are kept by lifetime instead (see {@link PolicyCompiler.planResourcePolicies}).
 */
const MAX_RESOURCE_PLACEHOLDERS = 4096;

/**
 * How many resource-policy placeholders a question plan keeps at most. At one point of the run about half of all
 * texts are still to be asked about (a principal named by most resource policies asks about all of them, the
 * texts' own principals before or after it), ~2,600 at 1,000 accounts, so without a bound the texts kept would
 * grow with the organization. Beyond it, the text whose last asker is furthest away is let go (and compiled again
 * if it is met again).
 */
const MAX_PLANNED_RESOURCE_PLACEHOLDERS = 4096;

/**
 * A max-heap of (last asker, text key): which kept text's last asker is furthest away. Entries of texts let go
 * since stay until they reach the top; the compiler rebuilds the heap from what it keeps when they outnumber it.
 */
class FurthestFirst {
  private readonly items: [number, string][] = [];
  /** How many entries, stale ones included. */
  get size(): number {
    return this.items.length;
  }
  push(item: [number, string]): void {
    const a = this.items;
    a.push(item);
    for (let i = a.length - 1; i > 0; ) {
      const up = (i - 1) >> 1;
      if (a[up]![0] >= a[i]![0]) break;
      [a[up], a[i]] = [a[i]!, a[up]!];
      i = up;
    }
  }
  peek(): [number, string] | undefined {
    return this.items[0];
  }
  pop(): void {
    const a = this.items;
    const last = a.pop();
    if (a.length === 0 || !last) return;
    a[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && a[l]![0] > a[m]![0]) m = l;
      if (r < a.length && a[r]![0] > a[m]![0]) m = r;
      if (m === i) break;
      [a[m], a[i]] = [a[i]!, a[m]!];
      i = m;
    }
  }
}

/** Compiles named documents once and keeps them; see the module comment. */
export class PolicyCompiler {
  private readonly compiled = new Map<PolicyType, WeakMap<NamedPolicy, Compiled>>();
  /**
   * What a document's text compiles to, per policy type: compiled statements carry no label (the label is the
   * LabeledPolicy's), so every document with the same text shares them (a trust policy is compiled once for all
   * the roles that carry it, not once per role). Placeholders (already one per text) are not kept here.
   */
  private readonly byText = new Map<string, TextCompiled>();
  private readonly contentKeys = new WeakMap<NamedPolicy, string>();
  private readonly byContent = new Map<string, NamedPolicy>();
  /** Numbers the placeholders: never reused, also after {@link MAX_PRINCIPAL_PLACEHOLDERS} pushes the oldest out. */
  private nextPlaceholder = 0;
  private readonly sharedResources = new Map<string, NamedPolicy>();
  /** Numbers the resource placeholders: never reused, also after {@link MAX_RESOURCE_PLACEHOLDERS} clears the map. */
  private nextResourcePlaceholder = 0;
  /** Per text a question plan covers: the position of its last asker (see {@link planResourcePolicies}). */
  private readonly pinUntil = new Map<string, number>();
  /** The placeholders of texts a plan covers, made on first use and kept until their last asker is done. */
  private readonly pinned = new Map<string, NamedPolicy>();
  /** The texts to let go once the principal at a position is done. */
  private readonly releaseAt = new Map<number, string[]>();
  /** Positions before this one are done (their texts let go). */
  private releasedBefore = 0;
  /** The kept planned texts by last asker (entries of texts let go since are skipped). */
  private furthest = new FurthestFirst();
  private readonly ids = new WeakMap<object, number>();
  /** Documents (by name and type) already reported as left out: one warning each, however often compiled. */
  private readonly reported = new Set<string>();
  private nextId = 0;

  /**
   * @param diagnostics where BH7101 warnings go
   * @param share share compiled policies by content (the shortcut path); false keeps real labels and shares nothing
   */
  constructor(
    private readonly diagnostics: Diagnostic[],
    readonly share: boolean,
  ) {}

  /**
   * The compiled policy (without any statement that could not be evaluated), or undefined when the document
   * cannot be read at all. Either way, a document with something left out gets one BH7101 warning naming `warnAs`.
   */
  compile(np: NamedPolicy, type: PolicyType, warnAs: string = np.source): LabeledPolicy | undefined {
    let m = this.compiled.get(type);
    if (!m) this.compiled.set(type, (m = new WeakMap()));
    let c = m.get(np);
    if (c === undefined) m.set(np, (c = this.build(np, type)));
    if (c.problem !== undefined) {
      const k = `${type}\u0000${warnAs}`;
      if (!this.reported.has(k)) {
        this.reported.add(k);
        this.diagnostics.push({ ...warning('BH7101', `${warnAs} ${c.problem}`), path: warnAs });
      }
    }
    return c.lp;
  }

  private build(np: NamedPolicy, type: PolicyType): Compiled {
    let shared: TextCompiled | undefined;
    if (np.source.charCodeAt(0) === 0) shared = compileText(np, type); // a shared placeholder: one per text already
    else {
      // one entry per distinct text, keyed by the text's digest (not the text: it is kept for the whole run)
      const key = `${type}\u0000${documentKey(np.document)}`;
      shared = this.byText.get(key);
      if (shared === undefined) this.byText.set(key, (shared = compileText(np, type)));
    }
    if (shared.compiled === undefined) return shared.problem !== undefined ? { problem: shared.problem } : {};
    const lp: LabeledPolicy = { label: np.source, compiled: shared.compiled };
    return shared.problem === undefined ? { lp } : { lp, problem: shared.problem };
  }

  /** Every level compiled (rejected documents left out); undefined when there are no levels. */
  levels(ls: PolicyLevels | undefined, type: PolicyType): LabeledPolicy[][] | undefined {
    return ls?.map((lvl) => lvl.flatMap((np) => this.compile(np, type) ?? []));
  }

  /** The document's content key (`documentKey`, cached per object); '' for none. */
  contentKey(np: NamedPolicy | undefined): string {
    if (!np) return '';
    let k = this.contentKeys.get(np);
    if (k === undefined) this.contentKeys.set(np, (k = documentKey(np.document)));
    return k;
  }

  /** A small number naming an object for the life of the compiler. */
  id(o: object): number {
    let i = this.ids.get(o);
    if (i === undefined) this.ids.set(o, (i = this.nextId++));
    return i;
  }

  /**
   * A principal policy under its positional placeholder `label` (`identity #i`, `boundary`), keyed by content,
   * so principals with the same policies share compiled policies and the engine's capability indexes; evidence
   * gets each principal's own labels back. Without sharing, the policy itself.
   */
  principalPolicy(np: NamedPolicy, label: string): NamedPolicy {
    if (!this.share) return np; // the reference path: real labels, nothing shared
    const k = `${label}\u0001${this.contentKey(np)}`;
    let v = this.byContent.get(k);
    if (v) {
      // most recently used last (a Map iterates in insertion order)
      this.byContent.delete(k);
      this.byContent.set(k, v);
      return v;
    }
    if (this.byContent.size >= MAX_PRINCIPAL_PLACEHOLDERS) this.byContent.delete(this.byContent.keys().next().value as string);
    // the label names the content too (numbered, never reused): evidence is interned per label and statement, so
    // two different documents must never share a label
    this.byContent.set(k, (v = { source: `${label}:${this.nextPlaceholder++}`, document: np.document }));
    return v;
  }

  /**
   * The resource policy to compile: with sharing, one placeholder per distinct policy text (so evidence, interned
   * per label and statement, never mixes up two policies; the asking resource's own label is put back later).
   */
  resourcePolicy(np: NamedPolicy): NamedPolicy {
    if (!this.share) return np;
    const k = this.contentKey(np);
    const pinned = this.pinned.get(k);
    if (pinned) return pinned;
    if (this.pinUntil.has(k) && this.makeRoomFor(k)) {
      // a planned text: kept until its last asker is done, however many other texts come in between
      const s = this.sharedResources.get(k) ?? this.newResourcePlaceholder(np);
      this.sharedResources.delete(k);
      this.pinned.set(k, s);
      this.furthest.push([this.pinUntil.get(k)!, k]);
      if (this.furthest.size > 2 * this.pinned.size + 1024) this.rebuildFurthest();
      return s;
    }
    let s = this.sharedResources.get(k);
    if (!s) {
      if (this.sharedResources.size >= MAX_RESOURCE_PLACEHOLDERS) this.sharedResources.clear();
      this.sharedResources.set(k, (s = this.newResourcePlaceholder(np)));
    }
    return s;
  }

  /**
   * Whether planned text `k` may be kept: below {@link MAX_PLANNED_RESOURCE_PLACEHOLDERS}, or by letting go the kept
   * text whose last asker is further away than `k`'s. A text not kept (or let go) is no longer planned.
   */
  private makeRoomFor(k: string): boolean {
    if (this.pinned.size < MAX_PLANNED_RESOURCE_PLACEHOLDERS) return true;
    let top = this.furthest.peek();
    while (top && !this.pinned.has(top[1])) {
      this.furthest.pop();
      top = this.furthest.peek();
    }
    if (!top || top[0] <= this.pinUntil.get(k)!) {
      this.pinUntil.delete(k);
      return false;
    }
    this.furthest.pop();
    this.pinned.delete(top[1]);
    this.pinUntil.delete(top[1]);
    return true;
  }

  /** The heap of kept texts without the entries of texts let go since (releaseResourcePolicies leaves them). */
  private rebuildFurthest(): void {
    this.furthest = new FurthestFirst();
    for (const k of this.pinned.keys()) this.furthest.push([this.pinUntil.get(k)!, k]);
  }

  /** A new resource placeholder: the label names the text (evidence is interned per label and statement), never reused. */
  private newResourcePlaceholder(np: NamedPolicy): NamedPolicy {
    return { source: `${RESOURCE_POLICY_LABEL}${this.nextResourcePlaceholder++}`, document: np.document };
  }

  /**
   * Keeps the placeholder (and so the compiled statements) of every resource-policy text the plan's principals
   * may ask about until the last of them is done ({@link releaseResourcePolicies}), instead of by count: verify
   * asks principal by principal, and a text is asked about by the principals of its own account and the few it
   * names elsewhere, so a count bound forgot texts that a later principal (or a rebuilt capability index) met
   * again, and they were parsed and compiled again. Undefined (or no sharing) drops what a previous plan kept.
   */
  planResourcePolicies(plan: Pick<QuestionPlan, 'resources' | 'lastAsker'> | undefined): void {
    this.pinUntil.clear();
    this.pinned.clear();
    this.releaseAt.clear();
    this.releasedBefore = 0;
    this.furthest = new FurthestFirst();
    if (!plan || !this.share) return;
    // keys by document for this plan only: the compiler keeps keys only for documents it is asked about
    const keys = new Map<unknown, string>();
    plan.resources.forEach((r, i) => {
      const last = plan.lastAsker[i] ?? -1;
      if (last < 0 || !r.policy) return;
      let k = keys.get(r.policy.document);
      if (k === undefined) keys.set(r.policy.document, (k = documentKey(r.policy.document)));
      if ((this.pinUntil.get(k) ?? -1) < last) this.pinUntil.set(k, last);
    });
    for (const [k, last] of this.pinUntil) pushTo(this.releaseAt, last, k);
  }

  /** The principal at `position` of the plan is asking: lets go the texts whose last asker came before it. */
  releaseResourcePolicies(position: number): void {
    for (; this.releasedBefore < position; this.releasedBefore++) {
      const keys = this.releaseAt.get(this.releasedBefore);
      if (!keys) continue;
      this.releaseAt.delete(this.releasedBefore);
      for (const k of keys) {
        this.pinUntil.delete(k);
        this.pinned.delete(k);
      }
    }
  }

  /** How many resource-policy placeholders are kept now (planned and bounded), for tests. */
  get resourcePlaceholders(): number {
    return this.pinned.size + this.sharedResources.size;
  }

  /** How many entries the heap of kept planned texts holds, stale ones included, for tests. */
  get plannedHeapEntries(): number {
    return this.furthest.size;
  }

  /** The key under which indexes for this resource policy are shared: its text with sharing, else its identity. */
  resourcePolicyKey(np: NamedPolicy | undefined): string {
    if (this.share) return this.contentKey(np);
    return np ? `#${this.id(np)}` : '';
  }
}
