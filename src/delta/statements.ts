/** Statement-level comparison of two policy documents, in words (`statement `Sid` added`). */
import { canonicalJson } from '../changes/diff.js';
import type { JsonValue, PolicyDocument } from '../model/organization.js';
import { compareStrings } from '../util/order.js';

/** A document's statements by key: the Sid when there is one, else `#index` with its content. */
function statements(doc: PolicyDocument | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (doc === undefined || doc === null || typeof doc !== 'object' || Array.isArray(doc)) return out;
  const raw = (doc as Record<string, JsonValue>)['Statement'];
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  list.forEach((s, i) => {
    const sid = s !== null && typeof s === 'object' && !Array.isArray(s) && typeof s['Sid'] === 'string' ? s['Sid'] : undefined;
    const text = canonicalJson(s);
    // unnamed statements are matched by content: the same statement elsewhere in the list is not a change
    const key = sid !== undefined ? `\`${sid}\`` : `#${i} ${text}`;
    out.set(out.has(key) ? `${key} (${i})` : key, text);
  });
  return out;
}

/** Short label of a statement key: the Sid, or `#index`. */
function label(key: string): string {
  return key.startsWith('#') ? key.slice(0, key.indexOf(' ')) : key;
}

/**
 * What changed between two documents, one line per statement (`statement `Sid` changed`), sorted; [] when they are
 * equal by content. `what` prefixes each line (`trust policy`, `policy `inline:app``).
 */
export function documentChanges(what: string, before: PolicyDocument | undefined, after: PolicyDocument | undefined): string[] {
  if (canonicalJson(before) === canonicalJson(after)) return [];
  if (before === undefined) return [`${what} added`];
  if (after === undefined) return [`${what} removed`];
  const b = statements(before);
  const a = statements(after);
  const byContent = (m: Map<string, string>) => new Set(m.values());
  const bc = byContent(b);
  const ac = byContent(a);
  const out: string[] = [];
  for (const [k, text] of a) {
    if (k.startsWith('#')) {
      if (!bc.has(text)) out.push(`${what}: statement ${label(k)} added`);
    } else if (!b.has(k)) out.push(`${what}: statement ${k} added`);
    else if (b.get(k) !== text) out.push(`${what}: statement ${k} changed`);
  }
  for (const [k, text] of b) {
    if (k.startsWith('#')) {
      if (!ac.has(text)) out.push(`${what}: statement ${label(k)} removed`);
    } else if (!a.has(k)) out.push(`${what}: statement ${k} removed`);
  }
  // same statements, other top-level keys (Version, Id) or order
  if (out.length === 0) out.push(`${what} changed (same statements)`);
  return out.sort(compareStrings);
}
