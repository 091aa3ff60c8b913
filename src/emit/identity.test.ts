/**
 * IAM Identity Center in both emitters: the emitted files for acme-full (golden), the customer managed policies a
 * permission set references created in every assigned account (even one where no IAM role uses them), the checks
 * on groups, permission sets and assignments, and no Identity Center output for models without it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OrganizationModel } from '../model/organization.js';
import { isIdentityCenterRole } from '../model/query.js';
import { planFromYaml } from '../plan/index.js';
import { REPO, loadFixture } from '../../test-support/emit/models.js';
import { emitCloudFormation } from './cloudformation.js';
import { renameIdentity } from './manifest.js';
import { emitTerraform } from './terraform.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] };

function acmeFull(): Mutable<OrganizationModel> {
  const r = planFromYaml(readFileSync(join(REPO, 'examples/acme-full.yaml'), 'utf8'), 'examples/acme-full.yaml');
  if (!r.ok) throw new Error('examples/acme-full.yaml does not plan');
  return structuredClone(r.value) as Mutable<OrganizationModel>;
}

function files(r: ReturnType<typeof emitTerraform>): ReadonlyMap<string, string> {
  if (!r.ok) throw new Error(`emit failed: ${JSON.stringify(r.diagnostics, null, 2)}`);
  return r.value.files;
}

describe('IAM Identity Center: emitted files for acme-full', () => {
  it('terraform: identity-center.tf, its variables and provider', async () => {
    const out = files(emitTerraform(acmeFull()));
    await expect(out.get('identity-center.tf')).toMatchFileSnapshot('fixtures/golden/acme-full.identity-center.tf');
    expect(out.get('variables.tf')).toContain('variable "identity_center_users"');
    expect(out.get('variables.tf')).toMatch(/variable "identity_center_region" \{[^}]*default\s+= "us-east-1"/);
    expect(out.get('providers.tf')).toMatch(/alias\s+= "identity_center"\n\s+region = var\.identity_center_region/);
    expect(out.get('README.md')).toContain('**Enable IAM Identity Center by hand first**');
    // the roles AWS creates for the assignments are not emitted
    expect([...out].filter(([f]) => f.endsWith('.tf')).map(([, t]) => t).join('\n')).not.toContain('AWSReservedSSO_');
  });

  it('cloudformation: identity-center.template.json, linted with the others', async () => {
    const r = emitCloudFormation(acmeFull());
    const out = files(r);
    await expect(out.get('identity-center.template.json')).toMatchFileSnapshot('fixtures/golden/acme-full.identity-center.template.json');
    expect(out.get('.cfnlintrc.yaml')).toContain('  - identity-center.template.json');
    expect(out.get('README.md')).toContain('## 4. People: IAM Identity Center');
    const t = JSON.parse(out.get('identity-center.template.json')!) as { Resources: Record<string, { Type: string }> };
    expect(new Set(Object.values(t.Resources).map((x) => x.Type))).toEqual(
      new Set(['AWS::IdentityStore::Group', 'AWS::IdentityStore::GroupMembership', 'AWS::SSO::PermissionSet', 'AWS::SSO::Assignment']),
    );
  });

  it('records every Identity Center object in the manifest, assignments by account (so account renames follow)', () => {
    const r = emitTerraform(acmeFull());
    if (!r.ok) throw new Error('emit failed');
    expect(r.value.manifest.addresses).toMatchObject({
      'identity-group:app-engineers': 'aws_identitystore_group.app_engineers',
      'identity-user:alice': 'aws_identitystore_user.alice',
      'permission-set:prod-appeng': 'aws_ssoadmin_permission_set.prod_appeng',
      'assignment:retail-prod/prod-appeng/retail-oncall': 'aws_ssoadmin_account_assignment.prod_appeng__retail_oncall__retail_prod',
    });
    expect(renameIdentity('assignment:retail-prod/prod-appeng/retail-oncall', new Map([['retail-prod', 'shop-prod']]), new Map())).toBe(
      'assignment:shop-prod/prod-appeng/retail-oncall',
    );
  });
});

describe('IAM Identity Center: referenced policies exist in every assigned account', () => {
  // retail-prod without any IAM role of its own: only the permission set assigned there needs `prod-appeng`
  const withoutRetailProdRoles = () => {
    const m = acmeFull();
    m.roles = m.roles.filter((r) => r.account !== 'retail-prod' || isIdentityCenterRole(r));
    return m;
  };

  it('terraform (stacksets) deploys the policy there by StackSet, and the assignment waits for that deployment', () => {
    const out = files(emitTerraform(withoutRetailProdRoles()));
    const set = [...out].find(([f, t]) => f.startsWith('stacksets/') && t.includes('"ManagedPolicyName": "prod-appeng"') && !t.includes('AWS::IAM::Role'));
    expect(set, 'a StackSet template with the policy and no role').toBeDefined();
    const name = set![0].slice('stacksets/'.length, -'.template.json'.length).replace(/-/g, '_');
    expect(out.get('identity-center.tf')).toMatch(new RegExp(`"prod_appeng__retail_oncall__retail_prod" \\{[^}]*depends_on = \\[\\n\\s+aws_cloudformation_stack_set_instance\\.${name},`));
  });

  it('terraform (provider-aliases) creates the policy there, with a provider for the account, and the assignment waits for it', () => {
    const out = files(emitTerraform(withoutRetailProdRoles(), { terraformLayout: 'provider-aliases' }));
    const iam = out.get('iam-retail-prod.tf');
    expect(iam).toContain('resource "aws_iam_policy" "retail_prod__prod_appeng"');
    expect(iam).not.toContain('aws_iam_role');
    expect(out.get('providers.tf')).toContain('alias  = "retail_prod"');
    expect(out.get('identity-center.tf')).toMatch(/"prod_appeng__retail_oncall__retail_prod" \{[^}]*depends_on = \[\n\s+aws_iam_policy\.retail_prod__prod_appeng,/);
  });

  it('cloudformation puts the policy in the StackSet of that account', () => {
    const out = files(emitCloudFormation(withoutRetailProdRoles()));
    const plans = JSON.parse(out.get('stacksets.json')!) as { stackSets: { template: string; accounts: string[] }[] };
    const plan = plans.stackSets.find((s) => s.accounts.includes('retail-prod'));
    expect(plan).toBeDefined();
    const t = JSON.parse(out.get(plan!.template)!) as { Resources: Record<string, { Type: string; Properties: { ManagedPolicyName?: string } }> };
    expect(Object.values(t.Resources)).toContainEqual(expect.objectContaining({ Type: 'AWS::IAM::ManagedPolicy', Properties: expect.objectContaining({ ManagedPolicyName: 'prod-appeng' }) }));
  });

  it('reports a permission set policy whose document differs from a same-named policy in the account', () => {
    const m = acmeFull();
    const i = m.identity!.permissionSets.findIndex((p) => p.name === 'prod-appeng');
    const set = m.identity!.permissionSets[i]!;
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' }] };
    (m.identity as Mutable<NonNullable<OrganizationModel['identity']>>).permissionSets[i] = { ...set, policies: [{ ...set.policies[0]!, document: doc }] };
    const r = emitTerraform(m);
    expect(r.ok).toBe(false);
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ code: 'BH8106', message: expect.stringContaining('`prod-appeng` in account `retail-prod`') }));
  });
});

describe.each([
  ['terraform', emitTerraform],
  ['cloudformation', emitCloudFormation],
] as const)('%s: Identity Center checks', (_name, emit) => {
  const identity = (m: Mutable<OrganizationModel>) => m.identity as Mutable<NonNullable<OrganizationModel['identity']>>;

  it('rejects an assignment to a group that does not exist', () => {
    const m = acmeFull();
    identity(m).assignments = [{ ...m.identity!.assignments[0]!, group: 'app-engineerz' }];
    const r = emit(m);
    expect(r.ok).toBe(false);
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ code: 'BH8116', path: 'identity.assignments[0].group', message: expect.stringContaining('`app-engineerz`') }));
  });

  it('rejects a permission set name over 32 characters and a session duration over 12 hours', () => {
    const m = acmeFull();
    identity(m).permissionSets = m.identity!.permissionSets.map((p, i) => (i === 0 ? { ...p, name: 'x'.repeat(33), sessionDuration: 'PT13H' } : p));
    const r = emit(m);
    expect(r.ok).toBe(false);
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ code: 'BH8116', path: 'identity.permissionSets[0].name' }));
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ code: 'BH8116', path: 'identity.permissionSets[0].sessionDuration', message: expect.stringContaining('`PT13H`') }));
  });

  it('writes nothing for Identity Center when the model has no identity section', () => {
    const out = files(emit(loadFixture('small.model.json')));
    expect([...out.keys()].some((f) => f.startsWith('identity-center'))).toBe(false);
    expect([...out.values()].join('\n')).not.toMatch(/identity_center|ssoadmin|AWS::SSO::/);
  });
});
