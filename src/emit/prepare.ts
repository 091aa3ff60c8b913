/**
 * The view of a model that both emitters render: checked, sorted and de-duplicated. Every problem that would
 * make the output wrong (a dangling reference, an invalid policy document, two names that map to one address)
 * is reported here, so an emitter either writes everything or nothing.
 */
import { error, fail, hasErrors, ok, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import { escapeText } from '../util/escape.js';
import { DEFAULT_REGION } from '../util/aws-defaults.js';
import { compareStrings } from '../util/order.js';
import { didYouMean } from '../util/suggest.js';
import type {
  AccountAssignment,
  Account,
  AttachedPolicy,
  IdentityGroup,
  IdentityUser,
  OrganizationModel,
  OrganizationPolicy,
  PermissionSet,
  PolicyDocument,
  Role,
} from '../model/organization.js';
import { ROOT_PATH } from '../model/organization.js';
import { isIdentityCenterRole, parentPath, sortModel } from '../model/query.js';
import { checkPolicyDocument, createPolicyChecker } from './policy-check.js';
import { accountRefsIn } from './refs.js';
import { firstBadTagChar, isReservedTagKey, MAX_TAGS, TAG_KEY_MAX, TAG_VALUE_MAX } from '../model/tag-rules.js';

/** Diagnostic codes of the emitters (stable). */
export const EmitCode = {
  UnknownOu: 'BH8101',
  UnknownAccount: 'BH8102',
  NoManagementAccount: 'BH8103',
  InvalidPolicy: 'BH8104',
  NameClash: 'BH8105',
  ConflictingPolicy: 'BH8106',
  InvalidAdoptionId: 'BH8107',
  UnsupportedModel: 'BH8108',
  UnknownRename: 'BH8109',
  OptionIgnored: 'BH8110',
  InvalidRoleName: 'BH8111',
  InvalidName: 'BH8112',
  InvalidTag: 'BH8113',
  InvalidAccount: 'BH8114',
  Duplicate: 'BH8115',
  InvalidIdentity: 'BH8116',
} as const;

/** A customer managed IAM policy to create in one account (shared by every role there that attaches it). */
export interface PreparedManagedPolicy {
  readonly account: string;
  readonly name: string;
  readonly document: PolicyDocument;
}

/** An organization policy (SCP or RCP) that the emitter must create. */
export interface PreparedOrgPolicy {
  readonly type: 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY';
  readonly policy: OrganizationPolicy;
}

/** The checked, sorted view of a model. */
export interface PreparedModel {
  readonly model: OrganizationModel;
  readonly management: Account;
  /** Accounts other than the management account, by name. */
  readonly members: readonly Account[];
  /** OUs below the root, parents before children. */
  readonly ous: readonly { readonly path: string; readonly name: string; readonly parent: string; readonly tags: Record<string, string> }[];
  /** Customer managed organization policies to create (AWS managed ones such as FullAWSAccess are left alone). */
  readonly orgPolicies: readonly PreparedOrgPolicy[];
  readonly policyTypes: readonly ('SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY')[];
  /** Roles per account name (accounts without roles are absent). */
  readonly rolesByAccount: ReadonlyMap<string, readonly Role[]>;
  /**
   * Customer managed IAM policies per account name: those the account's roles attach, and those the permission sets
   * assigned there reference (a reference names a policy that must exist in the account).
   */
  readonly managedPoliciesByAccount: ReadonlyMap<string, readonly PreparedManagedPolicy[]>;
  /** Accounts with IAM content (roles or customer managed policies), sorted. */
  readonly iamAccounts: readonly string[];
  /** The Identity Center content to create, when the model's identity provider is `identity-center`. */
  readonly identityCenter?: PreparedIdentityCenter;
}

/**
 * What the emitters create in IAM Identity Center: groups (with their members as identity store users), permission
 * sets and the assignments of groups to accounts. The instance itself is enabled by hand; emitters look it up.
 */
export interface PreparedIdentityCenter {
  /** The instance's region: the provider (Terraform) or stack (CloudFormation) for these resources runs there. */
  readonly homeRegion: string;
  readonly groups: readonly IdentityGroup[];
  /** The users that are members of some group, by name. */
  readonly users: readonly IdentityUser[];
  readonly permissionSets: readonly PermissionSet[];
  /** Assignments through a permission set (every one has `permissionSet`). */
  readonly assignments: readonly (AccountAssignment & { readonly permissionSet: string })[];
}

/** IAM role and policy names: letters, digits and `+=,.@_-` (IAM User Guide, "IAM object quotas and names"). */
const IAM_NAME = /^[\w+=,.@-]+$/;
/** IAM paths: `/` alone, or `/`-delimited printable ASCII (IAM API reference, Path parameter), at most 512 characters. */
const IAM_PATH = /^(\/|\/[\x21-\x7E]{1,510}\/)$/;

/**
 * Diagnostics for the tags of one resource, by the rules of the Tagging API that Organizations and IAM share:
 * keys 1–128 characters, values ≤ 256, only letters, digits, spaces and `_.:/=+-@`, no `aws:` prefix, ≤ 50 tags
 * (model/tag-rules.ts, shared with the spec's check).
 * Terraform and cfn-lint do not check tag content, so a bad tag would otherwise fail only at apply time.
 */
export function checkTags(tags: Readonly<Record<string, string>>, at: string, what: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const entries = Object.entries(tags);
  if (entries.length > MAX_TAGS) out.push(error(EmitCode.InvalidTag, `${what} has ${entries.length} tags; AWS allows at most ${MAX_TAGS}`, at));
  for (const [k, v] of entries) {
    // the key and value as a person can read them: a NUL or an ESC sequence shown escaped, never raw
    const key = escapeText(k);
    if (k.length < 1 || k.length > TAG_KEY_MAX || firstBadTagChar(k) !== undefined) {
      out.push(error(EmitCode.InvalidTag, `tag key \`${key}\` of ${what} is not allowed; use 1–128 letters, digits, spaces and _.:/=+-@`, `${at}.${k}`));
    } else if (isReservedTagKey(k)) {
      out.push(error(EmitCode.InvalidTag, `tag key \`${key}\` of ${what} uses the reserved prefix \`aws:\`; rename it`, `${at}.${k}`));
    }
    if (v.length > TAG_VALUE_MAX || firstBadTagChar(v) !== undefined) {
      out.push(error(EmitCode.InvalidTag, `tag value \`${escapeText(v)}\` (key \`${key}\`) of ${what} is not allowed; use at most 256 letters, digits, spaces and _.:/=+-@`, `${at}.${k}`));
    }
  }
  return out;
}

/** True when an attached managed policy is owned by AWS (its ARN is in the `aws` account), so it is attached, not created. */
export function isAwsManaged(p: AttachedPolicy): boolean {
  return p.kind === 'managed' && p.arn !== undefined && /^arn:aws[a-z-]*:iam::aws:policy\//.test(p.arn);
}

/**
 * Checks a model and builds the view both emitters render. Diagnostics carry paths into the model as given;
 * the view is built from the sorted model so output order never depends on input order.
 */
export function prepareModel(input: OrganizationModel): Result<PreparedModel> {
  const checked = build(input, true);
  if (!checked.ok) return checked;
  // The documents were validated in the first pass; the sorted pass only rebuilds the view.
  const sorted = build(sortModel(input), false);
  if (!sorted.ok) throw new Error('prepareModel: the sorted model failed checks the model passed');
  return ok(sorted.value, checked.diagnostics);
}

/** What the checks of one pass share: the model, its name sets, the document checker and the diagnostics so far. */
interface PrepareContext {
  readonly model: OrganizationModel;
  readonly d: Diagnostic[];
  readonly checkDocument: typeof checkPolicyDocument;
  readonly accountNames: ReadonlySet<string>;
  readonly ouPaths: ReadonlySet<string>;
}

function build(model: OrganizationModel, validateDocuments: boolean): Result<PreparedModel> {
  const checker = createPolicyChecker();
  const ctx: PrepareContext = {
    model,
    d: [],
    checkDocument: (...args) => (validateDocuments ? checker(...args) : []),
    accountNames: new Set(model.accounts.map((a) => a.name)),
    ouPaths: new Set([ROOT_PATH, ...model.organizationalUnits.map((o) => o.path)]),
  };
  const management = findManagement(ctx);
  const ous = prepareOus(ctx);
  checkDuplicates(ctx);
  checkAccounts(ctx);
  const { orgPolicies, policyTypes } = prepareOrgPolicies(ctx);
  if (model.users.length > 0) {
    ctx.d.push(error(EmitCode.UnsupportedModel, `the model has ${model.users.length} IAM user(s), which emitters do not write; emit from a planned model (plans never design users)`, 'users'));
  }
  const managed: ManagedByAccount = new Map();
  const rolesByAccount = prepareRoles(ctx, managed);
  const identityCenter = prepareIdentityCenter(ctx, managed);
  const managedPoliciesByAccount = new Map(
    [...managed].map(([acct, m]) => [acct, [...m.values()].map(({ account, name, document }) => ({ account, name, document }))] as const),
  );
  const iamAccounts = [...new Set([...rolesByAccount.keys(), ...managedPoliciesByAccount.keys()])].sort(compareStrings);
  if (hasErrors(ctx.d) || !management) return fail(ctx.d);
  return ok(
    {
      model,
      management,
      members: model.accounts.filter((a) => a.name !== management.name),
      ous,
      orgPolicies,
      policyTypes,
      rolesByAccount,
      managedPoliciesByAccount,
      iamAccounts,
      ...(identityCenter ? { identityCenter } : {}),
    },
    ctx.d,
  );
}

/** The management account, or undefined with a diagnostic. */
function findManagement({ model, d, accountNames }: PrepareContext): Account | undefined {
  const management = model.accounts.find((a) => a.name === model.organization.managementAccount);
  if (!management) {
    d.push(
      error(
        EmitCode.NoManagementAccount,
        `management account \`${model.organization.managementAccount}\` is not among the accounts${didYouMean(model.organization.managementAccount, accountNames)}; add it or fix \`organization.managementAccount\``,
        'organization.managementAccount',
      ),
    );
  }
  return management;
}

/** The OUs below the root with their parents, checked; sorted by path, so a parent always precedes its children. */
function prepareOus({ model, d, ouPaths }: PrepareContext): PreparedModel['ous'] {
  const ous = model.organizationalUnits
    .filter((o) => o.path !== ROOT_PATH)
    .map((o) => {
      const i = model.organizationalUnits.indexOf(o); // diagnostics point into the model's own list
      const parent = parentPath(o.path) ?? ROOT_PATH;
      if (!o.path.startsWith(`${ROOT_PATH}/`)) {
        d.push(error(EmitCode.UnknownOu, `OU path \`${o.path}\` does not start at \`Root/\`; write it as \`Root/${o.path}\``, `organizationalUnits[${i}].path`));
      } else if (!ouPaths.has(parent)) {
        d.push(error(EmitCode.UnknownOu, `OU \`${o.path}\` has no parent OU \`${parent}\`; add the parent OU`, `organizationalUnits[${i}].path`));
      }
      d.push(...checkTags(o.tags, `organizationalUnits[${i}].tags`, `OU \`${o.path}\``));
      return { path: o.path, name: o.path.slice(o.path.lastIndexOf('/') + 1), parent, tags: o.tags };
    });
  return ous.sort((a, b) => compareStrings(a.path, b.path));
}

/** Two objects with one name would become two resources with one address (or one AWS name). */
function checkDuplicates({ model, d }: PrepareContext): void {
  const dup = (kind: string, keys: readonly string[], at: (i: number) => string) => {
    const first = new Map<string, number>();
    keys.forEach((k, i) => {
      const seen = first.get(k);
      if (seen === undefined) first.set(k, i);
      else d.push(error(EmitCode.Duplicate, `${kind} \`${k}\` appears twice (also at ${at(seen)}); remove or rename one`, at(i)));
    });
  };
  dup('account', model.accounts.map((a) => a.name), (i) => `accounts[${i}].name`);
  dup('account email', model.accounts.map((a) => a.email.toLowerCase()), (i) => `accounts[${i}].email`);
  dup('OU', model.organizationalUnits.map((o) => o.path), (i) => `organizationalUnits[${i}].path`);
  dup('role', model.roles.map((r) => `${r.account}/${r.name}`), (i) => `roles[${i}].name`);
  dup('organization policy', [...model.serviceControlPolicies, ...model.resourceControlPolicies].map((p) => p.name), (i) =>
    i < model.serviceControlPolicies.length ? `serviceControlPolicies[${i}].name` : `resourceControlPolicies[${i - model.serviceControlPolicies.length}].name`,
  );
}

/** Member accounts: tags, name and email as Organizations accepts them; every account: an OU that exists. */
function checkAccounts({ model, d, ouPaths }: PrepareContext): void {
  model.accounts.forEach((a, i) => {
    if (a.name !== model.organization.managementAccount) {
      d.push(...checkTags(a.tags, `accounts[${i}].tags`, `account \`${a.name}\``));
      // Organizations CreateAccount: AccountName 1–50 characters, Email 6–64 characters and an address.
      if (a.name.length < 1 || a.name.length > 50) {
        d.push(error(EmitCode.InvalidAccount, `account name \`${a.name}\` has ${a.name.length} characters; AWS allows 1–50`, `accounts[${i}].name`));
      }
      if (a.email.length < 6 || a.email.length > 64 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(a.email)) {
        d.push(error(EmitCode.InvalidAccount, `account email \`${a.email}\` of \`${a.name}\` is not an address of 6–64 characters`, `accounts[${i}].email`));
      }
    }
    if (!ouPaths.has(a.ouPath)) {
      d.push(error(EmitCode.UnknownOu, `account \`${a.name}\` is in OU \`${a.ouPath}\`, which is not in the model${didYouMean(a.ouPath, ouPaths)}; add the OU or fix the path`, `accounts[${i}].ouPath`));
    }
  });
}

/** Diagnostics for policy targets that are not in the model. */
function checkTargets({ d, ouPaths, accountNames }: PrepareContext, p: OrganizationPolicy, at: string): void {
  p.targets.forEach((t, j) => {
    if ('ou' in t && !ouPaths.has(t.ou)) {
      d.push(error(EmitCode.UnknownOu, `policy \`${p.name}\` targets OU \`${t.ou}\`, which is not in the model${didYouMean(t.ou, ouPaths)}`, `${at}.targets[${j}]`));
    }
    if ('account' in t && !accountNames.has(t.account)) {
      d.push(error(EmitCode.UnknownAccount, `policy \`${p.name}\` targets account \`${t.account}\`, which is not in the model${didYouMean(t.account, accountNames)}`, `${at}.targets[${j}]`));
    }
  });
}

/** The customer managed SCPs and RCPs to create, checked, and the policy types the organization must enable. */
function prepareOrgPolicies(ctx: PrepareContext): Pick<PreparedModel, 'orgPolicies' | 'policyTypes'> {
  const orgPolicies: PreparedOrgPolicy[] = [];
  const policyTypes = new Set<PreparedOrgPolicy['type']>(['SERVICE_CONTROL_POLICY']);
  const collect = (list: readonly OrganizationPolicy[], key: string, type: PreparedOrgPolicy['type'], use: 'scp' | 'rcp') =>
    list.forEach((p, i) => {
      const at = `${key}[${i}]`;
      if (p.managedBy === 'aws') return; // e.g. FullAWSAccess: AWS owns and attaches it; re-creating it would clash
      policyTypes.add(type);
      checkTargets(ctx, p, at);
      ctx.d.push(...ctx.checkDocument(p.document, use, `${at}.document`, EmitCode.InvalidPolicy));
      orgPolicies.push({ type, policy: p });
    });
  collect(ctx.model.serviceControlPolicies, 'serviceControlPolicies', 'SERVICE_CONTROL_POLICY', 'scp');
  collect(ctx.model.resourceControlPolicies, 'resourceControlPolicies', 'RESOURCE_CONTROL_POLICY', 'rcp');
  return { orgPolicies, policyTypes: [...policyTypes].sort() };
}

/** Customer managed policies found so far, per account and name, with where each was first seen. */
type ManagedByAccount = Map<string, Map<string, PreparedManagedPolicy & { at: string }>>;

/** Roles per account, checked; the customer managed policies they attach are recorded in `managed`. */
function prepareRoles(ctx: PrepareContext, managed: ManagedByAccount): Map<string, Role[]> {
  const { model, d, accountNames } = ctx;
  const rolesByAccount = new Map<string, Role[]>();
  model.roles.forEach((r, i) => {
    const at = `roles[${i}]`;
    if (isIdentityCenterRole(r)) return; // AWS creates it for the Identity Center assignment
    if (!accountNames.has(r.account)) {
      d.push(error(EmitCode.UnknownAccount, `role \`${r.name}\` is in account \`${r.account}\`, which is not in the model${didYouMean(r.account, accountNames)}`, `${at}.account`));
      return;
    }
    checkRole(ctx, r, at);
    const all = r.permissionBoundary ? [...r.policies, r.permissionBoundary] : r.policies;
    all.forEach((p, j) => checkAttachedPolicy(ctx, managed, r.account, p, p === r.permissionBoundary ? `${at}.permissionBoundary` : `${at}.policies[${j}]`));
    const list = rolesByAccount.get(r.account) ?? [];
    list.push(r);
    rolesByAccount.set(r.account, list);
  });
  return rolesByAccount;
}

/**
 * Permission set names: 1–32 of `[\w+=,.@-]`; descriptions up to 700 characters ("PermissionSet", IAM Identity
 * Center API Reference, https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_PermissionSet.html).
 */
const PERMISSION_SET_NAME = /^[\w+=,.@-]{1,32}$/;
/** Session durations as the model writes them: whole hours, PT1H to PT12H (same page, `SessionDuration`). */
const SESSION_DURATION = /^PT([1-9]|1[0-2])H$/;

/**
 * The Identity Center content to create, checked, when the provider is `identity-center`: groups, their member
 * users, permission sets and assignments. Every customer managed policy a permission set references is recorded in
 * `managed` for each account the set is assigned to, so the policy exists where AWS looks for it: "IAM Identity Center fails to assign the
 * permission set if the policy doesn't exist in your member account" ("Use IAM policies in permission sets", IAM
 * Identity Center User Guide, https://docs.aws.amazon.com/singlesignon/latest/userguide/howtocmp.html).
 */
function prepareIdentityCenter(ctx: PrepareContext, managed: ManagedByAccount): PreparedIdentityCenter | undefined {
  const identity = ctx.model.identity;
  if (identity?.provider !== 'identity-center') return undefined;
  const { d, accountNames } = ctx;
  const groups = new Set(identity.groups.map((g) => g.name));
  const sets = new Map(identity.permissionSets.map((p) => [p.name, p] as const));
  identity.permissionSets.forEach((p, i) => checkPermissionSet(ctx, p, `identity.permissionSets[${i}]`));
  const assignments: PreparedIdentityCenter['assignments'][number][] = [];
  identity.assignments.forEach((a, i) => {
    const at = `identity.assignments[${i}]`;
    const set = a.permissionSet === undefined ? undefined : sets.get(a.permissionSet);
    if (!groups.has(a.group)) d.push(error(EmitCode.InvalidIdentity, `assignment names group \`${a.group}\`, which is not among the identity groups${didYouMean(a.group, groups)}`, `${at}.group`));
    if (!accountNames.has(a.account)) d.push(error(EmitCode.UnknownAccount, `assignment of group \`${a.group}\` names account \`${a.account}\`, which is not in the model${didYouMean(a.account, accountNames)}`, `${at}.account`));
    if (!set) {
      d.push(error(EmitCode.InvalidIdentity, `assignment of group \`${a.group}\` in \`${a.account}\` names permission set \`${a.permissionSet ?? ''}\`, which is not among the permission sets; give it one of: ${[...sets.keys()].join(', ')}`, `${at}.permissionSet`));
      return;
    }
    assignments.push({ ...a, permissionSet: set.name });
    if (!accountNames.has(a.account)) return;
    set.policies.forEach((p, j) => {
      if (p.kind === 'managed' && !isAwsManaged(p)) checkAttachedPolicy(ctx, managed, a.account, p, `identity.permissionSets[${identity.permissionSets.indexOf(set)}].policies[${j}]`);
    });
  });
  const members = new Set(identity.groups.flatMap((g) => g.members));
  return {
    homeRegion: identity.homeRegion ?? ctx.model.organization.regions[0] ?? DEFAULT_REGION,
    groups: identity.groups,
    users: identity.users.filter((u) => members.has(u.name)),
    permissionSets: identity.permissionSets,
    assignments,
  };
}

/** One permission set: name, description, session duration and its inline policy (its managed ones are checked per assigned account). */
function checkPermissionSet({ d, checkDocument }: PrepareContext, p: PermissionSet, at: string): void {
  if (!PERMISSION_SET_NAME.test(p.name)) {
    d.push(error(EmitCode.InvalidIdentity, `permission set name \`${p.name}\` is not allowed; use 1–32 letters, digits and +=,.@_-`, `${at}.name`));
  }
  if (p.description !== undefined && p.description.length > 700) {
    d.push(error(EmitCode.InvalidIdentity, `description of permission set \`${p.name}\` has ${p.description.length} characters; AWS allows at most 700`, `${at}.description`));
  }
  if (!SESSION_DURATION.test(p.sessionDuration)) {
    d.push(error(EmitCode.InvalidIdentity, `session duration \`${p.sessionDuration}\` of permission set \`${p.name}\` is not whole hours from PT1H to PT12H`, `${at}.sessionDuration`));
  }
  if (p.permissionBoundary) {
    d.push(error(EmitCode.UnsupportedModel, `permission set \`${p.name}\` has a permissions boundary, which emitters do not write yet; remove it or attach it by hand`, `${at}.permissionBoundary`));
  }
  const inline = p.policies.filter((x) => x.kind === 'inline');
  if (inline.length > 1) {
    d.push(error(EmitCode.InvalidIdentity, `permission set \`${p.name}\` has ${inline.length} inline policies; a permission set has one, so merge them`, `${at}.policies`));
  }
  // the inline policy becomes an inline policy of the role AWS creates in each account (10,240 characters per role)
  inline.forEach((x) => d.push(...checkDocument(x.document, 'identity', `${at}.policies[${p.policies.indexOf(x)}].document`, EmitCode.InvalidPolicy, 'inline-role')));
  d.push(...checkTags(p.tags, `${at}.tags`, `permission set \`${p.name}\``));
}

/** A role's name, path, tags and trust policy (with the accounts it refers to). */
function checkRole({ d, checkDocument, accountNames }: PrepareContext, r: Role, at: string): void {
  if (!IAM_NAME.test(r.name) || r.name.length > 64) {
    d.push(error(EmitCode.InvalidName, `role name \`${r.name}\` is not a valid IAM role name; use 1–64 letters, digits and +=,.@_-`, `${at}.name`));
  }
  if (!IAM_PATH.test(r.path)) {
    d.push(error(EmitCode.InvalidName, `role path \`${r.path}\` is not a valid IAM path; start and end it with \`/\` (e.g. \`/ci/\`)`, `${at}.path`));
  }
  d.push(...checkTags(r.tags, `${at}.tags`, `role \`${r.account}/${r.name}\``));
  d.push(...checkDocument(r.trustPolicy, 'trust', `${at}.trustPolicy`, EmitCode.InvalidPolicy));
  for (const ref of accountRefsIn(r.trustPolicy)) {
    if (!accountNames.has(ref)) {
      d.push(error(EmitCode.UnknownAccount, `trust policy of role \`${r.name}\` refers to account \`${ref}\`, which is not in the model${didYouMean(ref, accountNames)}`, `${at}.trustPolicy`));
    }
  }
}

/**
 * One policy a role attaches (or its permissions boundary) at `pat`: name, document and account references; a
 * customer managed one is recorded in `managed`, where two different documents under one name are reported.
 */
function checkAttachedPolicy({ d, checkDocument, accountNames }: PrepareContext, managed: ManagedByAccount, account: string, p: AttachedPolicy, pat: string): void {
  if (isAwsManaged(p)) return;
  if (!IAM_NAME.test(p.name) || p.name.length > 128) {
    d.push(error(EmitCode.InvalidName, `policy name \`${p.name}\` is not a valid IAM policy name; use 1–128 letters, digits and +=,.@_-`, `${pat}.name`));
  }
  // an inline policy counts against the role's inline aggregate (10,240), a managed one against 6,144
  d.push(...checkDocument(p.document, 'identity', `${pat}.document`, EmitCode.InvalidPolicy, p.kind === 'managed' ? undefined : 'inline-role'));
  for (const ref of accountRefsIn(p.document)) {
    if (!accountNames.has(ref)) d.push(error(EmitCode.UnknownAccount, `policy \`${p.name}\` refers to account \`${ref}\`, which is not in the model`, `${pat}.document`));
  }
  if (p.kind !== 'managed') return;
  const perAccount = managed.get(account) ?? new Map();
  managed.set(account, perAccount);
  const seen = perAccount.get(p.name);
  if (seen && JSON.stringify(seen.document) !== JSON.stringify(p.document)) {
    d.push(error(EmitCode.ConflictingPolicy, `managed policy \`${p.name}\` in account \`${account}\` has two different documents (also at ${seen.at}); give one of them another name`, `${pat}.document`));
  } else if (!seen) {
    perAccount.set(p.name, { account, name: p.name, document: p.document, at: pat });
  }
}

/**
 * Reports two model names that map to the same emitted identifier (e.g. accounts `acme-dev` and `acme_dev`
 * both become `acme_dev`): the output would silently merge them.
 */
export function checkClashes(kind: string, entries: readonly { name: string; ident: string; path: string }[]): Diagnostic[] {
  const byIdent = new Map<string, string>();
  const out: Diagnostic[] = [];
  for (const e of entries) {
    const prev = byIdent.get(e.ident);
    if (prev !== undefined && prev !== e.name) {
      out.push(error(EmitCode.NameClash, `${kind} \`${e.name}\` and \`${prev}\` both become \`${e.ident}\` in the output; rename one of them`, e.path));
    } else byIdent.set(e.ident, e.name);
  }
  return out;
}
