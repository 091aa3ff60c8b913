/**
 * Pairs the accounts of two models: by id when both sides know it, then by email (case-insensitive), then by
 * name; the management accounts pair with each other. A pair under two names is a rename, and every key of the
 * delta (principals, resources, findings) is written in the after side's names so a rename alone changes nothing
 * else.
 */
import { accountRef, resolveAccountRefs } from '../model/account-ref.js';
import type { Account, OrganizationModel, PolicyDocument } from '../model/organization.js';

/** The pairing: before name → after account, and after name → before account. */
export interface AccountPairing {
  readonly toAfter: ReadonlyMap<string, Account>;
  readonly toBefore: ReadonlyMap<string, Account>;
}

function pairBy(before: readonly Account[], after: readonly Account[], key: (a: Account) => string | undefined, out: Map<string, Account>, used: Set<string>): void {
  const index = new Map<string, Account>();
  for (const a of after) {
    const k = key(a);
    if (k !== undefined && !used.has(a.name) && !index.has(k)) index.set(k, a);
  }
  for (const b of before) {
    if (out.has(b.name)) continue;
    const k = key(b);
    const hit = k === undefined ? undefined : index.get(k);
    if (hit && !used.has(hit.name)) {
      out.set(b.name, hit);
      used.add(hit.name);
    }
  }
}

/** Pairs the accounts of `before` with those of `after`. */
export function pairAccounts(before: OrganizationModel, after: OrganizationModel): AccountPairing {
  const toAfter = new Map<string, Account>();
  const used = new Set<string>();
  const am = after.accounts.find((a) => a.name === after.organization.managementAccount);
  if (am && before.accounts.some((a) => a.name === before.organization.managementAccount)) {
    toAfter.set(before.organization.managementAccount, am);
    used.add(am.name);
  }
  pairBy(before.accounts, after.accounts, (a) => a.id, toAfter, used);
  pairBy(before.accounts, after.accounts, (a) => a.email.toLowerCase(), toAfter, used);
  pairBy(before.accounts, after.accounts, (a) => a.name, toAfter, used);
  const byName = new Map(before.accounts.map((a) => [a.name, a]));
  const toBefore = new Map<string, Account>();
  for (const [b, a] of toAfter) toBefore.set(a.name, byName.get(b)!);
  return { toAfter, toBefore };
}

/** The after side's name of a before account (its own name when unpaired). */
export function afterName(pairing: AccountPairing, beforeName: string): string {
  return pairing.toAfter.get(beforeName)?.name ?? beforeName;
}

/**
 * Resolves `{{account:NAME}}` references so the two sides compare by content: to the account's id when either
 * side knows it, else to a reference under the after side's name.
 */
export function refResolver(pairing: AccountPairing, side: 'before' | 'after', own: OrganizationModel): (doc: PolicyDocument) => PolicyDocument {
  const ids = new Map(own.accounts.map((a) => [a.name, a.id]));
  return (doc) =>
    resolveAccountRefs(doc, (name) => {
      if (side === 'before') {
        const other = pairing.toAfter.get(name);
        return ids.get(name) ?? other?.id ?? accountRef(other?.name ?? name);
      }
      return ids.get(name) ?? pairing.toBefore.get(name)?.id ?? accountRef(name);
    });
}
