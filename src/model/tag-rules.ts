/**
 * AWS's tag rules, in one place for the spec check (plan/stages/tags.ts) and emit's guard (emit/prepare.ts).
 * Organizations (accounts, OUs) and IAM (roles) agree: a key of 1–128 and a value of 0–256 characters, each only
 * letters, digits, spaces and `_.:/=+-@` (AWS Organizations API Reference, "Tag", pattern
 * `^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`, https://docs.aws.amazon.com/organizations/latest/APIReference/API_Tag.html);
 * the `aws:` prefix is reserved for AWS and a resource holds at most 50 tags (the tag restrictions AWS documents for
 * its services, e.g. "Tag restrictions", AWS Batch User Guide,
 * https://docs.aws.amazon.com/batch/latest/userguide/tag-restrictions.html).
 */

/** Characters AWS accepts in tag keys and values. */
export const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
/** Longest tag key. */
export const TAG_KEY_MAX = 128;
/** Longest tag value. */
export const TAG_VALUE_MAX = 256;
/** Tags one resource may hold. */
export const MAX_TAGS = 50;

/** True when `key` uses the prefix AWS reserves for its own tags (`aws:`, any case). */
export function isReservedTagKey(key: string): boolean {
  return /^aws:/i.test(key);
}

/** The first character of `s` that AWS refuses in a tag key or value, if any. */
export function firstBadTagChar(s: string): string | undefined {
  return TAG_CHARS.test(s) ? undefined : [...s].find((c) => !TAG_CHARS.test(c));
}
