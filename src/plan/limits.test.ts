import { describe, expect, it } from 'vitest';
import type { OrganizationModel, PolicyDocument, Role } from '../model/organization.js';
import { planFromYaml } from './index.js';
import { checkLimits, LIMITS } from './limits.js';
import { minifiedLength } from './role-policies.js';

const HEAD = `version: 1
organization:
  name: acme
  managementAccount: { name: acme-management, email: aws-management@acme.example }
  emailTemplate: "aws+{account}@acme.example"
  regions: [us-east-1]
QUOTAS
phases:
  - { name: dev }
  - { name: prod, production: true }
businessUnits:
  - { name: retail }
guardrails:
`;

/** A spec with `n` small custom guardrails at the root (plus AWS's FullAWSAccess there). */
function specWithGuardrails(n: number, quotas = ''): string {
  const services = ['gamelift', 'lightsail', 'braket', 'mediaconnect', 'iot', 'sagemaker', 'redshift', 'glue', 'athena', 'kinesis', 'sns'];
  const rails = services.slice(0, n).map((s) => `  - name: deny-${s}\n    policy: { Version: "2012-10-17", Statement: [{ Effect: Deny, Action: "${s}:*", Resource: "*" }] }\n`);
  return HEAD.replace('QUOTAS', quotas) + rails.join('');
}

/** A valid SCP of exactly `chars` characters once minified. */
function scpOf(chars: number): PolicyDocument {
  const make = (pad: string) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:DeleteObject', Resource: `arn:aws:s3:::b/${pad}` }] });
  const doc = make('x'.repeat(chars - minifiedLength(make(''))));
  expect(minifiedLength(doc)).toBe(chars);
  return doc;
}

const errorsOf = (r: { diagnostics: readonly { severity: string; code: string }[] }) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);

describe('organization policy quotas in the planner', () => {
  it('plans a 10,000-character SCP without error (AWS allows 10,240 since May 2026)', () => {
    const yaml = HEAD.replace('QUOTAS', '') + `  - name: big\n    policy: ${JSON.stringify(scpOf(10_000))}\n`;
    const r = planFromYaml(yaml, 'big.yaml');
    expect(errorsOf(r)).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it('allows 10 SCPs on a target and refuses the 11th, FullAWSAccess counting as one', () => {
    expect(errorsOf(planFromYaml(specWithGuardrails(9), 's.yaml'))).toEqual([]);
    const r = planFromYaml(specWithGuardrails(10), 's.yaml');
    expect(r.ok).toBe(false);
    expect(r.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'BH1031', severity: 'error', path: 'guardrails[9]', message: expect.stringContaining('would have 11 SCPs attached') }),
    );
    expect(r.diagnostics.find((d) => d.code === 'BH1031')!.message).toContain('AWS allows 10 per target');
  });

  it('holds an organization that still has 5 SCPs per target to its quota', () => {
    expect(errorsOf(planFromYaml(specWithGuardrails(4, '  quotas: { scpsPerTarget: 5 }'), 's.yaml'))).toEqual([]);
    const r = planFromYaml(specWithGuardrails(5, '  quotas: { scpsPerTarget: 5 }'), 's.yaml');
    expect(r.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'BH1031', severity: 'error', message: expect.stringContaining('`organization.quotas.scpsPerTarget` allows 5 per target') }),
    );
  });

  it('refuses a quota AWS does not offer (SCPs per target cannot be raised above 10)', () => {
    const r = planFromYaml(specWithGuardrails(1, '  quotas: { scpsPerTarget: 12 }'), 's.yaml');
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ code: 'BH1003', path: 'organization.quotas.scpsPerTarget' }));
  });
});

/** A planned model with one role, to change per test. */
function plannedModel(): OrganizationModel {
  const yaml = `${HEAD.replace('QUOTAS', '')}  - preset: deny-root-user
roles:
  app:
    assumedFrom: { arn: "arn:aws:iam::111122223333:role/ci" }
    access: { dev: { capabilities: [read-data], services: [s3] } }
`;
  const r = planFromYaml(yaml, 'm.yaml');
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  return r.value;
}

function withRole(m: OrganizationModel, change: (r: Role) => Role): OrganizationModel {
  return { ...m, roles: m.roles.map((r, i) => (i === 0 ? change(r) : r)) };
}

function trustOf(chars: number): PolicyDocument {
  const make = (pad: string) => ({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:PrincipalTag/team': pad } } }],
  });
  return make('x'.repeat(chars - minifiedLength(make(''))));
}

const find = (m: OrganizationModel, code: string) => checkLimits(m, { accountQuota: 100 }).map((l) => l.diagnostic).filter((d) => d.code === code);

describe('IAM limits per kind', () => {
  it('warns for a trust policy over the 2,048 default and errs only over the 4,096 maximum', () => {
    const m = plannedModel();
    expect(find(withRole(m, (r) => ({ ...r, trustPolicy: trustOf(2048) })), 'BH1036')).toEqual([]);
    expect(find(withRole(m, (r) => ({ ...r, trustPolicy: trustOf(3000) })), 'BH1036')).toMatchObject([{ severity: 'warning', message: expect.stringContaining('request an increase') }]);
    expect(find(withRole(m, (r) => ({ ...r, trustPolicy: trustOf(4097) })), 'BH1036')).toMatchObject([{ severity: 'error' }]);
  });

  it('checks customer managed policies against 6,144 but not AWS managed ones', () => {
    const m = plannedModel();
    const big = scpOf(7000);
    const customer = withRole(m, (r) => ({ ...r, policies: [{ name: 'mine', kind: 'managed', document: big }] }));
    expect(find(customer, 'BH1037')).toMatchObject([{ severity: 'error' }]);
    const aws = withRole(m, (r) => ({ ...r, policies: [{ name: 'ReadOnlyAccess', kind: 'managed', arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', document: big }] }));
    expect(find(aws, 'BH1037')).toEqual([]);
  });

  it('warns above 10 managed policies per role (a raisable default) and errs above 25', () => {
    const m = plannedModel();
    const attach = (n: number) => withRole(m, (r) => ({ ...r, policies: Array.from({ length: n }, (_, i) => ({ name: `p${i}`, kind: 'managed' as const, document: scpOf(200) })) }));
    expect(find(attach(LIMITS.managedPoliciesPerRoleMax), 'BH1039')).toEqual([]);
    expect(find(attach(11), 'BH1039')).toMatchObject([{ severity: 'warning' }]);
    expect(find(attach(26), 'BH1039')).toMatchObject([{ severity: 'error' }]);
  });
});

describe('RCP quotas', () => {
  it('refuses an RCP over 5,120 characters and a sixth RCP on a target, and honours lowered quotas', () => {
    const m = plannedModel();
    const rcp = (name: string, chars: number) => ({ name, document: scpOf(chars), targets: [{ ou: 'Root' }] });
    const model = { ...m, resourceControlPolicies: [rcp('RCPFullAWSAccess', 200), rcp('big', 5121), ...[1, 2, 3, 4].map((i) => rcp(`r${i}`, 200))] };
    const codes = checkLimits(model, { accountQuota: 100 }).map((l) => `${l.diagnostic.code} ${l.diagnostic.severity}`);
    expect(codes).toEqual(expect.arrayContaining(['BH1046 error', 'BH1047 error']));
    const lowered = checkLimits({ ...m, resourceControlPolicies: [rcp('RCPFullAWSAccess', 200), rcp('r1', 3000)] }, { accountQuota: 100, orgPolicyQuotas: { rcpCharacters: 2000, rcpsPerTarget: 1 } });
    expect(lowered.map((l) => l.diagnostic.message)).toEqual([
      'RCP `r1` is 3000 characters once minified; `organization.quotas.rcpCharacters` allows 2000: split it into two resource control policies or use wildcards',
      '`Root` would have 2 RCPs attached (`RCPFullAWSAccess`, `r1`); `organization.quotas.rcpsPerTarget` allows 1 per target: merge resource control policies or attach some one level up',
    ]);
  });
});
