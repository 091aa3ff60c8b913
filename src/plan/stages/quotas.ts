/**
 * Planning stage 6: the assembled draft model against AWS quotas and name rules (`checkLimits`, with the
 * organization policy quotas of `organization.quotas`), each problem
 * placed at the spec entry that causes it; a bad email template is reported once, at the template.
 */
import { error } from '../../diagnostics/diagnostic.js';
import type { OrganizationModel } from '../../model/organization.js';
import type { SpecPath } from '../../spec/parse.js';
import { checkLimits, emailProblem, type LimitDiagnostic } from '../limits.js';
import { report, type PlanContext } from './context.js';
import { emailFor } from './accounts.js';

/** BH1021 at the template when it makes every generated email bad; true when generated emails are not worth checking. */
function checkEmailTemplate(ctx: PlanContext): boolean {
  const template = ctx.org.emailTemplate;
  // A bad template makes every generated email bad the same way: say it once, at the template.
  const templateProblem = emailProblem(emailFor(ctx, 'account'));
  if (templateProblem && template.includes('{account}')) {
    const plural = templateProblem.replace(/^is /, 'are ').replace(/^has /, 'have ').replace(/^does /, 'do ').replace(/^starts /, 'start ');
    report(ctx, ['organization', 'emailTemplate'], error('BH1021', `email template \`${template}\` gives addresses like \`${emailFor(ctx, 'account')}\` that ${plural}; fix the template`));
  }
  return templateProblem !== undefined || !template.includes('{account}');
}

/** Where in the spec a limit problem belongs, or undefined when it is not reported. */
function limitPath(ctx: PlanContext, d: LimitDiagnostic, templateBroken: boolean): SpecPath | undefined {
  // a bad `assumedFrom` is reported once, by the planner, not again by the engine on the generated trust policy
  if (d.specPath?.[2] === 'assumedFrom' && ctx.badTrust.has(String(d.specPath[1])) && d.diagnostic.code.startsWith('BH3')) return undefined;
  if (d.field === 'email' && d.accountName !== undefined) {
    const path = ctx.emailPath.get(d.accountName) ?? [];
    return templateBroken && path[1] === 'emailTemplate' ? undefined : path;
  }
  if (d.field === 'ou' && d.accountName !== undefined) return [...(ctx.accountPath.get(d.accountName) ?? []), 'ou'];
  const scpIndex = d.scpName !== undefined ? ctx.scpNames.get(d.scpName) : undefined;
  return d.accountName ? (ctx.accountPath.get(d.accountName) ?? []) : scpIndex !== undefined ? ['guardrails', scpIndex] : (d.specPath ?? []);
}

/**
 * Checks the draft against AWS quotas (the organization policy ones as lowered by `organization.quotas`), reporting
 * each problem at its spec entry (stage 6).
 */
export function checkQuotas(ctx: PlanContext, draft: OrganizationModel, accountQuota: number): void {
  const templateBroken = checkEmailTemplate(ctx);
  for (const d of checkLimits(draft, { accountQuota, orgPolicyQuotas: ctx.org.quotas, validatePolicy: ctx.validatePolicy })) {
    const path = limitPath(ctx, d, templateBroken);
    if (path !== undefined) report(ctx, path, d.diagnostic);
  }
}
