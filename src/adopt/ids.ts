/**
 * The id mapping of an adopted organization: spec names → the live ids, so emit can write Terraform `import`
 * blocks and a reader can see which live resource each spec entry is.
 */
import type { OrganizationModel } from '../model/organization.js';
import type { Rename } from './names.js';
import { sortedRecord } from '../util/order.js';

/** Live ids by spec name. */
export interface AdoptIds {
  readonly organizationId?: string;
  /** Account name → 12-digit id. */
  readonly accounts: Readonly<Record<string, string>>;
  /** OU path (`Root/...`) → OU id (`r-…` for the root, `ou-…`). */
  readonly organizationalUnits: Readonly<Record<string, string>>;
  /** SCP name → policy id (`p-…`). */
  readonly serviceControlPolicies: Readonly<Record<string, string>>;
  /** RCP name → policy id. */
  readonly resourceControlPolicies: Readonly<Record<string, string>>;
  /** Spec name → live name, for the names the spec grammar refused (absent when none was). */
  readonly liveNames?: {
    readonly accounts?: Readonly<Record<string, string>>;
    readonly serviceControlPolicies?: Readonly<Record<string, string>>;
    readonly resourceControlPolicies?: Readonly<Record<string, string>>;
  };
}

function byName<T>(items: readonly T[], name: (t: T) => string, id: (t: T) => string | undefined): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const t of items) {
    const v = id(t);
    if (v !== undefined) out[name(t)] = v;
  }
  return sortedRecord(out);
}

/** Spec name → live name of the renames of one kind, or undefined when there are none. */
function liveNamesOf(renames: readonly Rename[], kind: Rename['kind']): Record<string, string> | undefined {
  const of = renames.filter((r) => r.kind === kind);
  if (of.length === 0) return undefined;
  const out = Object.create(null) as Record<string, string>;
  for (const r of of) out[r.spec] = r.live;
  return sortedRecord(out);
}

/** The ids a collected model (under its spec names) carries, by name, and the live names of renamed entries. */
export function adoptIds(model: OrganizationModel, renames: readonly Rename[] = []): AdoptIds {
  const accounts = liveNamesOf(renames, 'account');
  const scps = liveNamesOf(renames, 'scp');
  const rcps = liveNamesOf(renames, 'rcp');
  const liveNames = { ...(accounts ? { accounts } : {}), ...(scps ? { serviceControlPolicies: scps } : {}), ...(rcps ? { resourceControlPolicies: rcps } : {}) };
  return {
    ...(renames.length > 0 ? { liveNames } : {}),
    ...(model.organization.id !== undefined ? { organizationId: model.organization.id } : {}),
    accounts: byName(model.accounts, (a) => a.name, (a) => a.id),
    organizationalUnits: byName(model.organizationalUnits, (o) => o.path, (o) => o.id),
    serviceControlPolicies: byName(model.serviceControlPolicies, (p) => p.name, (p) => p.id),
    resourceControlPolicies: byName(model.resourceControlPolicies, (p) => p.name, (p) => p.id),
  };
}
