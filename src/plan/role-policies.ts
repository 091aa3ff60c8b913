/**
 * Generated IAM documents for planned roles: trust policies from `assumedFrom`, and the `{phase}-{role}`
 * permission policies from access capabilities (through the capability table's action lists).
 */
import { accountRef } from '../model/account-ref.js';
import type { JsonValue, PolicyDocument } from '../model/organization.js';
import type { SpecRole } from '../spec/schema.js';

/**
 * Maps capabilities and services to an exact list of action patterns: readable word-boundary cuts
 * (`s3:GetBucket*`), or with `compact` shorter cuts (`s3:GetB*`) that match the same catalogue actions.
 */
export type ActionsFor = (capabilities: readonly string[], services: readonly string[], compact: boolean) => string[];

function sidFor(capabilities: readonly string[]): string {
  return `Allow${capabilities.map((c) => c.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')).join('')}`;
}

function document(sid: string, actions: readonly string[]): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: sid,
        Effect: 'Allow',
        Action: actions.length === 1 ? actions[0]! : [...actions],
        Resource: '*',
        Condition: { StringEquals: { 'aws:ResourceAccount': '${aws:PrincipalAccount}' } },
      },
    ],
  };
}

/**
 * The documents of a `{phase}-{role}` permission policy: one statement with every action whose capabilities are
 * all among those asked for (one statement, not one per capability, so a full set compresses to `service:*`),
 * limited to resources in the role's own account (`aws:ResourceAccount` = `${aws:PrincipalAccount}`) so it can
 * never be used across accounts. Readable patterns when they fit in one managed policy of `maxChars`; else the
 * compact patterns; else the readable list split over as many documents as needed (named `-2`, `-3`… by the
 * planner), because IAM caps a managed policy at 6,144 characters. No documents when no action qualifies.
 */
export function permissionPolicies(
  capabilities: readonly string[],
  services: readonly string[],
  actionsFor: ActionsFor,
  maxChars: number,
): PolicyDocument[] {
  const caps = [...new Set(capabilities)].sort();
  const sid = sidFor(caps);
  const readable = actionsFor(caps, services, false);
  if (readable.length === 0) return [];
  const single = document(sid, readable);
  if (minifiedLength(single) <= maxChars) return [single];
  const compact = document(sid, actionsFor(caps, services, true));
  if (minifiedLength(compact) <= maxChars) return [compact];
  const docs: PolicyDocument[] = [];
  let chunk: string[] = [];
  const envelope = minifiedLength(document(sid, ['x', 'y'])) - '"x","y"'.length;
  let size = envelope;
  for (const a of readable) {
    const add = a.length + 3; // quotes and comma
    if (chunk.length > 0 && size + add > maxChars) {
      docs.push(document(sid, chunk));
      chunk = [];
      size = envelope;
    }
    chunk.push(a);
    size += add;
  }
  if (chunk.length > 0) docs.push(document(sid, chunk));
  return docs;
}

/** One `assumedFrom` entry of the spec. */
export type AssumedFrom = NonNullable<SpecRole['assumedFrom']> extends infer T ? (T extends readonly (infer U)[] ? U : T) : never;

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
