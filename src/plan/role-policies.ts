/**
 * Generated IAM documents for planned roles: trust policies from `assumedFrom`, and the `{phase}-{role}`
 * permission policies from access capabilities (through the capability table's action lists).
 */
import { accountRef } from '../model/account-ref.js';
import type { JsonValue, PolicyDocument } from '../model/organization.js';
import type { SpecRole } from '../spec/schema.js';

/** Maps capabilities and services to a compact, exact list of action patterns. */
export type ActionsFor = (capabilities: readonly string[], services: readonly string[]) => string[];

function sidFor(capabilities: readonly string[]): string {
  return `Allow${capabilities.map((c) => c.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')).join('')}`;
}

/**
 * The `{phase}-{role}` permission policy: one statement with every action that grants one of the capabilities
 * (one statement, not one per capability, so a full set compresses to `service:*`), limited to resources in the
 * role's own account (`aws:ResourceAccount` = `${aws:PrincipalAccount}`) so it can never be used across accounts.
 */
export function permissionPolicy(capabilities: readonly string[], services: readonly string[], actionsFor: ActionsFor): PolicyDocument {
  const caps = [...new Set(capabilities)].sort();
  const actions = actionsFor(caps, services);
  const statements: JsonValue[] =
    actions.length === 0
      ? []
      : [
          {
            Sid: sidFor(caps),
            Effect: 'Allow',
            Action: actions.length === 1 ? actions[0]! : actions,
            Resource: '*',
            Condition: { StringEquals: { 'aws:ResourceAccount': '${aws:PrincipalAccount}' } },
          },
        ];
  return { Version: '2012-10-17', Statement: statements };
}

/** One `assumedFrom` entry of the spec. */
export type AssumedFrom = SpecRole['assumedFrom'] extends infer T ? (T extends readonly (infer U)[] ? U : T) : never;

/**
 * The role's trust policy. An account source trusts that account's root but only for the named role
 * (`aws:PrincipalArn`), so the role is not open to every principal of the account; a SAML source uses
 * AssumeRoleWithSAML with the sign-in audience AWS documents.
 */
export function trustPolicy(roleName: string, sources: readonly AssumedFrom[]): PolicyDocument {
  const statements: JsonValue[] = sources.map((src, i): JsonValue => {
    const sid = `Trust${i + 1}`;
    if ('account' in src) {
      const acct = accountRef(src.account);
      return {
        Sid: sid,
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${acct}:root` },
        Action: 'sts:AssumeRole',
        Condition: { ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::${acct}:role/${src.role ?? roleName}` } },
      };
    }
    if ('arn' in src) {
      return { Sid: sid, Effect: 'Allow', Principal: { AWS: src.arn }, Action: 'sts:AssumeRole' };
    }
    return {
      Sid: sid,
      Effect: 'Allow',
      Principal: { Federated: src.saml },
      Action: 'sts:AssumeRoleWithSAML',
      Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
    };
  });
  return { Version: '2012-10-17', Statement: statements };
}

/** Characters IAM counts for policy size quotas: JSON without whitespace outside strings. */
export function minifiedLength(doc: unknown): number {
  return JSON.stringify(doc)?.length ?? 0;
}
