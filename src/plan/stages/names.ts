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

/**
 * An OU name bulkhead places under Workloads: one path segment. `/` would silently nest OUs and `.`/`..` name
 * nothing; control characters are refused too. AWS allows 1–128 characters (Organizations API reference,
 * CreateOrganizationalUnit, `Name`).
 */
function ouNameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'is empty; give a name or leave `ouName` out for the default';
  if (name.includes('/')) return 'contains `/`, which would nest OUs; give one OU name such as `Dev`';
  if (name === '.' || name === '..') return 'is not an OU name; give one OU name such as `Dev`';
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'contains a control character; remove it';
  if (name.length > 128) return `is ${name.length} characters; AWS allows 128, shorten it`;
  return undefined;
}

/** Checks the `ouName` of phases and business units. */
function checkOuNames(ctx: PlanContext): void {
  const items = [
    ...ctx.spec.phases.map((p, i) => ({ ouName: p.ouName, path: ['phases', i, 'ouName'] as const })),
    ...ctx.spec.businessUnits.map((b, i) => ({ ouName: b.ouName, path: ['businessUnits', i, 'ouName'] as const })),
  ];
  for (const { ouName, path } of items) {
    const problem = ouName === undefined ? undefined : ouNameProblem(ouName);
    if (problem) report(ctx, [...path], error('BH1024', `OU name \`${JSON.stringify(ouName).slice(1, -1)}\` ${problem}`));
  }
}

/** Checks the spec's own names and settings (stage 1). */
export function checkNames(ctx: PlanContext): void {
  const { spec, org } = ctx;
  if (org.ouLayout !== undefined) inList(ctx, org.ouLayout, OU_LAYOUTS, 'BH1013', 'OU layout', ['organization', 'ouLayout']);
  checkUnique(ctx, ctx.phaseNames, 'phases', 'phase');
  checkUnique(ctx, ctx.buNames, 'businessUnits', 'business unit');
  checkOuNames(ctx);
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
