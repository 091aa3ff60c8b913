/**
 * Emitter behaviour beyond the shared contract: bad models fail with diagnostics and no files, output does not
 * depend on input order, a change touches only the files it concerns, renames become `moved` blocks, and
 * IAM policy variables survive both output formats.
 */
import { describe, expect, it } from 'vitest';
import type { OrganizationModel } from '../model/organization.js';
import { loadFixture } from '../../test-support/emit/models.js';
import { emitCloudFormation } from './cloudformation.js';
import { parseManifest } from './manifest.js';
import { emitTerraform } from './terraform.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] };
const fixture = (): Mutable<OrganizationModel> => loadFixture('small.model.json') as Mutable<OrganizationModel>;

function files<T extends { files: ReadonlyMap<string, string> }>(r: { ok: true; value: T } | { ok: false; diagnostics: readonly unknown[] }): ReadonlyMap<string, string> {
  if (!r.ok) throw new Error(`emit failed: ${JSON.stringify(r.diagnostics, null, 2)}`);
  return r.value.files;
}

const emitters = [
  ['terraform', emitTerraform],
  ['cloudformation', emitCloudFormation],
] as const;

describe.each(emitters)('%s: bad models fail with diagnostics and no output', (_name, emit) => {
  it('rejects an SCP the policy validator rejects, pointing into the model', () => {
    const m = fixture();
    const i = m.serviceControlPolicies.findIndex((p) => p.managedBy !== 'aws');
    m.serviceControlPolicies[i] = {
      ...m.serviceControlPolicies[i]!,
      document: { Version: '2012-10-17', Statement: [{ Effect: 'Maybe', Action: 's3:GetObject', Resource: '*' }] },
    };
    const r = emit(m);
    expect(r.ok).toBe(false);
    expect(r.diagnostics).toContainEqual(
      expect.objectContaining({ severity: 'error', path: `serviceControlPolicies[${i}].document.Statement[0].Effect`, message: expect.stringContaining('`Maybe`') }),
    );
    expect('value' in r).toBe(false);
  });

  it('rejects an SCP over the 10,240-character quota', () => {
    const m = fixture();
    const i = m.serviceControlPolicies.findIndex((p) => p.managedBy !== 'aws');
    const actions = Array.from({ length: 400 }, (_, k) => `s3:GetObjectVersionTagging${k}`);
    m.serviceControlPolicies[i] = { ...m.serviceControlPolicies[i]!, document: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: actions, Resource: '*' }] } };
    const r = emit(m);
    expect(r.ok).toBe(false);
    expect(r.diagnostics.some((d) => d.severity === 'error' && /10,?240/.test(d.message))).toBe(true);
  });

  it('rejects a trust policy without a Principal', () => {
    const m = fixture();
    m.roles[0] = { ...m.roles[0]!, trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] } };
    const r = emit(m);
    expect(r.ok).toBe(false);
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', path: expect.stringMatching(/^roles\[0\]\.trustPolicy\.Statement/) }));
  });

  it('rejects a reference to an account that is not in the model, suggesting the right name', () => {
    const m = fixture();
    m.roles[0] = {
      ...m.roles[0]!,
      trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::{{account:securty}}:root' }, Action: 'sts:AssumeRole' }] },
    };
    const r = emit(m);
    expect(r.ok).toBe(false);
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ code: 'BH8102', path: 'roles[0].trustPolicy', message: expect.stringContaining('`securty`') }));
    expect(r.diagnostics.find((d) => d.code === 'BH8102')!.message).toContain('security');
  });

  it('rejects an account in an OU that does not exist, and an SCP target that does not exist', () => {
    const m = fixture();
    m.accounts[2] = { ...m.accounts[2]!, ouPath: 'Root/Workload/Dev' };
    const i = m.serviceControlPolicies.findIndex((p) => p.managedBy !== 'aws');
    m.serviceControlPolicies[i] = { ...m.serviceControlPolicies[i]!, targets: [{ account: 'nobody' }] };
    const r = emit(m);
    expect(r.ok).toBe(false);
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ code: 'BH8101', path: 'accounts[2].ouPath', message: expect.stringContaining('`Root/Workload/Dev`') }));
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ code: 'BH8102', path: `serviceControlPolicies[${i}].targets[0]` }));
  });

  it('rejects two names that would become one resource name', () => {
    const m = fixture();
    const dev = m.accounts.find((a) => a.name === 'acme-dev')!;
    m.accounts.push({ ...dev, name: 'acme_dev', email: 'other@example.com' });
    const r = emit(m);
    expect(r.ok).toBe(false);
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ code: 'BH8105', message: expect.stringContaining('`acme_dev`') }));
  });

  it('rejects a model without its management account', () => {
    const m = fixture();
    m.accounts = m.accounts.filter((a) => a.name !== m.organization.managementAccount);
    const r = emit(m);
    expect(r.ok).toBe(false);
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ code: 'BH8103', path: 'organization.managementAccount' }));
  });
});

// Continues the block above under the same title (so test names stay), split only to keep each callback short.
describe.each(emitters)('%s: bad models fail with diagnostics and no output', (_name, emit) => {
  it('rejects role and policy names and paths IAM would refuse', () => {
    const m = fixture();
    m.roles[0] = { ...m.roles[0]!, name: 'app eng', path: 'ci', policies: [{ ...m.roles[0]!.policies[0]!, name: 'dev "appeng"' }] };
    const r = emit(m);
    expect(r.ok).toBe(false);
    expect(r.diagnostics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'BH8112', path: 'roles[0].name', message: expect.stringContaining('`app eng`') }),
        expect.objectContaining({ code: 'BH8112', path: 'roles[0].path', message: expect.stringContaining('`ci`') }),
        expect.objectContaining({ code: 'BH8112', path: 'roles[0].policies[0].name', message: expect.stringContaining('`dev "appeng"`') }),
      ]),
    );
  });

  it('rejects tags AWS would refuse, pointing at the tag in the model', () => {
    const m = fixture();
    const ou = m.organizationalUnits.findIndex((o) => o.path === 'Root/Workloads/Dev');
    m.organizationalUnits[ou] = { ...m.organizationalUnits[ou]!, tags: { Note: 'has "quotes" & ${x}' } };
    const acct = m.accounts.findIndex((a) => a.name === 'acme-dev');
    m.accounts[acct] = { ...m.accounts[acct]!, tags: { 'aws:owner': 'me', ok: 'fine' } };
    m.roles[0] = { ...m.roles[0]!, tags: { Multi: 'line\nbreak' } };
    const r = emit(m);
    expect(r.ok).toBe(false);
    const tagErrors = r.diagnostics.filter((d) => d.code === 'BH8113');
    expect(tagErrors.map((d) => d.path).sort()).toEqual([`accounts[${acct}].tags.aws:owner`, `organizationalUnits[${ou}].tags.Note`, 'roles[0].tags.Multi']);
    expect(tagErrors.find((d) => d.path === `organizationalUnits[${ou}].tags.Note`)!.message).toContain('`has "quotes" & ${x}`');
    expect(tagErrors.find((d) => d.path?.endsWith('aws:owner'))!.message).toContain('reserved prefix');
  });

  it('shows a control character in a refused tag escaped, at the tag in the model', () => {
    const m = fixture();
    const acct = m.accounts.findIndex((a) => a.name === 'acme-dev');
    m.accounts[acct] = { ...m.accounts[acct]!, tags: { Owner: 'team@exampl\u0000e', 'K\u001b[31m': 'v' } };
    const r = emit(m);
    const tagErrors = r.diagnostics.filter((d) => d.code === 'BH8113');
    expect(tagErrors.map((d) => d.path).sort()).toEqual([`accounts[${acct}].tags.K\u001b[31m`, `accounts[${acct}].tags.Owner`]);
    expect(tagErrors.find((d) => d.path?.endsWith('Owner'))!.message).toContain('`team@exampl\\0e`');
    expect(tagErrors.find((d) => d.path?.endsWith('[31m'))!.message).toContain('`K\\x1b[31m`');
    for (const d of tagErrors) expect(d.message).not.toMatch(/[\u0000-\u001f]/);
  });

  it('rejects duplicates and account names or emails AWS would refuse', () => {
    const m = fixture();
    const dev = m.accounts.findIndex((a) => a.name === 'acme-dev');
    m.accounts.push({ ...m.accounts[dev]! });
    m.accounts.push({ ...m.accounts[dev]!, name: 'x'.repeat(51), email: 'not-an-email' });
    m.roles.push({ ...m.roles[0]! });
    const r = emit(m);
    expect(r.ok).toBe(false);
    const n = m.accounts.length;
    expect(r.diagnostics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'BH8115', path: `accounts[${n - 2}].name`, message: expect.stringContaining(`also at accounts[${dev}].name`) }),
        expect.objectContaining({ code: 'BH8115', path: `accounts[${n - 2}].email` }),
        expect.objectContaining({ code: 'BH8115', path: `roles[${m.roles.length - 1}].name` }),
        expect.objectContaining({ code: 'BH8114', path: `accounts[${n - 1}].name`, message: expect.stringContaining('1–50') }),
        expect.objectContaining({ code: 'BH8114', path: `accounts[${n - 1}].email`, message: expect.stringContaining('`not-an-email`') }),
      ]),
    );
  });

  it('rejects an access role name IAM would refuse', () => {
    const r = emit(fixture(), { accessRoleName: 'Org Access/Role' });
    expect(r.ok).toBe(false);
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ code: 'BH8111', message: expect.stringContaining('`Org Access/Role`') }));
    expect(emit(fixture(), { accessRoleName: 'AWSControlTowerExecution' }).ok).toBe(true);
  });

  it('does not depend on the order of the model lists', () => {
    const m = fixture();
    const shuffled = {
      ...m,
      accounts: [...m.accounts].reverse(),
      organizationalUnits: [...m.organizationalUnits].reverse(),
      roles: [...m.roles].reverse(),
      serviceControlPolicies: [...m.serviceControlPolicies].reverse(),
    };
    expect([...files(emit(shuffled))]).toEqual([...files(emit(m))]);
  });
});

describe('terraform output', () => {
  it.each([
    // stacksets: the new account shares acme-dev's OU, so acme-dev's StackSet now deploys to it alone (INTERSECTION)
    ['stacksets', ['.bulkhead-emit.json', 'README.md', 'organization.tf', 'outputs.tf', 'stacksets.tf']],
    ['provider-aliases', ['.bulkhead-emit.json', 'README.md', 'organization.tf', 'outputs.tf']],
  ] as const)('adding an account changes only the files that list accounts (%s)', (layout, expected) => {
    const m = fixture();
    const before = files(emitTerraform(m, { terraformLayout: layout }));
    const dev = m.accounts.find((a) => a.name === 'acme-dev')!;
    m.accounts.push({ ...dev, name: 'acme-test', email: 'aws+acme-test@example.com' });
    const after = files(emitTerraform(m, { terraformLayout: layout }));
    const changed = [...after.keys()].filter((f) => after.get(f) !== before.get(f)).sort();
    expect(changed).toEqual(expected);
    // The other accounts' blocks are byte-identical: the diff is one added block.
    expect(after.get('organization.tf')!.startsWith(before.get('organization.tf')!.split('resource "aws_organizations_account" "acme_prod"')[0]!)).toBe(true);
  });

  it.each(['stacksets', 'provider-aliases'] as const)('writes a moved block when an account is renamed (recognised by its unchanged email) (%s)', (layout) => {
    const m = fixture();
    const first = emitTerraform(m, { terraformLayout: layout });
    if (!first.ok) throw new Error('emit failed');
    const renamed = JSON.parse(JSON.stringify(m).replaceAll('acme-dev', 'shop-dev')) as OrganizationModel;
    const moved = files(
      emitTerraform({ ...renamed, accounts: renamed.accounts.map((a) => (a.name === 'shop-dev' ? { ...a, email: 'aws+acme-dev@example.com' } : a)) }, { previous: first.value.manifest, terraformLayout: layout }),
    );
    const text = moved.get('moved.tf')!;
    expect(text).toContain('moved {\n  from = aws_organizations_account.acme_dev\n  to   = aws_organizations_account.shop_dev\n}');
    // provider-aliases: the account's roles are Terraform resources and move too; stacksets: they live in a StackSet
    if (layout === 'provider-aliases') expect(text).toContain('from = aws_iam_role.acme_dev__appeng');
    else expect(text).not.toContain('aws_iam_role');
    // The manifest written for the next run round-trips.
    expect(parseManifest(moved.get('.bulkhead-emit.json')!)?.moved.length).toBeGreaterThan(0);
  });

  it('writes moved blocks for a renamed OU and its children when told with renamedOus', () => {
    const m = fixture();
    const first = emitTerraform(m);
    if (!first.ok) throw new Error('emit failed');
    const renamed = JSON.parse(JSON.stringify(m).replaceAll('Root/Workloads', 'Root/Apps')) as OrganizationModel;
    const out = emitTerraform(renamed, { previous: first.value.manifest, renamedOus: { 'Root/Workloads': 'Root/Apps' } });
    if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
    expect(out.value.manifest.moved).toEqual(
      expect.arrayContaining([
        { from: 'aws_organizations_organizational_unit.workloads', to: 'aws_organizations_organizational_unit.apps' },
        { from: 'aws_organizations_organizational_unit.workloads__dev', to: 'aws_organizations_organizational_unit.apps__dev' },
        { from: 'aws_organizations_organizational_unit.workloads__prod', to: 'aws_organizations_organizational_unit.apps__prod' },
      ]),
    );
    // Accounts keep their addresses (they derive from account names, not OU paths).
    expect(out.value.manifest.moved.some((x) => x.from.startsWith('aws_organizations_account.'))).toBe(false);
    // A rename into a path that is not in the model is reported.
    const bad = emitTerraform(renamed, { previous: first.value.manifest, renamedOus: { 'Root/Workloads': 'Root/Appz' } });
    expect(bad.ok).toBe(false);
    expect(bad.diagnostics).toContainEqual(expect.objectContaining({ code: 'BH8109', message: expect.stringContaining('`Root/Appz`') }));
  });

  it('keeps IAM policy variables literal ($${…}) and turns account placeholders into references', () => {
    const out = files(emitTerraform(fixture(), { terraformLayout: 'provider-aliases' }));
    const iam = out.get('iam-acme-dev.tf')!;
    expect(iam).toContain('"arn:aws:iam::*:user/$${aws:username}"');
    expect(iam).toContain('"arn:aws:iam::${aws_organizations_account.security.id}:root"');
  });

  it('stacksets: member IAM in StackSet templates, other accounts\' ids as parameters from Terraform references, one provider', () => {
    const out = files(emitTerraform(fixture()));
    expect([...out.keys()].some((f) => f.startsWith('iam-acme-dev'))).toBe(false);
    expect(out.get('providers.tf')).not.toContain('alias');
    const tf = out.get('stacksets.tf')!;
    expect(tf).toMatch(/AccountIdSecurity += aws_organizations_account\.security\.id/);
    expect(tf).toContain('permission_model = "SERVICE_MANAGED"');
    const template = [...out].find(([f, t]) => f.startsWith('stacksets/') && t.includes('${aws:username}'));
    expect(template, 'the IAM policy variable stays literal in the template').toBeDefined();
    expect(template![1]).toContain('${AccountIdSecurity}');
  });

  it('rejects malformed adoption ids', () => {
    const r = emitTerraform(fixture(), { organizationId: 'org-1', accountIds: { 'acme-dev': '12' } });
    expect(r.ok).toBe(false);
    expect(r.diagnostics.filter((d) => d.code === 'BH8107')).toHaveLength(2);
  });
});

describe('cloudformation output', () => {
  it('escapes IAM policy variables inside Fn::Sub and passes account ids as StackSet parameters', () => {
    const m = fixture();
    m.roles[0] = {
      ...m.roles[0]!,
      policies: [
        ...m.roles[0]!.policies,
        {
          name: 'mixed',
          kind: 'inline',
          document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::{{account:security}}-logs/${aws:username}/*' }] },
        },
      ],
    };
    const out = files(emitCloudFormation(m));
    const plan = JSON.parse(out.get('stacksets.json')!) as { stackSets: { template: string; accounts: string[]; parameters: Record<string, string> }[] };
    const set = plan.stackSets.find((s) => s.accounts.includes('acme-dev'))!;
    expect(set.parameters).toEqual({ AccountIdSecurity: 'security' });
    const t = out.get(set.template)!;
    expect(t).toContain('"Fn::Sub": "arn:aws:s3:::${AccountIdSecurity}-logs/${!aws:username}/*"');
    // A string without account references is written as is (no Fn::Sub, no escaping).
    expect(t).toContain('"Resource": "arn:aws:iam::*:user/${aws:username}"');
  });
});
