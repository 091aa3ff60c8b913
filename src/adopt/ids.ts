/**
 * The id mapping of an adopted organization: spec names → the live ids, so emit can write Terraform `import`
 * blocks and a reader can see which live resource each spec entry is.
 */
import type { OrganizationModel } from '../model/organization.js';
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
}

function byName<T>(items: readonly T[], name: (t: T) => string, id: (t: T) => string | undefined): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const t of items) {
    const v = id(t);
    if (v !== undefined) out[name(t)] = v;
  }
  return sortedRecord(out);
}

/** The ids a collected model carries, by name. */
export function adoptIds(model: OrganizationModel): AdoptIds {
  return {
    ...(model.organization.id !== undefined ? { organizationId: model.organization.id } : {}),
    accounts: byName(model.accounts, (a) => a.name, (a) => a.id),
    organizationalUnits: byName(model.organizationalUnits, (o) => o.path, (o) => o.id),
    serviceControlPolicies: byName(model.serviceControlPolicies, (p) => p.name, (p) => p.id),
    resourceControlPolicies: byName(model.resourceControlPolicies, (p) => p.name, (p) => p.id),
  };
}
