/**
 * Account references inside policy documents. A planned model cannot know account ids, so trust policies name
 * other accounts with a placeholder; emitters turn each placeholder into a reference the target tool resolves
 * (Terraform: `aws_organizations_account.<x>.id`; CloudFormation: `!GetAtt <X>.AccountId` or a parameter).
 */

/**
 * The placeholders as the planner writes them (see src/model/account-ref.ts): `{{account:NAME}}` for "the id of
 * account NAME", and `{{organization:id}}` for the organization's own id (the data-perimeter RCPs without an
 * `organizationId` in the spec). Neither can be mistaken for an IAM policy variable (`${…}`), which is kept literally.
 */
const PLACEHOLDER = /\{\{account:([^{}]+)\}\}|\{\{organization:id\}\}/g;

/** A piece of a string: literal text, a reference to an account's id, or to the organization's id. */
export type RefPart = string | { readonly account: string } | { readonly organization: true };

/**
 * Splits a string into literal text and references (accounts, the organization), in order. A string without
 * references is one part.
 */
export function splitAccountRefs(s: string): RefPart[] {
  const parts: RefPart[] = [];
  let last = 0;
  for (const m of s.matchAll(PLACEHOLDER)) {
    const i = m.index;
    if (i > last) parts.push(s.slice(last, i));
    parts.push(m[1] !== undefined ? { account: m[1].trim() } : { organization: true });
    last = i + m[0].length;
  }
  if (last < s.length || parts.length === 0) parts.push(s.slice(last));
  return parts;
}

/** Every account name referenced anywhere in a JSON value (sorted, unique). */
export function accountRefsIn(value: unknown): string[] {
  const found = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      for (const p of splitAccountRefs(v)) if (typeof p !== 'string' && 'account' in p) found.add(p.account);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(value);
  return [...found].sort();
}

/** Replaces every account reference with `replace(name)` (used to measure sizes and for known ids); the organization's is kept. */
export function substituteAccountRefs(value: unknown, replace: (account: string) => string): unknown {
  if (typeof value === 'string') {
    return splitAccountRefs(value)
      .map((p) => (typeof p === 'string' ? p : 'account' in p ? replace(p.account) : '{{organization:id}}'))
      .join('');
  }
  if (Array.isArray(value)) return value.map((v) => substituteAccountRefs(v, replace));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteAccountRefs(v, replace)]));
  }
  return value;
}
