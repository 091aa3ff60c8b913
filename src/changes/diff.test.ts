import { describe, expect, it } from 'vitest';
import type { Account, OrganizationModel, Role } from '../model/organization.js';
import { canonicalJson, closureQuota, diffModels, matchAccounts } from './diff.js';
import { renderChangeSet } from './render.js';

const doc = (action: string) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: action, Resource: '*' }] });

function model(p: Partial<OrganizationModel> & { accounts: Account[] }): OrganizationModel {
  return {
    modelVersion: 1,
    source: 'plan',
    organization: { name: 'o', managementAccount: 'mgmt', regions: ['us-east-1'], accessRoleName: 'OrganizationAccountAccessRole' },
    phases: [],
    businessUnits: [],
    organizationalUnits: [{ path: 'Root', tags: {} }],
    roles: [],
    users: [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resources: [],
    boundaries: [],
    auditScopes: [],
    ...p,
  };
}

const acct = (name: string, ouPath = 'Root', extra: Partial<Account> = {}): Account => ({
  name,
  email: `${name}@example.com`,
  ouPath,
  purpose: name === 'mgmt' ? 'management' : 'runtime',
  status: 'ACTIVE',
  tags: {},
  ...extra,
});
const facts = { enabledPolicyTypes: ['SERVICE_CONTROL_POLICY'], closedInLast30Days: 0 };

describe('diffModels', () => {
  it('matches accounts by email before name, and the management account always', () => {
    const planned = model({ accounts: [acct('mgmt', 'Root', { email: 'other@example.com' }), acct('a'), acct('renamed', 'Root', { email: 'b@example.com' })] });
    const live = model({ source: 'snapshot', organization: { ...planned.organization, managementAccount: 'master' }, accounts: [acct('master', 'Root', { id: '1', email: 'm@x.com' }), acct('a', 'Root', { id: '2' }), acct('b', 'Root', { id: '3' })] });
    const m = matchAccounts(planned, live);
    expect([...m.entries()].map(([k, v]) => `${k}=${v.id}`).sort()).toEqual(['a=2', 'mgmt=1', 'renamed=3']);
    expect(diffModels(planned, live, facts, { allowClose: false }).changes).toEqual([]);
  });

  it('orders OU creation parents first and detaches only after attaching', () => {
    const planned = model({
      organizationalUnits: [{ path: 'Root', tags: {} }, { path: 'Root/A/B', tags: {} }, { path: 'Root/A', tags: { x: '1' } }],
      accounts: [acct('mgmt')],
      serviceControlPolicies: [{ name: 'p', managedBy: 'customer', document: doc('s3:*'), targets: [{ ou: 'Root' }, { ou: 'Root/A' }] }],
    });
    const live = model({
      source: 'snapshot',
      accounts: [acct('mgmt', 'Root', { id: '1' })],
      serviceControlPolicies: [{ name: 'old', id: 'p-1', managedBy: 'customer', document: doc('ec2:*'), targets: [{ ou: 'Root' }] }],
    });
    const keys = diffModels(planned, live, facts, { allowClose: false }).changes.map((c) => c.key);
    expect(keys).toEqual([
      'create-ou:Root/A',
      'create-ou:Root/A/B',
      'create-policy:SERVICE_CONTROL_POLICY:p',
      'attach-policy:SERVICE_CONTROL_POLICY:p:Root',
      'attach-policy:SERVICE_CONTROL_POLICY:p:Root/A',
      'detach-policy:SERVICE_CONTROL_POLICY:old:Root',
    ]);
  });

  it('sees a changed SCP by content, not by key order', () => {
    const planned = model({ accounts: [acct('mgmt')], serviceControlPolicies: [{ name: 'p', document: { Statement: [{ Action: 'a', Effect: 'Deny' }], Version: '2012-10-17' }, targets: [] }] });
    const same = model({ accounts: [acct('mgmt', 'Root', { id: '1' })], serviceControlPolicies: [{ name: 'p', document: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'a' }] }, targets: [] }] });
    expect(diffModels(planned, same, facts, { allowClose: false }).changes).toEqual([]);
    const changed = model({ accounts: [acct('mgmt', 'Root', { id: '1' })], serviceControlPolicies: [{ name: 'p', document: doc('b'), targets: [] }] });
    expect(diffModels(planned, changed, facts, { allowClose: false }).changes.map((c) => c.kind)).toEqual(['update-policy']);
  });

  it('resolves account references in trust policies to live ids before comparing', () => {
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::{{account:idp}}:root' }, Action: 'sts:AssumeRole' }] };
    const role = (t: unknown, account = 'app'): Role => ({ account, name: 'r', path: '/', trustPolicy: t as Role['trustPolicy'], policies: [], tags: {} });
    const planned = model({ accounts: [acct('mgmt'), acct('app'), acct('idp')], roles: [role(trust)] });
    const liveTrust = JSON.parse(JSON.stringify(trust).replace('{{account:idp}}', '222222222222')) as unknown;
    const live = model({ accounts: [acct('mgmt', 'Root', { id: '1' }), acct('app', 'Root', { id: '3' }), acct('idp', 'Root', { id: '222222222222' })], roles: [role(liveTrust)] });
    expect(diffModels(planned, live, facts, { allowClose: false }).changes).toEqual([]);
    const wrong = { ...live, roles: [role(JSON.parse(JSON.stringify(liveTrust).replace('222222222222', '999999999999')))] };
    const cs = diffModels(planned, wrong, facts, { allowClose: false });
    expect(cs.changes).toMatchObject([{ kind: 'update-role', update: { trustPolicy: trust } }]);
  });

  it('resolves the organization id reference to the live organization before comparing an RCP', () => {
    const perimeter = (org: string) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': org } } }] });
    const planned = model({ accounts: [acct('mgmt')], resourceControlPolicies: [{ name: 'perimeter', document: perimeter('{{organization:id}}'), targets: [] }] });
    const live = (org: string) =>
      model({ organization: { name: 'o', id: 'o-abcdefghij', managementAccount: 'mgmt', regions: [], accessRoleName: 'x' }, accounts: [acct('mgmt', 'Root', { id: '1' })], resourceControlPolicies: [{ name: 'perimeter', document: perimeter(org), targets: [] }] });
    const rcpFacts = { ...facts, enabledPolicyTypes: ['RESOURCE_CONTROL_POLICY'] };
    expect(diffModels(planned, live('o-abcdefghij'), rcpFacts, { allowClose: false }).changes).toEqual([]);
    expect(diffModels(planned, live('o-zzzzzzzzzz'), rcpFacts, { allowClose: false }).changes).toEqual([
      { kind: 'update-policy', key: 'update-policy:RESOURCE_CONTROL_POLICY:perimeter', policyType: 'RESOURCE_CONTROL_POLICY', name: 'perimeter', document: perimeter('o-abcdefghij') },
    ]);
  });

  it('moves a removed account to Suspended and closes nothing without allowClose', () => {
    const planned = model({ accounts: [acct('mgmt')] });
    const live = model({ accounts: [acct('mgmt', 'Root', { id: '1' }), acct('gone', 'Root/Old', { id: '2' })] });
    const cs = diffModels(planned, live, facts, { allowClose: false });
    expect(cs.changes.map((c) => c.key)).toEqual(['create-ou:Root/Suspended', 'suspend-account:gone']);
    expect(cs.notes[0]).toContain('closes nothing without --allow-close');
    const closing = diffModels(planned, live, facts, { allowClose: true });
    expect(closing.changes.map((c) => c.key)).toEqual(['create-ou:Root/Suspended', 'suspend-account:gone', 'close-account:gone']);
  });

  it('honours the closure quota (10 % of members, at least 10, per 30 days)', () => {
    expect(closureQuota(5)).toBe(10);
    expect(closureQuota(250)).toBe(25);
    expect(closureQuota(50_000)).toBe(1000);
    const planned = model({ accounts: [acct('mgmt')] });
    const gone = Array.from({ length: 12 }, (_, i) => acct(`gone-${String(i).padStart(2, '0')}`, 'Root/Suspended', { id: String(100 + i) }));
    const live = model({ organizationalUnits: [{ path: 'Root', tags: {} }, { path: 'Root/Suspended', tags: {} }], accounts: [acct('mgmt', 'Root', { id: '1' }), ...gone] });
    const cs = diffModels(planned, live, { ...facts, closedInLast30Days: 7 }, { allowClose: true });
    expect(cs.changes.map((c) => c.key)).toEqual(['close-account:gone-00', 'close-account:gone-01', 'close-account:gone-02']);
    expect(cs.notes.filter((n) => n.includes('quota'))).toHaveLength(9);
  });

  it('enables SCPs when the root does not have them', () => {
    const planned = model({ accounts: [acct('mgmt')], serviceControlPolicies: [{ name: 'p', document: doc('x'), targets: [{ ou: 'Root' }] }] });
    const live = model({ accounts: [acct('mgmt', 'Root', { id: '1' })] });
    const cs = diffModels(planned, live, { enabledPolicyTypes: [], closedInLast30Days: 0 }, { allowClose: false });
    expect(cs.changes[0]?.key).toBe('enable-policy-type:SERVICE_CONTROL_POLICY');
  });
});

describe('renderChangeSet', () => {
  it('groups changes with + ~ - and counts them', () => {
    const planned = model({ organizationalUnits: [{ path: 'Root', tags: {} }, { path: 'Root/W', tags: {} }], accounts: [acct('mgmt'), acct('new', 'Root/W'), acct('moved', 'Root/W')] });
    const live = model({ accounts: [acct('mgmt', 'Root', { id: '1' }), acct('moved', 'Root', { id: '2' }), acct('gone', 'Root', { id: '3' })] });
    const text = renderChangeSet(diffModels(planned, live, facts, { allowClose: false }));
    expect(text).toBe(
      [
        'Organizational units:',
        '  + OU Root/W',
        '  + OU Root/Suspended',
        'Accounts:',
        '  + account new <new@example.com> in Root/W',
        '  ~ account moved: move Root → Root/W',
        'Removed accounts:',
        '  - account gone: not in the plan; move Root → Root/Suspended',
        'note: 1 account is not in the plan; apply moves it to Root/Suspended and closes nothing without --allow-close',
        '5 changes: 3 to add, 1 to change, 1 to remove',
        '',
      ].join('\n'),
    );
    expect(renderChangeSet({ changes: [], notes: [] })).toBe('no changes: the live organization matches the plan\n');
  });
  it('canonical JSON ignores key order only', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 1, c: 2 }] })).toBe('{"a":[2,{"c":2,"d":1}],"b":1}');
  });
});

describe('detaching organization policies', () => {
  const full = (targets: { ou: string }[] | { account: string }[]) => ({ name: 'FullAWSAccess', managedBy: 'aws' as const, document: doc('*'), targets });
  it('leaves the management account alone and never removes the last policy of a target', () => {
    const planned = model({
      organizationalUnits: [{ path: 'Root', tags: {} }, { path: 'Root/A', tags: {} }],
      accounts: [acct('mgmt')],
      serviceControlPolicies: [full([{ ou: 'Root' }])],
    });
    const live = model({
      organizationalUnits: [{ path: 'Root', tags: {} }, { path: 'Root/A', tags: {} }],
      accounts: [acct('mgmt', 'Root', { id: '1' })],
      serviceControlPolicies: [full([{ ou: 'Root' }, { ou: 'Root/A' }, { account: 'mgmt' }] as never)],
    });
    const cs = diffModels(planned, live, facts, { allowClose: false });
    expect(cs.changes).toEqual([]);
    expect(cs.notes).toEqual(['FullAWSAccess stays attached to Root/A: AWS needs at least one SCP on every target; attach another policy there in the spec']);
  });
});

describe('names that are also Object.prototype keys', () => {
  // JSON.parse makes `__proto__` an own key, as it is in data read from files.
  const tags = (json: string) => JSON.parse(json) as Record<string, string>;
  it('matches, tags and removes accounts called `constructor`, `__proto__` and `toString`', () => {
    const planned = model({
      organizationalUnits: [{ path: 'Root', tags: {} }, { path: 'Root/constructor', tags: tags('{"__proto__":"ou"}') }],
      accounts: [
        acct('mgmt'),
        acct('__proto__', 'Root/constructor', { tags: tags('{"__proto__":"x","constructor":"y"}') }),
        acct('constructor', 'Root', { tags: tags('{"toString":"z"}') }),
      ],
      serviceControlPolicies: [{ name: 'hasOwnProperty', document: doc('s3:*'), targets: [{ account: 'constructor' }, { ou: 'Root/constructor' }] }],
      roles: [{ account: '__proto__', name: 'toString', path: '/', trustPolicy: doc('sts:AssumeRole'), policies: [], tags: tags('{"__proto__":"r"}') }],
    });
    const live = model({
      source: 'snapshot',
      organizationalUnits: [{ path: 'Root', tags: {} }, { path: 'Root/constructor', tags: {} }],
      accounts: [
        acct('mgmt', 'Root', { id: '1' }),
        acct('__proto__', 'Root/constructor', { id: '2', tags: tags('{"constructor":"y"}') }),
        acct('constructor', 'Root', { id: '3', tags: tags('{"toString":"z"}') }),
        acct('toString', 'Root', { id: '4' }),
      ],
      roles: [{ account: '__proto__', name: 'toString', path: '/', trustPolicy: doc('sts:AssumeRole'), policies: [], tags: {} }],
    });
    expect([...matchAccounts(planned, live).entries()].map(([k, v]) => `${k}=${v.id}`).sort()).toEqual(['__proto__=2', 'constructor=3', 'mgmt=1']);
    const cs = diffModels(planned, live, facts, { allowClose: false });
    expect(cs.changes.map((c) => c.key)).toEqual([
      'tag-ou:Root/constructor',
      'create-ou:Root/Suspended',
      'create-policy:SERVICE_CONTROL_POLICY:hasOwnProperty',
      'tag-account:__proto__',
      'attach-policy:SERVICE_CONTROL_POLICY:hasOwnProperty:account:constructor',
      'attach-policy:SERVICE_CONTROL_POLICY:hasOwnProperty:Root/constructor',
      'update-role:__proto__:toString',
      'suspend-account:toString',
    ]);
    const tagged = cs.changes.find((c) => c.kind === 'tag-account');
    expect(tagged?.kind === 'tag-account' && Object.entries(tagged.tags)).toEqual([['__proto__', 'x']]);
    const ouTags = cs.changes.find((c) => c.kind === 'tag-ou');
    expect(ouTags?.kind === 'tag-ou' && JSON.stringify(ouTags.tags)).toBe('{"__proto__":"ou"}');
    const role = cs.changes.find((c) => c.kind === 'update-role');
    expect(role?.kind === 'update-role' && JSON.stringify(role.update.tags)).toBe('{"__proto__":"r"}');
  });
});
