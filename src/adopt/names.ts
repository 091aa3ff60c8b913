/**
 * Live names the spec grammar refuses, mapped to spec names before adoption. Account names: the planner takes 1–50
 * printable ASCII characters (AWS Organizations API Reference, "CreateAccount", `AccountName`,
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_CreateAccount.html; BH1020) without `{` or `}`
 * (bulkhead's `{{account:NAME}}` references; BH1025), unique ignoring case (BH1043; the snapshot loader tells exact
 * duplicates apart with ` (<id>)`, which can make a name too long). Guardrail names: unique across SCPs and RCPs and not AWS's
 * own `FullAWSAccess` / `RCPFullAWSAccess` (BH1016). The mapping is deterministic (live names in sorted order, the
 * first free `-2`, `-3`, … suffix) and never collides with a name kept as it is.
 */
import type { IdentityModel, OrganizationModel, OrganizationPolicy, PolicyTarget } from '../model/organization.js';
import { compareStrings } from '../util/order.js';

/** One live name written under another spec name. */
export interface Rename {
  readonly kind: 'account' | 'scp' | 'rcp';
  readonly live: string;
  readonly spec: string;
  /** Why the live name cannot be the spec name. */
  readonly why: string;
}

const ACCOUNT_NAME_MAX = 50;
const RESERVED_POLICY_NAMES = new Set(['FullAWSAccess', 'RCPFullAWSAccess']);

/** Why the planner refuses an account name, or undefined. */
function accountNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.includes('{') || name.includes('}')) return 'contains `{` or `}`, which bulkhead uses for account references';
  for (const ch of name) {
    const c = ch.codePointAt(0)!;
    if (c < 0x20 || c > 0x7e) return 'has a character that is not printable ASCII';
  }
  if (name.length > ACCOUNT_NAME_MAX) return `is ${name.length} characters; AWS allows ${ACCOUNT_NAME_MAX}`;
  return undefined;
}

/** The name with the refused characters replaced by `-`, cut to leave room for a suffix. */
function cleanAccountName(name: string, room: number): string {
  let out = '';
  for (const ch of name) {
    const c = ch.codePointAt(0)!;
    out += c < 0x20 || c > 0x7e || ch === '{' || ch === '}' ? '-' : ch;
  }
  out = out.slice(0, ACCOUNT_NAME_MAX - room);
  return out.length > 0 ? out : 'account';
}

/** The first of `base`, `base-2`, `base-3`, … that is not taken (case-insensitively), reserved as taken. */
function freeName(base: (room: number) => string, taken: Set<string>): string {
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? '' : `-${n}`;
    const candidate = `${base(suffix.length)}${suffix}`;
    if (!taken.has(candidate.toLowerCase())) {
      taken.add(candidate.toLowerCase());
      return candidate;
    }
  }
}

/**
 * Account renames: every refused name, in sorted order, to the first free clean name. A valid name that differs from
 * an earlier one (in sorted order) only in case is refused too: the planner compares account names case-insensitively
 * (BH1043), while AWS and the snapshot loader tell `Shop` and `shop` apart.
 */
function accountRenames(model: OrganizationModel): Rename[] {
  const names = model.accounts.map((a) => a.name).sort(compareStrings);
  const taken = new Set<string>();
  const kept = new Set<string>();
  for (const n of names) {
    if (accountNameProblem(n) !== undefined || taken.has(n.toLowerCase())) continue;
    taken.add(n.toLowerCase());
    kept.add(n);
  }
  const problem = (live: string): string => accountNameProblem(live) ?? 'differs from another account name only in case, and spec account names are compared case-insensitively';
  return names
    .filter((live) => !kept.has(live))
    .map((live) => ({ kind: 'account', live, spec: freeName((room) => cleanAccountName(live, room), taken), why: `account name \`${live}\` ${problem(live)}` }));
}

/** Guardrail renames: an RCP named like an SCP (names are one list in the spec), and AWS's reserved names. */
function policyRenames(model: OrganizationModel): Rename[] {
  const customer = (ps: readonly OrganizationPolicy[]) => ps.filter((p) => p.managedBy !== 'aws').map((p) => p.name).sort(compareStrings);
  const scps = customer(model.serviceControlPolicies);
  const rcps = customer(model.resourceControlPolicies);
  const taken = new Set<string>([...RESERVED_POLICY_NAMES].map((n) => n.toLowerCase()));
  const out: Rename[] = [];
  const keep = (kind: 'scp' | 'rcp', live: string, clash: string | undefined): void => {
    if (clash === undefined && !taken.has(live.toLowerCase())) {
      taken.add(live.toLowerCase());
      return;
    }
    const why = clash ?? `${kind.toUpperCase()} name \`${live}\` is AWS's own policy's or another guardrail's`;
    out.push({ kind, live, spec: freeName(() => `${live}-${kind}`, taken), why });
  };
  for (const n of scps) keep('scp', n, RESERVED_POLICY_NAMES.has(n) ? `SCP name \`${n}\` is AWS's own policy's` : undefined);
  for (const n of rcps) keep('rcp', n, RESERVED_POLICY_NAMES.has(n) ? `RCP name \`${n}\` is AWS's own policy's` : scps.includes(n) ? `RCP name \`${n}\` is an SCP's too, and guardrail names are one list` : undefined);
  return out;
}

/**
 * The model with its accounts and policies under spec names. Every reference to an account follows: the
 * management account, roles, users, resources, policy targets, the identity section (Identity Center assignments,
 * the identity account) and the workload inventory, so nothing in the model names an account it no longer has.
 */
function renamed(model: OrganizationModel, renames: readonly Rename[]): OrganizationModel {
  const accounts = new Map(renames.filter((r) => r.kind === 'account').map((r) => [r.live, r.spec]));
  const acct = (n: string): string => accounts.get(n) ?? n;
  const target = (t: PolicyTarget): PolicyTarget => ('account' in t ? { account: acct(t.account) } : t);
  const policies = (kind: 'scp' | 'rcp', ps: readonly OrganizationPolicy[]): OrganizationPolicy[] => {
    const names = new Map(renames.filter((r) => r.kind === kind).map((r) => [r.live, r.spec]));
    return ps.map((p) => ({ ...p, name: p.managedBy === 'aws' ? p.name : (names.get(p.name) ?? p.name), targets: p.targets.map(target) }));
  };
  return {
    ...model,
    organization: { ...model.organization, managementAccount: acct(model.organization.managementAccount) },
    accounts: model.accounts.map((a) => ({ ...a, name: acct(a.name) })),
    roles: model.roles.map((r) => ({ ...r, account: acct(r.account) })),
    users: model.users.map((u) => ({ ...u, account: acct(u.account) })),
    resources: model.resources.map((r) => ({ ...r, account: acct(r.account) })),
    serviceControlPolicies: policies('scp', model.serviceControlPolicies),
    resourceControlPolicies: policies('rcp', model.resourceControlPolicies),
    ...(model.identity ? { identity: renamedIdentity(model.identity, acct) } : {}),
    ...(model.inventory ? { inventory: { ...model.inventory, resources: model.inventory.resources.map((r) => ({ ...r, account: acct(r.account) })) } } : {}),
  };
}

/** The identity section with its account references under spec names (groups, users and permission sets keep theirs). */
function renamedIdentity(identity: IdentityModel, acct: (name: string) => string): IdentityModel {
  return {
    ...identity,
    ...(identity.identityAccount !== undefined ? { identityAccount: acct(identity.identityAccount) } : {}),
    assignments: identity.assignments.map((a) => ({ ...a, account: acct(a.account) })),
  };
}

/** The model under names the spec accepts, and every rename (sorted by kind, then live name). */
export function specSafeNames(model: OrganizationModel): { readonly model: OrganizationModel; readonly renames: readonly Rename[] } {
  const renames = [...accountRenames(model), ...policyRenames(model)];
  return { model: renames.length > 0 ? renamed(model, renames) : model, renames };
}
