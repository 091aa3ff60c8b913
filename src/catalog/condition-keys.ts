/**
 * Condition-key facts: data type, whether a key is global, and whether a key applies to an action.
 * Keys are case-insensitive (as IAM treats key names). Keys with a placeholder segment — `${TagKey}`,
 * `<key>`, `${name}`, and a last tag segment the reference spells `tag-key` or leaves empty
 * (`secretsmanager:ResourceTag/tag-key`, `glacier:ResourceTag/`) — match any concrete text there, e.g.
 * `aws:ResourceTag/team`, `s3:ExistingObjectTag/pii`, `secretsmanager:ResourceTag/SageMaker`.
 * Web identity federation keys (`token.actions.githubusercontent.com:sub`) come from web-identity-keys.ts.
 */
import { getService, lookupAction, serviceKeyLists } from './actions.js';
import { ACTION_SCOPED_GLOBAL_KEYS, GLOBAL_CONDITION_KEYS, type ConditionKeyType } from './global-keys.js';
import { WEB_IDENTITY_ACTION, webIdentityKey } from './web-identity-keys.js';
import { compileGlob, globMatch, type GlobToken } from '../util/glob.js';

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
/**
 * A tag key's last segment as some services write it in the Service Authorization Reference: the literal
 * `tag-key` (Secrets Manager, Systems Manager) or nothing (`glacier:ResourceTag/`); both stand for `${TagKey}`.
 */
const TAG_SEGMENT = /(Tag\/)(tag-key)?$/i;

/** The documented key with a spelled-out tag placeholder written as `${TagKey}`. */
function normalisePlaceholders(key: string): string {
  return key.replace(TAG_SEGMENT, '$1${TagKey}');
}

/** True when a documented key has a placeholder segment. */
function isKeyPattern(key: string): boolean {
  const k = normalisePlaceholders(key);
  return k.includes('${') || /<[^>]*>/.test(k);
}

/** Line terminators: a placeholder stands for one or more characters other than these. */
const LINE_END = /[\n\r\u2028\u2029]/;

/**
 * Case-insensitive whole-key test for a documented key, each placeholder matching one or more characters other
 * than line terminators (through the backtracking-free glob matcher, no regular expression built from the key).
 */
function keyMatcher(key: string): (given: string) => boolean {
  const tokens: GlobToken[] = [];
  normalisePlaceholders(key).split(PLACEHOLDER).forEach((lit, i) => {
    if (i > 0) tokens.push({ t: 'qm' }, { t: 'star' });
    if (lit) tokens.push({ t: 'lit', s: lit });
  });
  const glob = compileGlob(tokens, true);
  return (given) => !LINE_END.test(given) && globMatch(glob, given);
}

interface KeyTable {
  /** lowercase exact key → info */
  readonly exact: Map<string, ConditionKeyInfo>;
  /** pattern keys, per lowercase prefix (text before the first `:`) */
  readonly patterns: Map<string, { matches: (given: string) => boolean; info: ConditionKeyInfo }[]>;
}

let table: KeyTable | undefined;

const KNOWN_TYPES: ReadonlySet<string> = new Set([
  'String', 'ArrayOfString', 'Numeric', 'Date', 'Bool', 'ARN', 'ArrayOfARN', 'ArrayOfBool', 'IPAddress', 'Binary',
]);

function emptyTable(): KeyTable {
  return { exact: new Map(), patterns: new Map() };
}

/** Adds a key unless the table has it already (earlier sources win). */
function addKey(t: KeyTable, key: string, type: ConditionKeyType, global: boolean): void {
  const lower = key.toLowerCase();
  if (t.exact.has(lower)) return;
  const pattern = isKeyPattern(key);
  const info: ConditionKeyInfo = { key, type, global, pattern };
  t.exact.set(lower, info);
  if (pattern) {
    const prefix = lower.slice(0, Math.max(0, lower.indexOf(':')));
    const list = t.patterns.get(prefix) ?? [];
    list.push({ matches: keyMatcher(key), info });
    t.patterns.set(prefix, list);
  }
}

function knownType(type: string): ConditionKeyType {
  return (KNOWN_TYPES.has(type) ? type : 'String') as ConditionKeyType;
}

/** Every key of every service (parses the whole catalogue once). */
function keyTable(): KeyTable {
  if (table) return table;
  const t = emptyTable();
  for (const g of GLOBAL_CONDITION_KEYS) addKey(t, g.key, g.type, true);
  // A service's own keys first (its prefix matches), then keys it merely uses, so types come from the owner.
  // only the services' key lists: the actions of services nobody asked about stay unparsed
  const index = serviceKeyLists();
  for (const own of [true, false]) {
    for (const svc of index) {
      for (const [canonical, type] of svc.keys.values()) {
        const prefix = canonical.slice(0, canonical.indexOf(':')).toLowerCase();
        if ((prefix === svc.prefix) !== own) continue;
        addKey(t, canonical, knownType(type), false);
      }
    }
  }
  return (table = t);
}

/**
 * Type and scope of a condition key (case-insensitive): documented global keys and every key a service
 * defines; concrete tag keys resolve to their pattern (`aws:PrincipalTag/team` → `aws:PrincipalTag/${TagKey}`).
 * Undefined for keys AWS does not document.
 */
export function conditionKeyInfo(key: string): ConditionKeyInfo | undefined {
  const given = key.trim();
  const lower = given.toLowerCase();
  const prefix = lower.slice(0, Math.max(0, lower.indexOf(':')));
  // Fast path without parsing the whole catalogue: global keys, then the keys the prefix's own service defines.
  const fast = findIn(globalTable(), lower, prefix, given) ?? findIn(ownKeys(prefix), lower, prefix, given);
  if (fast) return fast;
  // Keys whose prefix is not a service (e.g. `saml:aud`) or that only other services list.
  const listed = findIn(keyTable(), lower, prefix, given);
  if (listed) return listed;
  // Claims of any web identity provider, under the provider's URL.
  const wif = webIdentityKey(given);
  return wif ? { key: wif.key, type: wif.type, global: false, pattern: wif.key.includes('${') } : undefined;
}

function findIn(t: KeyTable | undefined, lower: string, prefix: string, given: string): ConditionKeyInfo | undefined {
  if (!t) return undefined;
  const direct = t.exact.get(lower);
  if (direct) return direct.pattern ? { ...direct, pattern: false } : direct;
  for (const p of t.patterns.get(prefix) ?? []) if (p.matches(given)) return p.info;
  return undefined;
}

let globals: KeyTable | undefined;
function globalTable(): KeyTable {
  if (globals) return globals;
  const t = emptyTable();
  for (const g of GLOBAL_CONDITION_KEYS) addKey(t, g.key, g.type, true);
  return (globals = t);
}

const ownCache = new Map<string, KeyTable | undefined>();
/** The keys the service with this prefix defines under its own prefix. */
function ownKeys(prefix: string): KeyTable | undefined {
  if (ownCache.has(prefix)) return ownCache.get(prefix);
  const svc = getService(prefix);
  let t: KeyTable | undefined;
  if (svc) {
    t = emptyTable();
    for (const [canonical, type] of svc.keys.values()) {
      if (canonical.slice(0, canonical.indexOf(':')).toLowerCase() === svc.prefix) addKey(t, canonical, knownType(type), false);
    }
  }
  ownCache.set(prefix, t);
  return t;
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
  if (webIdentityKey(key)?.key === info.key) return action.toLowerCase() === WEB_IDENTITY_ACTION;
  const act = lookupAction(action);
  if (!act) return false;
  const given = key.trim();
  const wanted = info.key.toLowerCase();
  // Services spell placeholders differently (`${TagKey}`, `<key>`), so also match the concrete key against each.
  return act.conditionKeys.some(
    (k) => k.toLowerCase() === wanted || (isKeyPattern(k) && keyMatcherCached(k)(given)),
  );
}

const matcherCache = new Map<string, (given: string) => boolean>();
function keyMatcherCached(key: string): (given: string) => boolean {
  let m = matcherCache.get(key);
  if (!m) matcherCache.set(key, (m = keyMatcher(key)));
  return m;
}

/** Every documented global key (canonical spelling, pattern keys with their placeholder), sorted. */
export function globalConditionKeys(): string[] {
  return GLOBAL_CONDITION_KEYS.map((g) => g.key).sort();
}

/** Every documented key (global keys and every key a service lists), canonical spelling, sorted. */
export function allConditionKeys(): string[] {
  return [...keyTable().exact.values()].map((i) => i.key).sort();
}
