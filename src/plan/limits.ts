/**
 * AWS Organizations and IAM quotas and name rules, checked on a planned model (README "Validation and limits").
 * Every number below names the page it comes from; the policy size limits themselves live in the policy engine
 * (src/policy/limits.ts) and are reused here.
 */
import { error, warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { OrganizationModel, OrganizationPolicy, PolicyDocument, Role } from '../model/organization.js';
import { ouDepth, targetLabel } from '../model/query.js';
import { MANAGED_POLICY_CHARS, RCP_CHARS, ROLE_INLINE_CHARS, SCP_CHARS, TRUST_POLICY_DEFAULT_CHARS, TRUST_POLICY_MAX_CHARS } from '../policy/limits.js';
import { minifiedLength } from './role-policies.js';
import { pushTo } from '../util/multimap.js';

/**
 * Default AWS Organizations account quota (adjustable through Service Quotas): "Quotas and service limits for AWS
 * Organizations", https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
 */
export const DEFAULT_ACCOUNT_QUOTA = 10;

/** The numbers the checks use, in one place, each with its source. */
export const LIMITS = {
  /** AccountName 1–50 characters: "CreateAccount" (AWS Organizations API Reference), https://docs.aws.amazon.com/organizations/latest/APIReference/API_CreateAccount.html */
  accountNameMax: 50,
  /** Email 6–64 characters: "CreateAccount" (AWS Organizations API Reference), same page. */
  emailMin: 6,
  emailMax: 64,
  /** OUs nest 5 levels below the root when SCPs are enabled: "CreateOrganizationalUnit" (AWS Organizations API Reference), https://docs.aws.amazon.com/organizations/latest/APIReference/API_CreateOrganizationalUnit.html */
  ouDepthMax: 5,
  /** OU name 1–128 characters: "CreateOrganizationalUnit", same page. */
  ouNameMax: 128,
  /** SCPs per root, OU or account: 10 since 15 May 2026 (was 5), not adjustable; see src/policy/limits.ts for the sources. */
  scpsPerTargetMax: 10,
  /** SCP size: 10,240 characters since 15 May 2026 (was 5,120); see src/policy/limits.ts. */
  scpCharsMax: SCP_CHARS,
  /** RCPs per root, OU or account: 5 ("Quotas and service limits for AWS Organizations", orgs_reference_limits.html; not part of the 2026 SCP change). */
  rcpsPerTargetMax: 5,
  /** RCP size: 5,120 characters (same page). */
  rcpCharsMax: RCP_CHARS,
  /** Role name 1–64 characters: "IAM and AWS STS quotas, name requirements, and character limits", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html */
  roleNameMax: 64,
  /** Path 1–512 characters: same IAM quotas page ("Path" character limit). */
  rolePathMax: 512,
  /** Role trust policy length: 2,048 by default (IAM quotas page), the most after a Service Quotas increase is {@link trustPolicyCharsHardMax}. */
  trustPolicyCharsMax: TRUST_POLICY_DEFAULT_CHARS,
  trustPolicyCharsHardMax: TRUST_POLICY_MAX_CHARS,
  /** Customer managed policy: 6,144 characters, not adjustable (IAM quotas page). */
  managedPolicyCharsMax: MANAGED_POLICY_CHARS,
  /** A role's inline policies together: 10,240 characters, not adjustable (IAM quotas page). */
  inlineAggregateCharsMax: ROLE_INLINE_CHARS,
  /** Managed policies attached to a role: 10 by default, adjustable to 25 (IAM quotas page, "IAM object quotas"). */
  managedPoliciesPerRoleMax: 10,
  managedPoliciesPerRoleHardMax: 25,
  /** OUs in an organization: 2,000 ("Quotas and service limits for AWS Organizations"). */
  ousMax: 2000,
} as const;

/** The organization policy quotas of one organization: AWS's current ones unless `organization.quotas` lowers them. */
export interface OrgPolicyQuotas {
  readonly scpCharacters: number;
  readonly scpsPerTarget: number;
  readonly rcpCharacters: number;
  readonly rcpsPerTarget: number;
}

/** AWS's current organization policy quotas (see {@link LIMITS}). */
export const DEFAULT_ORG_POLICY_QUOTAS: OrgPolicyQuotas = {
  scpCharacters: LIMITS.scpCharsMax,
  scpsPerTarget: LIMITS.scpsPerTargetMax,
  rcpCharacters: LIMITS.rcpCharsMax,
  rcpsPerTarget: LIMITS.rcpsPerTargetMax,
};

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

type ValidatePolicy = (doc: PolicyDocument, type: 'scp' | 'rcp' | 'identity' | 'trust') => readonly Diagnostic[];

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
    pushTo(byEmail, k, a.name);
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

/** What differs between the SCP and the RCP checks. */
interface OrgPolicyKind {
  readonly label: 'SCP' | 'RCP';
  /** The size and the per-target diagnostics, built from the message. */
  readonly tooLarge: (message: string) => Diagnostic;
  readonly tooMany: (message: string) => Diagnostic;
  readonly chars: number;
  readonly perTarget: number;
  /** True when the quota comes from AWS, false when `organization.quotas` set it. */
  readonly charsFromAws: boolean;
  readonly perTargetFromAws: boolean;
  readonly charsKey: string;
  readonly perTargetKey: string;
  /** The AWS managed policy attached everywhere, which is not the one to move. */
  readonly fullAccess: string;
  readonly advice: string;
}

/** Who sets a quota, for the message: AWS, or the spec key that lowered it. */
function allows(fromAws: boolean, key: string, n: number): string {
  return fromAws ? `AWS allows ${n}` : `\`organization.quotas.${key}\` allows ${n}`;
}

/** One kind of organization policy: size (customer policies only; AWS stores its own) and attachments per target. */
function checkOrgPolicies(policies: readonly OrganizationPolicy[], k: OrgPolicyKind, out: LimitDiagnostic[]): void {
  const perTarget = new Map<string, string[]>();
  for (const p of policies) {
    const len = minifiedLength(p.document);
    if (p.managedBy !== 'aws' && len > k.chars) {
      const diagnostic = k.tooLarge(`${k.label} \`${p.name}\` is ${len} characters once minified; ${allows(k.charsFromAws, k.charsKey, k.chars)}: split it into two ${k.advice} or use wildcards`);
      out.push({ scpName: p.name, specPath: ['guardrails'], diagnostic });
    }
    for (const t of p.targets) {
      const label = targetLabel(t);
      pushTo(perTarget, label, p.name);
    }
  }
  for (const [label, names] of perTarget) {
    if (names.length <= k.perTarget) continue;
    // Point at the last policy attached there (AWS's own full-access policy is not the one to move).
    const last = [...names].reverse().find((n) => n !== k.fullAccess);
    out.push({
      ...(last !== undefined ? { scpName: last } : {}),
      specPath: ['guardrails'],
      diagnostic: k.tooMany(
        `\`${label}\` would have ${names.length} ${k.label}s attached (${names.map((n) => `\`${n}\``).join(', ')}); ${allows(k.perTargetFromAws, k.perTargetKey, k.perTarget)} per target: merge ${k.advice} or attach some one level up`,
      ),
    });
  }
}

/** What differs between SCPs and RCPs; the quota fields are derived from `prefix`. */
const ORG_POLICY_KINDS = {
  scp: {
    label: 'SCP',
    tooLarge: (m: string) => error('BH1032', m),
    tooMany: (m: string) => error('BH1031', m),
    fullAccess: 'FullAWSAccess',
    advice: 'guardrails',
  },
  // RCPFullAWSAccess is attached to every target and cannot be detached; bulkhead counts it like FullAWSAccess.
  rcp: {
    label: 'RCP',
    tooLarge: (m: string) => error('BH1046', m),
    tooMany: (m: string) => error('BH1047', m),
    fullAccess: 'RCPFullAWSAccess',
    advice: 'resource control policies',
  },
} as const;

/** The limits of one kind of organization policy: the spec's quota where it sets one, else AWS's. */
function orgPolicyKind(prefix: keyof typeof ORG_POLICY_KINDS, quotas: Partial<OrgPolicyQuotas>): OrgPolicyKind {
  const k = ORG_POLICY_KINDS[prefix];
  const charsKey = `${prefix}Characters` as const;
  const perTargetKey = `${prefix}sPerTarget` as const;
  return {
    label: k.label,
    tooLarge: k.tooLarge,
    tooMany: k.tooMany,
    chars: quotas[charsKey] ?? DEFAULT_ORG_POLICY_QUOTAS[charsKey],
    perTarget: quotas[perTargetKey] ?? DEFAULT_ORG_POLICY_QUOTAS[perTargetKey],
    charsFromAws: quotas[charsKey] === undefined,
    perTargetFromAws: quotas[perTargetKey] === undefined,
    charsKey,
    perTargetKey,
    fullAccess: k.fullAccess,
    advice: k.advice,
  };
}

/** SCPs and RCPs against the organization's policy quotas. */
function checkPolicyQuotas(model: OrganizationModel, quotas: Partial<OrgPolicyQuotas>, out: LimitDiagnostic[]): void {
  const scps = orgPolicyKind('scp', quotas);
  const rcps = orgPolicyKind('rcp', quotas);
  checkOrgPolicies(model.serviceControlPolicies, scps, out);
  checkOrgPolicies(model.resourceControlPolicies, rcps, out);
}

/** AWS managed policies (`arn:aws:iam::aws:policy/…`, any partition) are stored by AWS: no customer size limit. */
function isAwsManaged(arn: string | undefined): boolean {
  return arn !== undefined && /^arn:[a-z-]+:iam::aws:policy\//.test(arn);
}

/** One role's policy sizes and counts. */
function checkRolePolicies(r: Role, where: string, out: LimitDiagnostic[]): void {
  const trustLen = minifiedLength(r.trustPolicy);
  const trustPath = ['roles', r.name, 'assumedFrom'];
  if (trustLen > LIMITS.trustPolicyCharsHardMax) {
    out.push({ specPath: trustPath, diagnostic: error('BH1036', `the trust policy of ${where} is ${trustLen} characters; IAM allows at most ${LIMITS.trustPolicyCharsHardMax}, even after a quota increase: trust fewer principals`) });
  } else if (trustLen > LIMITS.trustPolicyCharsMax) {
    out.push({
      specPath: trustPath,
      diagnostic: warning('BH1036', `the trust policy of ${where} is ${trustLen} characters; IAM allows ${LIMITS.trustPolicyCharsMax} by default: trust fewer principals or request an increase (Service Quotas › IAM › Role trust policy length, at most ${LIMITS.trustPolicyCharsHardMax}) before applying`),
    });
  }
  const managed = r.policies.filter((p) => p.kind === 'managed');
  if (managed.length > LIMITS.managedPoliciesPerRoleHardMax) {
    out.push({ specPath: ['roles', r.name], diagnostic: error('BH1039', `${where} has ${managed.length} managed policies; IAM allows at most ${LIMITS.managedPoliciesPerRoleHardMax}, even after a quota increase`) });
  } else if (managed.length > LIMITS.managedPoliciesPerRoleMax) {
    out.push({
      specPath: ['roles', r.name],
      diagnostic: warning('BH1039', `${where} has ${managed.length} managed policies; IAM allows ${LIMITS.managedPoliciesPerRoleMax} by default: request an increase (Service Quotas › IAM › Managed policies per role, at most ${LIMITS.managedPoliciesPerRoleHardMax}) before applying`),
    });
  }
  for (const p of managed.filter((m) => !isAwsManaged(m.arn))) {
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
export function checkLimits(
  model: OrganizationModel,
  opts: { accountQuota: number; orgPolicyQuotas?: Partial<OrgPolicyQuotas> | undefined; validatePolicy?: ValidatePolicy | undefined },
): LimitDiagnostic[] {
  const out: LimitDiagnostic[] = [];
  checkAccounts(model, opts.accountQuota, out);
  checkOus(model, out);
  checkPolicyQuotas(model, opts.orgPolicyQuotas ?? {}, out);
  checkRoles(model, opts.validatePolicy, out);
  const mgmt = model.organization.managementAccount;
  if (mgmt && !model.accounts.some((a) => a.name === mgmt)) {
    out.push({ specPath: ['organization', 'managementAccount'], diagnostic: error('BH1012', `management account \`${mgmt}\` is missing from the plan`) });
  }
  return out;
}
