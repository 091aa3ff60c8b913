/**
 * Who is what: decides each account's business unit and phase (spec, then tags, then OU path), gives planned
 * accounts deterministic synthetic ids, and lets principals and resources inherit their account's attributes
 * unless their own tags say otherwise.
 */
import type { Account, AttributionSource, OrganizationModel, Tags } from '../model/organization.js';

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

/** Decides business unit and phase for every account of the model. */
export function attribute(model: OrganizationModel, options: AttributionOptions = {}): Attribution {
  // Only a design names phases and business units authoritatively: a planned model itself, or the spec given
  // for a snapshot. A snapshot's own phase list is just the tag values the collector saw.
  const authority = model.source === 'plan' ? model : options.spec;
  const phaseNames = new Map<string, string>();
  for (const p of authority?.phases ?? []) phaseNames.set(p.name.toLowerCase(), p.name);
  const buNames = new Map<string, string>();
  for (const b of authority?.businessUnits ?? []) buNames.set(b.name.toLowerCase(), b.name);
  const productionPhases = new Set((authority?.phases ?? []).filter((p) => p.production).map((p) => p.name.toLowerCase()));
  const isProduction = (phase: string | undefined): boolean =>
    phase !== undefined &&
    (phaseNames.has(phase.toLowerCase()) ? productionPhases.has(phase.toLowerCase()) : PRODUCTION_PHASE_NAMES.includes(phase.toLowerCase()));
  const canonPhase = (v: string): string => phaseNames.get(v.toLowerCase()) ?? v.toLowerCase();
  const canonBu = (v: string): string => buNames.get(v.toLowerCase()) ?? v.toLowerCase();

  const specByEmail = new Map<string, Account>();
  const specByName = new Map<string, Account>();
  for (const a of options.spec?.accounts ?? []) {
    specByEmail.set(a.email.toLowerCase(), a);
    specByName.set(a.name.toLowerCase(), a);
  }

  const accounts = new Map<string, AccountAttribution>();
  const byId = new Map<string, string>();
  const taken = new Set(model.accounts.map((a) => a.id).filter((id): id is string => id !== undefined));
  const unattributed: string[] = [];
  // sorted so synthetic-id collision probing is independent of model order
  for (const account of [...model.accounts].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    let id = account.id;
    const idSynthetic = id === undefined;
    if (id === undefined) {
      id = syntheticAccountId(account.name, taken);
      taken.add(id);
    }
    const specAccount =
      model.source === 'plan'
        ? account
        : (specByEmail.get(account.email.toLowerCase()) ?? specByName.get(account.name.toLowerCase()));
    const specHow =
      model.source === 'plan'
        ? 'planned account'
        : specAccount === undefined
          ? ''
          : specByEmail.has(account.email.toLowerCase())
            ? `spec account \`${specAccount.name}\` (matched by email)`
            : `spec account \`${specAccount.name}\` (matched by name)`;
    const decide = (
      fromSpec: string | undefined,
      tagKeys: readonly string[],
      known: ReadonlyMap<string, string>,
      canon: (v: string) => string,
      heuristic: readonly string[],
    ): Attributed => {
      if (specAccount && fromSpec !== undefined) return { value: fromSpec, source: 'spec', detail: specHow };
      const tag = findTag(account.tags, tagKeys);
      if (tag) return { value: canon(tag.value), source: 'tag', detail: `tag \`${tag.key}=${tag.value}\`` };
      // OU path: the deepest segment that names a known value wins (Workloads/Prod → prod)
      const segments = account.ouPath.split('/').slice(1).reverse();
      for (const seg of segments) {
        const k = seg.toLowerCase();
        if (known.has(k) || heuristic.includes(k)) return { value: canon(seg), source: 'ou-path', detail: `OU \`${account.ouPath}\`` };
      }
      return { value: undefined, source: 'none' };
    };
    const phase = decide(
      specAccount?.phase,
      PHASE_TAG_KEYS,
      phaseNames,
      canonPhase,
      COMMON_PHASE_NAMES,
    );
    const businessUnit = decide(specAccount?.businessUnit, BU_TAG_KEYS, buNames, canonBu, []);
    const management = account.name === model.organization.managementAccount;
    // Only runtime-like accounts are expected to carry both; shared accounts legitimately have neither. A collected
    // account's purpose comes from the spec account it matched, else from AWS's foundational OUs (Security,
    // Infrastructure, Deployments, Sandbox, Suspended, PolicyStaging), which hold no business-unit workloads.
    const purpose = specAccount?.purpose ?? account.purpose;
    const foundational = FOUNDATIONAL_OUS.includes(account.ouPath.split('/')[1]?.toLowerCase() ?? '');
    if (
      !management &&
      (purpose === 'runtime' || (purpose === 'unknown' && !foundational)) &&
      (phase.value === undefined || businessUnit.value === undefined)
    ) {
      unattributed.push(account.name);
    }
    const attr: AccountAttribution = {
      name: account.name,
      id,
      idSynthetic,
      businessUnit,
      phase,
      production: isProduction(phase.value),
      management,
    };
    accounts.set(account.name, attr);
    byId.set(id, account.name);
  }

  const none: Attributed = { value: undefined, source: 'none' };
  return {
    accounts,
    unattributed: unattributed.sort(),
    accountById: (id) => byId.get(id),
    entity(accountName, tags) {
      const acct = accounts.get(accountName);
      const inherit = (a: Attributed | undefined): Attributed =>
        a && a.value !== undefined ? { value: a.value, source: 'inherited', detail: `account \`${accountName}\`` } : none;
      const pt = findTag(tags, PHASE_TAG_KEYS);
      const bt = findTag(tags, BU_TAG_KEYS);
      const phase: Attributed = pt
        ? { value: canonPhase(pt.value), source: 'tag', detail: `tag \`${pt.key}=${pt.value}\`` }
        : inherit(acct?.phase);
      const businessUnit: Attributed = bt
        ? { value: canonBu(bt.value), source: 'tag', detail: `tag \`${bt.key}=${bt.value}\`` }
        : inherit(acct?.businessUnit);
      return { phase, businessUnit, production: isProduction(phase.value) };
    },
  };
}
