/**
 * Account references inside planned policy documents. At design time account ids are unknown, so a planned
 * trust policy names another account as `{{account:identity}}` (e.g. `arn:aws:iam::{{account:identity}}:root`).
 * Each consumer resolves them its own way: the Terraform emitter to `${aws_organizations_account.x.id}`,
 * `apply` to live ids, `verify` to synthetic ids. The token cannot be mistaken for an IAM policy variable (`${...}`).
 *
 * The organization's own id is unknown at design time too: `{{organization:id}}` stands for it (e.g. in a
 * data-perimeter policy's `aws:PrincipalOrgID` condition), and `apply` resolves it from the live organization.
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

/** The reference token for the organization's id (`o-…`). */
export const ORGANIZATION_REF = '{{organization:id}}';

/** Whether a document references the organization's id anywhere. */
export function referencesOrganization(doc: PolicyDocument): boolean {
  const visit = (v: JsonValue): boolean => {
    if (typeof v === 'string') return v.includes(ORGANIZATION_REF);
    if (Array.isArray(v)) return v.some(visit);
    if (v && typeof v === 'object') return Object.values(v).some(visit);
    return false;
  };
  return visit(doc);
}

/**
 * Replaces `{{organization:id}}` in string values with `organizationId`; with no id (no organization yet) the document
 * is returned as it is, so the token stays and counts as a difference until the organization exists.
 */
export function resolveOrganizationRef(doc: PolicyDocument, organizationId: string | undefined): PolicyDocument {
  if (organizationId === undefined || !referencesOrganization(doc)) return doc;
  const visit = (v: JsonValue): JsonValue => {
    if (typeof v === 'string') return v.split(ORGANIZATION_REF).join(organizationId);
    if (Array.isArray(v)) return v.map(visit);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, visit(x)]));
    return v;
  };
  return visit(doc);
}
