/**
 * The engine adapter's policy compiler: parses and compiles each named document once per policy type (a
 * document the engine rejects becomes one BH7101 warning and is left out), and, when sharing is on, hands out
 * content-keyed placeholders so principals and resources with the same policy text share compiled policies.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { warning } from '../diagnostics/diagnostic.js';
import { compilePolicy, parsePolicy, type LabeledPolicy, type PolicyType } from '../policy/index.js';
import type { NamedPolicy } from './engine-port.js';

// placeholder label prefixes of shared (content-keyed) policies; a model cannot produce a label starting with NUL
/** Label prefix of a shared resource policy. */
export const RESOURCE_POLICY_LABEL = '\u0000shared resource policy ';
/** Label prefix of a principal's identity policy `i` (followed by `i:`). */
export const PRINCIPAL_POLICY_LABEL = '\u0000identity policy ';
/** Label of a principal's permissions boundary. */
export const PRINCIPAL_BOUNDARY_LABEL = '\u0000boundary';

/** Organization-policy levels, root first. */
export type PolicyLevels = readonly (readonly NamedPolicy[])[];

/** Compiles named documents once and keeps them; see the module comment. */
export class PolicyCompiler {
  private readonly compiled = new Map<PolicyType, WeakMap<NamedPolicy, LabeledPolicy | null>>();
  private readonly contentKeys = new WeakMap<NamedPolicy, string>();
  private readonly byContent = new Map<string, NamedPolicy>();
  private readonly sharedResources = new Map<string, NamedPolicy>();
  private readonly ids = new WeakMap<object, number>();
  private nextId = 0;

  /**
   * @param diagnostics where BH7101 warnings go
   * @param share share compiled policies by content (the shortcut path); false keeps real labels and shares nothing
   */
  constructor(
    private readonly diagnostics: Diagnostic[],
    readonly share: boolean,
  ) {}

  /** The compiled policy, or undefined (with one warning naming `warnAs`) when the engine rejects it. */
  compile(np: NamedPolicy, type: PolicyType, warnAs: string = np.source): LabeledPolicy | undefined {
    let m = this.compiled.get(type);
    if (!m) this.compiled.set(type, (m = new WeakMap()));
    const hit = m.get(np);
    if (hit !== undefined) return hit ?? undefined;
    const r = parsePolicy(np.document, type);
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    if (!r.ok || errors.length > 0) {
      this.diagnostics.push(
        warning(
          'BH7101',
          `${warnAs} could not be evaluated and is left out of the analysis (${errors[0]?.message ?? 'invalid policy'}); fix the document`,
        ),
      );
      m.set(np, null);
      return undefined;
    }
    const lp: LabeledPolicy = { label: np.source, compiled: compilePolicy(r.value) };
    m.set(np, lp);
    return lp;
  }

  /** Every level compiled (rejected documents left out); undefined when there are no levels. */
  levels(ls: PolicyLevels | undefined, type: PolicyType): LabeledPolicy[][] | undefined {
    return ls?.map((lvl) => lvl.flatMap((np) => this.compile(np, type) ?? []));
  }

  /** The document's JSON text (cached per object); '' for none. */
  contentKey(np: NamedPolicy | undefined): string {
    if (!np) return '';
    let k = this.contentKeys.get(np);
    if (k === undefined) this.contentKeys.set(np, (k = JSON.stringify(np.document)));
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
    // the label names the content too: evidence is interned per label and statement, so two different
    // documents must never share a label
    if (!v) this.byContent.set(k, (v = { source: `${label}:${this.byContent.size}`, document: np.document }));
    return v;
  }

  /**
   * The resource policy to compile: with sharing, one placeholder per distinct policy text (so evidence, interned
   * per label and statement, never mixes up two policies; the asking resource's own label is put back later).
   */
  resourcePolicy(np: NamedPolicy): NamedPolicy {
    if (!this.share) return np;
    const k = this.contentKey(np);
    let s = this.sharedResources.get(k);
    if (!s) this.sharedResources.set(k, (s = { source: `${RESOURCE_POLICY_LABEL}${this.sharedResources.size}`, document: np.document }));
    return s;
  }

  /** The key under which indexes for this resource policy are shared: its text with sharing, else its identity. */
  resourcePolicyKey(np: NamedPolicy | undefined): string {
    if (this.share) return this.contentKey(np);
    return np ? `#${this.id(np)}` : '';
  }
}
