/**
 * `bulkhead init`: a starter spec people can edit. Generated as text so it carries comments.
 */
import { DEFAULT_REGION } from '../util/aws-defaults.js';

/** What the starter spec is built from. */
export interface StarterOptions {
  readonly organization: string;
  readonly businessUnits: readonly string[];
  readonly phases: readonly string[];
  readonly emailDomain: string;
  /**
   * Where editors find the spec's JSON Schema, written as the first line's `yaml-language-server` modeline: a path
   * relative to the spec file, or a URL. No modeline when absent (`initSpec` always gives one that exists).
   */
  readonly schema?: string;
}

/**
 * One role for engineers and the IAM Identity Center group that gets it: the first phase with write access, the
 * production phase read-only; each role × phase becomes a permission set `{phase}-{role}`.
 */
function starterPeople(phases: readonly string[]): string[] {
  const first = phases[0];
  const prod = phases[phases.length - 1];
  if (first === undefined || prod === undefined) return [];
  const access = [`      ${first}: { capabilities: [read-config, read-data, write-data] }`, ...(prod !== first ? [`      ${prod}: { capabilities: [read-config] }`] : [])];
  const refs = [first, ...(prod !== first ? [prod] : [])].map((p) => `engineer@${p}`).join(', ');
  return [
    'roles:                                      # what people may do, per phase',
    '  engineer:',
    '    description: application engineers',
    '    access:',
    ...access,
    'identity:',
    '  provider: identity-center                 # people sign in through IAM Identity Center; or identity-account, external',
    '  groups:                                   # `role@phase` = permission set {phase}-{role} in every account of that phase',
    `    - { name: engineers, roles: [${refs}] }`,
  ];
}

/** Writes a starter spec: business units × phases, the foundational shared accounts, an engineers group in IAM Identity Center and two stock guardrails. */
export function starterSpec(o: StarterOptions): string {
  const prod = o.phases[o.phases.length - 1];
  const lines = [
    ...(o.schema !== undefined ? [`# yaml-language-server: $schema=${o.schema}`] : []),
    '# bulkhead organization spec. Run `bulkhead plan <this file>` to see the accounts it designs.',
    'version: 1',
    'organization:',
    `  name: ${o.organization}`,
    `  managementAccount: { name: ${o.organization}-management, email: aws-management@${o.emailDomain} }`,
    `  emailTemplate: "aws+{account}@${o.emailDomain}"   # {account} = the account name`,
    `  regions: [${DEFAULT_REGION}]`,
    '  ouLayout: phase-first                     # or bu-first',
    'phases:                                     # least to most critical',
    ...o.phases.map((p) => `  - { name: ${p}${p === prod ? ', production: true' : ''} }`),
    'businessUnits:',
    ...o.businessUnits.map((b) => `  - { name: ${b} }`),
    '# sharedAccounts: [security, log-archive, shared-services, delivery]   # each needs an account-quota increase',
    ...starterPeople(o.phases),
    'guardrails:',
    '  - preset: deny-leave-organization',
    '  - preset: deny-root-user',
    '',
  ];
  return lines.join('\n');
}
