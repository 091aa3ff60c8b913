import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../diagnostics/diagnostic.js';
import type { OrganizationModel } from '../model/organization.js';
import { isIdentityCenterRole } from '../model/query.js';
import { renderPlanText } from '../report/plan-text.js';
import { planFromYaml } from './index.js';
import { ACME_SPEC_HEAD } from '../../test-support/acme-spec.js';

const base = (extra: string, regions = '[us-east-1]', shared = '[identity]') => `version: 1
organization:
  name: acme
  managementAccount: { name: acme-management, email: aws-management@acme.example }
  emailTemplate: "aws+{account}@acme.example"
  regions: ${regions}
phases:
  - { name: dev }
  - { name: prod, production: true }
businessUnits:
  - { name: retail }
  - { name: bi }
sharedAccounts: ${shared}
${extra}`;

function plan(text: string): OrganizationModel {
  const r = planFromYaml(text, 'spec.yaml');
  if (!r.ok) throw new Error(r.diagnostics.map(formatDiagnostic).join('\n'));
  return r.value;
}

const roles = `roles:
  appeng:
    description: application engineers
    access:
      dev: { capabilities: [read-data, write-data] }
      prod: { capabilities: [read-config] }
`;

describe('identity-center', () => {
  const spec = base(`${roles}identity:
  provider: identity-center
  sessionDuration: PT8H
  groups:
    - { name: engineers, members: [bob, alice], roles: ["appeng@*"] }
    - { name: retail-oncall, roles: [retail/appeng@prod] }
`, '[eu-west-1, us-east-1]');

  it('makes one permission set per role × phase used, assigned per account, with the role AWS creates there', () => {
    const m = plan(spec);
    expect(m.identity?.permissionSets.map((p) => `${p.name} ${p.sessionDuration}`)).toEqual(['dev-appeng PT8H', 'prod-appeng PT8H']);
    expect(m.identity?.assignments.map((a) => `${a.group} ${a.permissionSet} ${a.account}`)).toEqual([
      'engineers dev-appeng bi-dev',
      'engineers dev-appeng retail-dev',
      'engineers prod-appeng bi-prod',
      'engineers prod-appeng retail-prod',
      'retail-oncall prod-appeng retail-prod',
    ]);
    expect(m.identity?.users.map((u) => u.name)).toEqual(['alice', 'bob']);
    // no plain IAM role `appeng`: it has no assumedFrom, so people reach it only through Identity Center
    expect(m.roles.filter((r) => r.name === 'appeng')).toEqual([]);
    const sso = m.roles.filter(isIdentityCenterRole);
    expect(sso.map((r) => r.account)).toEqual(['bi-dev', 'bi-prod', 'retail-dev', 'retail-prod']);
    const devRole = sso.find((r) => r.account === 'retail-dev')!;
    expect(devRole.name).toMatch(/^AWSReservedSSO_dev-appeng_[0-9a-f]{16}$/);
    // the home region is not us-east-1, so it is part of the path
    expect(devRole.path).toBe('/aws-reserved/sso.amazonaws.com/eu-west-1/');
    expect(devRole.policies.map((p) => `${p.kind}:${p.name}`)).toEqual(['managed:dev-appeng']);
    const trust = JSON.stringify(devRole.trustPolicy);
    expect(trust).toMatch(/saml-provider\/AWSSSO_[0-9a-f]{16}_DO_NOT_DELETE/);
    expect(trust).toContain('"Action":["sts:AssumeRoleWithSAML","sts:TagSession"]');
    // the permission set carries the same per-phase capability policy as the role it stands for
    expect(m.identity?.permissionSets[0]!.policies[0]!.document).toEqual(devRole.policies[0]!.document);
  });

  it('is deterministic and explains itself in the sizing and the tree', () => {
    expect(JSON.stringify(plan(spec))).toBe(JSON.stringify(plan(spec)));
    const m = plan(spec);
    expect(m.sizing?.identity?.map((l) => l.category)).toEqual(['permission-sets', 'assignments']);
    expect(m.sizing?.identity?.[0]?.explanation).toBe('2 permission sets `{phase}-{role}`: 1 role × the phases groups use them in (appeng: dev, prod)');
    expect(m.sizing?.total).toBe(m.accounts.length);
    const text = renderPlanText(m);
    expect(text).toContain('People: IAM Identity Center, home region eu-west-1\n  group engineers (alice, bob)\n    dev-appeng → bi-dev, retail-dev\n    prod-appeng → bi-prod, retail-prod\n  group retail-oncall\n    prod-appeng → retail-prod\n');
  });
});

describe('identity-account', () => {
  it('gives each group a source role in the identity account that its runtime roles trust, and nothing more', () => {
    const m = plan(base(`${roles}identity:
  provider: identity-account
  groups:
    - { name: retail-engineers, roles: [retail/appeng@dev] }
`));
    // only retail-dev is reached: the other instances of `appeng` have no one to trust and are not planned
    expect(m.roles.filter((r) => r.name === 'appeng').map((r) => r.account)).toEqual(['retail-dev']);
    const target = m.roles.find((r) => r.name === 'appeng')!;
    expect(JSON.stringify(target.trustPolicy)).toContain('"aws:PrincipalArn":"arn:aws:iam::{{account:identity}}:role/retail-engineers"');
    const source = m.roles.find((r) => r.account === 'identity' && r.name === 'retail-engineers')!;
    expect(JSON.stringify(source.policies[0]!.document)).toContain('"Resource":"arn:aws:iam::{{account:retail-dev}}:role/appeng"');
    expect(JSON.stringify(source.trustPolicy)).toContain('"aws:MultiFactorAuthPresent":"true"');
    expect(m.identity?.assignments).toEqual([{ group: 'retail-engineers', account: 'retail-dev', role: 'appeng', sourceRole: 'retail-engineers' }]);
    expect(m.identity?.permissionSets).toEqual([]);
    expect(renderPlanText(m)).toContain('People: source roles in the identity account (identity)\n  group retail-engineers\n    appeng → retail-dev (via identity/retail-engineers)\n');
  });

  it("designs the source role an existing `assumedFrom: { account: identity }` trusts", () => {
    const m = plan(base(`roles:
  appeng:
    assumedFrom: { account: identity }
    access: { dev: { capabilities: [read-data] } }
identity: { provider: identity-account }
`));
    const source = m.roles.find((r) => r.account === 'identity' && r.name === 'appeng')!;
    expect(source).toBeDefined();
    const resources = (source.policies[0]!.document as { Statement: { Resource: string[] }[] }).Statement[0]!.Resource;
    expect(resources).toEqual(['arn:aws:iam::{{account:bi-dev}}:role/appeng', 'arn:aws:iam::{{account:retail-dev}}:role/appeng']);
  });
});

describe('without identity', () => {
  it('plans no identity section and still requires `assumedFrom` with the same words', () => {
    expect(plan(base(`roles:
  appeng:
    assumedFrom: { account: identity }
    access: { dev: { capabilities: [read-data] } }
`)).identity).toBeUndefined();
    const r = planFromYaml(base(`roles:
  appeng:
    access: { dev: { capabilities: [read-data] } }
`), 'spec.yaml');
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map(formatDiagnostic)).toEqual(['spec.yaml:16:5: error BH1005: missing required key `assumedFrom`; add it (at roles.appeng.assumedFrom)']);
  });
});

describe('a permission set over a bad access scope', () => {
  it('is reported once at the role and plans nothing, instead of throwing', () => {
    const text = base(`roles:
  appeng:
    access:
      dev: { capabilities: [read-data], services: [s3x] }
identity:
  provider: identity-center
  groups:
    - { name: engineers, roles: [appeng@dev] }
`);
    const r = planFromYaml(text, 'spec.yaml');
    expect(r.ok).toBe(false);
    const lines = r.diagnostics.map(formatDiagnostic);
    expect(lines.filter((l) => l.includes('unknown AWS service prefix `s3x`'))).toHaveLength(1);
  });
});

describe('identity store names', () => {
  const spec = (members: string, group = 'engineers') => base(`${roles}identity:
  provider: identity-center
  groups:
    - { name: ${group}, members: ${members}, roles: [appeng@dev] }
`);
  const errors = (text: string) => {
    const r = planFromYaml(text, 'spec.yaml');
    return r.diagnostics.filter((d) => d.code === 'BH1065').map(formatDiagnostic);
  };
  it('accepts ordinary names and refuses over-long, control-character and reserved ones at their position', () => {
    expect(errors(spec('[alice, bob.smith@example.com]'))).toEqual([]);
    const long = errors(spec(`[${'x'.repeat(129)}]`));
    expect(long).toHaveLength(1);
    expect(long[0]).toMatch(/^spec\.yaml:\d+:\d+: error BH1065: user name `x{40}…\(129 characters\)` is not 1–128/);
    expect(errors(spec('["a\\u0007b"]'))).toHaveLength(1);
    expect(errors(spec('[Administrator]'))[0]).toContain('reserved');
    expect(errors(spec('[alice]', 'AWSAdministrators'))[0]).toContain('group name `AWSAdministrators` is reserved');
  });
});

describe('identity: a business unit with `phases: []` and custom accounts', () => {
  const spec = `${ACME_SPEC_HEAD}businessUnits:
  - { name: retail }
  - { name: legacy, phases: [] }
sharedAccounts: [identity]
accounts:
  - { name: legacy-shop, ou: Workloads/Prod, businessUnit: legacy, phase: prod }
${roles}identity:
  provider: identity-center
  groups:
    - { name: legacy-oncall, roles: [legacy/appeng@prod] }
`;

  it('counts the custom accounts naming the unit and a phase: `bu/role@phase` reaches them', () => {
    const r = planFromYaml(spec, 'spec.yaml');
    expect(r.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([]);
    const m = plan(spec);
    expect(m.identity?.assignments.map((a) => `${a.group} ${a.permissionSet} ${a.account}`)).toEqual(['legacy-oncall prod-appeng legacy-shop']);
  });

  it('still refuses a phase the unit has no account in', () => {
    const r = planFromYaml(spec.replace('legacy/appeng@prod', 'legacy/appeng@dev'), 'spec.yaml');
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`)).toEqual([expect.stringMatching(/^BH1062 business unit `legacy` has no `dev` account \(it has accounts in `prod` only/)]);
  });
});
