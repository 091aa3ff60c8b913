/**
 * Terraform emitter: the organization model as a Terraform root module (HCL, formatted as `terraform fmt`
 * writes it, AWS provider `~> 5.0`). Pure: returns file contents keyed by relative path.
 *
 * Layout: versions.tf, variables.tf, providers.tf, organization.tf (organization, OUs, accounts),
 * policies.tf (SCPs/RCPs and attachments), iam-<account>.tf (roles and policies per account), outputs.tf,
 * imports.tf and moved.tf when needed, README.md, and the emit manifest.
 */
import { error, ok, fail, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import type { PolicyDocument, PolicyTarget, Role } from '../model/organization.js';
import { ROOT_PATH } from '../model/organization.js';
import { h, renderBlocks, fromJson, type HclBodyItem, type HclExpr } from './hcl.js';
import { MANIFEST_FILE, computeMoved, impliedAccountRenames, type EmitManifest } from './manifest.js';
import { tfIdent, tfJoin, tfOuIdent } from './names.js';
import { EmitCode, checkClashes, isAwsManaged, prepareModel, type PreparedModel } from './prepare.js';
import { splitAccountRefs } from './refs.js';
import { terraformReadme } from './readme.js';

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
}

/** What an emitter returns on success: files by relative path, and the manifest it also wrote into them. */
export interface EmitOutput {
  readonly files: ReadonlyMap<string, string>;
  readonly manifest: EmitManifest;
}

const ORG = 'aws_organizations_organization.this';
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

/** Turns a JSON policy document into `jsonencode(…)`, with account placeholders as references to account ids. */
function policyExpr(doc: PolicyDocument, accountIdRef: (name: string) => string): HclExpr {
  return h.call(
    'jsonencode',
    fromJson(doc, (s) => {
      const parts = splitAccountRefs(s);
      if (parts.length === 1 && typeof parts[0] === 'string') return h.str(s);
      return h.tpl(...parts.map((p) => (typeof p === 'string' ? p : { ref: accountIdRef(p.account) })));
    }),
  );
}

function tagsAttr(tags: Record<string, string>): HclBodyItem[] {
  const entries = Object.entries(tags);
  return entries.length ? [h.attr('tags', h.obj(entries.map(([k, v]) => [k, h.str(v)] as const)))] : [];
}

/** Emits the Terraform root module for a model. */
export function emitTerraform(modelInput: Parameters<typeof prepareModel>[0], options: EmitOptions = {}): Result<EmitOutput> {
  const preparation = prepareModel(modelInput);
  if (!preparation.ok) return fail(preparation.diagnostics);
  const { value: prepared, diagnostics } = preparation;
  const { model, management, members, ous, orgPolicies } = prepared;
  const adoption = checkAdoption(prepared, options);
  const d: Diagnostic[] = [...diagnostics, ...adoption.diagnostics, ...checkRenames(prepared, options)];

  const accountIdent = new Map(model.accounts.map((a) => [a.name, tfIdent(a.name)]));
  const ouIdent = new Map(ous.map((o) => [o.path, tfOuIdent(o.path)]));
  d.push(
    ...checkClashes('account', model.accounts.map((a, i) => ({ name: a.name, ident: accountIdent.get(a.name)!, path: `accounts[${i}].name` }))),
    ...checkClashes('OU', ous.map((o) => ({ name: o.path, ident: ouIdent.get(o.path)!, path: 'organizationalUnits' }))),
    ...checkClashes('organization policy', orgPolicies.map((p) => ({ name: p.policy.name, ident: tfIdent(p.policy.name), path: 'serviceControlPolicies' }))),
  );
  for (const [acct, roles] of prepared.rolesByAccount) {
    d.push(...checkClashes(`role in \`${acct}\``, roles.map((r) => ({ name: r.name, ident: tfIdent(r.name), path: 'roles' }))));
    d.push(...checkClashes(`policy in \`${acct}\``, (prepared.managedPoliciesByAccount.get(acct) ?? []).map((p) => ({ name: p.name, ident: tfIdent(p.name), path: 'roles' }))));
  }
  if (d.some((x) => x.severity === 'error')) return fail(d);

  const addresses: Record<string, string> = {};
  const record = (identity: string, address: string) => {
    addresses[identity] = address;
    return address;
  };

  const accountAddr = (name: string) => `aws_organizations_account.${accountIdent.get(name)!}`;
  const accountIdRef = (name: string) => (name === management.name ? `${ORG}.master_account_id` : `${accountAddr(name)}.id`);
  const ouIdRef = (path: string) => (path === ROOT_PATH ? ROOT_ID : `aws_organizations_organizational_unit.${ouIdent.get(path)!}.id`);
  const targetRef = (t: PolicyTarget) => ('ou' in t ? ouIdRef(t.ou) : accountIdRef(t.account));
  const targetIdent = (t: PolicyTarget) =>
    'ou' in t ? (t.ou === ROOT_PATH ? 'root' : `ou_${ouIdent.get(t.ou)!}`) : `account_${accountIdent.get(t.account)!}`;
  const accessRole = options.accessRoleName ?? model.organization.accessRoleName;
  const files = new Map<string, string>();

  // versions.tf
  files.set(
    'versions.tf',
    renderBlocks([
      h.block('terraform', [], [
        h.attr('required_version', h.str('>= 1.5.0')),
        h.blank(),
        h.block('required_providers', [], [h.attr('aws', h.obj([['source', h.str('hashicorp/aws')], ['version', h.str('~> 5.0')]]))]),
      ]),
    ]),
  );

  // variables.tf: only what differs per installation.
  files.set(
    'variables.tf',
    renderBlocks([
      h.block('variable', ['region'], [
        h.attr('description', h.str('Region for the AWS provider (Organizations and IAM are global; this is where API calls go).')),
        h.attr('type', h.raw('string')),
        h.attr('default', h.str(model.organization.regions[0] ?? 'us-east-1')),
      ]),
      h.block('variable', ['access_role_name'], [
        h.attr('description', h.str('Role that new member accounts get and that the management account assumes to manage IAM in them.')),
        h.attr('type', h.raw('string')),
        h.attr('default', h.str(accessRole)),
      ]),
    ]),
  );

  // providers.tf: the default provider runs as the management account; one alias per member account with IAM content.
  const iamAccounts = [...prepared.rolesByAccount.keys()].filter((a) => a !== management.name).sort();
  const providerBlocks: HclBodyItem[] = [
    h.block('provider', ['aws'], [h.attr('region', h.raw('var.region'))]),
    h.block('data', ['aws_partition', 'current'], []),
  ];
  for (const acct of iamAccounts) {
    providerBlocks.push(
      h.block('provider', ['aws'], [
        h.attr('alias', h.str(accountIdent.get(acct)!)),
        h.attr('region', h.raw('var.region')),
        h.blank(),
        h.block('assume_role', [], [
          h.attr(
            'role_arn',
            h.tpl('arn:', { ref: 'data.aws_partition.current.partition' }, ':iam::', { ref: accountIdRef(acct) }, ':role/', { ref: 'var.access_role_name' }),
          ),
        ]),
      ]),
    );
  }
  files.set('providers.tf', renderBlocks(providerBlocks));

  // organization.tf
  const orgBlocks: HclBodyItem[] = [
    h.block('resource', ['aws_organizations_organization', 'this'], [
      h.attr('feature_set', h.str('ALL')),
      h.attr('enabled_policy_types', h.list(prepared.policyTypes.map(h.str))),
      h.blank(),
      h.block('lifecycle', [], [
        h.attr('prevent_destroy', h.bool(true)),
        h.comment('Service access is often enabled by other tools (IAM Identity Center, Config); do not undo it.'),
        h.attr('ignore_changes', h.list([h.raw('aws_service_access_principals')])),
      ]),
    ]),
  ];
  record('organization', ORG);
  for (const o of ous) {
    const addr = record(`ou:${o.path}`, `aws_organizations_organizational_unit.${ouIdent.get(o.path)!}`);
    orgBlocks.push(
      h.block('resource', addr.split('.') as [string, string], [
        h.attr('name', h.str(o.name)),
        h.attr('parent_id', h.raw(ouIdRef(o.parent))),
        ...tagsAttr(o.tags),
      ]),
    );
  }
  for (const a of members) {
    const addr = record(`account:${a.name}`, accountAddr(a.name));
    orgBlocks.push(
      h.block('resource', addr.split('.') as [string, string], [
        h.attr('name', h.str(a.name)),
        h.attr('email', h.str(a.email)),
        h.attr('parent_id', h.raw(ouIdRef(a.ouPath))),
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
      ]),
    );
  }
  files.set('organization.tf', renderBlocks(orgBlocks));

  // policies.tf
  const polBlocks: HclBodyItem[] = [];
  for (const { type, policy } of orgPolicies) {
    const id = tfIdent(policy.name);
    const addr = record(`${type === 'SERVICE_CONTROL_POLICY' ? 'scp' : 'rcp'}:${policy.name}`, `aws_organizations_policy.${id}`);
    polBlocks.push(
      h.block('resource', ['aws_organizations_policy', id], [
        h.attr('name', h.str(policy.name)),
        ...(policy.description ? [h.attr('description', h.str(policy.description))] : []),
        h.attr('type', h.str(type)),
        h.attr('content', policyExpr(policy.document, accountIdRef)),
        // Attachments need the policy type enabled on the root first.
        h.blank(),
        h.attr('depends_on', h.list([h.raw(ORG)])),
      ]),
    );
    for (const t of policy.targets) {
      const aid = tfJoin(id, targetIdent(t));
      record(`org-attachment:${policy.name}@${'ou' in t ? `ou:${t.ou}` : `account:${t.account}`}`, `aws_organizations_policy_attachment.${aid}`);
      polBlocks.push(
        h.block('resource', ['aws_organizations_policy_attachment', aid], [
          h.attr('policy_id', h.raw(`${addr}.id`)),
          h.attr('target_id', h.raw(targetRef(t))),
        ]),
      );
    }
  }
  if (polBlocks.length) files.set('policies.tf', renderBlocks(polBlocks));

  // iam-<account>.tf
  for (const [acct, roles] of [...prepared.rolesByAccount].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const aid = accountIdent.get(acct)!;
    const provider: HclBodyItem[] = acct === management.name ? [] : [h.attr('provider', h.raw(`aws.${aid}`))];
    const blocks: HclBodyItem[] = [];
    const policyAddr = new Map<string, string>();
    for (const p of prepared.managedPoliciesByAccount.get(acct) ?? []) {
      const id = tfJoin(aid, tfIdent(p.name));
      policyAddr.set(p.name, record(`iam-policy:${acct}/${p.name}`, `aws_iam_policy.${id}`));
      blocks.push(
        h.block('resource', ['aws_iam_policy', id], [
          ...provider,
          h.attr('name', h.str(p.name)),
          h.attr('policy', policyExpr(p.document, accountIdRef)),
        ]),
      );
    }
    for (const r of roles) blocks.push(...roleBlocks(r, aid, provider, policyAddr, accountIdRef, record));
    files.set(`iam-${tfIdent(acct).replace(/_/g, '-')}.tf`, renderBlocks(blocks));
  }

  // outputs.tf
  files.set(
    'outputs.tf',
    renderBlocks([
      h.block('output', ['organization_id'], [h.attr('description', h.str('Id of the organization.')), h.attr('value', h.raw(`${ORG}.id`))]),
      h.block('output', ['root_id'], [h.attr('description', h.str('Id of the organization root.')), h.attr('value', h.raw(ROOT_ID))]),
      h.block('output', ['account_ids'], [
        h.attr('description', h.str('Account id by account name (the management account included).')),
        h.attr('value', h.obj(model.accounts.map((a) => [a.name, h.raw(accountIdRef(a.name))] as const))),
      ]),
      h.block('output', ['organizational_unit_ids'], [
        h.attr('description', h.str('OU id by OU path.')),
        h.attr('value', h.obj([[ROOT_PATH, h.raw(ROOT_ID)] as const, ...ous.map((o) => [o.path, h.raw(ouIdRef(o.path))] as const)])),
      ]),
    ]),
  );

  // imports.tf: adopt an existing organization and accounts.
  const imports: HclBodyItem[] = [];
  if (options.organizationId !== undefined) {
    imports.push(h.block('import', [], [h.attr('to', h.raw(ORG)), h.attr('id', h.str(options.organizationId))]));
  }
  for (const a of members) {
    const id = adoption.ids.get(a.name);
    if (id !== undefined) imports.push(h.block('import', [], [h.attr('to', h.raw(accountAddr(a.name))), h.attr('id', h.str(id))]));
  }
  if (imports.length) files.set('imports.tf', renderBlocks(imports));

  // moved.tf: renames since the previous emission.
  const accountRenames = new Map([
    ...impliedAccountRenames(options.previous, model.accounts.map((a) => ({ name: a.name, email: a.email, ...(adoption.ids.has(a.name) ? { id: adoption.ids.get(a.name)! } : {}) }))),
    ...Object.entries(options.renamedAccounts ?? {}),
  ]);
  const moved = computeMoved(options.previous, addresses, accountRenames, new Map(Object.entries(options.renamedOus ?? {})));
  if (moved.length) {
    files.set(
      'moved.tf',
      renderBlocks([
        h.comment('Written by bulkhead for renamed objects: Terraform moves their state instead of re-creating them.\nKeep these blocks until every workspace using this configuration has applied them.'),
        ...moved.map((m) => h.block('moved', [], [h.attr('from', h.raw(m.from)), h.attr('to', h.raw(m.to))])),
      ]),
    );
  }

  files.set('README.md', terraformReadme({ model, management: management.name, members, accessRole, adopted: imports.length > 0, moved: moved.length }));

  const accounts = Object.fromEntries(
    model.accounts.map((a) => [a.name, adoption.ids.has(a.name) ? { email: a.email, id: adoption.ids.get(a.name)! } : { email: a.email }]),
  );
  const fileList = [...files.keys(), MANIFEST_FILE].sort();
  const manifest: EmitManifest = { manifestVersion: 1, format: 'terraform', files: fileList, addresses: sortRecord(addresses), accounts, moved };
  files.set(MANIFEST_FILE, `${JSON.stringify(manifest, null, 2)}\n`);
  return ok({ files: new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1))), manifest }, d);
}

function roleBlocks(
  r: Role,
  aid: string,
  provider: HclBodyItem[],
  policyAddr: ReadonlyMap<string, string>,
  accountIdRef: (name: string) => string,
  record: (identity: string, address: string) => string,
): HclBodyItem[] {
  const rid = tfJoin(aid, tfIdent(r.name));
  const roleAddr = record(`role:${r.account}/${r.name}`, `aws_iam_role.${rid}`);
  const boundary = r.permissionBoundary;
  const boundaryRef = boundary ? (isAwsManaged(boundary) ? h.str(boundary.arn!) : h.raw(`${policyAddr.get(boundary.name)}.arn`)) : undefined;
  const out: HclBodyItem[] = [
    h.block('resource', ['aws_iam_role', rid], [
      ...provider,
      h.attr('name', h.str(r.name)),
      ...(r.path !== '/' ? [h.attr('path', h.str(r.path))] : []),
      ...(r.description ? [h.attr('description', h.str(r.description))] : []),
      h.attr('assume_role_policy', policyExpr(r.trustPolicy, accountIdRef)),
      ...(boundaryRef ? [h.attr('permissions_boundary', boundaryRef)] : []),
      ...tagsAttr(r.tags),
    ]),
  ];
  for (const p of r.policies) {
    const pid = tfJoin(rid, tfIdent(p.name));
    if (p.kind === 'inline') {
      record(`role-policy:${r.account}/${r.name}/${p.name}`, `aws_iam_role_policy.${pid}`);
      out.push(
        h.block('resource', ['aws_iam_role_policy', pid], [
          ...provider,
          h.attr('name', h.str(p.name)),
          h.attr('role', h.raw(`${roleAddr}.name`)),
          h.attr('policy', policyExpr(p.document, accountIdRef)),
        ]),
      );
    } else {
      record(`role-attachment:${r.account}/${r.name}/${p.name}`, `aws_iam_role_policy_attachment.${pid}`);
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

function sortRecord(r: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

