/**
 * CloudFormation emitter: a management-account template (OUs, accounts, organization policies, and the IAM roles
 * of the management account) and per-account role templates for service-managed StackSets that target OUs.
 * Pure: returns file contents keyed by relative path. Templates are JSON (2-space indent), which cfn-lint and
 * `aws cloudformation deploy` read like YAML.
 */
import { ok, fail, warning, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import type { Account, JsonValue, PolicyDocument, PolicyTarget, Role, Tags } from '../model/organization.js';
import { ROOT_PATH } from '../model/organization.js';
import { MANIFEST_FILE, type EmitManifest } from './manifest.js';
import { cfnIdent, cfnOuIdent, slug } from './names.js';
import { EmitCode, checkClashes, isAwsManaged, prepareModel, type PreparedManagedPolicy } from './prepare.js';
import { cloudFormationReadme, type CloudFormationReadmeInput } from './readme.js';
import { splitAccountRefs } from './refs.js';
import { checkAdoption, type EmitOptions, type EmitOutput } from './terraform.js';

type Json = JsonValue;
type Template = { [key: string]: Json };

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

function cfnTags(tags: Tags): Json[] | undefined {
  const entries = Object.entries(tags);
  return entries.length ? entries.map(([Key, Value]) => ({ Key, Value })) : undefined;
}

/** Escapes literal text for `Fn::Sub`: `${` would start a substitution, `${!` writes it literally. */
function subLiteral(s: string): string {
  return s.replace(/\$\{/g, '${!');
}

/**
 * A policy document with account placeholders turned into `Fn::Sub` strings. `name` gives the Sub variable
 * for an account (a parameter, `Logical.AccountId`, or `AWS::AccountId`).
 */
function policyJson(doc: PolicyDocument, name: (account: string) => string): Json {
  const walk = (v: Json): Json => {
    if (typeof v === 'string') {
      const parts = splitAccountRefs(v);
      if (parts.length === 1 && typeof parts[0] === 'string') return v;
      return { 'Fn::Sub': parts.map((p) => (typeof p === 'string' ? subLiteral(p) : `\${${name(p.account)}}`)).join('') };
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(doc);
}

function withoutUndefined(o: Record<string, Json | undefined>): { [key: string]: Json } {
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

function json(t: Template): string {
  return `${JSON.stringify(t, null, 2)}\n`;
}

/** Emits the CloudFormation templates, StackSet plan and README for a model. */
export function emitCloudFormation(modelInput: Parameters<typeof prepareModel>[0], options: EmitOptions = {}): Result<EmitOutput> {
  const preparation = prepareModel(modelInput);
  if (!preparation.ok) return fail(preparation.diagnostics);
  const { value: prepared, diagnostics } = preparation;
  const adoption = checkAdoption(prepared, options);
  const d: Diagnostic[] = [...diagnostics, ...adoption.diagnostics];
  if (options.organizationId !== undefined || Object.keys(options.accountIds ?? {}).length > 0 || Object.keys(options.renamedAccounts ?? {}).length > 0 || Object.keys(options.renamedOus ?? {}).length > 0) {
    d.push(
      warning(
        EmitCode.OptionIgnored,
        'adoption ids and renames are used by the terraform output only; to adopt existing resources with cloudformation, import them into the stack (`aws cloudformation create-change-set --change-set-type IMPORT`)',
      ),
    );
  }
  const { model, management, members, ous, orgPolicies } = prepared;
  d.push(
    ...checkClashes('account', model.accounts.map((a, i) => ({ name: a.name, ident: cfnIdent(a.name), path: `accounts[${i}].name` }))),
    ...checkClashes('OU', ous.map((o) => ({ name: o.path, ident: cfnOuIdent(o.path), path: 'organizationalUnits' }))),
    ...checkClashes('organization policy', orgPolicies.map((p) => ({ name: p.policy.name, ident: cfnIdent(p.policy.name), path: 'serviceControlPolicies' }))),
  );
  for (const [acct, roles] of prepared.rolesByAccount) {
    d.push(...checkClashes(`role in \`${acct}\``, roles.map((r) => ({ name: r.name, ident: cfnIdent(r.name), path: 'roles' }))));
    d.push(...checkClashes(`policy in \`${acct}\``, (prepared.managedPoliciesByAccount.get(acct) ?? []).map((p) => ({ name: p.name, ident: cfnIdent(p.name), path: 'roles' }))));
  }
  if (d.some((x) => x.severity === 'error')) return fail(d);

  const addresses: Record<string, string> = {};
  const accountId = (name: string) => `Account${cfnIdent(name)}`;
  const ouId = (path: string) => `Ou${cfnOuIdent(path)}`;
  const ouRef = (path: string): Json => (path === ROOT_PATH ? { Ref: 'RootId' } : { Ref: ouId(path) });
  const accountRef = (name: string): Json => (name === management.name ? { Ref: 'AWS::AccountId' } : { Ref: accountId(name) });
  const targetRef = (t: PolicyTarget): Json => ('ou' in t ? ouRef(t.ou) : accountRef(t.account));
  const accessRole = options.accessRoleName ?? model.organization.accessRoleName;

  // Management template.
  const resources: Record<string, Json> = {};
  for (const o of ous) {
    addresses[`ou:${o.path}`] = ouId(o.path);
    resources[ouId(o.path)] = {
      Type: 'AWS::Organizations::OrganizationalUnit',
      Properties: withoutUndefined({ Name: o.name, ParentId: ouRef(o.parent), Tags: cfnTags(o.tags) }),
    };
  }
  for (const a of members) {
    addresses[`account:${a.name}`] = accountId(a.name);
    resources[accountId(a.name)] = {
      Type: 'AWS::Organizations::Account',
      // An account is not disposable: deleting the stack or the resource must not close it.
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: withoutUndefined({
        AccountName: a.name,
        Email: a.email,
        ParentIds: [ouRef(a.ouPath)],
        RoleName: accessRole,
        Tags: cfnTags(a.tags),
      }),
    };
  }
  for (const { type, policy } of orgPolicies) {
    const id = `${type === 'SERVICE_CONTROL_POLICY' ? 'Scp' : 'Rcp'}${cfnIdent(policy.name)}`;
    addresses[`${type === 'SERVICE_CONTROL_POLICY' ? 'scp' : 'rcp'}:${policy.name}`] = id;
    resources[id] = {
      Type: 'AWS::Organizations::Policy',
      Properties: withoutUndefined({
        Name: policy.name,
        Description: policy.description,
        Type: type,
        Content: policyJson(policy.document, (n) => (n === management.name ? 'AWS::AccountId' : `${accountId(n)}.AccountId`)),
        TargetIds: policy.targets.length ? policy.targets.map(targetRef) : undefined,
      }),
    };
  }
  const mgmtRoles = prepared.rolesByAccount.get(management.name) ?? [];
  const mgmtIam = iamResources(mgmtRoles, prepared.managedPoliciesByAccount.get(management.name) ?? [], (n) =>
    n === management.name ? 'AWS::AccountId' : `${accountId(n)}.AccountId`,
  );
  for (const r of mgmtRoles) addresses[`role:${r.account}/${r.name}`] = `Role${cfnIdent(r.name)}`;
  Object.assign(resources, mgmtIam);

  const outputs: Record<string, Json> = {};
  for (const a of members) {
    outputs[`${accountId(a.name)}Id`] = { Description: `Account id of ${a.name}`, Value: { 'Fn::GetAtt': [accountId(a.name), 'AccountId'] } };
  }
  for (const o of ous) outputs[`${ouId(o.path)}Id`] = { Description: `OU id of ${o.path}`, Value: { Ref: ouId(o.path) } };

  const files = new Map<string, string>();
  files.set(
    'management.template.json',
    json({
      AWSTemplateFormatVersion: '2010-09-09',
      Description: `bulkhead: organization ${model.organization.name} (OUs, accounts, organization policies). Deploy in the management account.`,
      Parameters: {
        RootId: {
          Type: 'String',
          Description: 'Id of the organization root (aws organizations list-roots)',
          AllowedPattern: '^r-[0-9a-z]{4,32}$',
        },
      },
      Resources: resources,
      ...(Object.keys(outputs).length ? { Outputs: outputs } : {}),
    }),
  );

  // Member-account role templates, one per group of accounts in the same OU with identical IAM content.
  const groups = new Map<string, { ou: string; template: Template; accounts: Account[]; params: Record<string, string> }>();
  for (const a of members) {
    const roles = prepared.rolesByAccount.get(a.name);
    if (!roles) continue;
    const params: Record<string, string> = {};
    const paramName = (n: string) => {
      const p = `AccountId${cfnIdent(n)}`;
      params[p] = n;
      return p;
    };
    const iam = iamResources(roles, prepared.managedPoliciesByAccount.get(a.name) ?? [], (n) => (n === a.name ? 'AWS::AccountId' : paramName(n)));
    const template: Template = {
      AWSTemplateFormatVersion: '2010-09-09',
      Description: `bulkhead: IAM roles for member accounts of ${model.organization.name}. Deploy with a service-managed StackSet.`,
      ...(Object.keys(params).length
        ? {
            Parameters: Object.fromEntries(
              Object.entries(params)
                .sort(([x], [y]) => (x < y ? -1 : 1))
                .map(([p, acct]) => [p, { Type: 'String', Description: `Account id of ${acct}`, AllowedPattern: '^[0-9]{12}$' }]),
            ),
          }
        : {}),
      Resources: iam,
    };
    const key = `${a.ouPath}\u0000${JSON.stringify(template)}`;
    const g = groups.get(key) ?? { ou: a.ouPath, template, accounts: [], params };
    g.accounts.push(a);
    groups.set(key, g);
    for (const r of roles) addresses[`role:${a.name}/${r.name}`] = `Role${cfnIdent(r.name)}`;
  }
  const perOu = new Map<string, number>();
  for (const g of groups.values()) perOu.set(g.ou, (perOu.get(g.ou) ?? 0) + 1);
  const stackSets: StackSetPlan[] = [];
  for (const g of groups.values()) {
    const base = `roles-${slug(g.ou)}`;
    const name = perOu.get(g.ou)! > 1 ? `${base}-${slug(g.accounts[0]!.name)}` : base;
    const template = `stacksets/${name}.template.json`;
    const inSubtree = members.filter((a) => a.ouPath === g.ou || a.ouPath.startsWith(`${g.ou}/`));
    const filtered = inSubtree.length !== g.accounts.length;
    files.set(template, json(g.template));
    stackSets.push({
      name,
      template,
      organizationalUnits: [g.ou],
      accounts: g.accounts.map((a) => a.name),
      accountFilter: filtered ? 'INTERSECTION' : 'NONE',
      parameters: Object.fromEntries(Object.entries(g.params).sort(([x], [y]) => (x < y ? -1 : 1))),
    });
  }
  stackSets.sort((a, b) => (a.name < b.name ? -1 : 1));
  files.set('stacksets.json', `${JSON.stringify({ stackSets }, null, 2)}\n`);

  const readmeInput: CloudFormationReadmeInput = {
    model,
    management: management.name,
    stackSets: stackSets.map((s) => ({
      name: s.name,
      template: s.template,
      ous: s.organizationalUnits,
      accounts: s.accounts,
      filtered: s.accountFilter === 'INTERSECTION',
      parameters: Object.entries(s.parameters).map(([n, account]) => ({ name: n, account })),
    })),
    managementParameters: ['RootId'],
  };
  files.set('README.md', cloudFormationReadme(readmeInput));

  const accounts = Object.fromEntries(
    model.accounts.map((a) => [a.name, adoption.ids.has(a.name) ? { email: a.email, id: adoption.ids.get(a.name)! } : { email: a.email }]),
  );
  const fileList = [...files.keys(), MANIFEST_FILE].sort();
  const manifest: EmitManifest = {
    manifestVersion: 1,
    format: 'cloudformation',
    files: fileList,
    addresses: Object.fromEntries(Object.entries(addresses).sort(([x], [y]) => (x < y ? -1 : 1))),
    accounts,
    moved: [],
  };
  files.set(MANIFEST_FILE, `${JSON.stringify(manifest, null, 2)}\n`);
  return ok({ files: new Map([...files].sort(([x], [y]) => (x < y ? -1 : 1))), manifest }, d);
}

