/**
 * Condition-key facts: data type, whether a key is global, and whether a key applies to an action.
 * Keys are case-insensitive (as IAM treats key names). Keys with a placeholder segment — `${TagKey}`,
 * `<key>`, `${name}` — match any concrete text there, e.g. `aws:ResourceTag/team`, `s3:ExistingObjectTag/pii`.
 */
import { catalogIndex, lookupAction } from './actions.js';
import { ACTION_SCOPED_GLOBAL_KEYS, GLOBAL_CONDITION_KEYS, type ConditionKeyType } from './global-keys.js';

export { GLOBAL_CONDITION_KEYS, type ConditionKeyType, type GlobalKeyDef } from './global-keys.js';

/** What the catalogue knows about a condition key. */
export interface ConditionKeyInfo {
  /** Canonical spelling of the documented key; for pattern keys the pattern, e.g. `aws:ResourceTag/${TagKey}`. */
  readonly key: string;
  readonly type: ConditionKeyType;
  /** True for AWS global keys (usable in every service's policies). */
  readonly global: boolean;
  /** True when `key` is a pattern with a placeholder segment that the queried key filled in. */
  readonly pattern: boolean;
}

const PLACEHOLDER = /\$\{[^}]*\}|<[^>]*>/g;

/** True when a documented key has a placeholder segment. */
function isKeyPattern(key: string): boolean {
  return key.includes('${') || /<[^>]*>/.test(key);
}

/** Anchored, case-insensitive matcher for a documented key, placeholders matching one or more characters. */
function keyRegExp(key: string): RegExp {
  const parts = key.split(PLACEHOLDER).map((p) => p.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&'));
  return new RegExp(`^${parts.join('.+')}$`, 'i');
}

interface KeyTable {
  /** lowercase exact key → info */
  readonly exact: Map<string, ConditionKeyInfo>;
  /** pattern keys, per lowercase prefix (text before the first `:`) */
  readonly patterns: Map<string, { re: RegExp; info: ConditionKeyInfo }[]>;
}

let table: KeyTable | undefined;

const KNOWN_TYPES: ReadonlySet<string> = new Set([
  'String', 'ArrayOfString', 'Numeric', 'Date', 'Bool', 'ARN', 'ArrayOfARN', 'ArrayOfBool', 'IPAddress', 'Binary',
]);

function keyTable(): KeyTable {
  if (table) return table;
  const exact = new Map<string, ConditionKeyInfo>();
  const patterns = new Map<string, { re: RegExp; info: ConditionKeyInfo }[]>();
  const add = (key: string, type: ConditionKeyType, global: boolean): void => {
    const lower = key.toLowerCase();
    if (exact.has(lower)) return; // global definitions are added first and win
    const pattern = isKeyPattern(key);
    const info: ConditionKeyInfo = { key, type, global, pattern };
    exact.set(lower, info);
    if (pattern) {
      const prefix = lower.slice(0, Math.max(0, lower.indexOf(':')));
      const list = patterns.get(prefix) ?? [];
      list.push({ re: keyRegExp(key), info });
      patterns.set(prefix, list);
    }
  };
  for (const g of GLOBAL_CONDITION_KEYS) add(g.key, g.type, true);
  // A service's own keys first (its prefix matches), then keys it merely uses, so types come from the owner.
  const index = catalogIndex();
  for (const own of [true, false]) {
    for (const svc of index.values()) {
      for (const [canonical, type] of svc.keys.values()) {
        const prefix = canonical.slice(0, canonical.indexOf(':')).toLowerCase();
        if ((prefix === svc.prefix) !== own) continue;
        add(canonical, (KNOWN_TYPES.has(type) ? type : 'String') as ConditionKeyType, false);
      }
    }
  }
  table = { exact, patterns };
  return table;
}

/**
 * Type and scope of a condition key (case-insensitive): documented global keys and every key a service
 * defines; concrete tag keys resolve to their pattern (`aws:PrincipalTag/team` → `aws:PrincipalTag/${TagKey}`).
 * Undefined for keys AWS does not document.
 */
export function conditionKeyInfo(key: string): ConditionKeyInfo | undefined {
  const t = keyTable();
  const lower = key.trim().toLowerCase();
  const direct = t.exact.get(lower);
  if (direct) return direct.pattern ? { ...direct, pattern: false } : direct;
  const prefix = lower.slice(0, Math.max(0, lower.indexOf(':')));
  for (const p of t.patterns.get(prefix) ?? []) if (p.re.test(key.trim())) return p.info;
  return undefined;
}

/** True when `key` is a documented global condition key (or a concrete instance of a global tag key). */
export function isGlobalConditionKey(key: string): boolean {
  return conditionKeyInfo(key)?.global === true;
}

/**
 * Whether AWS can put `key` in the request context of `action`: global keys always, except the tag keys
 * (`aws:RequestTag/…`, `aws:ResourceTag/…`, `aws:TagKeys`), which — like service keys — apply only when the
 * action or one of its resource types lists them in the Service Authorization Reference.
 * False for unknown actions and keys.
 */
export function keyAppliesToAction(key: string, action: string): boolean {
  const info = conditionKeyInfo(key);
  if (!info) return false;
  if (info.global && !ACTION_SCOPED_GLOBAL_KEYS.has(info.key.toLowerCase())) return true;
  const act = lookupAction(action);
  if (!act) return false;
  const given = key.trim();
  const wanted = info.key.toLowerCase();
  // Services spell placeholders differently (`${TagKey}`, `<key>`), so also match the concrete key against each.
  return act.conditionKeys.some(
    (k) => k.toLowerCase() === wanted || (isKeyPattern(k) && keyRegExpCached(k).test(given)),
  );
}

const regexCache = new Map<string, RegExp>();
function keyRegExpCached(key: string): RegExp {
  let re = regexCache.get(key);
  if (!re) regexCache.set(key, (re = keyRegExp(key)));
  return re;
}

/** Every documented global key (canonical spelling, pattern keys with their placeholder), sorted. */
export function globalConditionKeys(): string[] {
  return GLOBAL_CONDITION_KEYS.map((g) => g.key).sort();
}
