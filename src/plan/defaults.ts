/**
 * The planner's default collaborators: the capability table for generated policies and the policy engine's
 * validator for every document a plan contains.
 */
import { policyActionsFor, type Capability } from '../catalog/index.js';
import { resolveAccountRefs } from '../model/account-ref.js';
import { validatePolicyDocument } from '../policy/index.js';
import { LIMITS } from './limits.js';
import type { PlanOptions } from './plan.js';

/** Room left in a managed policy for everything but the action list (Version, Sid, Condition…). */
const ENVELOPE = 300;

/** Stands in for account ids that are unknown at design time, so ARNs validate. */
const PLACEHOLDER_ACCOUNT_ID = '000000000000';

/** Plan options wired to the real capability table and policy validator. */
export function defaultPlanOptions(): PlanOptions {
  return {
    actionsFor: (caps, services) => {
      // Readable word-boundary patterns (`s3:GetBucket*`) unless they would not fit IAM's managed-policy size;
      // then the compact cut (`s3:GetB*`), which matches exactly the same catalogue actions.
      const readable = policyActionsFor(caps as Capability[], services);
      if (JSON.stringify(readable).length + ENVELOPE <= LIMITS.managedPolicyCharsMax) return readable;
      return policyActionsFor(caps as Capability[], services, { compact: true });
    },
    validatePolicy: (doc, type) => validatePolicyDocument(resolveAccountRefs(doc, () => PLACEHOLDER_ACCOUNT_ID), type),
  };
}
