/**
 * AWS Organizations and IAM quotas and name rules, checked on a planned model (see README "Limits" for sources:
 * Organizations quotas page, CreateAccount API field constraints, IAM quotas page).
 */
import { error, warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { OrganizationModel, PolicyDocument, Role } from '../model/organization.js';
import { ouDepth, targetLabel } from '../model/query.js';
import { minifiedLength } from './role-policies.js';

/** Default AWS Organizations account quota (adjustable through Service Quotas). */
export const DEFAULT_ACCOUNT_QUOTA = 10;

/** The numbers the checks use, in one place. */
export const LIMITS = {
  accountNameMax: 50,
  emailMin: 6,
  emailMax: 64,
  ouDepthMax: 5,
  ouNameMax: 128,
  scpsPerTargetMax: 5,
  scpCharsMax: 5120,
  roleNameMax: 64,
  rolePathMax: 512,
  trustPolicyCharsMax: 2048,
  managedPolicyCharsMax: 6144,
  inlineAggregateCharsMax: 10240,
  managedPoliciesPerRoleMax: 10,
  ousMax: 2000,
} as const;

/** A limit problem and which account it belongs to (so the planner can point at the spec). */
export interface LimitDiagnostic {
  readonly diagnostic: Diagnostic;
  readonly accountName?: string;
  /** Which property of the account is wrong (the spec path differs for names and emails). */
  readonly field?: 'name' | 'email' | 'ou';
  /** The SCP the problem is about, if any. */
  readonly scpName?: string;
  readonly specPath?: readonly (string | number)[];
}

const ROLE_NAME = /^[\w+=,.@-]+$/;
const ROLE_PATH = /^(\/|\/[\u0021-\u007E]+\/)$/;

/** Checks an email against the CreateAccount rules; returns what is wrong, or undefined. */
export function emailProblem(email: string): string | undefined {
  if (email.length < LIMITS.emailMin || email.length > LIMITS.emailMax) return `is ${email.length} characters long; AWS accepts ${LIMITS.emailMin}–${LIMITS.emailMax}`;
  // eslint-disable-next-line no-control-regex
  if (!/^[\x00-\x7f]+$/.test(email)) return 'is not 7-bit ASCII';
  const parts = email.split('@');
  if (parts.length !== 2) return 'does not contain exactly one `@`';
  const [local, domain] = parts as [string, string];
  if (local.length === 0 || /[\s"'()<>[\]:;,\\|%&]/.test(local)) return 'has whitespace or one of `"\'()<>[]:;,\\|%&` before the `@`';
  if (local.startsWith('.')) return 'starts with `.`';
  if (!/^[a-zA-Z0-9.-]+$/.test(domain) || !domain.includes('.')) return 'has a domain without a dot or with characters other than letters, digits, `.` and `-`';
  if (/^[.-]|[.-]$/.test(domain)) return 'has a domain that starts or ends with `.` or `-`';
  return undefined;
}

type ValidatePolicy = (doc: PolicyDocument, type: 'scp' | 'identity' | 'trust') => readonly Diagnostic[];

/** Accounts: names, emails, count. */
function checkAccounts(model: OrganizationModel, accountQuota: number, out: LimitDiagnostic[]): void {
  const byEmail = new Map<string, string[]>();
  for (const a of model.accounts) {
    if (a.name.length < 1 || a.name.length > LIMITS.accountNameMax || !/^[\u0020-\u007e]+$/.test(a.name)) {
      out.push({
        accountName: a.name,
        diagnostic: error('BH1020', `account name \`${a.name}\` must be 1–${LIMITS.accountNameMax} printable ASCII characters (it has ${a.name.length}); shorten the business unit, phase or prefix`),
      });
    }
    const problem = emailProblem(a.email);
    if (problem) out.push({ accountName: a.name, field: 'email', diagnostic: error('BH1021', `email \`${a.email}\` of account \`${a.name}\` ${problem}; fix the address or the email template`) });
    const k = a.email.toLowerCase();
    byEmail.set(k, [...(byEmail.get(k) ?? []), a.name]);
  }
  for (const [, names] of byEmail) {
    const distinct = [...new Set(names.map((n) => n.toLowerCase()))];
    if (distinct.length < 2) continue; // same name twice is reported as a name clash
    const email = model.accounts.find((a) => a.name === names[0])!.email;
    out.push({
      accountName: names[1]!,
      field: 'email',
      diagnostic: error('BH1022', `email \`${email}\` is used by ${names.length} accounts (${names.map((n) => `\`${n}\``).join(', ')}); every AWS account needs its own email address`),
    });
  }
  if (model.accounts.length > accountQuota) {
    out.push({
      specPath: ['organization'],
      diagnostic: warning(
        'BH1040',
        `the plan has ${model.accounts.length} accounts but the organization account quota is ${accountQuota}; request an increase to at least ${model.accounts.length} (Service Quotas › AWS Organizations › Default maximum number of accounts) before applying, then set \`organization.accountQuota\``,
      ),
    });
  }
}

/** OUs: depth and count. */
function checkOus(model: OrganizationModel, out: LimitDiagnostic[]): void {
  for (const ou of model.organizationalUnits) {
    if (ouDepth(ou.path) > LIMITS.ouDepthMax) {
      // Point at an account placed in (or below) the deep OU: its `ou` is what to change.
      const holder = model.accounts.find((a) => a.ouPath === ou.path || a.ouPath.startsWith(`${ou.path}/`));
      out.push({ ...(holder ? { accountName: holder.name, field: 'ou' as const } : {}), specPath: ['accounts'], diagnostic: error('BH1030', `OU \`${ou.path}\` is nested ${ouDepth(ou.path)} levels below the root; AWS allows ${LIMITS.ouDepthMax}: flatten it`) });
    }
  }
  if (model.organizationalUnits.length - 1 > LIMITS.ousMax) {
    out.push({ specPath: [], diagnostic: error('BH1030', `the plan has ${model.organizationalUnits.length - 1} OUs; AWS allows ${LIMITS.ousMax}`) });
  }
}

/** SCPs: size and attachments per target. */
function checkScps(model: OrganizationModel, out: LimitDiagnostic[]): void {
  const perTarget = new Map<string, string[]>();
  for (const p of model.serviceControlPolicies) {
    const len = minifiedLength(p.document);
    if (len > LIMITS.scpCharsMax) {
      out.push({ scpName: p.name, specPath: ['guardrails'], diagnostic: error('BH1032', `SCP \`${p.name}\` is ${len} characters once minified; AWS allows ${LIMITS.scpCharsMax}: split it into two guardrails or use wildcards`) });
    }
    for (const t of p.targets) {
      const label = targetLabel(t);
      perTarget.set(label, [...(perTarget.get(label) ?? []), p.name]);
    }
  }
  for (const [label, names] of perTarget) {
    if (names.length > LIMITS.scpsPerTargetMax) {
      // Point at the last guardrail attached there (AWS's own FullAWSAccess is not the one to move).
      const last = [...names].reverse().find((n) => n !== 'FullAWSAccess');
      out.push({
        ...(last !== undefined ? { scpName: last } : {}),
        specPath: ['guardrails'],
        diagnostic: error('BH1031', `\`${label}\` would have ${names.length} SCPs attached (${names.map((n) => `\`${n}\``).join(', ')}); AWS allows ${LIMITS.scpsPerTargetMax} per target: merge guardrails or attach some one level up`),
      });
    }
  }
}

/** One role's policy sizes and counts. */
function checkRolePolicies(r: Role, where: string, out: LimitDiagnostic[]): void {
  const trustLen = minifiedLength(r.trustPolicy);
  if (trustLen > LIMITS.trustPolicyCharsMax) {
    out.push({ specPath: ['roles', r.name, 'assumedFrom'], diagnostic: error('BH1036', `the trust policy of ${where} is ${trustLen} characters; IAM allows ${LIMITS.trustPolicyCharsMax} by default: trust fewer principals`) });
  }
  const managed = r.policies.filter((p) => p.kind === 'managed');
  if (managed.length > LIMITS.managedPoliciesPerRoleMax) {
    out.push({ specPath: ['roles', r.name], diagnostic: error('BH1039', `${where} has ${managed.length} managed policies; IAM allows ${LIMITS.managedPoliciesPerRoleMax}`) });
  }
  for (const p of managed) {
    const len = minifiedLength(p.document);
    if (len > LIMITS.managedPolicyCharsMax) {
      out.push({
        specPath: ['roles', r.name, 'access'],
        diagnostic: error('BH1037', `policy \`${p.name}\` of ${where} would be ${len} characters; IAM allows ${LIMITS.managedPolicyCharsMax} for a managed policy: list fewer \`services\` for this phase`),
      });
    }
  }
  const inlineLen = r.policies.filter((p) => p.kind === 'inline').reduce((n, p) => n + minifiedLength(p.document), 0);
  if (inlineLen > LIMITS.inlineAggregateCharsMax) {
    out.push({ specPath: ['roles', r.name, 'inlinePolicies'], diagnostic: error('BH1038', `the inline policies of ${where} add up to ${inlineLen} characters; IAM allows ${LIMITS.inlineAggregateCharsMax} per role: move some into managed policies`) });
  }
}

/** One role's documents through the policy validator; every account's copy of a role shares them, so each is validated once. */
function validateRoleDocuments(r: Role, validatePolicy: ValidatePolicy, checkedDocs: WeakSet<object>, out: LimitDiagnostic[]): void {
  const docs: { doc: PolicyDocument; type: 'identity' | 'trust'; path: (string | number)[] }[] = [
    { doc: r.trustPolicy, type: 'trust', path: ['roles', r.name, 'assumedFrom'] },
    ...r.policies.map((p) => ({ doc: p.document, type: 'identity' as const, path: p.kind === 'inline' ? ['roles', r.name, 'inlinePolicies', p.name] : ['roles', r.name, 'access'] })),
  ];
  for (const { doc, type, path } of docs) {
    if (doc && typeof doc === 'object' && checkedDocs.has(doc)) continue;
    if (doc && typeof doc === 'object') checkedDocs.add(doc);
    for (const d of validatePolicy(doc, type)) out.push({ specPath: path, diagnostic: d });
  }
}

/** Roles: names, paths, uniqueness, policy sizes and counts. */
function checkRoles(model: OrganizationModel, validatePolicy: ValidatePolicy | undefined, out: LimitDiagnostic[]): void {
  const rolesPerAccount = new Map<string, Set<string>>();
  const checkedDocs = new WeakSet<object>();
  for (const r of model.roles) {
    const where = `role \`${r.name}\` in account \`${r.account}\``;
    if (r.name.length > LIMITS.roleNameMax || !ROLE_NAME.test(r.name)) {
      out.push({ specPath: ['roles', r.name], diagnostic: error('BH1033', `role name \`${r.name}\` must be 1–${LIMITS.roleNameMax} characters of letters, digits and \`+=,.@_-\``) });
    }
    if (r.path.length > LIMITS.rolePathMax || !ROLE_PATH.test(r.path)) {
      out.push({ specPath: ['roles', r.name, 'path'], diagnostic: error('BH1034', `role path \`${r.path}\` must start and end with \`/\` and use printable ASCII (1–${LIMITS.rolePathMax} characters), e.g. \`/teams/\``) });
    }
    const names = rolesPerAccount.get(r.account) ?? new Set<string>();
    if (names.has(r.name.toLowerCase())) {
      out.push({ specPath: ['roles', r.name], diagnostic: error('BH1035', `${where} clashes with another role of the same name (IAM role names are case-insensitive); rename one`) });
    }
    names.add(r.name.toLowerCase());
    rolesPerAccount.set(r.account, names);
    checkRolePolicies(r, where, out);
    if (validatePolicy) validateRoleDocuments(r, validatePolicy, checkedDocs, out);
  }
}

/**
 * Checks a model against AWS quotas. `validatePolicy` (the policy engine's validator) is applied to generated
 * role policies and trust policies, so a plan never contains a document AWS would reject.
 */
export function checkLimits(model: OrganizationModel, opts: { accountQuota: number; validatePolicy?: ValidatePolicy | undefined }): LimitDiagnostic[] {
  const out: LimitDiagnostic[] = [];
  checkAccounts(model, opts.accountQuota, out);
  checkOus(model, out);
  checkScps(model, out);
  checkRoles(model, opts.validatePolicy, out);
  const mgmt = model.organization.managementAccount;
  if (mgmt && !model.accounts.some((a) => a.name === mgmt)) {
    out.push({ specPath: ['organization', 'managementAccount'], diagnostic: error('BH1012', `management account \`${mgmt}\` is missing from the plan`) });
  }
  return out;
}
