/**
 * Generated IAM documents for planned roles: trust policies from `assumedFrom`, and the `{phase}-{role}`
 * permission policies from access capabilities (through the capability table's action lists).
 */
import { accountRef } from '../model/account-ref.js';
import type { JsonValue, PolicyDocument } from '../model/organization.js';
import type { SpecRole } from '../spec/schema.js';

/** Services a role's access covers when the spec does not list any: the data services the capability table curates. */
export const DEFAULT_POLICY_SERVICES: readonly string[] = [
  'cloudtrail', 'dynamodb', 'ec2', 'ecr', 'iam', 'kms', 'lambda', 'logs', 'rds', 's3', 'secretsmanager', 'sns', 'sqs', 'ssm', 'sts',
];

/** Statement ids per capability, stable so re-planning gives minimal diffs. */
const SIDS: Record<string, string> = {
  'administer-resource': 'AdministerResource',
  'read-config': 'ReadConfig',
  'read-data': 'ReadData',
  'write-data': 'WriteData',
  'delete-data': 'DeleteData',
  'use-resource': 'UseResource',
};

/** Maps capabilities and services to a compact, exact list of action patterns. */
export type ActionsFor = (capabilities: readonly string[], services: readonly string[]) => string[];

/**
 * The `{phase}-{role}` permission policy: one statement per capability, each limited to resources in the role's
 * own account (`aws:ResourceAccount` = `${aws:PrincipalAccount}`), so a role can never use it across accounts.
 */
export function permissionPolicy(capabilities: readonly string[], services: readonly string[], actionsFor: ActionsFor): PolicyDocument {
  const statements: JsonValue[] = [];
  for (const cap of [...capabilities].sort()) {
    const actions = actionsFor([cap], services);
    if (actions.length === 0) continue;
    statements.push({
      Sid: SIDS[cap] ?? cap,
      Effect: 'Allow',
      Action: actions.length === 1 ? actions[0]! : actions,
      Resource: '*',
      Condition: { StringEquals: { 'aws:ResourceAccount': '${aws:PrincipalAccount}' } },
    });
  }
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
