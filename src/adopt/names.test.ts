import { describe, expect, it } from 'vitest';
import type { IdentityModel, OrganizationModel } from '../model/organization.js';
import { planFromYaml } from '../plan/index.js';
import { parseSpec } from '../spec/parse.js';
import { brownfield } from '../../test-support/brownfield.js';
import { policyDoc } from '../../test-support/models.js';
import { adoptOrganization } from './adopt.js';
import { specSafeNames } from './names.js';

/** The brownfield organization with names AWS accepts but the spec grammar refuses. */
function withBadNames(): OrganizationModel {
  const live = brownfield();
  const rename = new Map([
    ['mystery', 'mystery-{old}'],
    ['legacy-prod', `${'x'.repeat(40)} (123456789012)`], // a duplicate told apart by the loader, now 55 characters
  ]);
  const acct = (n: string) => rename.get(n) ?? n;
  const rcpDoc = policyDoc({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { BoolIfExists: { 'aws:SecureTransport': 'false' } } });
  return {
    ...live,
    accounts: [...live.accounts.map((a) => ({ ...a, name: acct(a.name) })), { ...live.accounts.find((a) => a.name === 'mystery')!, id: '999999999999', name: 'mystery-}old{', email: 'other@acme.example' }],
    roles: live.roles.map((r) => ({ ...r, account: acct(r.account) })),
    users: live.users.map((u) => ({ ...u, account: acct(u.account) })),
    resources: live.resources.map((r) => ({ ...r, account: acct(r.account) })),
    serviceControlPolicies: [
      ...live.serviceControlPolicies,
      { name: 'RCPFullAWSAccess', id: 'p-dddddddd', managedBy: 'customer', document: policyDoc({ Effect: 'Deny', Action: 'ec2:DeleteVpc', Resource: '*' }), targets: [{ ou: 'Root' }] },
    ],
    resourceControlPolicies: [{ name: 'no-ec2-in-dev', id: 'p-eeeeeeee', managedBy: 'customer', document: rcpDoc, targets: [{ ou: 'Root/Workloads/Dev' }] }],
  };
}

describe('adopt: live names the spec refuses', () => {
  const live = withBadNames();

  it('maps each to a valid spec name deterministically, without collisions', () => {
    const { renames } = specSafeNames(live);
    expect(renames.map((r) => `${r.kind} ${r.live} → ${r.spec}`)).toEqual([
      'account mystery-{old} → mystery--old-',
      'account mystery-}old{ → mystery--old--2',
      `account ${'x'.repeat(40)} (123456789012) → ${'x'.repeat(40)} (12345678`,
      'scp RCPFullAWSAccess → RCPFullAWSAccess-scp',
      'rcp no-ec2-in-dev → no-ec2-in-dev-rcp',
    ]);
    expect(specSafeNames(live).renames).toEqual(renames);
    // names the spec accepts are kept
    expect(specSafeNames(brownfield()).renames).toEqual([]);
  });

  it('writes a spec that validates, with the live names in comments, warnings and the id mapping', () => {
    const a = adoptOrganization(live, { source: 'snap' });
    if (!a.ok) throw new Error('adopt failed');
    expect(parseSpec(a.value.yaml, 'adopted.yaml').ok).toBe(true);
    const planned = planFromYaml(a.value.yaml, 'adopted.yaml');
    expect(planned.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(planned.ok).toBe(true);
    expect(a.diagnostics.filter((d) => d.code === 'BH9207')).toHaveLength(5);
    expect(a.value.yaml).toMatch(/# live name `mystery-\{old\}`: account name `mystery-\{old\}` contains `\{` or `\}`[^\n]*\n\s*- name: mystery--old-\n/);
    expect(a.value.yaml).toMatch(/# live name `no-ec2-in-dev`: RCP name `no-ec2-in-dev` is an SCP's too[^\n]*apply would create the RCP under the spec name[^\n]*\n\s*- name: no-ec2-in-dev-rcp\n\s*type: rcp/);
    expect(a.value.ids.liveNames).toEqual({
      accounts: { [`${'x'.repeat(40)} (12345678`]: `${'x'.repeat(40)} (123456789012)`, 'mystery--old-': 'mystery-{old}', 'mystery--old--2': 'mystery-}old{' },
      serviceControlPolicies: { 'RCPFullAWSAccess-scp': 'RCPFullAWSAccess' },
      resourceControlPolicies: { 'no-ec2-in-dev-rcp': 'no-ec2-in-dev' },
    });
    expect(a.value.ids.accounts['mystery--old--2']).toBe('999999999999');
    expect(a.value.ids.resourceControlPolicies['no-ec2-in-dev-rcp']).toBe('p-eeeeeeee');
  });
});

describe('adopt: references to a renamed account', () => {
  it('follow it everywhere in the model, Identity Center assignments and the inventory included', () => {
    const base = withBadNames();
    const identity: IdentityModel = {
      provider: 'identity-center',
      identityAccount: 'mystery-{old}',
      groups: [{ name: 'admins', members: ['ana'] }],
      users: [{ name: 'ana' }],
      permissionSets: [{ name: 'prod-admin', sessionDuration: 'PT1H', policies: [], tags: {} }],
      assignments: [
        { group: 'admins', account: 'mystery-{old}', role: 'AWSReservedSSO_prod-admin_0123456789abcdef', permissionSet: 'prod-admin' },
        { group: 'admins', account: 'mystery-}old{', role: 'AWSReservedSSO_prod-admin_0123456789abcdef', permissionSet: 'prod-admin' },
      ],
    };
    const inventory = { resources: [{ account: 'mystery-{old}', arn: 'arn:aws:dynamodb:us-east-1:111111111111:table/t', type: 'dynamodb:table', region: 'us-east-1', name: 't', tags: {} }], references: [] };
    const { model } = specSafeNames({ ...base, identity, inventory });
    const names = new Set(model.accounts.map((a) => a.name));
    const refs = [...(model.identity?.assignments.map((a) => a.account) ?? []), model.identity?.identityAccount, ...(model.inventory?.resources.map((r) => r.account) ?? [])];
    expect(refs).toEqual(['mystery--old-', 'mystery--old--2', 'mystery--old-', 'mystery--old-']);
    for (const r of refs) expect(names.has(r!)).toBe(true);
    expect(model.identity?.permissionSets).toEqual(identity.permissionSets);
  });
});

describe('adopt: live account names that differ only in case', () => {
  it('renames the later one (sorted), since the planner compares account names case-insensitively', () => {
    const live = brownfield();
    const mystery = live.accounts.find((a) => a.name === 'mystery')!;
    const withCase: OrganizationModel = { ...live, accounts: [...live.accounts, { ...mystery, id: '888888888888', name: 'Mystery', email: 'mystery2@acme.example' }] };
    expect(specSafeNames(withCase).renames.map((r) => `${r.kind} ${r.live} → ${r.spec}`)).toEqual(['account mystery → mystery-2']);
    const a = adoptOrganization(withCase, { source: 'snap' });
    if (!a.ok) throw new Error('adopt failed');
    const planned = planFromYaml(a.value.yaml, 'adopted.yaml');
    expect(planned.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(a.value.ids.liveNames).toEqual({ accounts: { 'mystery-2': 'mystery' } });
  });
});
