/**
 * Who is what: decides each account's business unit and phase (spec, then tags, then OU path), gives planned
 * accounts deterministic synthetic ids, and lets principals and resources inherit their account's attributes
 * unless their own tags say otherwise.
 */
import type { Account, AttributionSource, OrganizationModel, Tags } from '../model/organization.js';
import { sortBy } from '../util/order.js';

/** Tag keys (matched case-insensitively) that name a phase. */
export const PHASE_TAG_KEYS: readonly string[] = ['environment', 'env', 'stage', 'phase', 'sdlc stage'];
/** Tag keys (matched case-insensitively) that name a business unit. */
export const BU_TAG_KEYS: readonly string[] = ['businessunit', 'business-unit', 'bu', 'business unit', 'business_unit'];
/** OU names recognised as phases besides the design's own (e.g. `Workloads/Prod`, `Workloads/Dev`). */
export const COMMON_PHASE_NAMES: readonly string[] = ['prod', 'production', 'prd', 'live', 'dev', 'development', 'test', 'stage', 'staging', 'qa', 'nonprod', 'sandbox'];
/** Phase names treated as production when no design says otherwise (a snapshot without `--spec`). */
export const PRODUCTION_PHASE_NAMES: readonly string[] = ['prod', 'production', 'prd', 'live'];
/** Top-level OUs of AWS's recommended structure that hold shared, not business-unit, accounts (lowercase). */
export const FOUNDATIONAL_OUS: readonly string[] = ['security', 'infrastructure', 'deployments', 'sandbox', 'suspended', 'policystaging'];

/** An attribute and how it was decided. */
export interface Attributed {
  readonly value: string | undefined;
  readonly source: AttributionSource;
  /** Human-readable: which tag key or OU segment or spec account decided it. */
  readonly detail?: string;
}

/** An account with its decided attributes. */
export interface AccountAttribution {
  readonly name: string;
  /** The real id, or a synthetic one for planned accounts (see syntheticAccountId). */
  readonly id: string;
  readonly idSynthetic: boolean;
  readonly businessUnit: Attributed;
  readonly phase: Attributed;
  readonly production: boolean;
  readonly management: boolean;
}

/** Attribution for a principal or a resource. */
export interface EntityAttribution {
  readonly businessUnit: Attributed;
  readonly phase: Attributed;
  readonly production: boolean;
}

/** All attributions of a model. */
export interface Attribution {
  readonly accounts: ReadonlyMap<string, AccountAttribution>;
  /** Account names whose business unit or phase stayed undecided (sorted). */
  readonly unattributed: readonly string[];
  /** Decides a principal's or resource's attributes from its own tags, else its account's. */
  entity(accountName: string, tags: Tags): EntityAttribution;
  /** Account name for an id (real or synthetic). */
  accountById(id: string): string | undefined;
}

/** Case-insensitive tag lookup over a list of keys; returns the matching key and value. */
export function findTag(tags: Tags, keys: readonly string[]): { key: string; value: string } | undefined {
  for (const want of keys) {
    for (const [k, v] of Object.entries(tags)) {
      if (k.toLowerCase() === want && v.trim() !== '') return { key: k, value: v.trim() };
    }
  }
  return undefined;
}

/**
 * A deterministic synthetic 12-digit account id for a planned account (AWS ids are unknown at design time):
 * FNV-1a of the name, reduced to 12 digits, with the leading digit forced to 9 so it never collides with a
 * real id of the same org by accident in practice. Collisions between names are resolved by probing upward.
 */
export function syntheticAccountId(name: string, taken: ReadonlySet<string> = new Set()): string {
  let h = 0xcbf29ce484222325n;
  for (const ch of new TextEncoder().encode(name)) {
    h ^= BigInt(ch);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  let n = h % 100_000_000_000n;
  for (;;) {
    const id = `9${n.toString().padStart(11, '0')}`;
    if (!taken.has(id)) return id;
    n = (n + 1n) % 100_000_000_000n;
  }
}

/** Options for attribution. */
export interface AttributionOptions {
  /** A planned model whose accounts give business unit and phase (matched by email, then name). */
  readonly spec?: OrganizationModel;
}

/** What the design says about names: known phases and business units (by lowercase name) and production phases. */
class DesignNames {
  private readonly phases = new Map<string, string>();
  private readonly units = new Map<string, string>();
  private readonly production: ReadonlySet<string>;

  constructor(authority: OrganizationModel | undefined) {
    for (const p of authority?.phases ?? []) this.phases.set(p.name.toLowerCase(), p.name);
    for (const b of authority?.businessUnits ?? []) this.units.set(b.name.toLowerCase(), b.name);
    this.production = new Set((authority?.phases ?? []).filter((p) => p.production).map((p) => p.name.toLowerCase()));
  }

  /** Known phases by lowercase name. */
  get phaseNames(): ReadonlyMap<string, string> {
    return this.phases;
  }
  /** Known business units by lowercase name. */
  get buNames(): ReadonlyMap<string, string> {
    return this.units;
  }
  isProduction(phase: string | undefined): boolean {
    return (
      phase !== undefined &&
      (this.phases.has(phase.toLowerCase()) ? this.production.has(phase.toLowerCase()) : PRODUCTION_PHASE_NAMES.includes(phase.toLowerCase()))
    );
  }
  canonPhase = (v: string): string => this.phases.get(v.toLowerCase()) ?? v.toLowerCase();
  canonBu = (v: string): string => this.units.get(v.toLowerCase()) ?? v.toLowerCase();
}

/** One account being attributed, with the spec account it matched and how. */
interface AccountCase {
  readonly account: Account;
  readonly specAccount: Account | undefined;
  readonly specHow: string;
}

/** One attribute from the spec account, else a tag, else the deepest OU path segment naming a known value. */
function decide(
  c: AccountCase,
  fromSpec: string | undefined,
  tagKeys: readonly string[],
  known: ReadonlyMap<string, string>,
  canon: (v: string) => string,
  heuristic: readonly string[],
): Attributed {
  const { account } = c;
  if (c.specAccount && fromSpec !== undefined) return { value: fromSpec, source: 'spec', detail: c.specHow };
  const tag = findTag(account.tags, tagKeys);
  if (tag) return { value: canon(tag.value), source: 'tag', detail: `tag \`${tag.key}=${tag.value}\`` };
  // OU path: the deepest segment that names a known value wins (Workloads/Prod → prod)
  const segments = account.ouPath.split('/').slice(1).reverse();
  for (const seg of segments) {
    const k = seg.toLowerCase();
    if (known.has(k) || heuristic.includes(k)) return { value: canon(seg), source: 'ou-path', detail: `OU \`${account.ouPath}\`` };
  }
  return { value: undefined, source: 'none' };
}

/** The spec's accounts by lowercase email and by lowercase name (a later duplicate wins). */
class SpecAccounts {
  private readonly byEmail = new Map<string, Account>();
  private readonly byName = new Map<string, Account>();
  constructor(spec: OrganizationModel | undefined) {
    for (const a of spec?.accounts ?? []) {
      this.byEmail.set(a.email.toLowerCase(), a);
      this.byName.set(a.name.toLowerCase(), a);
    }
  }

  /** The spec account a model account matches (by email, then name) and how it matched. */
  match(model: OrganizationModel, account: Account): AccountCase {
    if (model.source === 'plan') return { account, specAccount: account, specHow: 'planned account' };
    const byEmail = this.byEmail.get(account.email.toLowerCase());
    if (byEmail) return { account, specAccount: byEmail, specHow: `spec account \`${byEmail.name}\` (matched by email)` };
    const byName = this.byName.get(account.name.toLowerCase());
    return byName ? { account, specAccount: byName, specHow: `spec account \`${byName.name}\` (matched by name)` } : { account, specAccount: undefined, specHow: '' };
  }
}

/** Whether an account should carry both attributes but lacks one (only runtime-like accounts are expected to). */
function isUnattributed(model: OrganizationModel, c: AccountCase, phase: Attributed, businessUnit: Attributed): boolean {
  const management = c.account.name === model.organization.managementAccount;
  // Shared accounts legitimately have neither. A collected account's purpose comes from the spec account it
  // matched, else from AWS's foundational OUs (Security, Infrastructure, Deployments, Sandbox, Suspended,
  // PolicyStaging), which hold no business-unit workloads.
  const purpose = c.specAccount?.purpose ?? c.account.purpose;
  const foundational = FOUNDATIONAL_OUS.includes(c.account.ouPath.split('/')[1]?.toLowerCase() ?? '');
  return !management && (purpose === 'runtime' || (purpose === 'unknown' && !foundational)) && (phase.value === undefined || businessUnit.value === undefined);
}

/** Decides business unit and phase for every account of the model. */
export function attribute(model: OrganizationModel, options: AttributionOptions = {}): Attribution {
  // Only a design names phases and business units authoritatively: a planned model itself, or the spec given
  // for a snapshot. A snapshot's own phase list is just the tag values the collector saw.
  const names = new DesignNames(model.source === 'plan' ? model : options.spec);
  const spec = new SpecAccounts(options.spec);
  const accounts = new Map<string, AccountAttribution>();
  const byId = new Map<string, string>();
  const taken = new Set(model.accounts.map((a) => a.id).filter((id): id is string => id !== undefined));
  const unattributed: string[] = [];
  // sorted so synthetic-id collision probing is independent of model order
  for (const account of sortBy(model.accounts, (a) => a.name)) {
    let id = account.id;
    const idSynthetic = id === undefined;
    if (id === undefined) {
      id = syntheticAccountId(account.name, taken);
      taken.add(id);
    }
    const c = spec.match(model, account);
    const phase = decide(c, c.specAccount?.phase, PHASE_TAG_KEYS, names.phaseNames, names.canonPhase, COMMON_PHASE_NAMES);
    const businessUnit = decide(c, c.specAccount?.businessUnit, BU_TAG_KEYS, names.buNames, names.canonBu, []);
    if (isUnattributed(model, c, phase, businessUnit)) unattributed.push(account.name);
    const management = account.name === model.organization.managementAccount;
    accounts.set(account.name, { name: account.name, id, idSynthetic, businessUnit, phase, production: names.isProduction(phase.value), management });
    byId.set(id, account.name);
  }
  return {
    accounts,
    unattributed: unattributed.sort(),
    accountById: (id) => byId.get(id),
    entity: sharedEntities(names, accounts),
  };
}

/**
 * `entity` with one shared (immutable) attribution per account and deciding tags: most principals and resources
 * inherit their account's, and a copy per entity (with its detail strings) was ~0.02 MB per account of verify's heap.
 */
function sharedEntities(names: DesignNames, accounts: ReadonlyMap<string, AccountAttribution>): Attribution['entity'] {
  const cache = new Map<string, EntityAttribution>();
  return (accountName, tags) => {
    const pt = findTag(tags, PHASE_TAG_KEYS);
    const bt = findTag(tags, BU_TAG_KEYS);
    // the key holds everything the attribution depends on (NUL cannot occur in names or tags)
    const key = [accountName, pt?.key, pt?.value, bt?.key, bt?.value].map((x) => x ?? '').join('\u0000') + (pt ? 'p' : '') + (bt ? 'b' : '');
    let e = cache.get(key);
    if (e === undefined) cache.set(key, (e = entityAttribution(names, accounts.get(accountName), accountName, tags)));
    return e;
  };
}

const NONE: Attributed = { value: undefined, source: 'none' };

/** A principal's or resource's attributes: its own tags, else its account's (inherited). */
function entityAttribution(names: DesignNames, acct: AccountAttribution | undefined, accountName: string, tags: Tags): EntityAttribution {
  const inherit = (a: Attributed | undefined): Attributed =>
    a && a.value !== undefined ? { value: a.value, source: 'inherited', detail: `account \`${accountName}\`` } : NONE;
  const pt = findTag(tags, PHASE_TAG_KEYS);
  const bt = findTag(tags, BU_TAG_KEYS);
  const phase: Attributed = pt ? { value: names.canonPhase(pt.value), source: 'tag', detail: `tag \`${pt.key}=${pt.value}\`` } : inherit(acct?.phase);
  const businessUnit: Attributed = bt ? { value: names.canonBu(bt.value), source: 'tag', detail: `tag \`${bt.key}=${bt.value}\`` } : inherit(acct?.businessUnit);
  return { phase, businessUnit, production: names.isProduction(phase.value) };
}
