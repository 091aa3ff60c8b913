/**
 * Findings new / resolved / unchanged. Verify aggregates access findings per principal × account × capability set;
 * the match key here is the rule, the principal and the account in the after side's names (so a renamed account
 * matches), the capability set, and the resource only for findings without a principal. Unlike the baseline key
 * (`verify/baseline.ts`, all resources), a finding whose resource list grew stays `unchanged`: the resources it
 * gained are reported in the access delta.
 */
import { fnv1a64 } from '../report/fingerprint.js';
import { sortFindings, type Finding } from '../verify/finding.js';
import type { FindingDelta } from './types.js';

/** Renames a before-side `account/name` display name to the after side's account name. */
function mapDisplay(name: string, account: (n: string) => string): string {
  const cut = name.indexOf('/');
  return cut < 0 ? name : `${account(name.slice(0, cut))}${name.slice(cut)}`;
}

/** The match key of a finding (16 hex digits), with account names mapped by `account`. */
export function findingKey(f: Finding, account: (n: string) => string): string {
  const principal = f.principalName !== undefined ? mapDisplay(f.principalName, account) : f.principal;
  const resource = f.principal === '-' ? f.resource : '';
  return fnv1a64([f.rule, principal, account(f.account), [...f.capabilities].join(','), resource].join('\u0000'));
}

/** Compares two sides' findings; each after finding is new or unchanged, each unmatched before finding resolved. */
export function compareFindings(before: readonly Finding[], after: readonly Finding[], beforeAccount: (n: string) => string): FindingDelta[] {
  const pending = new Map<string, number>();
  for (const f of before) {
    const k = findingKey(f, beforeAccount);
    pending.set(k, (pending.get(k) ?? 0) + 1);
  }
  const out: FindingDelta[] = [];
  for (const f of sortFindings(after)) {
    const key = findingKey(f, (n) => n);
    const left = pending.get(key) ?? 0;
    out.push({ state: left > 0 ? 'unchanged' : 'new', finding: f, key });
    if (left > 0) pending.set(key, left - 1);
  }
  for (const f of sortFindings(before)) {
    const key = findingKey(f, beforeAccount);
    const left = pending.get(key) ?? 0;
    if (left > 0) {
      out.push({ state: 'resolved', finding: f, key });
      pending.set(key, left - 1);
    }
  }
  const rank = { new: 0, resolved: 1, unchanged: 2 } as const;
  // stable: within a state, verify's finding order
  return out.sort((a, b) => rank[a.state] - rank[b.state]);
}
