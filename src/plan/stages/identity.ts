/**
 * Planning stage 3b: people. The spec's `identity` section says how people reach the runtime roles, and its groups
 * say who gets which role in which phase (`role@phase`, `bu/role@phase`, `role@*`).
 *
 * - `identity-center`: every role × phase a group uses becomes an IAM Identity Center permission set named
 *   `{phase}-{role}` with the role's per-phase capability policies; each group is assigned it in the runtime accounts
 *   of that phase (of one business unit with `bu/`), and each such account gets, in the model, the role AWS creates
 *   for the assignment, so everything that reads roles sees it.
 * - `identity-account`: the article's model. Each group gets a source role in the identity account that may assume
 *   its runtime roles, and those roles trust it; a role whose `assumedFrom` names the identity account gets its
 *   source role designed too.
 * - `external`: today's behaviour; roles are reached only through `assumedFrom` (an external IdP's SAML provider).
 *
 * Runs after the roles stage (it reads and extends the planned roles).
 */
import { error, warning } from '../../diagnostics/diagnostic.js';
import { checkPolicyScope, DEFAULT_POLICY_SERVICES } from '../../catalog/index.js';
import { accountRef } from '../../model/account-ref.js';
import type { AccountAssignment, AttachedPolicy, IdentityGroup, IdentityModel, JsonValue, PermissionSet, PolicyDocument, Role } from '../../model/organization.js';
import { formatPath, type SpecPath } from '../../spec/parse.js';
import { IDENTITY_PROVIDERS, type SpecIdentity, type SpecRole } from '../../spec/schema.js';
import { DEFAULT_REGION } from '../../util/aws-defaults.js';
import { messageValue } from '../../util/message-value.js';
import { compareStrings } from '../../util/order.js';
import { didYouMean } from '../../util/suggest.js';
import { LIMITS } from '../limits.js';
import { permissionPolicies } from '../role-policies.js';
import { checkBu, checkPhase, inList, list, report, type PlanContext } from './context.js';
import { pushTo } from '../../util/multimap.js';

/** One group entry's `role@phase` reference, parsed. `phase` is `*` for every phase the role has access in. */
interface RoleRef {
  readonly bu?: string;
  readonly role: string;
  readonly phase: string;
  readonly path: SpecPath;
}

/** One account a group gets a role in, before it is turned into a permission set or a source role. */
interface Grant {
  readonly group: string;
  readonly role: string;
  readonly phase: string;
  readonly account: string;
}

/**
 * Permission set names: 1–32 characters of `[\w+=,.@-]` ("PermissionSet", IAM Identity Center API Reference,
 * https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_PermissionSet.html).
 */
const PERMISSION_SET_NAME = /^[\w+=,.@-]{1,32}$/;
/** IAM role names: 1–64 characters of `[\w+=,.@-]` (for identity-account source roles named after groups). */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/**
 * Session duration of a permission set: ISO 8601, one to twelve hours, one hour by default ("Set session duration
 * for AWS accounts", IAM Identity Center User Guide, https://docs.aws.amazon.com/singlesignon/latest/userguide/howtosessionduration.html).
 */
const SESSION = /^PT(?:(\d+)H)?(?:(\d+)M)?$/;
const DEFAULT_SESSION = 'PT1H';

/** The reference text `[bu/]role@phase`, or undefined when it is not written that way. */
function parseRef(text: string, path: SpecPath): RoleRef | undefined {
  const m = /^(?:([^/@\s]+)\/)?([^/@\s]+)@([^/@\s]+)$/.exec(text);
  if (!m) return undefined;
  return { ...(m[1] !== undefined ? { bu: m[1] } : {}), role: m[2]!, phase: m[3]!, path };
}

/** The phases a role has `access` in, in declared order (`*` = every phase). */
function accessPhases(ctx: PlanContext, role: SpecRole): string[] {
  return ctx.phaseNames.filter((p) => Object.hasOwn(role.access, p) || Object.hasOwn(role.access, '*'));
}

/** Whether roles are planned in the account: it has a business unit and a phase (runtime or custom, see roles.ts). */
const hasRoles = (a: PlanContext['accounts'][number]): boolean => a.phase !== undefined && a.businessUnit !== undefined && a.purpose !== 'management';

/** The phases a business unit has an account in (declared order): its `phases` and its custom accounts'. */
function unitPhases(ctx: PlanContext, bu: string): string[] {
  const has = new Set(ctx.accounts.filter((a) => hasRoles(a) && a.businessUnit === bu).map((a) => a.phase!));
  return ctx.phaseNames.filter((p) => has.has(p));
}

/** Checks one reference; true when it can be planned. */
function checkRef(ctx: PlanContext, ref: RoleRef): boolean {
  const roles = ctx.spec.roles ?? {};
  const roleNames = Object.keys(roles);
  if (!Object.hasOwn(roles, ref.role)) {
    report(ctx, ref.path, error('BH1061', `unknown role \`${ref.role}\`${didYouMean(ref.role, roleNames) || (roleNames.length ? `; declared roles: ${roleNames.map((r) => `\`${r}\``).join(', ')}` : '; declare it under `roles`')}`));
    return false;
  }
  if (ref.phase !== '*' && !checkPhase(ctx, ref.phase, ref.path)) return false;
  if (ref.bu !== undefined && !checkBu(ctx, ref.bu, ref.path)) return false;
  const phases = accessPhases(ctx, roles[ref.role]!);
  if (ref.phase !== '*' && !phases.includes(ref.phase)) {
    const has = phases.length ? `it has access in ${phases.map((p) => `\`${p}\``).join(', ')}` : 'it has access in no phase';
    report(ctx, ref.path, error('BH1062', `role \`${ref.role}\` has no access in phase \`${ref.phase}\` (${has}); add \`${ref.phase}\` to \`roles.${ref.role}.access\` or give another phase`));
    return false;
  }
  // the unit's phases with an account: its `phases` and its custom accounts naming it and a phase (as roles count them)
  const buPhases = ref.bu !== undefined ? unitPhases(ctx, ref.bu) : undefined;
  if (ref.bu !== undefined && ref.phase !== '*' && !buPhases!.includes(ref.phase)) {
    const listed = buPhases!.map((p) => `\`${p}\``).join(', ');
    const fix = buPhases!.length > 0 ? `it has accounts in ${listed} only, from its \`phases\` and custom \`accounts\` naming it); give one of those phases` : `it has \`phases: []\`, no planned account); add \`${ref.phase}\` to its \`phases\``;
    report(ctx, ref.path, error('BH1062', `business unit \`${ref.bu}\` has no \`${ref.phase}\` account (${fix} or drop \`${ref.bu}/\``));
    return false;
  }
  return true;
}

/** The accounts a valid reference reaches (those roles are planned in), in planning order. */
function refAccounts(ctx: PlanContext, ref: RoleRef): { account: string; phase: string }[] {
  const phases = ref.phase === '*' ? accessPhases(ctx, ctx.spec.roles![ref.role]!) : [ref.phase];
  return ctx.accounts
    .filter((a) => hasRoles(a) && phases.includes(a.phase!) && (ref.bu === undefined || a.businessUnit === ref.bu))
    .map((a) => ({ account: a.name, phase: a.phase! }));
}

/**
 * Identity store names: a user name is at most 128 characters and a group's display name at most 1,024, of letters,
 * accented characters, symbols, numbers and punctuation; `Administrator` and `AWSAdministrators` are reserved for
 * users and groups. (CreateUser and CreateGroup, IAM Identity Center Identity Store API Reference:
 * https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_CreateUser.html,
 * https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_CreateGroup.html)
 */
const USER_NAME_MAX = 128;
const GROUP_NAME_MAX = 1024;
const RESERVED_IDENTITY_NAMES = new Set(['administrator', 'awsadministrators']);

function checkIdentityName(ctx: PlanContext, path: SpecPath, kind: 'user' | 'group', name: string, max: number): void {
  const chars = [...name].length;
  const control = /[\u0000-\u001f\u007f-\u009f]/.test(name);
  if (chars < 1 || chars > max || control) {
    report(ctx, path, error('BH1065', `${kind} name \`${messageValue(name)}\` is not 1–${max} letters, symbols, numbers and punctuation without control characters; shorten or fix it`));
  } else if (RESERVED_IDENTITY_NAMES.has(name.toLowerCase())) {
    report(ctx, path, error('BH1065', `${kind} name \`${name}\` is reserved by IAM Identity Center; choose another`));
  }
}

/** Checks the provider, the Identity Center settings and the groups; returns every grant the groups ask for. */
function checkGroups(ctx: PlanContext, identity: SpecIdentity): Grant[] {
  const grants: Grant[] = [];
  const seen = new Map<string, number>();
  (identity.groups ?? []).forEach((g, gi) => {
    const base: SpecPath = ['identity', 'groups', gi];
    const first = seen.get(g.name);
    if (first !== undefined) report(ctx, [...base, 'name'], error('BH1016', `group \`${g.name}\` is declared twice (also at identity.groups[${first}]); rename or remove one`));
    else seen.set(g.name, gi);
    if (identity.provider === 'identity-account' && !ROLE_NAME.test(g.name)) {
      report(ctx, [...base, 'name'], error('BH1065', `group \`${g.name}\` cannot name its source role in the identity account; use 1–64 letters, digits and \`+=,.@_-\``));
    }
    checkIdentityName(ctx, [...base, 'name'], 'group', g.name, GROUP_NAME_MAX);
    (g.members ?? []).forEach((m, mi) => checkIdentityName(ctx, [...base, 'members', mi], 'user', m, USER_NAME_MAX));
    g.roles.forEach((text, ri) => {
      const path: SpecPath = [...base, 'roles', ri];
      const ref = parseRef(text, path);
      if (!ref) {
        report(ctx, path, error('BH1060', `\`${text}\` is not a role reference; write \`role@phase\`, \`bu/role@phase\` or \`role@*\``));
        return;
      }
      if (!checkRef(ctx, ref)) return;
      for (const { account, phase } of refAccounts(ctx, ref)) grants.push({ group: g.name, role: ref.role, phase, account });
    });
  });
  return grants;
}

/** Checks the Identity Center settings: permission set names and the session duration. */
function checkIdentityCenter(ctx: PlanContext, identity: SpecIdentity, grants: readonly Grant[]): void {
  const reported = new Set<string>();
  (identity.groups ?? []).forEach((g, gi) =>
    g.roles.forEach((text, ri) => {
      const ref = parseRef(text, []);
      if (!ref) return;
      for (const grant of grants.filter((x) => x.group === g.name && x.role === ref.role)) {
        const name = `${grant.phase}-${grant.role}`;
        if (PERMISSION_SET_NAME.test(name) || reported.has(name)) continue;
        reported.add(name);
        report(ctx, ['identity', 'groups', gi, 'roles', ri], error('BH1065', `permission set \`${name}\` (\`{phase}-{role}\`) is not 1–32 letters, digits and \`+=,.@_-\`; shorten the role or phase name`));
      }
    }),
  );
  const session = identity.sessionDuration;
  if (session === undefined) return;
  const m = SESSION.exec(session);
  const minutes = m && (m[1] !== undefined || m[2] !== undefined) ? Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0) : undefined;
  if (minutes === undefined || minutes < 60 || minutes > 720) {
    report(ctx, ['identity', 'sessionDuration'], error('BH1065', `session duration \`${session}\` is not an ISO 8601 duration from \`PT1H\` to \`PT12H\`; write one like \`PT8H\``));
  }
}

/** Every group, with its members, and every member as a user. */
function groupsAndUsers(identity: SpecIdentity): { groups: IdentityGroup[]; users: { name: string }[] } {
  const groups = (identity.groups ?? []).map((g) => ({
    name: g.name,
    ...(g.description !== undefined ? { description: g.description } : {}),
    members: [...new Set(g.members ?? [])],
  }));
  const users = [...new Set(groups.flatMap((g) => g.members))].sort(compareStrings).map((name) => ({ name }));
  return { groups, users };
}

/** 16 hex digits from FNV-1a (64-bit) of the text: the planner's stand-in for a suffix AWS picks. */
function placeholderSuffix(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (const ch of new TextEncoder().encode(text)) h = BigInt.asUintN(64, (h ^ BigInt(ch)) * 0x100000001b3n);
  return h.toString(16).padStart(16, '0');
}

/**
 * The trust policy AWS writes on a role it creates for a permission set: the account's Identity Center SAML provider
 * (`AWSSSO_{suffix}_DO_NOT_DELETE`) may call AssumeRoleWithSAML and TagSession for the AWS sign-in audience
 * ("Referencing permission sets in resource policies, Amazon EKS Cluster config maps, and AWS KMS key policies",
 * https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html).
 */
function ssoTrust(account: string, providerSuffix: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: `arn:aws:iam::${accountRef(account)}:saml-provider/AWSSSO_${providerSuffix}_DO_NOT_DELETE` },
        Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession'],
        Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
      },
    ],
  };
}

/** The role's inline policies merged into the one inline policy a permission set has. */
function mergedInline(role: SpecRole, name: string): AttachedPolicy[] {
  const docs = Object.values(role.inlinePolicies ?? {}) as JsonValue[];
  if (docs.length === 0) return [];
  const statements = docs.flatMap((d) => {
    const st = d && typeof d === 'object' && !Array.isArray(d) ? d['Statement'] : undefined;
    return st === undefined ? [] : Array.isArray(st) ? st : [st];
  });
  return [{ name: `${name}-inline`, kind: 'inline', document: { Version: '2012-10-17', Statement: statements } }];
}

/** The permission set `{phase}-{role}`, or undefined when the role's access there has a bad scope (already reported). */
function permissionSetFor(ctx: PlanContext, roleName: string, phase: string, session: string): PermissionSet | undefined {
  const role = ctx.spec.roles![roleName]!;
  const access = Object.hasOwn(role.access, phase) ? role.access[phase]! : role.access['*'];
  if (!access) return undefined;
  // the roles stage reports a bad scope (unknown service or capability) at the spec; here it only plans nothing
  if (checkPolicyScope(access.capabilities, access.services ?? [], { capabilities: 'capabilities', services: 'services' }).length > 0) return undefined;
  const name = `${phase}-${roleName}`;
  const docs = permissionPolicies(access.capabilities, access.services ?? DEFAULT_POLICY_SERVICES, ctx.options.actionsFor, LIMITS.managedPolicyCharsMax);
  return {
    name,
    description: (role.description ?? `${roleName} in ${phase}`).slice(0, 700),
    sessionDuration: session,
    policies: [...docs.map((document, i) => ({ name: i === 0 ? name : `${name}-${i + 1}`, kind: 'managed' as const, document })), ...mergedInline(role, name)],
    role: roleName,
    phase,
    tags: { ...(role.tags ?? {}), Phase: phase },
  };
}

/** identity-center: permission sets, assignments, and the role AWS creates in each assigned account. */
function planIdentityCenter(ctx: PlanContext, identity: SpecIdentity, grants: readonly Grant[]): Pick<IdentityModel, 'permissionSets' | 'assignments' | 'homeRegion'> {
  const homeRegion = identity.homeRegion ?? ctx.org.regions[0] ?? DEFAULT_REGION;
  // Identity Center in us-east-1 puts no region in the role's path (the same page as `ssoTrust`).
  const path = `/aws-reserved/sso.amazonaws.com/${homeRegion === 'us-east-1' ? '' : `${homeRegion}/`}`;
  const providerSuffix = placeholderSuffix(`saml-provider:${ctx.org.name}`);
  const sets = new Map<string, PermissionSet | undefined>();
  const assignments: AccountAssignment[] = [];
  const created = new Set<string>();
  for (const g of grants) {
    const name = `${g.phase}-${g.role}`;
    if (!PERMISSION_SET_NAME.test(name)) continue; // reported by checkIdentityCenter
    if (!sets.has(name)) sets.set(name, permissionSetFor(ctx, g.role, g.phase, identity.sessionDuration ?? DEFAULT_SESSION));
    const set = sets.get(name);
    if (!set) continue;
    const roleName = `AWSReservedSSO_${name}_${placeholderSuffix(`${name}@${g.account}`)}`;
    assignments.push({ group: g.group, account: g.account, role: roleName, permissionSet: name });
    if (created.has(roleName)) continue;
    created.add(roleName);
    ctx.roles.push({
      account: g.account,
      name: roleName,
      path,
      ...(set.description !== undefined ? { description: set.description } : {}),
      trustPolicy: ssoTrust(g.account, providerSuffix),
      policies: set.policies,
      tags: {},
    });
  }
  const permissionSets = [...sets.values()].filter((s): s is PermissionSet => s !== undefined);
  return { homeRegion, permissionSets, assignments: dedupeAssignments(assignments) };
}

/** One assignment per group, account and target (a group may list `appeng@dev` and `appeng@*`). */
function dedupeAssignments(xs: readonly AccountAssignment[]): AccountAssignment[] {
  const seen = new Set<string>();
  return xs.filter((a) => {
    const k = `${a.group}\u0000${a.account}\u0000${a.role}\u0000${a.permissionSet ?? ''}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The ARN of a planned role, with its account as a reference. */
function roleArn(r: Pick<Role, 'account' | 'path' | 'name'>): string {
  return `arn:aws:iam::${accountRef(r.account)}:role${r.path}${r.name}`;
}

/** A statement trusting one role of the identity account (as `assumedFrom: { account }` writes it). */
function trustStatement(sid: string, identityAccount: string, sourceRole: string): JsonValue {
  const acct = accountRef(identityAccount);
  return {
    Sid: sid,
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${acct}:root` },
    Action: 'sts:AssumeRole',
    Condition: { ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::${acct}:role/${sourceRole}` } },
  };
}

/** The planned roles whose `assumedFrom` names the identity account: source role name → the roles it may assume. */
function assumedFromIdentity(ctx: PlanContext, identityAccount: string): Map<string, Role[]> {
  const out = new Map<string, Role[]>();
  for (const [roleName, role] of Object.entries(ctx.spec.roles ?? {})) {
    for (const src of list(role.assumedFrom) ?? []) {
      if (!('account' in src)) continue;
      const name = ctx.accountNames.includes(src.account) ? src.account : `${ctx.prefix}${src.account}`;
      if (name !== identityAccount) continue;
      const source = src.role ?? roleName;
      out.set(source, [...(out.get(source) ?? []), ...ctx.roles.filter((r) => r.name === roleName && r.account !== identityAccount)]);
    }
  }
  return out;
}

/** A source role in the identity account: people there (with MFA) may assume it; it may assume `targets`. */
function sourceRole(identityAccount: string, name: string, targets: readonly Role[], description: string): Role {
  const arns = [...new Set(targets.map(roleArn))].sort(compareStrings);
  return {
    account: identityAccount,
    name,
    path: '/',
    description,
    trustPolicy: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'PeopleWithMfa',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${accountRef(identityAccount)}:root` },
          Action: 'sts:AssumeRole',
          Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
        },
      ],
    },
    policies: [
      {
        name: 'assume-runtime-roles',
        kind: 'inline',
        document: { Version: '2012-10-17', Statement: [{ Sid: 'AssumeRuntimeRoles', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: arns.length === 1 ? arns[0]! : arns }] },
      },
    ],
    tags: {},
  };
}

/** identity-account: a source role per group (and per `assumedFrom` naming the identity account), trusted by its targets. */
function planIdentityAccount(ctx: PlanContext, grants: readonly Grant[]): Pick<IdentityModel, 'assignments' | 'identityAccount'> | undefined {
  const identityAccount = `${ctx.prefix}identity`;
  if (!ctx.accountNames.includes(identityAccount)) {
    report(ctx, ['identity', 'provider'], error('BH1012', `provider \`identity-account\` needs the \`identity\` account; add \`identity\` to \`sharedAccounts\` or choose \`identity-center\``));
    extendTrust(ctx, identityAccount, new Map()); // no source roles: drop the roles only a group could reach
    return undefined;
  }
  const sources = assumedFromIdentity(ctx, identityAccount);
  const assignments: AccountAssignment[] = [];
  const trustAdds = new Map<Role, string[]>();
  for (const g of grants) {
    const target = ctx.roles.find((r) => r.account === g.account && r.name === g.role);
    if (!target) continue;
    assignments.push({ group: g.group, account: g.account, role: g.role, sourceRole: g.group });
    pushTo(sources, g.group, target);
    const adds = trustAdds.get(target) ?? [];
    if (!adds.includes(g.group)) trustAdds.set(target, [...adds, g.group]);
  }
  extendTrust(ctx, identityAccount, trustAdds);
  const groupNames = new Set(grants.map((g) => g.group));
  for (const [name, targets] of sources) {
    if (ctx.roles.some((r) => r.account === identityAccount && r.name === name)) continue;
    const why = groupNames.has(name) ? `source role of group ${name}` : `source role for the roles that trust ${name} in the identity account`;
    if (targets.length > 0) ctx.roles.push(sourceRole(identityAccount, name, targets, why));
  }
  return { identityAccount, assignments: dedupeAssignments(assignments) };
}

/** Adds a trust statement for each group's source role to the runtime roles it reaches; drops roles no one can assume. */
function extendTrust(ctx: PlanContext, identityAccount: string, adds: ReadonlyMap<Role, readonly string[]>): void {
  const roles = ctx.roles.map((r) => {
    const groups = adds.get(r);
    if (!groups) return r;
    const doc = r.trustPolicy as { Version: string; Statement: JsonValue[] };
    const statements = [...doc.Statement, ...groups.map((g, i) => trustStatement(`TrustGroup${doc.Statement.length + i + 1}`, identityAccount, g))];
    return { ...r, trustPolicy: { Version: doc.Version, Statement: statements } };
  });
  const empty = (r: Role) => Array.isArray((r.trustPolicy as { Statement?: unknown }).Statement) && (r.trustPolicy as { Statement: unknown[] }).Statement.length === 0;
  ctx.roles.splice(0, ctx.roles.length, ...roles.filter((r) => !empty(r)));
}

/** Reports the roles no one can reach: no `assumedFrom` and no group names them. */
function checkReachable(ctx: PlanContext, identity: SpecIdentity | undefined): void {
  // a role a group names (even in a reference reported as wrong) is not reported again here
  const mentioned = new Set((identity?.groups ?? []).flatMap((g) => g.roles.map((r) => parseRef(r, [])?.role)));
  for (const [roleName, role] of Object.entries(ctx.spec.roles ?? {})) {
    if (role.assumedFrom !== undefined) continue;
    if (identity === undefined) {
      // without `identity`, `assumedFrom` is required as it always was: the same words as the schema's check
      const position = ctx.locate(['roles', roleName]);
      ctx.diagnostics.push({ ...error('BH1005', 'missing required key `assumedFrom`; add it', formatPath(['roles', roleName, 'assumedFrom'])), ...(position ? { position } : {}) });
    } else if (identity.provider === 'external' || !mentioned.has(roleName)) {
      report(ctx, ['roles', roleName], error('BH1064', `role \`${roleName}\` has no \`assumedFrom\` and no \`identity\` group gives it${identity.provider === 'external' ? ' (provider `external` plans no groups)' : ''}; add \`assumedFrom\` or list \`${roleName}@phase\` in a group`), true);
    }
  }
}

/** Plans the `identity` section (stage 3b): the model's identity section, or undefined without one. */
export function planIdentity(ctx: PlanContext): IdentityModel | undefined {
  const identity = ctx.spec.identity;
  if (identity === undefined) {
    checkReachable(ctx, undefined);
    return undefined;
  }
  if (!inList(ctx, identity.provider, IDENTITY_PROVIDERS, 'BH1063', 'identity provider', ['identity', 'provider'])) return undefined;
  if (identity.provider === 'external' && identity.groups !== undefined) {
    report(ctx, ['identity', 'groups'], warning('BH1059', 'provider `external` plans no groups (your IdP maps its groups to roles through `assumedFrom`); remove `groups` or choose `identity-center`'), true);
  }
  const grants = identity.provider === 'external' ? [] : checkGroups(ctx, identity);
  checkReachable(ctx, identity);
  const { groups, users } = groupsAndUsers(identity);
  const base = { provider: identity.provider, groups: identity.provider === 'external' ? [] : groups, users: identity.provider === 'external' ? [] : users, permissionSets: [], assignments: [] };
  if (identity.provider === 'identity-center') {
    checkIdentityCenter(ctx, identity, grants);
    return { ...base, ...planIdentityCenter(ctx, identity, grants) };
  }
  if (identity.provider === 'identity-account') {
    const planned = planIdentityAccount(ctx, grants);
    return planned ? { ...base, ...planned } : base;
  }
  return base;
}
