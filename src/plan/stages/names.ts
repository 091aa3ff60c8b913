/**
 * Planning stage 1: the checks that need nothing planned yet: the OU layout's name, unique and well-formed phase
 * and business unit names, a production phase, the email template's placeholder and the region codes.
 */
import { error, warning } from '../../diagnostics/diagnostic.js';
import type { SpecPath } from '../../spec/parse.js';
import { AWS_REGION_CODES, AWS_REGIONS_AS_OF, regionStatus } from '../../spec/aws-regions.js';
import { OU_LAYOUTS } from '../../spec/schema.js';
import { suggest } from '../../util/suggest.js';
import { inList, report, type PlanContext } from './context.js';

const NAME = /^[a-z0-9][a-z0-9-]*$/;
/** IAM role names: 1–64 letters, digits and `+=,.@_-` ("IAM and AWS STS quotas, name requirements, and character limits", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html). */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

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
  org.regions.forEach((r, i) => checkRegion(ctx, r, ['organization', 'regions', i]));
  (spec.guardrails ?? []).forEach((g, gi) => {
    if ('regions' in g) g.regions?.forEach((r, i) => checkRegion(ctx, r, ['guardrails', gi, 'regions', i]));
  });
  checkAccountNames(ctx);
}

/**
 * A region code against AWS's partition data (src/spec/aws-regions.ts): a listed region is fine, one shaped like a
 * region but not listed may be newer than the list (a warning), anything else is an error with did-you-mean. The
 * region-restriction guardrail allows exactly these codes, so a misspelt one would allow a region that does not exist.
 */
function checkRegion(ctx: PlanContext, code: string, path: SpecPath): void {
  const status = regionStatus(code);
  if (status === 'known') return;
  if (status === 'plausible') {
    report(ctx, path, warning('BH1056', `\`${code}\` is not in bulkhead's list of AWS regions (as of ${AWS_REGIONS_AS_OF}); if AWS opened it since, keep it, otherwise fix the code`));
    return;
  }
  const near = suggest(code, AWS_REGION_CODES);
  const hint = near !== undefined && near !== code ? `; did you mean \`${near}\`?` : '; use one like `us-east-1` or `eu-central-1`';
  report(ctx, path, error('BH1042', `\`${code}\` is not an AWS region code${hint}`));
}

/**
 * Why an account name (or the prefix of every generated one) cannot be used, if it cannot. AWS takes 1–50 printable
 * ASCII characters (AWS Organizations API Reference, "CreateAccount", `AccountName`, pattern `[\u0020-\u007E]+`,
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_CreateAccount.html; checked on the generated
 * names, BH1020), `{` and `}` included; but bulkhead writes references to accounts as `{{account:NAME}}` in policies,
 * so a brace in a name would break its reference.
 */
function accountNameProblem(name: string): string | undefined {
  if (name.includes('{') || name.includes('}')) return 'contains `{` or `}`, which bulkhead uses for account references (`{{account:NAME}}`)';
  return undefined;
}

/** Account names given in the spec (management account, custom accounts, the prefix) and the access role name. */
function checkAccountNames(ctx: PlanContext): void {
  const { spec, org } = ctx;
  const names: { name: string; path: SpecPath; what: string }[] = [
    { name: org.managementAccount.name, path: ['organization', 'managementAccount', 'name'], what: 'account name' },
    ...(org.accountPrefix !== undefined ? [{ name: org.accountPrefix, path: ['organization', 'accountPrefix'], what: 'account prefix' }] : []),
    ...(spec.accounts ?? []).map((a, i) => ({ name: a.name, path: ['accounts', i, 'name'], what: 'account name' })),
  ];
  for (const { name, path, what } of names) {
    const problem = accountNameProblem(name);
    if (problem) report(ctx, path, error('BH1025', `${what} \`${JSON.stringify(name).slice(1, -1)}\` ${problem}; rename it`));
  }
  if (org.accessRoleName !== undefined && !ROLE_NAME.test(org.accessRoleName)) {
    report(ctx, ['organization', 'accessRoleName'], error('BH1033', `role name \`${org.accessRoleName}\` must be 1–64 characters of letters, digits and \`+=,.@_-\``));
  }
}
