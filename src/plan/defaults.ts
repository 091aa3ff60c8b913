/**
 * The planner's default collaborators: the capability table for generated policies.
 */
import type { PlanOptions } from './plan.js';
import { INTERIM_ACTIONS_FOR } from './interim-actions.js';

/** Plan options wired to the real capability table and policy validator. */
export function defaultPlanOptions(): PlanOptions {
  return { actionsFor: INTERIM_ACTIONS_FOR };
}
