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

/** Writes a starter spec: business units × phases, the foundational shared accounts and two stock guardrails. */
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
    'guardrails:',
    '  - preset: deny-leave-organization',
    '  - preset: deny-root-user',
    '',
  ];
  return lines.join('\n');
}
