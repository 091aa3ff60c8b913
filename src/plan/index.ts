/**
 * Planning entry points: YAML text → organization model, with every diagnostic positioned in the file.
 */
import { fail, hasErrors, ok, type Result } from '../diagnostics/diagnostic.js';
import type { OrganizationModel } from '../model/organization.js';
import { parseSpec } from '../spec/parse.js';
import { defaultPlanOptions } from './defaults.js';
import { planOrganization, type PlanOptions } from './plan.js';

export { planOrganization, normalizeOuPath, OU, type PlanOptions } from './plan.js';
export { checkLimits, emailProblem, LIMITS, DEFAULT_ACCOUNT_QUOTA, DEFAULT_ORG_POLICY_QUOTAS, type OrgPolicyQuotas } from './limits.js';
export { presetDocument, PRESET_DESCRIPTIONS, FULL_AWS_ACCESS, FULL_AWS_ACCESS_NAME } from './guardrails.js';
export { permissionPolicies, trustPolicy, type ActionsFor } from './role-policies.js';

/** The outcome of planning: a model when the spec is valid, and every diagnostic (warnings may accompany a model). */
export type PlanResult = Result<OrganizationModel>;

/** Parses, validates and plans a spec given as YAML text. `file` labels the diagnostics. */
export function planFromYaml(text: string, file: string, options: PlanOptions = defaultPlanOptions()): PlanResult {
  const parsed = parseSpec(text, file);
  if (!parsed.ok || hasErrors(parsed.diagnostics)) return fail(parsed.diagnostics);
  const planned = planOrganization(parsed.value, options);
  const all = [...parsed.diagnostics, ...planned.diagnostics.map((d) => ({ ...d, file }))];
  return planned.ok && !hasErrors(all) ? ok(planned.value, all) : fail(all);
}
