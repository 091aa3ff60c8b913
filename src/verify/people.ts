/**
 * People in verify: the groups and users of the model's `identity` and where they land. With IAM Identity Center a
 * group assigned a permission set in an account lands in the `AWSReservedSSO_{permissionSet}_{suffix}` role AWS
 * creates there; with an identity account it lands in its source role there. Paths then start at people:
 * person → group → permission set → role in account → (assumption and escalation edges) → …
 *
 * Findings stay one per principal × account × capability set: a finding whose principal is where people land gets
 * the groups and members (`Finding.people`), a message that names them, and one evidence line per assignment.
 * Pure and deterministic.
 */
import { warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { IdentityProvider, OrganizationModel } from '../model/organization.js';
import { compareStrings, sortBy } from '../util/order.js';
import type { Attribution } from './attribution.js';
import {
  orderEvidence,
  principalDisplayName,
  sortCapabilities,
  type Capability,
  type Evidence,
  type Finding,
  type PeopleAccess,
} from './finding.js';
import { directEntries, type AccessGraph, type PrincipalNode } from './graph.js';

/**
 * Prefix of the role IAM Identity Center creates for a permission set in an account, `AWSReservedSSO_{name}_{suffix}`
 * ("Referencing permission sets in resource policies, Amazon EKS cluster ConfigMaps, and AWS KMS key policies",
 * IAM Identity Center User Guide, https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html).
 */
export const IDENTITY_CENTER_ROLE_PREFIX = 'AWSReservedSSO_';

/** One way people land in a principal: a group's assignment in one account. */
export interface PeopleWay extends PeopleAccess {
  /** Index of the principal they land in (graph / prepared principals). */
  readonly principal: number;
  /** identity-account: the group's source role. */
  readonly sourceRole?: string;
}

/** People paths aggregated per group × permission set (or source role), for the summary. */
export interface PeoplePath {
  readonly group: string;
  readonly members: readonly string[];
  readonly permissionSet?: string;
  readonly sourceRole?: string;
  /** Accounts the group lands in, sorted. */
  readonly accounts: readonly string[];
  /** Where they land, as display names (`retail-dev/AWSReservedSSO_dev-appeng_…`), sorted. */
  readonly principals: readonly string[];
}

/** The `summary.people` object of the JSON report. */
export interface PeopleSummary {
  /** `identity.provider`, or null when the model has no identity section. */
  readonly provider: IdentityProvider | null;
  readonly users: number;
  readonly groups: number;
  readonly permissionSets: number;
  readonly assignments: number;
  /** Assignments whose role is not in the model (their people paths are left out; `BH7200`). */
  readonly unmatched: number;
  readonly paths: readonly PeoplePath[];
}

/** Every way people land in the model's principals. */
export interface PeopleIndex {
  readonly ways: readonly PeopleWay[];
  /** Ways per principal ARN. */
  readonly byPrincipal: ReadonlyMap<string, readonly PeopleWay[]>;
  readonly summary: PeopleSummary;
  /** `BH7200` warnings: assignments whose role is missing. */
  readonly diagnostics: readonly Diagnostic[];
}

const EMPTY: PeopleSummary = { provider: null, users: 0, groups: 0, permissionSets: 0, assignments: 0, unmatched: 0, paths: [] };

/** Role principals by `account\0name`, and the roles of each account (for the prefix match). */
function roleIndex(principals: readonly PrincipalNode[]): { byName: Map<string, PrincipalNode>; byAccount: Map<string, PrincipalNode[]> } {
  const byName = new Map<string, PrincipalNode>();
  const byAccount = new Map<string, PrincipalNode[]>();
  for (const p of principals) {
    if (p.ctx.kind !== 'role') continue;
    byName.set(`${p.ctx.accountName}\u0000${p.ctx.name}`, p);
    const list = byAccount.get(p.ctx.accountName) ?? [];
    list.push(p);
    byAccount.set(p.ctx.accountName, list);
  }
  return { byName, byAccount };
}

/**
 * The Identity Center role of an assignment: the role it names, else (a plan against live roles, whose suffixes
 * differ) the one role of the account named `AWSReservedSSO_{permissionSet}_…`.
 */
function ssoRole(ix: ReturnType<typeof roleIndex>, account: string, role: string, permissionSet: string): PrincipalNode | undefined {
  const named = ix.byName.get(`${account}\u0000${role}`);
  if (named) return named;
  const prefix = `${IDENTITY_CENTER_ROLE_PREFIX}${permissionSet}_`;
  return (ix.byAccount.get(account) ?? []).find((p) => p.ctx.name.startsWith(prefix));
}

/** Builds the people index from the model's identity section and the verify principals. */
export function peopleIndex(model: OrganizationModel, principals: readonly PrincipalNode[]): PeopleIndex {
  const id = model.identity;
  if (!id) return { ways: [], byPrincipal: new Map(), summary: EMPTY, diagnostics: [] };
  const members = new Map(id.groups.map((g) => [g.name, [...g.members].sort(compareStrings)]));
  const ix = roleIndex(principals);
  const seen = new Set<string>();
  const ways: PeopleWay[] = [];
  const diagnostics: Diagnostic[] = [];
  id.assignments.forEach((a, i) => {
    const landing =
      a.permissionSet !== undefined
        ? ssoRole(ix, a.account, a.role, a.permissionSet)
        : a.sourceRole !== undefined && id.identityAccount !== undefined
          ? ix.byName.get(`${id.identityAccount}\u0000${a.sourceRole}`)
          : undefined;
    if (!landing) {
      const what = a.permissionSet !== undefined ? `permission set \`${a.permissionSet}\`` : `source role \`${a.sourceRole ?? a.role}\``;
      diagnostics.push(
        warning('BH7200', `${what} of group \`${a.group}\` in account \`${a.account}\` has no role in the model, so the group's people paths there are left out; collect the account's IAM roles (or plan the assignment again)`, `identity.assignments[${i}]`),
      );
      return;
    }
    const key = `${a.group}\u0000${a.permissionSet ?? ''}\u0000${a.sourceRole ?? ''}\u0000${landing.index}`;
    if (seen.has(key)) return;
    seen.add(key);
    ways.push({
      group: a.group,
      members: members.get(a.group) ?? [],
      ...(a.permissionSet !== undefined ? { permissionSet: a.permissionSet } : {}),
      ...(a.permissionSet === undefined && a.sourceRole !== undefined ? { sourceRole: a.sourceRole } : {}),
      account: a.permissionSet !== undefined ? a.account : landing.ctx.accountName,
      principal: landing.index,
    });
  });
  const sorted = sortBy(ways, (w) => [w.group, w.permissionSet ?? w.sourceRole ?? '', w.account, String(w.principal).padStart(10, '0')].join('\u0000'));
  const byPrincipal = new Map<string, PeopleWay[]>();
  for (const w of sorted) {
    const arn = principals[w.principal]!.ctx.arn;
    const list = byPrincipal.get(arn) ?? [];
    list.push(w);
    byPrincipal.set(arn, list);
  }
  const summary: PeopleSummary = {
    provider: id.provider,
    users: id.users.length,
    groups: id.groups.length,
    permissionSets: id.permissionSets.length,
    assignments: id.assignments.length,
    unmatched: diagnostics.length,
    paths: peoplePaths(sorted, principals),
  };
  return { ways: sorted, byPrincipal, summary, diagnostics };
}

/** Ways aggregated per group × permission set (or source role). */
function peoplePaths(ways: readonly PeopleWay[], principals: readonly PrincipalNode[]): PeoplePath[] {
  const byKey = new Map<string, { way: PeopleWay; accounts: Set<string>; principals: Set<string> }>();
  for (const w of ways) {
    const key = `${w.group}\u0000${w.permissionSet ?? ''}\u0000${w.sourceRole ?? ''}`;
    const entry = byKey.get(key) ?? { way: w, accounts: new Set<string>(), principals: new Set<string>() };
    entry.accounts.add(w.account);
    entry.principals.add(principalDisplayName(principals[w.principal]!.ctx));
    byKey.set(key, entry);
  }
  return [...byKey.values()].map(({ way, accounts, principals: landed }) => ({
    group: way.group,
    members: way.members,
    ...(way.permissionSet !== undefined ? { permissionSet: way.permissionSet } : {}),
    ...(way.sourceRole !== undefined ? { sourceRole: way.sourceRole } : {}),
    accounts: [...accounts].sort(compareStrings),
    principals: [...landed].sort(compareStrings),
  }));
}

/** The evidence line of one assignment: the group, what it is assigned, where, and its members. */
export function wayEvidence(w: PeopleWay): Evidence {
  const members = w.members.length > 0 ? `members: ${w.members.join(', ')}` : 'no members listed';
  return w.permissionSet !== undefined
    ? { source: `identity-center group ${w.group}`, statement: `assignment ${w.permissionSet} in ${w.account}`, effect: 'Allow', note: members }
    : { source: `identity-account group ${w.group}`, statement: `source role ${w.sourceRole ?? '?'} in ${w.account}`, effect: 'Allow', note: members };
}

/** `people of group `g` (`alice`, `bob`) through permission set `p`` for messages (at most three groups). */
function peoplePhrase(ways: readonly PeopleWay[]): string {
  const one = (w: PeopleWay) => {
    const who = w.members.length > 0 ? ` (${w.members.slice(0, 5).map((m) => `\`${m}\``).join(', ')}${w.members.length > 5 ? ` + ${w.members.length - 5} more` : ''})` : '';
    const via = w.permissionSet !== undefined ? ` through permission set \`${w.permissionSet}\`` : w.sourceRole !== undefined ? ` through source role \`${w.sourceRole}\`` : '';
    return `people of group \`${w.group}\`${who}${via}`;
  };
  const shown = ways.slice(0, 3).map(one).join(' and ');
  return ways.length > 3 ? `${shown} and ${ways.length - 3} more group(s)` : shown;
}

/**
 * Findings whose principal is where people land, with the people: `people`, a message that starts at them, and
 * the assignments as evidence (after the granting statements, before the SCP/RCP allows). Others unchanged.
 */
export function attachPeople(findings: readonly Finding[], index: PeopleIndex): Finding[] {
  if (index.byPrincipal.size === 0) return [...findings];
  return findings.map((f) => {
    const ways = index.byPrincipal.get(f.principal);
    if (!ways || f.people) return f;
    return {
      ...f,
      people: ways.map(({ group, members, permissionSet, account }) => ({ group, members, ...(permissionSet !== undefined ? { permissionSet } : {}), account })),
      evidence: orderEvidence([...f.evidence, ...ways.map(wayEvidence)]),
      message: `${peoplePhrase(ways)} land in \`${f.principalName ?? f.principal}\`: ${f.message}`,
    };
  });
}

/** The capabilities a principal holds directly in its own account (from the graph), sorted. */
function ownAccountCapabilities(graph: AccessGraph | undefined, p: PrincipalNode): Capability[] {
  if (!graph) return [];
  const caps = new Set<Capability>();
  for (const d of directEntries(graph.direct[p.index])) {
    if (graph.resources[d.resource]!.ctx.accountId !== p.ctx.accountId) continue;
    for (const g of d.grants) caps.add(g.capability);
  }
  return sortCapabilities([...caps]);
}

/**
 * Rule `identity.nonprod-group-in-prod`: a group assigned access in a non-production account that is also assigned
 * access in a production account. One finding per group × production principal, with the production assignment and
 * the group's first non-production assignment as evidence, and (when the engine ran) what the principal can do in
 * its account.
 */
export function nonProductionGroupFindings(attribution: Attribution, index: PeopleIndex, principals: readonly PrincipalNode[], graph?: AccessGraph): Finding[] {
  const production = (account: string) => attribution.accounts.get(account)?.production ?? false;
  const nonProduction = (account: string) => {
    const a = attribution.accounts.get(account);
    return a !== undefined && a.phase.value !== undefined && !a.production;
  };
  const byGroup = new Map<string, PeopleWay[]>();
  for (const w of index.ways) {
    const list = byGroup.get(w.group) ?? [];
    list.push(w);
    byGroup.set(w.group, list);
  }
  const out: Finding[] = [];
  for (const [group, ways] of byGroup) {
    const dev = ways.find((w) => nonProduction(w.account));
    if (!dev) continue;
    const devPhase = attribution.accounts.get(dev.account)?.phase.value ?? 'non-production';
    for (const w of ways.filter((x) => production(x.account))) {
      const p = principals[w.principal]!;
      const name = principalDisplayName(p.ctx);
      const what = (x: PeopleWay) => (x.permissionSet !== undefined ? `permission set \`${x.permissionSet}\`` : `source role \`${x.sourceRole ?? '?'}\``);
      out.push({
        rule: 'identity.nonprod-group-in-prod',
        severity: 'high',
        principal: p.ctx.arn,
        principalName: name,
        resource: '-',
        account: p.ctx.accountName,
        capabilities: ownAccountCapabilities(graph, p),
        path: [],
        evidence: [wayEvidence(w), wayEvidence(dev)],
        people: [{ group, members: w.members, ...(w.permissionSet !== undefined ? { permissionSet: w.permissionSet } : {}), account: w.account }],
        message: `group \`${group}\` works in ${devPhase} (${what(dev)} in \`${dev.account}\`) and is also assigned production ${what(w)} in \`${w.account}\`, so its people reach production as \`${name}\`; give production access through a separate group or remove the assignment`,
      });
    }
  }
  return out;
}
