/**
 * The emitters' shared contract, run on every fixture model and every planned example: each account, OU, role,
 * customer managed policy and SCP of the model appears exactly once in the output, AWS managed FullAWSAccess is
 * not re-created, and every reference (Terraform addresses, providers, variables; CloudFormation Ref, GetAtt,
 * Sub variables) resolves to something the output declares.
 */
import { describe, it, expect } from 'vitest';
import type { OrganizationModel, PolicyTarget } from '../model/organization.js';
import { ROOT_PATH } from '../model/organization.js';
import { isIdentityCenterRole } from '../model/query.js';
import { compareStrings } from '../util/order.js';
import { allModels, testSpecModels } from '../../test-support/emit/models.js';
import { referencesIn, scanHcl, stringValue, type ScannedBlock } from '../../test-support/emit/hcl-scan.js';
import { emitTerraform } from './terraform.js';
import { emitCloudFormation } from './cloudformation.js';

const models = [...allModels(), ...testSpecModels()];

function customerPolicies(m: OrganizationModel) {
  return [...m.serviceControlPolicies, ...m.resourceControlPolicies].filter((p) => p.managedBy !== 'aws');
}

function mustOk<T>(r: { ok: true; value: T } | { ok: false; diagnostics: readonly unknown[] }): T {
  if (!r.ok) throw new Error(`emit failed: ${JSON.stringify(r.diagnostics, null, 2)}`);
  return r.value;
}

/**
 * The role check of the terraform contract: every role once, in its own account (through the provider alias that
 * assumes a role there), with each inline policy and attachment once, and each customer managed policy once per
 * account that uses it. `accountAddress` holds the id expression of every account (filled by the account check).
 */
function expectRolesPlaced(model: OrganizationModel, blocks: readonly ScannedBlock[], accountAddress: ReadonlyMap<string, string>): void {
  const resources = (type: string) => blocks.filter((b) => b.type === 'resource' && b.labels[0] === type);
  const addressOf = (b: ScannedBlock) => `${b.labels[0]}.${b.labels[1]}`;
  const mgmt = model.organization.managementAccount;
  const roles = resources('aws_iam_role');
  // the roles IAM Identity Center creates for permission sets are AWS's to create, not the emitter's
  const emitted = model.roles.filter((r) => !isIdentityCenterRole(r));
  expect(roles).toHaveLength(emitted.length);
  for (const r of emitted) {
    const provider = r.account === mgmt ? undefined : expect.stringMatching(/^aws\.[a-z0-9_]+$/);
    const found = roles.filter((b) => stringValue(b.attrs['name']) === r.name);
    const inAccount = found.filter((b) => {
      const alias = b.attrs['provider'];
      if (r.account === mgmt) return alias === undefined;
      const prov = blocks.find((p) => p.type === 'provider' && stringValue(p.attrs['alias']) === alias?.slice(4));
      return prov !== undefined && prov.text.includes(accountAddress.get(r.account)!);
    });
    expect(inAccount, `${r.account}/${r.name}`).toHaveLength(1);
    if (provider) expect(inAccount[0]!.attrs['provider']).toEqual(provider);
    const roleAddr = addressOf(inAccount[0]!);
    for (const p of r.policies) {
      if (p.kind === 'inline') {
        const inl = resources('aws_iam_role_policy').filter((b) => b.attrs['role'] === `${roleAddr}.name` && stringValue(b.attrs['name']) === p.name);
        expect(inl, `${r.name}/${p.name}`).toHaveLength(1);
      } else {
        const att = resources('aws_iam_role_policy_attachment').filter((b) => b.attrs['role'] === `${roleAddr}.name`);
        const target = p.arn?.includes(':iam::aws:policy/')
          ? att.filter((b) => stringValue(b.attrs['policy_arn']) === p.arn)
          : att.filter((b) => {
              const pol = resources('aws_iam_policy').find((x) => `${addressOf(x)}.arn` === b.attrs['policy_arn']);
              return pol !== undefined && stringValue(pol.attrs['name']) === p.name && pol.attrs['provider'] === inAccount[0]!.attrs['provider'];
            });
        expect(target, `${r.account}/${r.name} → ${p.name}`).toHaveLength(1);
      }
    }
  }
  // Each customer managed policy exists once per account that uses it, including the policies a permission set
  // references in the accounts it is assigned to (held by the role Identity Center creates there).
  const perAccount = new Set(
    model.roles.flatMap((r) => r.policies.filter((p) => p.kind === 'managed' && !p.arn?.includes(':iam::aws:policy/')).map((p) => `${r.account}/${p.name}`)),
  );
  expect(resources('aws_iam_policy')).toHaveLength(perAccount.size);
}

/**
 * The role check of the terraform `stacksets` layout: the management account's roles as Terraform resources (as
 * above), no provider alias per account, and every member role in exactly one StackSet template whose instance
 * targets the account's OU (or an ancestor) — listing the account when it filters with INTERSECTION — and whose
 * parameters are all given.
 */
function expectRolesInStackSets(
  model: OrganizationModel,
  files: ReadonlyMap<string, string>,
  blocks: readonly ScannedBlock[],
  accountAddress: ReadonlyMap<string, string>,
  ouAddress: ReadonlyMap<string, string>,
): void {
  const mgmt = model.organization.managementAccount;
  expectRolesPlaced({ ...model, roles: model.roles.filter((r) => r.account === mgmt) }, blocks, accountAddress);
  const aliases = blocks.filter((b) => b.type === 'provider' && b.attrs['alias'] !== undefined && stringValue(b.attrs['alias']) !== 'identity_center');
  expect(aliases, 'provider aliases per account').toHaveLength(0);
  const resources = (type: string) => blocks.filter((b) => b.type === 'resource' && b.labels[0] === type);
  const sets = new Map(resources('aws_cloudformation_stack_set').map((b) => [b.labels[1]!, b] as const));
  const instances = resources('aws_cloudformation_stack_set_instance');
  const templateOf = (set: ScannedBlock) => {
    const file = /stacksets\/[^"]+\.template\.json/.exec(set.attrs['template_body'] ?? '')?.[0];
    expect(file, `${set.labels[1]}: template file`).toBeDefined();
    return JSON.parse(files.get(file!)!) as { Parameters?: Record<string, unknown>; Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
  };
  for (const r of model.roles.filter((x) => !isIdentityCenterRole(x) && x.account !== mgmt)) {
    const ouPath = model.accounts.find((a) => a.name === r.account)!.ouPath;
    const ancestors = [...model.organizationalUnits.map((o) => o.path)].filter((p) => p === ouPath || ouPath.startsWith(`${p}/`));
    const reaching = instances.filter((i) => {
      const target = /organizational_unit_ids = \[([^\]]+)\]/.exec(i.text)?.[1]?.trim();
      if (!ancestors.some((p) => ouAddress.get(p) === target)) return false;
      return !i.text.includes('"INTERSECTION"') || i.text.includes(accountAddress.get(r.account)!);
    });
    const placed = reaching.flatMap((i) => {
      const set = sets.get(i.labels[1]!)!;
      expect(i.attrs['stack_set_name']).toBe(`aws_cloudformation_stack_set.${set.labels[1]}.name`);
      const t = templateOf(set);
      for (const param of Object.keys(t.Parameters ?? {})) expect(set.text.split('\n').some((l) => l.trim().startsWith(`${param} `) && l.includes(' = ')), `${set.labels[1]}: parameter ${param}`).toBe(true);
      return Object.values(t.Resources).filter((x) => x.Type === 'AWS::IAM::Role' && x.Properties['RoleName'] === r.name);
    });
    expect(placed, `${r.account}/${r.name}`).toHaveLength(1);
    expect((placed[0]!.Properties['ManagedPolicyArns'] as unknown[] | undefined)?.length ?? 0).toBe(r.policies.filter((p) => p.kind === 'managed').length);
  }
}

const LAYOUTS = [
  ...models.map((m) => ({ ...m, layout: 'stacksets' as const })),
  ...models.map((m) => ({ ...m, layout: 'provider-aliases' as const })),
];

describe.each(LAYOUTS)('terraform contract ($layout): $name', ({ model, layout }) => {
  const out = mustOk(emitTerraform(model, { terraformLayout: layout }));
  const blocks: ScannedBlock[] = [...out.files].filter(([f]) => f.endsWith('.tf')).flatMap(([f, t]) => scanHcl(f, t));
  const resources = (type: string) => blocks.filter((b) => b.type === 'resource' && b.labels[0] === type);
  const declared = new Set(blocks.filter((b) => b.type === 'resource').map((b) => `${b.labels[0]}.${b.labels[1]}`));
  const addressOf = (b: ScannedBlock) => `${b.labels[0]}.${b.labels[1]}`;
  const mgmt = model.organization.managementAccount;

  const ouAddress = new Map<string, string>([[ROOT_PATH, 'aws_organizations_organization.this.roots[0].id']]);
  const accountAddress = new Map<string, string>([[mgmt, 'aws_organizations_organization.this.master_account_id']]);

  it('declares the organization once, with all features and SCPs enabled', () => {
    const orgs = resources('aws_organizations_organization');
    expect(orgs).toHaveLength(1);
    expect(orgs[0]!.attrs['feature_set']).toBe('"ALL"');
    expect(orgs[0]!.attrs['enabled_policy_types']).toContain('"SERVICE_CONTROL_POLICY"');
  });

  it('has every OU exactly once, under its parent', () => {
    const ous = resources('aws_organizations_organizational_unit');
    const below = model.organizationalUnits.filter((o) => o.path !== ROOT_PATH).sort((a, b) => compareStrings(a.path, b.path));
    expect(ous).toHaveLength(below.length);
    for (const o of below) {
      const parent = o.path.slice(0, o.path.lastIndexOf('/'));
      const leaf = o.path.slice(o.path.lastIndexOf('/') + 1);
      const candidates = ous.filter(
        (b) => stringValue(b.attrs['name']) === leaf && b.attrs['parent_id'] === (ouAddress.get(parent) ?? '<unknown parent>'),
      );
      expect(candidates, o.path).toHaveLength(1);
      ouAddress.set(o.path, `${addressOf(candidates[0]!)}.id`);
    }
  });

  it('has every member account exactly once, in its OU, never closed on deletion', () => {
    const accts = resources('aws_organizations_account');
    expect(accts).toHaveLength(model.accounts.length - 1);
    expect(accts.some((b) => stringValue(b.attrs['name']) === mgmt)).toBe(false);
    for (const a of model.accounts.filter((x) => x.name !== mgmt)) {
      const found = accts.filter((b) => stringValue(b.attrs['name']) === a.name);
      expect(found, a.name).toHaveLength(1);
      const b = found[0]!;
      expect(stringValue(b.attrs['email'])).toBe(a.email);
      expect(b.attrs['parent_id']).toBe(ouAddress.get(a.ouPath));
      expect(b.attrs['close_on_deletion']).toBe('false');
      expect(b.text).toContain('prevent_destroy = true');
      accountAddress.set(a.name, `${addressOf(b)}.id`);
    }
  });

  it('has every customer SCP/RCP once, attached exactly to its targets, and leaves FullAWSAccess to AWS', () => {
    const pols = resources('aws_organizations_policy');
    const expected = customerPolicies(model);
    expect(pols).toHaveLength(expected.length);
    expect(pols.some((b) => stringValue(b.attrs['name']) === 'FullAWSAccess')).toBe(false);
    const attachments = resources('aws_organizations_policy_attachment');
    expect(attachments).toHaveLength(expected.reduce((n, p) => n + p.targets.length, 0));
    const targetRef = (t: PolicyTarget) => ('ou' in t ? ouAddress.get(t.ou) : accountAddress.get(t.account));
    for (const p of expected) {
      const found = pols.filter((b) => stringValue(b.attrs['name']) === p.name);
      expect(found, p.name).toHaveLength(1);
      const mine = attachments.filter((a) => a.attrs['policy_id'] === `${addressOf(found[0]!)}.id`);
      expect(mine.map((a) => a.attrs['target_id']).sort()).toEqual(p.targets.map(targetRef).sort());
    }
  });

  it('has every role once, in its own account, with each policy once per account', () => {
    if (layout === 'stacksets') expectRolesInStackSets(model, out.files, blocks, accountAddress, ouAddress);
    else expectRolesPlaced(model, blocks, accountAddress);
  });

  it('resolves every reference to a declared resource, data source, provider alias or variable', () => {
    const aliases = new Set(blocks.filter((b) => b.type === 'provider').map((b) => stringValue(b.attrs['alias'])).filter((a) => a !== undefined));
    const data = new Set(blocks.filter((b) => b.type === 'data').map((b) => `${b.labels[0]}.${b.labels[1]}`));
    const vars = new Set(blocks.filter((b) => b.type === 'variable').map((b) => b.labels[0]));
    for (const [file, text] of out.files) {
      if (!file.endsWith('.tf')) continue;
      const refs = referencesIn(text);
      for (const r of refs.resources) expect(declared.has(r), `${file}: ${r}`).toBe(true);
      for (const r of refs.data) expect(data.has(r), `${file}: data.${r}`).toBe(true);
      for (const p of refs.providers) expect(aliases.has(p), `${file}: aws.${p}`).toBe(true);
      for (const v of refs.vars) expect(vars.has(v), `${file}: var.${v}`).toBe(true);
    }
    // No placeholder survives: every account reference became a Terraform reference.
    for (const [file, text] of out.files) expect(text.includes('{{account:') || text.includes('{{organization:'), file).toBe(false);
  });

  it('outputs an id for every account', () => {
    const outputs = out.files.get('outputs.tf')!;
    for (const a of model.accounts) expect(outputs).toMatch(new RegExp(`^ +("${a.name}"|${a.name}) += `, 'm'));
  });
});

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every Ref / GetAtt / Sub variable in a template fragment. */
function cfnRefs(v: Json, out: string[] = []): string[] {
  if (Array.isArray(v)) v.forEach((x) => cfnRefs(x, out));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === 'Ref' && typeof x === 'string') out.push(x);
      else if (k === 'Fn::GetAtt' && Array.isArray(x)) out.push(String(x[0]));
      else if (k === 'Fn::Sub' && typeof x === 'string') {
        for (const m of x.matchAll(/\$\{([^!}][^}]*)\}/g)) out.push(m[1]!.split('.')[0]!);
      } else cfnRefs(x, out);
    }
  }
  return out;
}

describe.each(models)('cloudformation contract: $name', ({ model }) => {
  const out = mustOk(emitCloudFormation(model));
  const templates = [...out.files].filter(([f]) => f.endsWith('.template.json')).map(([f, t]) => [f, JSON.parse(t) as { [k: string]: Json }] as const);
  const mgmtT = templates.find(([f]) => f === 'management.template.json')![1];
  const res = (t: { [k: string]: Json }, type: string) =>
    Object.entries((t['Resources'] ?? {}) as Record<string, { Type: string; Properties: Record<string, Json> }>).filter(([, r]) => r.Type === type);
  const mgmt = model.organization.managementAccount;
  const plan = JSON.parse(out.files.get('stacksets.json')!) as { stackSets: { template: string; accounts: string[]; organizationalUnits: string[]; parameters: Record<string, string> }[] };

  it('has every OU and member account exactly once in the management template, in the right parent', () => {
    const ous = res(mgmtT, 'AWS::Organizations::OrganizationalUnit');
    expect(ous).toHaveLength(model.organizationalUnits.filter((o) => o.path !== ROOT_PATH).length);
    const ouId = new Map<string, string>();
    for (const o of [...model.organizationalUnits].filter((x) => x.path !== ROOT_PATH).sort((a, b) => (a.path < b.path ? -1 : 1))) {
      const parent = o.path.slice(0, o.path.lastIndexOf('/'));
      const parentRef = parent === ROOT_PATH ? 'RootId' : ouId.get(parent);
      const found = ous.filter(([, r]) => r.Properties['Name'] === o.path.slice(parent.length + 1) && (r.Properties['ParentId'] as { Ref: string }).Ref === parentRef);
      expect(found, o.path).toHaveLength(1);
      ouId.set(o.path, found[0]![0]);
    }
    const accts = res(mgmtT, 'AWS::Organizations::Account');
    expect(accts).toHaveLength(model.accounts.length - 1);
    for (const a of model.accounts.filter((x) => x.name !== mgmt)) {
      const found = accts.filter(([, r]) => r.Properties['AccountName'] === a.name);
      expect(found, a.name).toHaveLength(1);
      expect(found[0]![1].Properties['Email']).toBe(a.email);
      expect(found[0]![1].Properties['ParentIds']).toEqual([{ Ref: a.ouPath === ROOT_PATH ? 'RootId' : ouId.get(a.ouPath) }]);
      expect((found[0]![1] as unknown as { DeletionPolicy: string }).DeletionPolicy).toBe('Retain');
    }
  });

  it('has every customer SCP/RCP once with exactly its targets, and no FullAWSAccess', () => {
    const pols = res(mgmtT, 'AWS::Organizations::Policy');
    const expected = customerPolicies(model);
    expect(pols).toHaveLength(expected.length);
    for (const p of expected) {
      const found = pols.filter(([, r]) => r.Properties['Name'] === p.name);
      expect(found, p.name).toHaveLength(1);
      expect((found[0]![1].Properties['TargetIds'] as Json[] | undefined)?.length ?? 0).toBe(p.targets.length);
    }
  });

  it('places every role exactly once: management roles in the management template, member roles in one StackSet', () => {
    for (const r of model.roles.filter((x) => !isIdentityCenterRole(x))) {
      if (r.account === mgmt) {
        expect(res(mgmtT, 'AWS::IAM::Role').filter(([, x]) => x.Properties['RoleName'] === r.name), r.name).toHaveLength(1);
        continue;
      }
      const sets = plan.stackSets.filter((s) => s.accounts.includes(r.account));
      expect(sets, r.account).toHaveLength(1);
      const t = templates.find(([f]) => f === sets[0]!.template)![1];
      const roles = res(t, 'AWS::IAM::Role').filter(([, x]) => x.Properties['RoleName'] === r.name);
      expect(roles, `${r.account}/${r.name}`).toHaveLength(1);
      const arns = (roles[0]![1].Properties['ManagedPolicyArns'] ?? []) as Json[];
      expect(arns).toHaveLength(r.policies.filter((p) => p.kind === 'managed').length);
      expect(sets[0]!.organizationalUnits).toContain(model.accounts.find((a) => a.name === r.account)!.ouPath);
    }
    const covered = plan.stackSets.flatMap((s) => s.accounts);
    expect(new Set(covered).size).toBe(covered.length);
  });

  it('resolves every Ref, GetAtt and Sub variable', () => {
    for (const [file, t] of templates) {
      const known = new Set([
        ...Object.keys((t['Resources'] ?? {}) as object),
        ...Object.keys((t['Parameters'] ?? {}) as object),
        'AWS::AccountId',
        'AWS::Partition',
        'AWS::Region',
      ]);
      for (const ref of cfnRefs(t)) expect(known.has(ref), `${file}: ${ref}`).toBe(true);
      expect(JSON.stringify(t).includes('{{account:') || JSON.stringify(t).includes('{{organization:'), file).toBe(false);
    }
    for (const s of plan.stackSets) {
      const t = templates.find(([f]) => f === s.template)![1];
      expect(Object.keys(s.parameters).sort()).toEqual(Object.keys((t['Parameters'] ?? {}) as object).sort());
    }
  });
});
