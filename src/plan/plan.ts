/**
 * The planner: spec → organization model. It decides the OU tree, the accounts (business unit × phase runtime
 * accounts, shared and per-BU accounts, custom ones), names and emails, roles with stage-specific policies,
 * SCPs with their targets, and the sizing explanation. Every cross-reference problem is collected with its
 * position; AWS quotas are checked on the result by `checkLimits`.
 *
 * The work is done by stages (src/plan/stages) over one planning context, in this order: name checks, tags,
 * accounts and OUs (and their tag counts), roles, identity (groups, permission sets, source roles), SCPs, boundaries and audit scopes, quotas; then sizing.
 */
import { dedupeDiagnostics, fail, hasErrors, ok, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import { RECOMMENDED_OU, type AuditScope, type BoundaryAssertion, type IdentityModel, type OrganizationModel } from '../model/organization.js';
import { sortModel } from '../model/query.js';
import type { ParsedSpec } from '../spec/parse.js';
import { DEFAULT_ACCOUNT_QUOTA } from './limits.js';
import { computeSizing } from './sizing.js';
import { planAccounts } from './stages/accounts.js';
import { createContext, type PlanContext, type PlanOptions } from './stages/context.js';
import { planIdentity } from './stages/identity.js';
import { checkNames } from './stages/names.js';
import { checkQuotas } from './stages/quotas.js';
import { planRoles } from './stages/roles.js';
import { planScps } from './stages/scps.js';
import { planAuditScopes, planBoundaries } from './stages/selectors.js';
import { checkAccountTagCounts, checkSpecTags } from './stages/tags.js';

export type { PlanOptions } from './stages/context.js';
export { normalizeOuPath } from './stages/ous.js';

/** OU paths of the recommended structure; the same object as `RECOMMENDED_OU` of the model, kept under its old name. */
export const OU = RECOMMENDED_OU;


/** The organization id a data-perimeter preset names (so verify evaluates the org's principals as members), if any. */
function organizationId(ctx: PlanContext): { id?: string } {
  for (const g of ctx.spec.guardrails ?? []) if ('preset' in g && g.organizationId !== undefined) return { id: g.organizationId };
  return {};
}

/** The model as planned so far (everything but the sizing). */
function assemble(ctx: PlanContext, boundaries: readonly BoundaryAssertion[], auditScopes: readonly AuditScope[], identity: IdentityModel | undefined): OrganizationModel {
  const { spec, org } = ctx;
  return {
    modelVersion: 1,
    source: 'plan',
    organization: { name: org.name, ...organizationId(ctx), managementAccount: org.managementAccount.name, regions: [...org.regions], accessRoleName: ctx.accessRoleName },
    phases: spec.phases.map((p) => ({ name: p.name, production: p.production ?? false })),
    businessUnits: spec.businessUnits.map((b) => ({
      name: b.name,
      ...(b.displayName ? { displayName: b.displayName } : {}),
      ...(b.owner ? { owner: b.owner } : {}),
    })),
    organizationalUnits: [...ctx.ous.entries()].map(([path, tags]) => ({ path, tags })),
    accounts: ctx.accounts,
    roles: ctx.roles,
    users: [],
    serviceControlPolicies: ctx.scps,
    resourceControlPolicies: ctx.rcps,
    resources: [],
    boundaries,
    auditScopes,
    ...(identity ? { identity } : {}),
  };
}

/** Plans an organization from a parsed spec: the model (with any warnings), or every problem that prevents one. */
export function planOrganization(parsed: ParsedSpec, options: PlanOptions): Result<OrganizationModel> {
  const ctx = createContext(parsed, options);
  checkNames(ctx);
  checkSpecTags(ctx);
  planAccounts(ctx);
  checkAccountTagCounts(ctx);
  planRoles(ctx);
  const identity = planIdentity(ctx);
  planScps(ctx);
  const boundaries = planBoundaries(ctx);
  const auditScopes = planAuditScopes(ctx);
  const draft = assemble(ctx, boundaries, auditScopes, identity);
  const quota = ctx.org.accountQuota ?? DEFAULT_ACCOUNT_QUOTA;
  checkQuotas(ctx, draft, quota);
  const diagnostics = dedupeDiagnostics(ctx.diagnostics);
  if (hasErrors(diagnostics)) return fail(diagnostics);
  const sizing = computeSizing(draft, ctx.spec, quota, ctx.buPhases);
  return ok(sortModel({ ...draft, sizing }), diagnostics);
}
