/**
 * CloudFormation emitter: a management-account template (OUs, accounts, organization policies, and the IAM roles
 * of the management account) and per-account role templates for service-managed StackSets that target OUs.
 * Pure: returns file contents keyed by relative path. Templates are JSON (2-space indent), which cfn-lint and
 * `aws cloudformation deploy` read like YAML.
 */
import { ok, fail, warning, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import type { Account, JsonValue, PolicyDocument, PolicyTarget, Role, Tags } from '../model/organization.js';
import { ROOT_PATH } from '../model/organization.js';
import { referencesOrganization } from '../model/account-ref.js';
import { compareEntries, compareStrings, sortedMap, sortedRecord } from '../util/order.js';
import { MANIFEST_FILE, manifestAccounts, manifestText, type EmitManifest } from './manifest.js';
import { cfnIdent, cfnOuIdent, slug } from './names.js';
import { EmitCode, checkClashes, isAwsManaged, prepareModel, type PreparedManagedPolicy, type PreparedModel } from './prepare.js';
import { cloudFormationReadme, type CloudFormationReadmeInput } from './readme.js';
import { identityCenterTemplate, IDENTITY_CENTER_TEMPLATE } from './cloudformation-identity.js';
import { splitAccountRefs } from './refs.js';
import { checkAdoption, type EmitOptions, type EmitOutput } from './terraform.js';

type Json = JsonValue;
/** A CloudFormation template as a JSON object. */
export type Template = { [key: string]: Json };

/** One StackSet of member-account roles. */
export interface StackSetPlan {
  readonly name: string;
  readonly template: string;
  /** OU paths the StackSet targets. */
  readonly organizationalUnits: readonly string[];
  /** Accounts that get the roles. */
  readonly accounts: readonly string[];
  /** True when the OUs hold other accounts too, so the deployment must filter with INTERSECTION. */
  readonly accountFilter: 'NONE' | 'INTERSECTION';
  /** Template parameters: name → the account whose id it takes. */
  readonly parameters: Readonly<Record<string, string>>;
}

/** CloudFormation `Tags` (a list of Key/Value), or undefined when there are none. */
export function cfnTags(tags: Tags): Json[] | undefined {
  const entries = Object.entries(tags);
  return entries.length ? entries.map(([Key, Value]) => ({ Key, Value })) : undefined;
}

/** Escapes literal text for `Fn::Sub`: `${` would start a substitution, `${!` writes it literally. */
function subLiteral(s: string): string {
  return s.replace(/\$\{/g, '${!');
}

/** The management template's parameter for the organization's id (`{{organization:id}}` in planned documents). */
export const ORGANIZATION_ID_PARAMETER = 'OrganizationId';

/**
 * A policy document with account placeholders turned into `Fn::Sub` strings. `name` gives the Sub variable
 * for an account (a parameter, `Logical.AccountId`, or `AWS::AccountId`); `{{organization:id}}` becomes the
 * `OrganizationId` parameter (CloudFormation has no pseudo parameter or attribute for the organization's id).
 */
export function policyJson(doc: PolicyDocument, name: (account: string) => string): Json {
  const walk = (v: Json): Json => {
    if (typeof v === 'string') {
      const parts = splitAccountRefs(v);
      if (parts.length === 1 && typeof parts[0] === 'string') return v;
      return { 'Fn::Sub': parts.map((p) => (typeof p === 'string' ? subLiteral(p) : `\${${'account' in p ? name(p.account) : ORGANIZATION_ID_PARAMETER}}`)).join('') };
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(doc);
}

/** An object without its undefined properties (optional template properties are left out, not written as null). */
export function withoutUndefined(o: Record<string, Json | undefined>): { [key: string]: Json } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [key: string]: Json };
}

/** IAM resources (managed policies, roles) of one account, as template resources. */
function iamResources(
  roles: readonly Role[],
  policies: readonly PreparedManagedPolicy[],
  name: (account: string) => string,
): Record<string, Json> {
  const resources: Record<string, Json> = {};
  const policyId = (p: string) => `Policy${cfnIdent(p)}`;
  for (const p of policies) {
    resources[policyId(p.name)] = {
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: { ManagedPolicyName: p.name, PolicyDocument: policyJson(p.document, name) },
    };
  }
  for (const r of roles) {
    const managed = r.policies.filter((p) => p.kind === 'managed').map((p) => (isAwsManaged(p) ? p.arn! : { Ref: policyId(p.name) }));
    const inline = r.policies
      .filter((p) => p.kind === 'inline')
      .map((p) => ({ PolicyName: p.name, PolicyDocument: policyJson(p.document, name) }));
    const b = r.permissionBoundary;
    resources[`Role${cfnIdent(r.name)}`] = {
      Type: 'AWS::IAM::Role',
      Properties: withoutUndefined({
        RoleName: r.name,
        Path: r.path,
        Description: r.description,
        AssumeRolePolicyDocument: policyJson(r.trustPolicy, name),
        ManagedPolicyArns: managed.length ? managed : undefined,
        Policies: inline.length ? inline : undefined,
        PermissionsBoundary: b ? (isAwsManaged(b) ? b.arn! : { Ref: policyId(b.name) }) : undefined,
        Tags: cfnTags(r.tags),
      }),
    };
  }
  return resources;
}

/** A template as written: JSON with 2-space indent and a final newline. */
export function json(t: Template): string {
  return `${JSON.stringify(t, null, 2)}\n`;
}

/**
 * Everything the per-file functions of the CloudFormation emitter share: the checked model, the adoption ids,
 * the access role, and the logical ids recorded so far (read by the manifest).
 */
interface CloudFormationContext {
  readonly prepared: PreparedModel;
  /** Adoption ids by account name (from the model and the options); only recorded in the manifest. */
  readonly adoptedIds: ReadonlyMap<string, string>;
  /** The role member accounts get (`RoleName` of each account). */
  readonly accessRole: string;
  /** Model identity (`account:<name>`, `ou:<path>`, `role:<account>/<name>`, …) → logical id. */
  readonly addresses: Record<string, string>;
}

/** Member accounts in one OU whose IAM content renders to the same template: one StackSet. */
interface RoleGroup {
  readonly ou: string;
  readonly template: Template;
  readonly accounts: Account[];
  /** Template parameters of the first account: name → the account whose id it takes. */
  readonly params: Record<string, string>;
}

/** Emits the CloudFormation templates, StackSet plan and README for a model. */
export function emitCloudFormation(modelInput: Parameters<typeof prepareModel>[0], options: EmitOptions = {}): Result<EmitOutput> {
  const preparation = prepareModel(modelInput);
  if (!preparation.ok) return fail(preparation.diagnostics);
  const prepared = preparation.value;
  const adoption = checkAdoption(prepared, options);
  const d: Diagnostic[] = [...preparation.diagnostics, ...adoption.diagnostics, ...ignoredOptionWarnings(options), ...checkCloudFormationClashes(prepared)];
  if (d.some((x) => x.severity === 'error')) return fail(d);
  const ctx: CloudFormationContext = {
    prepared,
    adoptedIds: adoption.ids,
    accessRole: options.accessRoleName ?? prepared.model.organization.accessRoleName,
    addresses: {},
  };

  const files = new Map<string, string>();
  files.set('management.template.json', managementTemplate(ctx));
  const stackSets = stackSetTemplates(ctx, roleGroups(ctx));
  for (const s of stackSets) files.set(s.plan.template, s.text);
  const identity = identityCenterTemplate(prepared, ctx.addresses);
  if (identity !== undefined) files.set(IDENTITY_CENTER_TEMPLATE, identity);
  const plans = stackSets.map((s) => s.plan).sort((a, b) => compareStrings(a.name, b.name));
  files.set('stacksets.json', `${JSON.stringify({ stackSets: plans }, null, 2)}\n`);
  files.set('README.md', readme(ctx, plans));
  files.set(CFN_LINT_CONFIG, cfnLintConfig([...files.keys()].filter((f) => f.endsWith('.template.json')).sort(compareStrings)));
  const manifest = cloudFormationManifest(ctx, files);
  files.set(MANIFEST_FILE, manifestText(manifest));
  return ok({ files: sortedMap(files), manifest }, d);
}

/** A warning when options only the Terraform output uses were given. */
function ignoredOptionWarnings(options: EmitOptions): Diagnostic[] {
  const given =
    options.organizationId !== undefined ||
    Object.keys(options.accountIds ?? {}).length > 0 ||
    Object.keys(options.renamedAccounts ?? {}).length > 0 ||
    Object.keys(options.renamedOus ?? {}).length > 0;
  if (!given) return [];
  return [
    warning(
      EmitCode.OptionIgnored,
      'adoption ids and renames are used by the terraform output only; to adopt existing resources with cloudformation, import them into the stack (`aws cloudformation create-change-set --change-set-type IMPORT`)',
    ),
  ];
}

/** Two model names that would become one logical id: accounts, OUs, organization policies, roles and policies per account. */
function checkCloudFormationClashes(prepared: PreparedModel): Diagnostic[] {
  const { model, ous, orgPolicies } = prepared;
  const d: Diagnostic[] = [
    ...checkClashes('account', model.accounts.map((a, i) => ({ name: a.name, ident: cfnIdent(a.name), path: `accounts[${i}].name` }))),
    ...checkClashes('OU', ous.map((o) => ({ name: o.path, ident: cfnOuIdent(o.path), path: 'organizationalUnits' }))),
    ...checkClashes('organization policy', orgPolicies.map((p) => ({ name: p.policy.name, ident: cfnIdent(p.policy.name), path: 'serviceControlPolicies' }))),
  ];
  const ic = prepared.identityCenter;
  if (ic) {
    d.push(...checkClashes('identity group', ic.groups.map((g) => ({ name: g.name, ident: cfnIdent(g.name), path: 'identity.groups' }))));
    d.push(...checkClashes('identity user', ic.users.map((u) => ({ name: u.name, ident: cfnIdent(u.name), path: 'identity.users' }))));
    d.push(...checkClashes('permission set', ic.permissionSets.map((p) => ({ name: p.name, ident: cfnIdent(p.name), path: 'identity.permissionSets' }))));
  }
  for (const acct of prepared.iamAccounts) {
    d.push(...checkClashes(`role in \`${acct}\``, (prepared.rolesByAccount.get(acct) ?? []).map((r) => ({ name: r.name, ident: cfnIdent(r.name), path: 'roles' }))));
    d.push(...checkClashes(`policy in \`${acct}\``, (prepared.managedPoliciesByAccount.get(acct) ?? []).map((p) => ({ name: p.name, ident: cfnIdent(p.name), path: 'roles' }))));
  }
  return d;
}

/** Logical id of a member account. */
function accountId(name: string): string {
  return `Account${cfnIdent(name)}`;
}

/** Logical id of an OU. */
function ouId(path: string): string {
  return `Ou${cfnOuIdent(path)}`;
}

/** A reference to an OU's id (the `RootId` parameter for `Root`). */
function ouRef(path: string): Json {
  return path === ROOT_PATH ? { Ref: 'RootId' } : { Ref: ouId(path) };
}

/** A reference to an account's id in the management template (the stack's own account for the management account). */
function accountRef(ctx: CloudFormationContext, name: string): Json {
  return name === ctx.prepared.management.name ? { Ref: 'AWS::AccountId' } : { Ref: accountId(name) };
}

/** The `Fn::Sub` variable for an account's id in the management template. */
function managementAccountVar(ctx: CloudFormationContext, name: string): string {
  return name === ctx.prepared.management.name ? 'AWS::AccountId' : `${accountId(name)}.AccountId`;
}

/** Whether an organization policy names the organization's id (`{{organization:id}}`), so the template takes it as a parameter. */
function usesOrganizationId(ctx: CloudFormationContext): boolean {
  return ctx.prepared.orgPolicies.some(({ policy }) => referencesOrganization(policy.document));
}

/** management.template.json: OUs, member accounts, organization policies and the management account's IAM. */
function managementTemplate(ctx: CloudFormationContext): string {
  const resources: Record<string, Json> = {
    ...ouResources(ctx),
    ...accountResources(ctx),
    ...orgPolicyResources(ctx),
    ...managementIamResources(ctx),
  };
  const outputs = managementOutputs(ctx);
  return json({
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `bulkhead: organization ${ctx.prepared.model.organization.name} (OUs, accounts, organization policies). Deploy in the management account.`,
    Parameters: {
      RootId: {
        Type: 'String',
        Description: 'Id of the organization root (aws organizations list-roots)',
        AllowedPattern: '^r-[0-9a-z]{4,32}$',
      },
      ...(usesOrganizationId(ctx)
        ? {
            [ORGANIZATION_ID_PARAMETER]: {
              Type: 'String',
              Description: 'Id of the organization, named by the data-perimeter policies (aws organizations describe-organization)',
              AllowedPattern: '^o-[a-z0-9]{10,32}$',
            },
          }
        : {}),
    },
    Resources: resources,
    ...(Object.keys(outputs).length ? { Outputs: outputs } : {}),
  });
}

/** The OUs, parents first. */
function ouResources(ctx: CloudFormationContext): Record<string, Json> {
  const resources: Record<string, Json> = {};
  for (const o of ctx.prepared.ous) {
    ctx.addresses[`ou:${o.path}`] = ouId(o.path);
    resources[ouId(o.path)] = {
      Type: 'AWS::Organizations::OrganizationalUnit',
      Properties: withoutUndefined({ Name: o.name, ParentId: ouRef(o.parent), Tags: cfnTags(o.tags) }),
    };
  }
  return resources;
}

/** The member accounts. */
function accountResources(ctx: CloudFormationContext): Record<string, Json> {
  const resources: Record<string, Json> = {};
  for (const a of ctx.prepared.members) {
    ctx.addresses[`account:${a.name}`] = accountId(a.name);
    resources[accountId(a.name)] = {
      Type: 'AWS::Organizations::Account',
      // An account is not disposable: deleting the stack or the resource must not close it.
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: withoutUndefined({
        AccountName: a.name,
        Email: a.email,
        ParentIds: [ouRef(a.ouPath)],
        RoleName: ctx.accessRole,
        Tags: cfnTags(a.tags),
      }),
    };
  }
  return resources;
}

/** The customer managed SCPs and RCPs, with their targets. */
function orgPolicyResources(ctx: CloudFormationContext): Record<string, Json> {
  const resources: Record<string, Json> = {};
  const targetRef = (t: PolicyTarget): Json => ('ou' in t ? ouRef(t.ou) : accountRef(ctx, t.account));
  for (const { type, policy } of ctx.prepared.orgPolicies) {
    const id = `${type === 'SERVICE_CONTROL_POLICY' ? 'Scp' : 'Rcp'}${cfnIdent(policy.name)}`;
    ctx.addresses[`${type === 'SERVICE_CONTROL_POLICY' ? 'scp' : 'rcp'}:${policy.name}`] = id;
    resources[id] = {
      Type: 'AWS::Organizations::Policy',
      Properties: withoutUndefined({
        Name: policy.name,
        Description: policy.description,
        Type: type,
        Content: policyJson(policy.document, (n) => managementAccountVar(ctx, n)),
        TargetIds: policy.targets.length ? policy.targets.map(targetRef) : undefined,
      }),
    };
  }
  return resources;
}

/** The roles and customer managed policies of the management account itself. */
function managementIamResources(ctx: CloudFormationContext): Record<string, Json> {
  const { management, rolesByAccount, managedPoliciesByAccount } = ctx.prepared;
  const roles = rolesByAccount.get(management.name) ?? [];
  const resources = iamResources(roles, managedPoliciesByAccount.get(management.name) ?? [], (n) => managementAccountVar(ctx, n));
  for (const r of roles) ctx.addresses[`role:${r.account}/${r.name}`] = `Role${cfnIdent(r.name)}`;
  return resources;
}

/** The management template's outputs: every member account's id and every OU's id. */
function managementOutputs(ctx: CloudFormationContext): Record<string, Json> {
  const outputs: Record<string, Json> = {};
  for (const a of ctx.prepared.members) {
    outputs[`${accountId(a.name)}Id`] = { Description: `Account id of ${a.name}`, Value: { 'Fn::GetAtt': [accountId(a.name), 'AccountId'] } };
  }
  for (const o of ctx.prepared.ous) outputs[`${ouId(o.path)}Id`] = { Description: `OU id of ${o.path}`, Value: { Ref: ouId(o.path) } };
  return outputs;
}

/** Member-account role templates, one per group of accounts in the same OU with identical IAM content. */
function roleGroups(ctx: CloudFormationContext): RoleGroup[] {
  const { members, rolesByAccount } = ctx.prepared;
  const groups = new Map<string, RoleGroup>();
  for (const a of members) {
    if (!ctx.prepared.iamAccounts.includes(a.name)) continue;
    const roles = rolesByAccount.get(a.name) ?? [];
    const { template, params } = memberTemplate(ctx, a, roles);
    const key = `${a.ouPath}\u0000${JSON.stringify(template)}`;
    const g = groups.get(key) ?? { ou: a.ouPath, template, accounts: [], params };
    g.accounts.push(a);
    groups.set(key, g);
    for (const r of roles) ctx.addresses[`role:${a.name}/${r.name}`] = `Role${cfnIdent(r.name)}`;
  }
  return [...groups.values()];
}

/** The role template of one member account; other accounts' ids become parameters. */
function memberTemplate(ctx: CloudFormationContext, a: Account, roles: readonly Role[]): { template: Template; params: Record<string, string> } {
  const params: Record<string, string> = {};
  const paramName = (n: string) => {
    const p = `AccountId${cfnIdent(n)}`;
    params[p] = n;
    return p;
  };
  const iam = iamResources(roles, ctx.prepared.managedPoliciesByAccount.get(a.name) ?? [], (n) => (n === a.name ? 'AWS::AccountId' : paramName(n)));
  const template: Template = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `bulkhead: IAM roles for member accounts of ${ctx.prepared.model.organization.name}. Deploy with a service-managed StackSet.`,
    ...(Object.keys(params).length
      ? {
          Parameters: Object.fromEntries(
            Object.entries(params)
              .sort(compareEntries)
              .map(([p, acct]) => [p, { Type: 'String', Description: `Account id of ${acct}`, AllowedPattern: '^[0-9]{12}$' }]),
          ),
        }
      : {}),
    Resources: iam,
  };
  return { template, params };
}

/**
 * The StackSets of member-account roles (one per group of accounts in the same OU with identical IAM content) with
 * their template texts, for the Terraform `stacksets` layout, which deploys the same templates.
 */
export function memberStackSets(prepared: PreparedModel, accessRole: string): { plan: StackSetPlan; text: string }[] {
  const ctx: CloudFormationContext = { prepared, adoptedIds: new Map(), accessRole, addresses: {} };
  return stackSetTemplates(ctx, roleGroups(ctx)).sort((a, b) => compareStrings(a.plan.name, b.plan.name));
}

/** stacksets/<name>.template.json of each group, with the StackSet's deployment plan, in group order. */
function stackSetTemplates(ctx: CloudFormationContext, groups: readonly RoleGroup[]): { plan: StackSetPlan; text: string }[] {
  const perOu = new Map<string, number>();
  for (const g of groups) perOu.set(g.ou, (perOu.get(g.ou) ?? 0) + 1);
  return groups.map((g) => {
    const base = `roles-${slug(g.ou)}`;
    const name = perOu.get(g.ou)! > 1 ? `${base}-${slug(g.accounts[0]!.name)}` : base;
    const inSubtree = ctx.prepared.members.filter((a) => a.ouPath === g.ou || a.ouPath.startsWith(`${g.ou}/`));
    const plan: StackSetPlan = {
      name,
      template: `stacksets/${name}.template.json`,
      organizationalUnits: [g.ou],
      accounts: g.accounts.map((a) => a.name),
      accountFilter: inSubtree.length !== g.accounts.length ? 'INTERSECTION' : 'NONE',
      parameters: sortedRecord(g.params),
    };
    return { plan, text: json(g.template) };
  });
}

/** cfn-lint's project configuration file, which it reads from the directory it runs in. */
export const CFN_LINT_CONFIG = '.cfnlintrc.yaml';

/**
 * `.cfnlintrc.yaml`: the templates to lint and the one check left out, with the reason next to it, so `cfn-lint`
 * run in the output directory passes (exit 0) on what bulkhead wrote. W3037 has no setting of its own to widen its
 * action list (cfn-lint 1.51), so the check is ignored as a whole; every other check runs.
 */
function cfnLintConfig(templates: readonly string[]): string {
  return [
    '# cfn-lint configuration written by bulkhead: run `cfn-lint` in this directory (cfn-lint reads',
    '# .cfnlintrc.yaml from the directory it runs in) to lint every template listed below.',
    '#',
    '# W3037 (IAM actions) is ignored, and only it: cfn-lint checks each action against the action list it',
    '# bundles, which is older than the IAM service authorization reference bulkhead plans with, so actions',
    '# AWS has added since (e.g. s3:AllowVendedLogDeliveryForResource) are reported as unknown and cfn-lint',
    '# exits 4. bulkhead checked every IAM policy and SCP against the newer list before writing (known actions,',
    '# policy grammar, size quotas), so the check adds nothing here. Remove the line once your cfn-lint knows',
    '# these actions.',
    'templates:',
    ...templates.map((t) => `  - ${t}`),
    'ignore_checks:',
    '  - W3037',
    '',
  ].join('\n');
}

/** README.md: how to deploy the management stack and each StackSet. */
function readme(ctx: CloudFormationContext, stackSets: readonly StackSetPlan[]): string {
  const input: CloudFormationReadmeInput = {
    model: ctx.prepared.model,
    management: ctx.prepared.management.name,
    stackSets: stackSets.map((s) => ({
      name: s.name,
      template: s.template,
      ous: s.organizationalUnits,
      accounts: s.accounts,
      filtered: s.accountFilter === 'INTERSECTION',
      parameters: Object.entries(s.parameters).map(([n, account]) => ({ name: n, account })),
    })),
    managementParameters: usesOrganizationId(ctx) ? ['RootId', ORGANIZATION_ID_PARAMETER] : ['RootId'],
    identityCenter: ctx.prepared.identityCenter,
  };
  return cloudFormationReadme(input);
}

/** The manifest of this emission: the files written so far plus the manifest itself, the logical ids and accounts. */
function cloudFormationManifest(ctx: CloudFormationContext, files: ReadonlyMap<string, string>): EmitManifest {
  return {
    manifestVersion: 1,
    format: 'cloudformation',
    files: [...files.keys(), MANIFEST_FILE].sort(),
    addresses: sortedRecord(ctx.addresses),
    accounts: manifestAccounts(ctx.prepared.model.accounts, ctx.adoptedIds),
    moved: [],
  };
}
