/**
 * The emit manifest (`.bulkhead-emit.json` in the output directory): which files bulkhead wrote and which
 * resource address each model object got. The next emission into the same directory reads it to tell its own
 * files from foreign ones and to write `moved` blocks for objects whose address changed (renames).
 */
import { compareStrings } from '../util/order.js';

/** Name of the manifest file inside the output directory. */
export const MANIFEST_FILE = '.bulkhead-emit.json';

/** A `moved` block: Terraform moves the state of `from` to `to` instead of destroying and re-creating. */
export interface MovedEntry {
  readonly from: string;
  readonly to: string;
}

/** The manifest of one emission. */
export interface EmitManifest {
  readonly manifestVersion: 1;
  readonly format: 'terraform' | 'cloudformation';
  /** Files written, relative to the directory, sorted (the manifest itself included). */
  readonly files: readonly string[];
  /**
   * Model identity → resource address (Terraform) or logical id (CloudFormation). Identities use model names:
   * `account:<name>`, `ou:<path>`, `role:<account>/<role>`, `scp:<name>`, … (see `record` in terraform.ts).
   */
  readonly addresses: Readonly<Record<string, string>>;
  /** Account name → email and id (when known), to recognise a renamed account. */
  readonly accounts: Readonly<Record<string, { readonly email: string; readonly id?: string }>>;
  /** Moved blocks written so far; kept while their target exists so every state can still catch up. */
  readonly moved: readonly MovedEntry[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses a manifest read from disk; undefined when it is not one (then the directory counts as foreign). */
export function parseManifest(text: string): EmitManifest | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    if (e instanceof SyntaxError) return undefined;
    throw e;
  }
  if (!isRecord(v) || v['manifestVersion'] !== 1) return undefined;
  if (v['format'] !== 'terraform' && v['format'] !== 'cloudformation') return undefined;
  if (!Array.isArray(v['files']) || !v['files'].every((f) => typeof f === 'string')) return undefined;
  if (!isRecord(v['addresses']) || !Object.values(v['addresses']).every((a) => typeof a === 'string')) return undefined;
  if (!isRecord(v['accounts'])) return undefined;
  const moved = Array.isArray(v['moved']) ? v['moved'] : [];
  if (!moved.every((m) => isRecord(m) && typeof m['from'] === 'string' && typeof m['to'] === 'string')) return undefined;
  return v as unknown as EmitManifest;
}

/**
 * Maps an identity of the previous emission to the identity the same object has now, given account renames
 * (old name → new name) and OU renames (old path → new path; children follow their parent).
 */
export function renameIdentity(identity: string, accounts: ReadonlyMap<string, string>, ous: ReadonlyMap<string, string>): string {
  const colon = identity.indexOf(':');
  const kind = identity.slice(0, colon);
  const rest = identity.slice(colon + 1);
  const acct = (name: string) => accounts.get(name) ?? name;
  const ou = (path: string) => {
    for (const [from, to] of ous) {
      if (path === from) return to;
      if (path.startsWith(`${from}/`)) return to + path.slice(from.length);
    }
    return path;
  };
  const target = (t: string) => (t.startsWith('account:') ? `account:${acct(t.slice(8))}` : t.startsWith('ou:') ? `ou:${ou(t.slice(3))}` : t);
  switch (kind) {
    case 'account':
      return `account:${acct(rest)}`;
    case 'ou':
      return `ou:${ou(rest)}`;
    case 'role':
    case 'iam-policy':
    case 'role-policy':
    case 'role-attachment':
    case 'assignment': {
      const slash = rest.indexOf('/');
      return `${kind}:${acct(rest.slice(0, slash))}${rest.slice(slash)}`;
    }
    case 'org-attachment': {
      // org-attachment:<policy>@<target>
      const at = rest.indexOf('@');
      return `${kind}:${rest.slice(0, at)}@${target(rest.slice(at + 1))}`;
    }
    default:
      return identity;
  }
}

/**
 * The moved blocks for this emission: carried-over ones whose target still exists, plus one for every object
 * whose address differs from the previous emission's (after applying renames). Sorted by `from`.
 */
export function computeMoved(
  previous: EmitManifest | undefined,
  current: Readonly<Record<string, string>>,
  accountRenames: ReadonlyMap<string, string>,
  ouRenames: ReadonlyMap<string, string>,
): MovedEntry[] {
  if (!previous || previous.format !== 'terraform') return [];
  const targets = new Set(Object.values(current));
  const byFrom = new Map<string, string>();
  for (const m of previous.moved) if (targets.has(m.to)) byFrom.set(m.from, m.to);
  for (const [oldIdentity, oldAddress] of Object.entries(previous.addresses)) {
    const now = current[renameIdentity(oldIdentity, accountRenames, ouRenames)];
    if (now !== undefined && now !== oldAddress && !targets.has(oldAddress)) byFrom.set(oldAddress, now);
  }
  // Chains (a→b from an earlier run, b→c now) are legal in Terraform, but a moved block whose `from` is still a
  // resource of the configuration is not.
  return [...byFrom]
    .filter(([from]) => !targets.has(from))
    .map(([from, to]) => ({ from, to }))
    .sort((a, b) => compareStrings(a.from, b.from));
}

/**
 * Account renames implied by the previous manifest: an account name that disappeared whose email or id now
 * belongs to an account with another name.
 */
export function impliedAccountRenames(
  previous: EmitManifest | undefined,
  accounts: readonly { readonly name: string; readonly email: string; readonly id?: string }[],
): Map<string, string> {
  const out = new Map<string, string>();
  if (!previous) return out;
  const names = new Set(accounts.map((a) => a.name));
  for (const [oldName, old] of Object.entries(previous.accounts)) {
    if (names.has(oldName)) continue;
    const match = accounts.find(
      (a) => (old.id !== undefined && a.id === old.id) || a.email.toLowerCase() === old.email.toLowerCase(),
    );
    if (match && !(match.name in previous.accounts)) out.set(oldName, match.name);
  }
  return out;
}

/** The manifest's `accounts`: email of every account of the model, and its id when one was given for adoption. */
export function manifestAccounts(
  accounts: readonly { readonly name: string; readonly email: string }[],
  ids: ReadonlyMap<string, string>,
): EmitManifest['accounts'] {
  return Object.fromEntries(accounts.map((a) => [a.name, ids.has(a.name) ? { email: a.email, id: ids.get(a.name)! } : { email: a.email }]));
}

/** The manifest as written to MANIFEST_FILE: JSON with 2-space indent and a final newline. */
export function manifestText(manifest: EmitManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
