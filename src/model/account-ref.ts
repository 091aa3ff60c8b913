/**
 * Account references inside planned policy documents. At design time account ids are unknown, so a planned
 * trust policy names another account as `{{account:identity}}` (e.g. `arn:aws:iam::{{account:identity}}:root`).
 * Each consumer resolves them its own way: the Terraform emitter to `${aws_organizations_account.x.id}`,
 * `apply` to live ids, `verify` to synthetic ids. The token cannot be mistaken for an IAM policy variable (`${...}`).
 */
import type { JsonValue, PolicyDocument } from './organization.js';

const REF = /\{\{account:([^{}]+)\}\}/g;

/** The reference token for an account name. */
export function accountRef(accountName: string): string {
  return `{{account:${accountName}}}`;
}

/** Account names referenced anywhere in a document, sorted and unique. */
export function referencedAccounts(doc: PolicyDocument): string[] {
  const names = new Set<string>();
  const visit = (v: JsonValue): void => {
    if (typeof v === 'string') for (const m of v.matchAll(REF)) names.add(m[1]!);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit(doc);
  return [...names].sort();
}

/** Replaces every account reference in string values using `resolve(name)`; other values are kept as they are. */
export function resolveAccountRefs(doc: PolicyDocument, resolve: (accountName: string) => string): PolicyDocument {
  const visit = (v: JsonValue): JsonValue => {
    if (typeof v === 'string') return v.includes('{{account:') ? v.replace(REF, (_, n: string) => resolve(n)) : v;
    if (Array.isArray(v)) return v.map(visit);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, visit(x)]));
    return v;
  };
  return visit(doc);
}
