/**
 * Planning stage 1: the checks that need nothing planned yet: the OU layout's name, unique and well-formed phase
 * and business unit names, a production phase, the email template's placeholder and the region codes.
 */
import { error, warning } from '../../diagnostics/diagnostic.js';
import { OU_LAYOUTS } from '../../spec/schema.js';
import { inList, report, type PlanContext } from './context.js';

const NAME = /^[a-z0-9][a-z0-9-]*$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;

/** Reports names declared twice (case-insensitively) at `basePath[i].name`. */
function checkUnique(ctx: PlanContext, items: readonly string[], basePath: string, what: string): void {
  const seen = new Map<string, number>();
  items.forEach((n, i) => {
    const k = n.toLowerCase();
    if (seen.has(k)) report(ctx, [basePath, i, 'name'], error('BH1016', `${what} \`${n}\` is declared twice (also at ${basePath}[${seen.get(k)}]); rename or remove one`));
    else seen.set(k, i);
  });
}

/** Checks the spec's own names and settings (stage 1). */
export function checkNames(ctx: PlanContext): void {
  const { spec, org } = ctx;
  if (org.ouLayout !== undefined) inList(ctx, org.ouLayout, OU_LAYOUTS, 'BH1013', 'OU layout', ['organization', 'ouLayout']);
  checkUnique(ctx, ctx.phaseNames, 'phases', 'phase');
  checkUnique(ctx, ctx.buNames, 'businessUnits', 'business unit');
  for (const [i, p] of spec.phases.entries()) {
    if (!NAME.test(p.name)) report(ctx, ['phases', i, 'name'], error('BH1017', `phase name \`${p.name}\` must be lowercase letters, digits and hyphens (it becomes part of account and policy names)`));
  }
  for (const [i, b] of spec.businessUnits.entries()) {
    if (!NAME.test(b.name)) report(ctx, ['businessUnits', i, 'name'], error('BH1017', `business unit name \`${b.name}\` must be lowercase letters, digits and hyphens (it becomes part of account names)`));
  }
  if (!spec.phases.some((p) => p.production)) {
    report(ctx, ['phases'], warning('BH1050', 'no phase is marked `production: true`; mark the production phase so verify can protect its data'));
  }
  if (!org.emailTemplate.includes('{account}')) {
    report(ctx, ['organization', 'emailTemplate'], error('BH1023', `email template \`${org.emailTemplate}\` has no \`{account}\` placeholder, so every account would get the same email; add \`{account}\`, e.g. \`aws+{account}@example.com\``));
  }
  for (const [i, r] of org.regions.entries()) {
    if (!REGION.test(r)) report(ctx, ['organization', 'regions', i], error('BH1042', `\`${r}\` is not an AWS region code; use one like \`us-east-1\` or \`eu-central-1\``));
  }
}
