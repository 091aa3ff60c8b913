/**
 * The access-capability table (k9 Security's six capabilities): which capabilities each catalogue action
 * grants. Defaults come from AWS's access level; curated rules in ./data/capability-rules.json override
 * them for the data services. See ./data/README.md for the rule semantics.
 */
import rulesFile from './data/capability-rules.json' with { type: 'json' };
import {
  ACCESS_LEVELS,
  actionPatternTest,
  type AccessLevel,
  catalogIndex,
  getService,
  isPattern,
  lookupAction,
  type ServiceIndex,
} from './actions.js';
import { compareStrings } from '../util/order.js';

/** The six access capabilities, in the order tables show them. */
export const CAPABILITIES = [
  'administer-resource',
  'read-config',
  'read-data',
  'write-data',
  'delete-data',
  'use-resource',
] as const;

/** One access capability. */
export type Capability = (typeof CAPABILITIES)[number];

/** True when the text names a capability (exact, lowercase). */
export function isCapability(text: string): text is Capability {
  return (CAPABILITIES as readonly string[]).includes(text);
}

/** A curated rule as the data file holds it. */
export interface CapabilityRule {
  /** Action names or patterns (`*`, `?`), each `service:…` with a literal service prefix. */
  readonly actions: readonly string[];
  readonly capabilities: readonly Capability[];
  /** Why these actions get these capabilities (shown by `bulkhead capabilities`). */
  readonly why: string;
}

/** Where an action's capabilities came from. */
export type CapabilitySource =
  | { readonly kind: 'default'; readonly accessLevel: AccessLevel }
  | { readonly kind: 'rule'; readonly rule: number; readonly pattern: string; readonly why: string };

/** An action's capabilities and their source. */
export interface ActionCapabilities {
  readonly action: string;
  readonly accessLevel: AccessLevel;
  readonly capabilities: readonly Capability[];
  readonly source: CapabilitySource;
  /**
   * Other rules that match equally specifically but disagree (their capabilities are merged in).
   * Always empty for the shipped rules; a test keeps it so.
   */
  readonly conflicts: readonly number[];
}

/** The rules file, checked: bad committed data is a bug, so it throws with the rule's index. */
export function loadRules(raw: unknown = rulesFile): {
  defaults: Readonly<Record<AccessLevel, readonly Capability[]>>;
  rules: readonly CapabilityRule[];
} {
  const file = raw as { defaults?: Record<string, unknown>; rules?: unknown };
  const capList = (v: unknown, where: string): Capability[] => {
    if (!Array.isArray(v) || v.length === 0 || !v.every((c) => typeof c === 'string' && isCapability(c))) {
      throw new Error(`capability-rules.json: ${where} must be a non-empty list of capabilities`);
    }
    return sortCapabilities(v as Capability[]);
  };
  const defaults = Object.fromEntries(
    ACCESS_LEVELS.map((l) => [l, capList(file.defaults?.[l], `defaults.${l}`)]),
  ) as Record<AccessLevel, Capability[]>;
  if (!Array.isArray(file.rules)) throw new Error('capability-rules.json: `rules` must be a list');
  const rules = file.rules.map((r: unknown, i): CapabilityRule => {
    const rule = r as { actions?: unknown; capabilities?: unknown; why?: unknown };
    if (!Array.isArray(rule.actions) || rule.actions.length === 0 || !rule.actions.every((a) => typeof a === 'string')) {
      throw new Error(`capability-rules.json: rules[${i}].actions must be a non-empty list of strings`);
    }
    for (const a of rule.actions as string[]) {
      const colon = a.indexOf(':');
      if (colon <= 0 || isPattern(a.slice(0, colon))) {
        throw new Error(`capability-rules.json: rules[${i}] pattern \`${a}\` needs a literal service prefix`);
      }
    }
    if (typeof rule.why !== 'string' || rule.why.trim() === '') {
      throw new Error(`capability-rules.json: rules[${i}].why must say why`);
    }
    return { actions: rule.actions as string[], capabilities: capList(rule.capabilities, `rules[${i}].capabilities`), why: rule.why };
  });
  return { defaults, rules };
}

/** Sorts capabilities in CAPABILITIES order and removes duplicates. */
export function sortCapabilities(caps: Iterable<Capability>): Capability[] {
  const set = new Set(caps);
  return CAPABILITIES.filter((c) => set.has(c));
}

/** How specific a matching pattern is: exact names beat patterns; longer literal text beats shorter. */
function specificity(pattern: string): number {
  return isPattern(pattern) ? pattern.replace(/[*?]/g, '').length : Number.MAX_SAFE_INTEGER;
}

interface Table {
  /** lowercase `service:name` → entry */
  readonly byAction: Map<string, ActionCapabilities>;
  /** capability → sorted canonical actions */
  readonly byCapability: Map<Capability, string[]>;
}

/** Rules compiled to action tests and grouped by their (literal) service prefix. */
interface CompiledRules {
  readonly loaded: ReturnType<typeof loadRules>;
  readonly perService: Map<string, { rule: number; pattern: string; matches: (action: string) => boolean; score: number }[]>;
}

function compile(loaded: ReturnType<typeof loadRules>): CompiledRules {
  const perService: CompiledRules['perService'] = new Map();
  loaded.rules.forEach((r, rule) => {
    for (const pattern of r.actions) {
      const svc = pattern.slice(0, pattern.indexOf(':')).toLowerCase();
      const list = perService.get(svc) ?? [];
      list.push({ rule, pattern, matches: actionPatternTest(pattern), score: specificity(pattern) });
      perService.set(svc, list);
    }
  });
  return { loaded, perService };
}

/** The capabilities of every action of one service under the compiled rules. */
function serviceEntries(compiled: CompiledRules, svc: ServiceIndex): ActionCapabilities[] {
  const { loaded } = compiled;
  const candidates = compiled.perService.get(svc.prefix.toLowerCase()) ?? [];
  return svc.actions.map((a): ActionCapabilities => {
    let best: typeof candidates = [];
    for (const c of candidates) {
      if (!c.matches(a.action)) continue;
      if (best.length === 0 || c.score > best[0]!.score) best = [c];
      else if (c.score === best[0]!.score && !best.some((b) => b.rule === c.rule)) best.push(c);
    }
    if (best.length === 0) {
      return {
        action: a.action,
        accessLevel: a.accessLevel,
        capabilities: loaded.defaults[a.accessLevel],
        source: { kind: 'default', accessLevel: a.accessLevel },
        conflicts: [],
      };
    }
    const winner = best[0]!;
    const winnerCaps = loaded.rules[winner.rule]!.capabilities;
    return {
      action: a.action,
      accessLevel: a.accessLevel,
      capabilities: sortCapabilities(best.flatMap((b) => loaded.rules[b.rule]!.capabilities)),
      source: { kind: 'rule', rule: winner.rule, pattern: winner.pattern, why: loaded.rules[winner.rule]!.why },
      conflicts: best
        .slice(1)
        .filter((b) => !sameCaps(loaded.rules[b.rule]!.capabilities, winnerCaps))
        .map((b) => b.rule),
    };
  });
}

/** Builds the whole table from checked rules; exported for tests that try rule variants. */
export function buildTable(loaded: ReturnType<typeof loadRules>): Table {
  const compiled = compile(loaded);
  const byAction = new Map<string, ActionCapabilities>();
  const byCapability = new Map<Capability, string[]>(CAPABILITIES.map((c) => [c, []]));
  for (const svc of catalogIndex().values()) {
    for (const entry of serviceEntries(compiled, svc)) {
      byAction.set(entry.action.toLowerCase(), entry);
      for (const c of entry.capabilities) byCapability.get(c)!.push(entry.action);
    }
  }
  for (const list of byCapability.values()) list.sort(compareStrings);
  return { byAction, byCapability };
}

let compiledRules: CompiledRules | undefined;
let table: Table | undefined;
const perServiceCache = new Map<string, Map<string, ActionCapabilities>>();

function shippedRules(): CompiledRules {
  return (compiledRules ??= compile(loadRules()));
}

/** The whole shipped table, computed once (about 22k actions). */
export function capabilityTable(): Table {
  return (table ??= buildTable(shippedRules().loaded));
}

/** One service's entries from the shipped rules, computed on first use. */
function entriesOf(svc: ServiceIndex): Map<string, ActionCapabilities> {
  const key = svc.prefix.toLowerCase();
  let m = perServiceCache.get(key);
  if (!m) {
    m = new Map(serviceEntries(shippedRules(), svc).map((e) => [e.action.toLowerCase(), e]));
    perServiceCache.set(key, m);
  }
  return m;
}

function sameCaps(a: readonly Capability[], b: readonly Capability[]): boolean {
  return a.length === b.length && a.every((c, i) => c === b[i]);
}

/** An action's capabilities with where they came from, or undefined for an unknown action. */
export function explainCapabilities(action: string): ActionCapabilities | undefined {
  const info = lookupAction(action);
  return info ? entriesOf(getService(info.service)!).get(info.action.toLowerCase()) : undefined;
}

/** Capabilities an action grants, in CAPABILITIES order; empty for an unknown action. */
export function capabilitiesOf(action: string): Capability[] {
  return [...(explainCapabilities(action)?.capabilities ?? [])];
}

/** Every catalogue action granting `cap` (optionally only in one service), sorted, canonical case. */
export function actionsWithCapability(cap: Capability, service?: string): string[] {
  if (service === undefined) return [...(capabilityTable().byCapability.get(cap) ?? [])];
  const svc = getService(service);
  if (!svc) return [];
  return [...entriesOf(svc).values()].filter((e) => e.capabilities.includes(cap)).map((e) => e.action).sort(compareStrings);
}

/** The curated rules as shipped (checked), for docs and the CLI. */
export function capabilityRules(): readonly CapabilityRule[] {
  return loadRules().rules;
}
