/**
 * The planner's default collaborators: the capability table for generated policies and the policy engine's
 * validator for every document a plan contains.
 */
import { policyActionsFor, type Capability } from '../catalog/index.js';
import { resolveAccountRefs } from '../model/account-ref.js';
import { validatePolicyDocument } from '../policy/index.js';
import type { PlanOptions } from './plan.js';

/** Stands in for account ids that are unknown at design time, so ARNs validate. */
const PLACEHOLDER_ACCOUNT_ID = '000000000000';

/** Plan options wired to the real capability table and policy validator. */
export function defaultPlanOptions(): PlanOptions {
  return {
    actionsFor: (caps, services, compact) => policyActionsFor(caps as Capability[], services, { compact }),
    validatePolicy: (doc, type) => validatePolicyDocument(resolveAccountRefs(doc, () => PLACEHOLDER_ACCOUNT_ID), type),
  };
}
