/**
 * What each live account is, for adoption: its business unit and phase (verify's attribution: tags, then OU path),
 * whether it is a shared account of the planner's catalogue (by name, `Purpose` tag or OU), and why it does not fit
 * the one-phase, one-business-unit account the planner designs (kitchen-sink, unattributed, mixed OU).
 */
import type { Account, OrganizationModel } from '../model/organization.js';
import { SHARED_CATALOGUE } from '../spec/schema.js';
import { sortBy } from '../util/order.js';
import { attribute, COMMON_PHASE_NAMES, findTag, PRODUCTION_PHASE_NAMES, type Attribution } from '../verify/attribution.js';

/** A shared catalogue account kind. */
export type SharedKind = (typeof SHARED_CATALOGUE)[number];

/** One live account as adoption sees it. */
export interface ClassifiedAccount {
  readonly account: Account;
  readonly management: boolean;
  /** Spec-safe names (lowercase, hyphens) of the attributed business unit and phase, when decided. */
  readonly businessUnit?: string;
  readonly phase?: string;
  /** The shared catalogue account it is recognised as, and by what. */
  readonly shared?: { readonly kind: SharedKind; readonly by: string };
  /** Why the account does not fit the planner's design (empty when it does), one sentence each. */
  readonly misfits: readonly string[];
}

/** The whole organization classified. */
export interface Classification {
  readonly accounts: readonly ClassifiedAccount[];
  readonly attribution: Attribution;
  /** Phases in order: non-production first (alphabetical), then production ones. */
  readonly phases: readonly { readonly name: string; readonly production: boolean }[];
  readonly businessUnits: readonly string[];
}

/** A name as the spec accepts it (`^[a-z0-9][a-z0-9-]*$`): lowercase, runs of other characters become `-`. */
export function specName(value: string): string {
  const slug = value
    .toLowerCase()
    .split('')
    .map((ch) => (/[a-z0-9]/.test(ch) ? ch : '-'))
    .join('')
    .split('-')
    .filter((s) => s !== '')
    .join('-');
  return slug === '' ? 'unnamed' : slug;
}

/** Words in account names that name a shared catalogue account (besides the catalogue names themselves). */
const SHARED_ALIASES: ReadonlyMap<string, SharedKind> = new Map<string, SharedKind>([
  ['audit', 'security'],
  ['security-tooling', 'security'],
  ['logs', 'log-archive'],
  ['logging', 'log-archive'],
  ['log-archive', 'log-archive'],
  ['logarchive', 'log-archive'],
  ['shared', 'shared-services'],
  ['shared-services', 'shared-services'],
  ['networking', 'network'],
  ['network', 'network'],
  ['cicd', 'delivery'],
  ['deployments', 'delivery'],
  ['tooling', 'delivery'],
  ['identity', 'identity'],
  ['backup', 'backup'],
  ['security', 'security'],
  ['delivery', 'delivery'],
]);

function sharedByWord(word: string): SharedKind | undefined {
  const w = specName(word);
  if ((SHARED_CATALOGUE as readonly string[]).includes(w)) return w as SharedKind;
  return SHARED_ALIASES.get(w);
}

/** A shared account kind from the `Purpose` tag, else the account name (whole, or without a leading org word), else the OU. */
function recognizeShared(a: Account): ClassifiedAccount['shared'] {
  const tag = findTag(a.tags, ['purpose']);
  const byTag = tag ? sharedByWord(tag.value) : undefined;
  if (byTag) return { kind: byTag, by: `tag \`${tag!.key}=${tag!.value}\`` };
  const name = specName(a.name);
  const parts = name.split('-');
  for (let i = 0; i < parts.length; i++) {
    const kind = sharedByWord(parts.slice(i).join('-'));
    if (kind) return { kind, by: `name \`${a.name}\`` };
  }
  return undefined;
}

/** Phase or business unit values carried by the account's own roles, users and resources (their tags). */
function contentValues(model: OrganizationModel, attribution: Attribution, a: Account): { phases: Set<string>; units: Set<string> } {
  const phases = new Set<string>();
  const units = new Set<string>();
  const entities = [...model.roles, ...model.users, ...model.resources].filter((e) => e.account === a.name);
  for (const e of entities) {
    const at = attribution.entity(a.name, e.tags);
    if (at.phase.source === 'tag' && at.phase.value) phases.add(specName(at.phase.value));
    if (at.businessUnit.source === 'tag' && at.businessUnit.value) units.add(specName(at.businessUnit.value));
  }
  return { phases, units };
}

/** The phase an OU path names (its deepest segment that is a common phase name), if any. */
function ouPhase(ouPath: string): string | undefined {
  return ouPath
    .split('/')
    .slice(1)
    .reverse()
    .map((s) => s.toLowerCase())
    .find((s) => COMMON_PHASE_NAMES.includes(s));
}

const list = (xs: Iterable<string>): string => [...xs].sort().map((x) => `\`${x}\``).join(', ');

/** Why an account does not fit: several phases or business units inside, no attribution, or an OU naming another phase. */
function misfitsOf(model: OrganizationModel, attribution: Attribution, a: Account, phase: string | undefined, bu: string | undefined, shared: boolean): string[] {
  const out: string[] = [];
  const inside = contentValues(model, attribution, a);
  if (phase) inside.phases.add(phase);
  if (bu) inside.units.add(bu);
  if (inside.phases.size > 1 || inside.units.size > 1) {
    const what = [inside.phases.size > 1 ? `phases ${list(inside.phases)}` : '', inside.units.size > 1 ? `business units ${list(inside.units)}` : ''].filter(Boolean).join(' and ');
    out.push(`kitchen-sink: its roles, users and resources are tagged with several ${what}; adopted as one account, split it with \`bulkhead migrate\``);
  }
  if (attribution.unattributed.includes(a.name) && !shared) {
    const missing = [phase ? '' : 'phase', bu ? '' : 'business unit'].filter(Boolean).join(' and ');
    out.push(`unattributed: no tag (\`Environment\`, \`BusinessUnit\`, …) or OU path names its ${missing}; adopted as a custom account, tag it to place it`);
  }
  const fromOu = ouPhase(a.ouPath);
  if (phase && fromOu && specName(fromOu) !== phase && !(PRODUCTION_PHASE_NAMES.includes(fromOu) && PRODUCTION_PHASE_NAMES.includes(phase))) {
    out.push(`mixed OU: tagged phase \`${phase}\` but its OU \`${a.ouPath}\` is for \`${fromOu}\`; kept in its OU, move it or fix the tag`);
  }
  return out;
}

/** Phases in the planner's order: the least critical first, production last. */
function orderPhases(names: ReadonlySet<string>): { name: string; production: boolean }[] {
  const all = [...names].map((name) => ({ name, production: PRODUCTION_PHASE_NAMES.includes(name) }));
  return sortBy(all, (p) => `${p.production ? 1 : 0}:${p.name}`);
}

/** Classifies every account of a collected model. */
export function classify(model: OrganizationModel): Classification {
  const attribution = attribute(model);
  const accounts: ClassifiedAccount[] = [];
  const phases = new Set<string>();
  const units = new Set<string>();
  for (const account of sortBy(model.accounts, (a) => a.name)) {
    const at = attribution.accounts.get(account.name);
    const management = account.name === model.organization.managementAccount;
    const phase = at?.phase.value !== undefined ? specName(at.phase.value) : undefined;
    const businessUnit = at?.businessUnit.value !== undefined ? specName(at.businessUnit.value) : undefined;
    const shared = management ? undefined : recognizeShared(account);
    const misfits = management ? [] : misfitsOf(model, attribution, account, phase, businessUnit, shared !== undefined);
    if (!management && !shared && phase && businessUnit) {
      phases.add(phase);
      units.add(businessUnit);
    }
    accounts.push({ account, management, ...(phase ? { phase } : {}), ...(businessUnit ? { businessUnit } : {}), ...(shared ? { shared } : {}), misfits });
  }
  return { accounts, attribution, phases: orderPhases(phases), businessUnits: [...units].sort() };
}
