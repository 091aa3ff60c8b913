/**
 * Tags, checked once at the spec where they are written: the `tags` of the organization, business units, custom
 * accounts and roles, and the spec values that become tag values (`owner` → `Owner`, `purpose` → `Purpose`); then the
 * count of tags each planned account ends up with (the organization's, its business unit's and its own, merged, with the
 * `BusinessUnit`, `Environment`, `Owner` and `Purpose` tags the planner adds) and each role (its own and `Phase`).
 *
 * The rules are in model/tag-rules.ts (with their AWS pages).
 * Terraform and cfn-lint do not check tag content, so a bad tag would otherwise fail only when applied.
 */
import { error } from '../../diagnostics/diagnostic.js';
import type { SpecPath } from '../../spec/parse.js';
import { report, type PlanContext } from './context.js';
import { firstBadTagChar, isReservedTagKey, MAX_TAGS, TAG_KEY_MAX, TAG_VALUE_MAX } from '../../model/tag-rules.js';

/** A value for a message: control characters escaped (`\n`, `\u0000`), so the message shows what is really there. */
const shown = (s: string) => s.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));

/** Checks one tag key and value written at `path` (a tags mapping, or the key whose value becomes the tag value). */
function checkTag(ctx: PlanContext, key: string, value: string, path: SpecPath, valueOnly: boolean): void {
  const allowed = 'letters, digits, spaces and `_.:/=+-@`';
  if (!valueOnly) {
    const keyAt: SpecPath = [...path, key];
    const bad = firstBadTagChar(key);
    if (key.length === 0) report(ctx, keyAt, error('BH1026', 'a tag key is empty; AWS needs 1–128 characters: name it'), true);
    else if (key.length > TAG_KEY_MAX) report(ctx, keyAt, error('BH1026', `tag key \`${shown(key.slice(0, 40))}...\` has ${key.length} characters; AWS allows 128: shorten it`), true);
    else if (bad !== undefined) report(ctx, keyAt, error('BH1026', `tag key \`${shown(key)}\` contains \`${shown(bad)}\`; AWS allows only ${allowed} in tags: rename it`), true);
    else if (isReservedTagKey(key)) report(ctx, keyAt, error('BH1026', `tag key \`${shown(key)}\` starts with \`aws:\`, which AWS reserves for its own tags: rename it`), true);
  }
  const valueAt: SpecPath = valueOnly ? path : [...path, key];
  const bad = firstBadTagChar(value);
  if (value.length > TAG_VALUE_MAX) report(ctx, valueAt, error('BH1026', `the value of tag \`${shown(key)}\` has ${value.length} characters; AWS allows 256: shorten it`));
  else if (bad !== undefined) report(ctx, valueAt, error('BH1026', `tag value \`${shown(value)}\` (of \`${shown(key)}\`) contains \`${shown(bad)}\`; AWS allows only ${allowed} in tags: change it`));
}

/** Checks a `tags` mapping: each tag, and that it alone is not over the count. */
function checkTagMap(ctx: PlanContext, tags: Readonly<Record<string, string>> | undefined, path: SpecPath): void {
  if (tags === undefined) return;
  const entries = Object.entries(tags);
  for (const [k, v] of entries) checkTag(ctx, k, v, path, false);
  if (entries.length > MAX_TAGS) report(ctx, path, error('BH1026', `${entries.length} tags; AWS allows at most ${MAX_TAGS} on a resource: remove some`));
}

/** Checks every tag written in the spec, at its position (run before planning, so each is reported once). */
export function checkSpecTags(ctx: PlanContext): void {
  const { spec } = ctx;
  checkTagMap(ctx, spec.organization.tags, ['organization', 'tags']);
  spec.businessUnits.forEach((b, i) => {
    checkTagMap(ctx, b.tags, ['businessUnits', i, 'tags']);
    if (b.owner !== undefined) checkTag(ctx, 'Owner', b.owner, ['businessUnits', i, 'owner'], true);
  });
  (spec.accounts ?? []).forEach((a, i) => {
    checkTagMap(ctx, a.tags, ['accounts', i, 'tags']);
    if (a.purpose !== undefined) checkTag(ctx, 'Purpose', a.purpose, ['accounts', i, 'purpose'], true);
  });
  for (const [name, role] of Object.entries(spec.roles ?? {})) checkRoleTags(ctx, name, role.tags);
}

/** The tags the planner adds to every role it creates (`Phase`: the phase of the account; see stages/roles.ts). */
export const ROLE_PLANNED_TAGS = ['Phase'] as const;

/**
 * Checks a role's `tags`, and that with the tags the planner adds (`ROLE_PLANNED_TAGS`, replacing a spec tag of the
 * same key) the role stays within the count; IAM takes at most 50 tags on a role (IAM API Reference, "TagRole", `Tags`,
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_TagRole.html).
 */
function checkRoleTags(ctx: PlanContext, name: string, tags: Readonly<Record<string, string>> | undefined): void {
  const path: SpecPath = ['roles', name, 'tags'];
  checkTagMap(ctx, tags, path);
  const own = Object.keys(tags ?? {});
  if (own.length > MAX_TAGS) return; // reported at the mapping already
  const merged = new Set([...own, ...ROLE_PLANNED_TAGS]).size;
  if (merged > MAX_TAGS) {
    const added = ROLE_PLANNED_TAGS.map((t) => `\`${t}\``).join(', ');
    report(ctx, path, error('BH1026', `role \`${shown(name)}\` would have ${merged} tags (its own and ${added}, which the plan adds); AWS allows at most ${MAX_TAGS}: remove some`));
  }
}

/**
 * Each planned account's merged tags against the count (run after the accounts stage); one report per spec entry, so
 * a business unit's accounts over the count are reported once.
 */
export function checkAccountTagCounts(ctx: PlanContext): void {
  // every account holds the organization's tags: when those alone are too many, that is reported at them, once
  if (Object.keys(ctx.org.tags ?? {}).length > MAX_TAGS) return;
  const seen = new Set<string>();
  for (const a of ctx.accounts) {
    const count = Object.keys(a.tags).length;
    const path = ctx.accountPath.get(a.name) ?? [];
    const key = JSON.stringify(path);
    if (count <= MAX_TAGS || seen.has(key)) continue;
    seen.add(key);
    report(ctx, path, error('BH1026', `account \`${a.name}\` would have ${count} tags (the organization's, its business unit's and its own); AWS allows at most ${MAX_TAGS}: remove some`));
  }
}
