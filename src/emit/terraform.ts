/**
 * Terraform emitter: the organization model as a Terraform root module (HCL, formatted as `terraform fmt`
 * writes it, AWS provider `~> 5.0`). Pure: returns file contents keyed by relative path.
 *
 * Layout: versions.tf, variables.tf, providers.tf, organization.tf (organization, OUs, accounts),
 * policies.tf (SCPs/RCPs and attachments), iam-<account>.tf (roles and policies of the management account, and in
 * the `provider-aliases` layout of every account), stacksets.tf with stacksets/<name>.template.json (member
 * accounts' roles and policies in the default `stacksets` layout, see terraform-stacksets.ts), identity-center.tf
 * (groups, users, permission sets and assignments, when the identity provider is IAM Identity Center), outputs.tf,
 * imports.tf and moved.tf when needed, README.md, and the emit manifest.
 */
import { error, ok, fail, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import type { Account, PermissionSet, PolicyDocument, PolicyTarget, Role } from '../model/organization.js';
import { ROOT_PATH } from '../model/organization.js';
import { escapeString, h, renderBlocks, fromJson, type HclBodyItem, type HclExpr } from './hcl.js';
import { DEFAULT_REGION } from '../util/aws-defaults.js';
import { sortedMap, sortedRecord } from '../util/order.js';
import { MANIFEST_FILE, computeMoved, impliedAccountRenames, manifestAccounts, manifestText, type EmitManifest, type MovedEntry } from './manifest.js';
import { tfIdent, tfJoin, tfOuIdent } from './names.js';
import { EmitCode, checkClashes, isAwsManaged, prepareModel, type PreparedIdentityCenter, type PreparedModel, type PreparedOrgPolicy } from './prepare.js';
import { splitAccountRefs } from './refs.js';
import { terraformReadme } from './readme.js';
import { memberStackSets } from './cloudformation.js';
import { stackSetsFiles, type StackSetsOutput } from './terraform-stacksets.js';

/**
 * How the Terraform output deploys member accounts' IAM: `stacksets` (default) from the one root module through
 * service-managed CloudFormation StackSets, one AWS provider in all; `provider-aliases` as Terraform resources
 * through one provider alias per member account (one provider process each: for small organizations only).
 */
export type TerraformLayout = 'stacksets' | 'provider-aliases';

/** The layouts, for option parsing. */
export const TERRAFORM_LAYOUTS: readonly TerraformLayout[] = ['stacksets', 'provider-aliases'];

/** Options shared by both emitters. */
export interface EmitOptions {
  /** Id (`o-…`) of an existing organization to adopt: the Terraform output imports it. */
  readonly organizationId?: string;
  /** Ids of existing accounts to adopt, by account name (ids in the model are used too). */
  readonly accountIds?: Readonly<Record<string, string>>;
  /** Role the management account assumes in member accounts; default: the model's `accessRoleName`. */
  readonly accessRoleName?: string;
  /** Manifest of the previous emission into the same directory, to write `moved` blocks for renamed objects. */
  readonly previous?: EmitManifest;
  /** Explicit renames since the previous emission: account old name → new name. */
  readonly renamedAccounts?: Readonly<Record<string, string>>;
  /** Explicit renames since the previous emission: OU old path → new path (children follow). */
  readonly renamedOus?: Readonly<Record<string, string>>;
  /** Terraform only: how member accounts' IAM is deployed (default `stacksets`). */
  readonly terraformLayout?: TerraformLayout;
}

/** What an emitter returns on success: files by relative path, and the manifest it also wrote into them. */
export interface EmitOutput {
  readonly files: ReadonlyMap<string, string>;
  readonly manifest: EmitManifest;
}

const ORG = 'aws_organizations_organization.this';
/** The provider alias for IAM Identity Center (management account, home region). */
const IDENTITY_PROVIDER = 'identity_center';
const ROOT_ID = `${ORG}.roots[0].id`;

/** Checks adoption ids given in options or the model. */
export function checkAdoption(prepared: PreparedModel, options: EmitOptions): { ids: Map<string, string>; diagnostics: Diagnostic[] } {
  const d: Diagnostic[] = [];
  const ids = new Map<string, string>();
  const names = new Set(prepared.model.accounts.map((a) => a.name));
  for (const a of prepared.model.accounts) if (a.id !== undefined) ids.set(a.name, a.id);
  for (const [name, id] of Object.entries(options.accountIds ?? {})) {
    if (!names.has(name)) {
      d.push(error(EmitCode.UnknownAccount, `adoption id given for account \`${name}\`, which is not in the model; use one of: ${[...names].join(', ')}`, `accountIds.${name}`));
    } else ids.set(name, id);
  }
  for (const [name, id] of ids) {
    if (!/^\d{12}$/.test(id)) d.push(error(EmitCode.InvalidAdoptionId, `account id \`${id}\` of \`${name}\` is not 12 digits; give the id shown in the Organizations console`, `accountIds.${name}`));
  }
  // IAM role names: 1–64 of letters, digits and `+=,.@_-` (IAM User Guide, "IAM object quotas and names").
  if (options.accessRoleName !== undefined && !/^[\w+=,.@-]{1,64}$/.test(options.accessRoleName)) {
    d.push(error(EmitCode.InvalidRoleName, `access role name \`${options.accessRoleName}\` is not a valid IAM role name; use 1–64 letters, digits and +=,.@_-`, 'accessRoleName'));
  }
  if (options.organizationId !== undefined && !/^o-[a-z0-9]{10,32}$/.test(options.organizationId)) {
    d.push(error(EmitCode.InvalidAdoptionId, `organization id \`${options.organizationId}\` does not look like \`o-\` followed by 10–32 lowercase letters or digits`, 'organizationId'));
  }
  return { ids, diagnostics: d };
}

/** Checks explicit renames: the new names must exist in the model. */
export function checkRenames(prepared: PreparedModel, options: EmitOptions): Diagnostic[] {
  const d: Diagnostic[] = [];
  const names = new Set(prepared.model.accounts.map((a) => a.name));
  const paths = new Set([ROOT_PATH, ...prepared.ous.map((o) => o.path)]);
  for (const [from, to] of Object.entries(options.renamedAccounts ?? {})) {
    if (!names.has(to)) d.push(error(EmitCode.UnknownRename, `rename \`${from}\` → \`${to}\`: there is no account \`${to}\` in the model`, 'renamedAccounts'));
  }
  for (const [from, to] of Object.entries(options.renamedOus ?? {})) {
    if (!paths.has(to)) d.push(error(EmitCode.UnknownRename, `rename \`${from}\` → \`${to}\`: there is no OU \`${to}\` in the model`, 'renamedOus'));
  }
  return d;
}

/**
 * Turns a JSON policy document into `jsonencode(…)`, with account placeholders as references to account ids and
 * `{{organization:id}}` as the id of the organization this root module manages.
 */
function policyExpr(doc: PolicyDocument, accountIdRef: (name: string) => string): HclExpr {
  return h.call(
    'jsonencode',
    fromJson(doc, (s) => {
      const parts = splitAccountRefs(s);
      if (parts.length === 1 && typeof parts[0] === 'string') return h.str(s);
      return h.tpl(...parts.map((p) => (typeof p === 'string' ? p : { ref: 'account' in p ? accountIdRef(p.account) : `${ORG}.id` })));
    }),
  );
}

/** The `tags` attribute, or nothing when there are no tags. */
function tagsAttr(tags: Record<string, string>): HclBodyItem[] {
  const entries = Object.entries(tags);
  return entries.length ? [h.attr('tags', h.obj(entries.map(([k, v]) => [k, h.str(v)] as const)))] : [];
}

/**
 * Everything the per-file functions of the Terraform emitter share: the checked model, the options, the
 * identifiers of accounts and OUs, and the addresses recorded so far (filled while the resource files are built,
 * read by moved.tf and the manifest).
 */
interface TerraformContext {
  readonly prepared: PreparedModel;
  readonly options: EmitOptions;
  /** Adoption ids by account name (from the model and the options). */
  readonly adoptedIds: ReadonlyMap<string, string>;
  /** The role member accounts get and the management account assumes in them. */
  readonly accessRole: string;
  readonly accountIdent: ReadonlyMap<string, string>;
  readonly ouIdent: ReadonlyMap<string, string>;
  /** Model identity (`account:<name>`, `ou:<path>`, `role:<account>/<name>`, …) → Terraform address. */
  readonly addresses: Record<string, string>;
  readonly layout: TerraformLayout;
  /** Accounts whose IAM is Terraform resources here: all in `provider-aliases`, the management account in `stacksets`. */
  readonly tfIamAccounts: readonly string[];
  /** Account name → the StackSet instance that deploys its IAM (`stacksets` layout). */
  readonly deployedBy: ReadonlyMap<string, string>;
}

/** Emits the Terraform root module for a model. */
export function emitTerraform(modelInput: Parameters<typeof prepareModel>[0], options: EmitOptions = {}): Result<EmitOutput> {
  const preparation = prepareModel(modelInput);
  if (!preparation.ok) return fail(preparation.diagnostics);
  const prepared = preparation.value;
  const adoption = checkAdoption(prepared, options);
  const ctx: TerraformContext = {
    prepared,
    options,
    adoptedIds: adoption.ids,
    accessRole: options.accessRoleName ?? prepared.model.organization.accessRoleName,
    accountIdent: new Map(prepared.model.accounts.map((a) => [a.name, tfIdent(a.name)])),
    ouIdent: new Map(prepared.ous.map((o) => [o.path, tfOuIdent(o.path)])),
    addresses: {},
    layout: options.terraformLayout ?? 'stacksets',
    tfIamAccounts: (options.terraformLayout ?? 'stacksets') === 'stacksets' ? prepared.iamAccounts.filter((a) => a === prepared.management.name) : prepared.iamAccounts,
    deployedBy: new Map(),
  };
  const d: Diagnostic[] = [...preparation.diagnostics, ...adoption.diagnostics, ...checkRenames(prepared, options), ...checkTerraformClashes(ctx)];
  if (d.some((x) => x.severity === 'error')) return fail(d);

  const files = new Map<string, string>();
  files.set('versions.tf', versionsTf());
  files.set('variables.tf', variablesTf(ctx));
  files.set('providers.tf', providersTf(ctx));
  files.set('organization.tf', organizationTf(ctx));
  const policies = policiesTf(ctx);
  if (policies !== undefined) files.set('policies.tf', policies);
  for (const [path, text] of iamFiles(ctx)) files.set(path, text);
  if (ctx.layout === 'stacksets') for (const [path, text] of stackSets(ctx).files) files.set(path, text);
  const identity = identityCenterTf(ctx);
  if (identity !== undefined) files.set('identity-center.tf', identity);
  files.set('outputs.tf', outputsTf(ctx));
  const imports = importsTf(ctx);
  if (imports !== undefined) files.set('imports.tf', imports);
  const moved = movedEntries(ctx);
  if (moved.length) files.set('moved.tf', movedTf(moved));
  const { model, management, members } = prepared;
  files.set(
    'README.md',
    terraformReadme({ model, management: management.name, members, accessRole: ctx.accessRole, adopted: imports !== undefined, moved: moved.length, identityCenter: prepared.identityCenter, layout: ctx.layout }),
  );
  const manifest = terraformManifest(ctx, files, moved);
  files.set(MANIFEST_FILE, manifestText(manifest));
  return ok({ files: sortedMap(files), manifest }, d);
}

/** Two model names that would become one Terraform address: accounts, OUs, organization policies, roles and policies per account. */
function checkTerraformClashes(ctx: TerraformContext): Diagnostic[] {
  const { prepared, accountIdent, ouIdent } = ctx;
  const d: Diagnostic[] = [
    ...checkClashes('account', prepared.model.accounts.map((a, i) => ({ name: a.name, ident: accountIdent.get(a.name)!, path: `accounts[${i}].name` }))),
    ...checkClashes('OU', prepared.ous.map((o) => ({ name: o.path, ident: ouIdent.get(o.path)!, path: 'organizationalUnits' }))),
    ...checkClashes('organization policy', prepared.orgPolicies.map((p) => ({ name: p.policy.name, ident: tfIdent(p.policy.name), path: 'serviceControlPolicies' }))),
  ];
  for (const acct of ctx.tfIamAccounts) {
    d.push(...checkClashes(`role in \`${acct}\``, (prepared.rolesByAccount.get(acct) ?? []).map((r) => ({ name: r.name, ident: tfIdent(r.name), path: 'roles' }))));
    d.push(...checkClashes(`policy in \`${acct}\``, (prepared.managedPoliciesByAccount.get(acct) ?? []).map((p) => ({ name: p.name, ident: tfIdent(p.name), path: 'roles' }))));
  }
  const ic = prepared.identityCenter;
  if (ic) {
    d.push(...checkClashes('identity group', ic.groups.map((g) => ({ name: g.name, ident: tfIdent(g.name), path: 'identity.groups' }))));
    d.push(...checkClashes('identity user', ic.users.map((u) => ({ name: u.name, ident: tfIdent(u.name), path: 'identity.users' }))));
    d.push(...checkClashes('permission set', ic.permissionSets.map((p) => ({ name: p.name, ident: tfIdent(p.name), path: 'identity.permissionSets' }))));
  }
  return d;
}

/** Records the address of a model object (for moved blocks and the manifest) and returns it. */
function record(ctx: TerraformContext, identity: string, address: string): string {
  ctx.addresses[identity] = address;
  return address;
}

/** The address of a member account's resource. */
function accountAddr(ctx: TerraformContext, name: string): string {
  return `aws_organizations_account.${ctx.accountIdent.get(name)!}`;
}

/** An expression for an account's id: the organization's master account id for the management account. */
function accountIdRef(ctx: TerraformContext, name: string): string {
  return name === ctx.prepared.management.name ? `${ORG}.master_account_id` : `${accountAddr(ctx, name)}.id`;
}

/** An expression for an OU's id (the root's for `Root`). */
function ouIdRef(ctx: TerraformContext, path: string): string {
  return path === ROOT_PATH ? ROOT_ID : `aws_organizations_organizational_unit.${ctx.ouIdent.get(path)!}.id`;
}

/** versions.tf: the Terraform and provider versions. */
function versionsTf(): string {
  return renderBlocks([
    h.block('terraform', [], [
      h.attr('required_version', h.str('>= 1.5.0')),
      h.blank(),
      h.block('required_providers', [], [h.attr('aws', h.obj([['source', h.str('hashicorp/aws')], ['version', h.str('~> 5.0')]]))]),
    ]),
  ]);
}

/** variables.tf: only what differs per installation. */
function variablesTf(ctx: TerraformContext): string {
  return renderBlocks([
    h.block('variable', ['region'], [
      h.attr('description', h.str('Region for the AWS provider (Organizations and IAM are global; this is where API calls go).')),
      h.attr('type', h.raw('string')),
      h.attr('default', h.str(ctx.prepared.model.organization.regions[0] ?? DEFAULT_REGION)),
    ]),
    h.block('variable', ['access_role_name'], [
      h.attr('description', h.str('Role that new member accounts get and that the management account assumes to manage IAM in them.')),
      h.attr('type', h.raw('string')),
      h.attr('default', h.str(ctx.accessRole)),
    ]),
    ...identityCenterVariables(ctx.prepared.identityCenter),
  ]);
}

/**
 * The Identity Center variables: its home region, and what the spec does not hold about each user. The identity
 * store needs a user name, a display name and a given and family name (`aws_identitystore_user`; "CreateUser",
 * Identity Store API Reference, https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_CreateUser.html:
 * DisplayName "is required" when used in IAM Identity Center); the spec names people only, so the rest is a
 * variable without a default that must list every member.
 */
function identityCenterVariables(ic: PreparedIdentityCenter | undefined): HclBodyItem[] {
  if (!ic) return [];
  const names = ic.users.map((u) => u.name);
  return [
    h.block('variable', ['identity_center_region'], [
      h.attr('description', h.str('Home region of the IAM Identity Center instance (enabled by hand in the management account).')),
      h.attr('type', h.raw('string')),
      h.attr('default', h.str(ic.homeRegion)),
    ]),
    h.block('variable', ['identity_center_users'], [
      h.attr(
        'description',
        h.str('PLACEHOLDER to fill in (e.g. in terraform.tfvars): what the spec does not say about each Identity Center user, by user name: display name, given and family name, email.'),
      ),
      h.attr('type', h.raw('map(object({ display_name = string, given_name = string, family_name = string, email = string }))')),
      h.blank(),
      h.block('validation', [], [
        h.attr('condition', h.raw(`alltrue([for u in ${hclList(names)} : contains(keys(var.identity_center_users), u)])`)),
        h.attr('error_message', h.str(`Give display_name, given_name, family_name and email for every user: ${names.join(', ')}.`)),
      ]),
    ]),
  ];
}

/** A list of string literals as HCL source (for raw expressions). */
function hclList(items: readonly string[]): string {
  return `[${items.map(hclStringLiteral).join(', ')}]`;
}

/** A string literal as HCL source. */
function hclStringLiteral(s: string): string {
  return `"${escapeString(s)}"`;
}

/** providers.tf: the default provider runs as the management account; one alias per member account with IAM content. */
function providersTf(ctx: TerraformContext): string {
  const { prepared } = ctx;
  const iamAccounts = ctx.tfIamAccounts.filter((a) => a !== prepared.management.name);
  const blocks: HclBodyItem[] = [h.block('provider', ['aws'], [h.attr('region', h.raw('var.region'))]), h.block('data', ['aws_partition', 'current'], [])];
  if (prepared.identityCenter) {
    blocks.push(
      h.comment('IAM Identity Center: the management account (or its delegated administrator) in the instance\'s home region.'),
      h.block('provider', ['aws'], [h.attr('alias', h.str(IDENTITY_PROVIDER)), h.attr('region', h.raw('var.identity_center_region'))]),
    );
  }
  for (const acct of iamAccounts) {
    blocks.push(
      h.block('provider', ['aws'], [
        h.attr('alias', h.str(ctx.accountIdent.get(acct)!)),
        h.attr('region', h.raw('var.region')),
        h.blank(),
        h.block('assume_role', [], [
          h.attr(
            'role_arn',
            h.tpl('arn:', { ref: 'data.aws_partition.current.partition' }, ':iam::', { ref: accountIdRef(ctx, acct) }, ':role/', { ref: 'var.access_role_name' }),
          ),
        ]),
      ]),
    );
  }
  return renderBlocks(blocks);
}

/** organization.tf: the organization, the OUs (parents first) and the member accounts. */
function organizationTf(ctx: TerraformContext): string {
  const blocks: HclBodyItem[] = [
    h.block('resource', ['aws_organizations_organization', 'this'], [
      h.attr('feature_set', h.str('ALL')),
      h.attr('enabled_policy_types', h.list(ctx.prepared.policyTypes.map(h.str))),
      h.blank(),
      h.block('lifecycle', [], [
        h.attr('prevent_destroy', h.bool(true)),
        h.comment('Service access is often enabled by other tools (IAM Identity Center, Config); do not undo it.'),
        h.attr('ignore_changes', h.list([h.raw('aws_service_access_principals')])),
      ]),
    ]),
  ];
  record(ctx, 'organization', ORG);
  for (const o of ctx.prepared.ous) {
    const addr = record(ctx, `ou:${o.path}`, `aws_organizations_organizational_unit.${ctx.ouIdent.get(o.path)!}`);
    blocks.push(
      h.block('resource', addr.split('.') as [string, string], [h.attr('name', h.str(o.name)), h.attr('parent_id', h.raw(ouIdRef(ctx, o.parent))), ...tagsAttr(o.tags)]),
    );
  }
  for (const a of ctx.prepared.members) blocks.push(accountBlock(ctx, a));
  return renderBlocks(blocks);
}

/** The resource of one member account. */
function accountBlock(ctx: TerraformContext, a: Account): HclBodyItem {
  const addr = record(ctx, `account:${a.name}`, accountAddr(ctx, a.name));
  return h.block('resource', addr.split('.') as [string, string], [
    h.attr('name', h.str(a.name)),
    h.attr('email', h.str(a.email)),
    h.attr('parent_id', h.raw(ouIdRef(ctx, a.ouPath))),
    h.attr('role_name', h.raw('var.access_role_name')),
    h.attr('close_on_deletion', h.bool(false)),
    ...tagsAttr(a.tags),
    h.blank(),
    h.block('lifecycle', [], [
      h.comment('An account is not disposable: removing it from this file must not close it.'),
      h.attr('prevent_destroy', h.bool(true)),
      h.comment('The API does not return these after creation (or after import).'),
      h.attr('ignore_changes', h.list([h.raw('role_name'), h.raw('iam_user_access_to_billing')])),
    ]),
  ]);
}

/** policies.tf: SCPs and RCPs with their attachments; undefined when there are none. */
function policiesTf(ctx: TerraformContext): string | undefined {
  const blocks: HclBodyItem[] = [];
  for (const p of ctx.prepared.orgPolicies) blocks.push(...orgPolicyBlocks(ctx, p));
  return blocks.length ? renderBlocks(blocks) : undefined;
}

/** One organization policy and its attachments. */
function orgPolicyBlocks(ctx: TerraformContext, { type, policy }: PreparedOrgPolicy): HclBodyItem[] {
  const id = tfIdent(policy.name);
  const addr = record(ctx, `${type === 'SERVICE_CONTROL_POLICY' ? 'scp' : 'rcp'}:${policy.name}`, `aws_organizations_policy.${id}`);
  const blocks: HclBodyItem[] = [
    h.block('resource', ['aws_organizations_policy', id], [
      h.attr('name', h.str(policy.name)),
      ...(policy.description ? [h.attr('description', h.str(policy.description))] : []),
      h.attr('type', h.str(type)),
      h.attr('content', policyExpr(policy.document, (n) => accountIdRef(ctx, n))),
      // Attachments need the policy type enabled on the root first.
      h.blank(),
      h.attr('depends_on', h.list([h.raw(ORG)])),
    ]),
  ];
  for (const t of policy.targets) {
    const aid = tfJoin(id, targetIdent(ctx, t));
    record(ctx, `org-attachment:${policy.name}@${'ou' in t ? `ou:${t.ou}` : `account:${t.account}`}`, `aws_organizations_policy_attachment.${aid}`);
    blocks.push(
      h.block('resource', ['aws_organizations_policy_attachment', aid], [
        h.attr('policy_id', h.raw(`${addr}.id`)),
        h.attr('target_id', h.raw('ou' in t ? ouIdRef(ctx, t.ou) : accountIdRef(ctx, t.account))),
      ]),
    );
  }
  return blocks;
}

/** The identifier part that names a policy target in an attachment's address. */
function targetIdent(ctx: TerraformContext, t: PolicyTarget): string {
  return 'ou' in t ? (t.ou === ROOT_PATH ? 'root' : `ou_${ctx.ouIdent.get(t.ou)!}`) : `account_${ctx.accountIdent.get(t.account)!}`;
}

/** iam-<account>.tf for every account with roles: its customer managed policies, roles and their policies. */
function iamFiles(ctx: TerraformContext): Map<string, string> {
  const files = new Map<string, string>();
  for (const acct of ctx.tfIamAccounts) {
    const roles = ctx.prepared.rolesByAccount.get(acct) ?? [];
    const aid = ctx.accountIdent.get(acct)!;
    const provider: HclBodyItem[] = acct === ctx.prepared.management.name ? [] : [h.attr('provider', h.raw(`aws.${aid}`))];
    const blocks: HclBodyItem[] = [];
    const policyAddr = new Map<string, string>();
    for (const p of ctx.prepared.managedPoliciesByAccount.get(acct) ?? []) {
      const id = tfJoin(aid, tfIdent(p.name));
      policyAddr.set(p.name, record(ctx, `iam-policy:${acct}/${p.name}`, `aws_iam_policy.${id}`));
      blocks.push(
        h.block('resource', ['aws_iam_policy', id], [
          ...provider,
          h.attr('name', h.str(p.name)),
          h.attr('policy', policyExpr(p.document, (n) => accountIdRef(ctx, n))),
        ]),
      );
    }
    for (const r of roles) blocks.push(...roleBlocks(ctx, r, aid, provider, policyAddr));
    files.set(`iam-${tfIdent(acct).replace(/_/g, '-')}.tf`, renderBlocks(blocks));
  }
  return files;
}

/**
 * identity-center.tf: the instance (looked up; enabled by hand), groups, their member users and memberships,
 * permission sets with their customer managed policy references and inline policy, and the group assignments.
 * Undefined when the identity provider is not IAM Identity Center.
 */
function identityCenterTf(ctx: TerraformContext): string | undefined {
  const ic = ctx.prepared.identityCenter;
  if (!ic) return undefined;
  const provider = h.attr('provider', h.raw(`aws.${IDENTITY_PROVIDER}`));
  const instances = 'data.aws_ssoadmin_instances.this';
  const store = h.raw('local.identity_store_id');
  const instance = h.raw('local.identity_center_instance_arn');
  const blocks: HclBodyItem[] = [
    h.comment('IAM Identity Center is enabled by hand (console or `aws sso-admin create-instance`); this configuration only looks it up.'),
    h.block('data', ['aws_ssoadmin_instances', 'this'], [provider]),
    h.block('locals', [], [
      h.attr('identity_center_instance_arn', h.call('one', h.raw(`${instances}.arns`))),
      h.attr('identity_store_id', h.call('one', h.raw(`${instances}.identity_store_ids`))),
    ]),
  ];
  for (const g of ic.groups) {
    const addr = record(ctx, `identity-group:${g.name}`, `aws_identitystore_group.${tfIdent(g.name)}`);
    blocks.push(
      h.block('resource', addr.split('.') as [string, string], [
        provider,
        h.attr('identity_store_id', store),
        h.attr('display_name', h.str(g.name)),
        ...(g.description ? [h.attr('description', h.str(g.description))] : []),
      ]),
    );
  }
  for (const u of ic.users) blocks.push(identityUserBlock(ctx, u.name, provider));
  for (const g of ic.groups) {
    for (const m of g.members) {
      const id = tfJoin(tfIdent(g.name), tfIdent(m));
      record(ctx, `identity-membership:${g.name}/${m}`, `aws_identitystore_group_membership.${id}`);
      blocks.push(
        h.block('resource', ['aws_identitystore_group_membership', id], [
          provider,
          h.attr('identity_store_id', store),
          h.attr('group_id', h.raw(`aws_identitystore_group.${tfIdent(g.name)}.group_id`)),
          h.attr('member_id', h.raw(`aws_identitystore_user.${tfIdent(m)}.user_id`)),
        ]),
      );
    }
  }
  for (const p of ic.permissionSets) blocks.push(...permissionSetBlocks(ctx, p, provider, instance));
  for (const a of ic.assignments) blocks.push(assignmentBlock(ctx, a, provider, instance));
  return renderBlocks(blocks);
}

/** One identity store user; what the spec does not say comes from `var.identity_center_users`. */
function identityUserBlock(ctx: TerraformContext, name: string, provider: HclBodyItem): HclBodyItem {
  const addr = record(ctx, `identity-user:${name}`, `aws_identitystore_user.${tfIdent(name)}`);
  const v = (field: string) => h.raw(`var.identity_center_users[${hclStringLiteral(name)}].${field}`);
  return h.block('resource', addr.split('.') as [string, string], [
    provider,
    h.attr('identity_store_id', h.raw('local.identity_store_id')),
    h.attr('user_name', h.str(name)),
    h.attr('display_name', v('display_name')),
    h.blank(),
    h.block('name', [], [h.attr('given_name', v('given_name')), h.attr('family_name', v('family_name'))]),
    h.blank(),
    h.block('emails', [], [h.attr('value', v('email')), h.attr('primary', h.bool(true))]),
  ]);
}

/** A permission set, its policy references (customer or AWS managed) and its inline policy. */
function permissionSetBlocks(ctx: TerraformContext, p: PermissionSet, provider: HclBodyItem, instance: HclExpr): HclBodyItem[] {
  const id = tfIdent(p.name);
  const addr = record(ctx, `permission-set:${p.name}`, `aws_ssoadmin_permission_set.${id}`);
  const common = [provider, h.attr('instance_arn', instance), h.attr('permission_set_arn', h.raw(`${addr}.arn`))];
  const out: HclBodyItem[] = [
    h.block('resource', ['aws_ssoadmin_permission_set', id], [
      provider,
      h.attr('name', h.str(p.name)),
      ...(p.description ? [h.attr('description', h.str(p.description))] : []),
      h.attr('instance_arn', instance),
      h.attr('session_duration', h.str(p.sessionDuration)),
      ...tagsAttr(p.tags),
    ]),
  ];
  for (const pol of p.policies) {
    const pid = tfJoin(id, tfIdent(pol.name));
    if (pol.kind === 'inline') {
      record(ctx, `permission-set-inline:${p.name}`, `aws_ssoadmin_permission_set_inline_policy.${id}`);
      out.push(h.block('resource', ['aws_ssoadmin_permission_set_inline_policy', id], [...common, h.attr('inline_policy', policyExpr(pol.document, (n) => accountIdRef(ctx, n)))]));
    } else if (isAwsManaged(pol)) {
      record(ctx, `permission-set-policy:${p.name}/${pol.name}`, `aws_ssoadmin_managed_policy_attachment.${pid}`);
      out.push(h.block('resource', ['aws_ssoadmin_managed_policy_attachment', pid], [...common, h.attr('managed_policy_arn', h.str(pol.arn!))]));
    } else {
      record(ctx, `permission-set-policy:${p.name}/${pol.name}`, `aws_ssoadmin_customer_managed_policy_attachment.${pid}`);
      out.push(
        h.block('resource', ['aws_ssoadmin_customer_managed_policy_attachment', pid], [
          ...common,
          h.blank(),
          h.comment('Created in every account the set is assigned to (iam-<account>.tf).'),
          h.block('customer_managed_policy_reference', [], [h.attr('name', h.str(pol.name)), h.attr('path', h.str('/'))]),
        ]),
      );
    }
  }
  return out;
}

/**
 * A group's assignment to an account through a permission set. It waits for the set's policies, and for the
 * customer managed policies in that account: AWS fails the assignment when a referenced policy does not exist there.
 */
function assignmentBlock(ctx: TerraformContext, a: PreparedIdentityCenter['assignments'][number], provider: HclBodyItem, instance: HclExpr): HclBodyItem {
  const set = ctx.prepared.identityCenter!.permissionSets.find((p) => p.name === a.permissionSet)!;
  const id = tfJoin(tfIdent(a.permissionSet), tfIdent(a.group), ctx.accountIdent.get(a.account)!);
  record(ctx, `assignment:${a.account}/${a.permissionSet}/${a.group}`, `aws_ssoadmin_account_assignment.${id}`);
  const waits = set.policies.flatMap((pol) => {
    const own = ctx.addresses[pol.kind === 'inline' ? `permission-set-inline:${set.name}` : `permission-set-policy:${set.name}/${pol.name}`];
    const inAccount = pol.kind === 'managed' && !isAwsManaged(pol) ? (ctx.addresses[`iam-policy:${a.account}/${pol.name}`] ?? ctx.deployedBy.get(a.account)) : undefined;
    return [own, inAccount].filter((x): x is string => x !== undefined);
  });
  return h.block('resource', ['aws_ssoadmin_account_assignment', id], [
    provider,
    h.attr('instance_arn', instance),
    h.attr('permission_set_arn', h.raw(`aws_ssoadmin_permission_set.${tfIdent(set.name)}.arn`)),
    h.attr('principal_type', h.str('GROUP')),
    h.attr('principal_id', h.raw(`aws_identitystore_group.${tfIdent(a.group)}.group_id`)),
    h.attr('target_type', h.str('AWS_ACCOUNT')),
    h.attr('target_id', h.raw(accountIdRef(ctx, a.account))),
    ...(waits.length ? [h.blank(), h.attr('depends_on', h.list([...new Set(waits)].sort().map(h.raw)))] : []),
  ]);
}

/** outputs.tf: organization id, root id, account ids by name, OU ids by path. */
function outputsTf(ctx: TerraformContext): string {
  const { model, ous } = ctx.prepared;
  return renderBlocks([
    h.block('output', ['organization_id'], [h.attr('description', h.str('Id of the organization.')), h.attr('value', h.raw(`${ORG}.id`))]),
    h.block('output', ['root_id'], [h.attr('description', h.str('Id of the organization root.')), h.attr('value', h.raw(ROOT_ID))]),
    h.block('output', ['account_ids'], [
      h.attr('description', h.str('Account id by account name (the management account included).')),
      h.attr('value', h.obj(model.accounts.map((a) => [a.name, h.raw(accountIdRef(ctx, a.name))] as const))),
    ]),
    h.block('output', ['organizational_unit_ids'], [
      h.attr('description', h.str('OU id by OU path.')),
      h.attr('value', h.obj([[ROOT_PATH, h.raw(ROOT_ID)] as const, ...ous.map((o) => [o.path, h.raw(ouIdRef(ctx, o.path))] as const)])),
    ]),
  ]);
}

/** imports.tf: adopt an existing organization and accounts; undefined when no ids were given. */
function importsTf(ctx: TerraformContext): string | undefined {
  const imports: HclBodyItem[] = [];
  if (ctx.options.organizationId !== undefined) {
    imports.push(h.block('import', [], [h.attr('to', h.raw(ORG)), h.attr('id', h.str(ctx.options.organizationId))]));
  }
  for (const a of ctx.prepared.members) {
    const id = ctx.adoptedIds.get(a.name);
    if (id !== undefined) imports.push(h.block('import', [], [h.attr('to', h.raw(accountAddr(ctx, a.name))), h.attr('id', h.str(id))]));
  }
  return imports.length ? renderBlocks(imports) : undefined;
}

/**
 * The StackSets of member accounts' IAM (`stacksets` layout): the CloudFormation output's member templates, with
 * their addresses recorded and each account's deploying instance noted for the Identity Center assignments.
 */
function stackSets(ctx: TerraformContext): StackSetsOutput {
  const sets = memberStackSets(ctx.prepared, ctx.accessRole);
  const out = stackSetsFiles(sets, {
    accountId: (n) => accountIdRef(ctx, n),
    ouId: (p) => ouIdRef(ctx, p),
    accountAddress: (n) => accountAddr(ctx, n),
  });
  for (const [identity, address] of out.addresses) record(ctx, identity, address);
  for (const [account, address] of out.deployedBy) (ctx.deployedBy as Map<string, string>).set(account, address);
  return out;
}

/** The moved blocks for renames since the previous emission (needs every address recorded). */
function movedEntries(ctx: TerraformContext): MovedEntry[] {
  const { model } = ctx.prepared;
  const { previous, renamedAccounts, renamedOus } = ctx.options;
  const accountRenames = new Map([
    ...impliedAccountRenames(previous, model.accounts.map((a) => ({ name: a.name, email: a.email, ...(ctx.adoptedIds.has(a.name) ? { id: ctx.adoptedIds.get(a.name)! } : {}) }))),
    ...Object.entries(renamedAccounts ?? {}),
  ]);
  return computeMoved(previous, ctx.addresses, accountRenames, new Map(Object.entries(renamedOus ?? {})));
}

/** moved.tf: the moved blocks, after a comment saying why they are there. */
function movedTf(moved: readonly MovedEntry[]): string {
  return renderBlocks([
    h.comment('Written by bulkhead for renamed objects: Terraform moves their state instead of re-creating them.\nKeep these blocks until every workspace using this configuration has applied them.'),
    ...moved.map((m) => h.block('moved', [], [h.attr('from', h.raw(m.from)), h.attr('to', h.raw(m.to))])),
  ]);
}

/** The manifest of this emission: the files written so far plus the manifest itself, the addresses, accounts and moved blocks. */
function terraformManifest(ctx: TerraformContext, files: ReadonlyMap<string, string>, moved: MovedEntry[]): EmitManifest {
  return {
    manifestVersion: 1,
    format: 'terraform',
    files: [...files.keys(), MANIFEST_FILE].sort(),
    addresses: sortedRecord(ctx.addresses),
    accounts: manifestAccounts(ctx.prepared.model.accounts, ctx.adoptedIds),
    moved,
  };
}

/** A role with its inline policies and managed-policy attachments. */
function roleBlocks(ctx: TerraformContext, r: Role, aid: string, provider: HclBodyItem[], policyAddr: ReadonlyMap<string, string>): HclBodyItem[] {
  const idRef = (n: string) => accountIdRef(ctx, n);
  const rid = tfJoin(aid, tfIdent(r.name));
  const roleAddr = record(ctx, `role:${r.account}/${r.name}`, `aws_iam_role.${rid}`);
  const boundary = r.permissionBoundary;
  const boundaryRef = boundary ? (isAwsManaged(boundary) ? h.str(boundary.arn!) : h.raw(`${policyAddr.get(boundary.name)}.arn`)) : undefined;
  const out: HclBodyItem[] = [
    h.block('resource', ['aws_iam_role', rid], [
      ...provider,
      h.attr('name', h.str(r.name)),
      ...(r.path !== '/' ? [h.attr('path', h.str(r.path))] : []),
      ...(r.description ? [h.attr('description', h.str(r.description))] : []),
      h.attr('assume_role_policy', policyExpr(r.trustPolicy, idRef)),
      ...(boundaryRef ? [h.attr('permissions_boundary', boundaryRef)] : []),
      ...tagsAttr(r.tags),
    ]),
  ];
  for (const p of r.policies) {
    const pid = tfJoin(rid, tfIdent(p.name));
    if (p.kind === 'inline') {
      record(ctx, `role-policy:${r.account}/${r.name}/${p.name}`, `aws_iam_role_policy.${pid}`);
      out.push(
        h.block('resource', ['aws_iam_role_policy', pid], [
          ...provider,
          h.attr('name', h.str(p.name)),
          h.attr('role', h.raw(`${roleAddr}.name`)),
          h.attr('policy', policyExpr(p.document, idRef)),
        ]),
      );
    } else {
      record(ctx, `role-attachment:${r.account}/${r.name}/${p.name}`, `aws_iam_role_policy_attachment.${pid}`);
      out.push(
        h.block('resource', ['aws_iam_role_policy_attachment', pid], [
          ...provider,
          h.attr('role', h.raw(`${roleAddr}.name`)),
          h.attr('policy_arn', isAwsManaged(p) ? h.str(p.arn!) : h.raw(`${policyAddr.get(p.name)!}.arn`)),
        ]),
      );
    }
  }
  return out;
}
