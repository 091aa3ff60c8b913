import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { OrganizationModel, PolicyDocument, Role, User } from '../model/organization.js';
import { createEngineEvaluator } from './engine-adapter.js';
import type { Finding } from './finding.js';
import { assembleGraph, candidatePairs, evaluateShare } from './graph.js';
import { prepareVerify, verifyModel } from './verify.js';
import { possibleActions } from './escalation.js';

const base = JSON.parse(readFileSync(new URL('./testdata/small-org.json', import.meta.url), 'utf8')) as OrganizationModel;

const DEV = '222222222222';
const PROD = '333333333333';
const doc = (...Statement: object[]): PolicyDocument => ({ Version: '2012-10-17', Statement }) as unknown as PolicyDocument;
const trustAws = (arn: string) => doc({ Effect: 'Allow', Principal: { AWS: arn }, Action: 'sts:AssumeRole' });
const trustService = (service: string) => doc({ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' });
const role = (account: string, name: string, trustPolicy: PolicyDocument, ...docs: PolicyDocument[]): Role => ({
  account,
  name,
  path: '/',
  tags: {},
  trustPolicy,
  policies: docs.map((document, i) => ({ name: `p${i}`, kind: 'inline' as const, document })),
});

const ADMIN = doc({ Sid: 'Admin', Effect: 'Allow', Action: '*', Resource: '*' });
const LAMBDA = doc({ Sid: 'Lambda', Effect: 'Allow', Action: ['lambda:CreateFunction', 'lambda:InvokeFunction'], Resource: '*' });
const passDeployer = (condition?: object) =>
  doc({ Sid: 'Pass', Effect: 'Allow', Action: 'iam:PassRole', Resource: `arn:aws:iam::${DEV}:role/deployer`, ...(condition ? { Condition: condition } : {}) });

/** The dev→prod chain: appeng passes `deployer` to Lambda; deployer assumes prod's `prod-deploy`, which is admin. */
function org(options: { appeng?: PolicyDocument[]; deployerTrust?: PolicyDocument; scps?: OrganizationModel['serviceControlPolicies']; users?: User[]; prodTrust?: PolicyDocument } = {}): OrganizationModel {
  const roles = [
    role('retail-dev', 'appeng', trustAws(`arn:aws:iam::${DEV}:root`), ...(options.appeng ?? [passDeployer(), LAMBDA])),
    role('retail-dev', 'deployer', options.deployerTrust ?? trustService('lambda.amazonaws.com'), doc({ Sid: 'Up', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${PROD}:role/prod-deploy` })),
    role('retail-prod', 'prod-deploy', options.prodTrust ?? trustAws(`arn:aws:iam::${DEV}:role/deployer`), ADMIN),
  ];
  return { ...base, roles, users: options.users ?? [], serviceControlPolicies: options.scps ?? [] };
}

function escalations(model: OrganizationModel): Finding[] {
  return verifyModel(model, { target: 't', evaluator: createEngineEvaluator() }).findings.filter((f) => f.rule === 'escalation.path');
}

const fromAppeng = (fs: Finding[]) => fs.filter((f) => f.principal === `arn:aws:iam::${DEV}:role/appeng` && f.account === 'retail-prod');

describe('escalation.path', () => {
  it('finds dev appeng → deployer (pass-role:lambda) → prod-deploy (assume), admin of prod, with evidence per hop', () => {
    const [f, ...rest] = fromAppeng(escalations(org()));
    expect(rest).toEqual([]);
    expect(f).toBeDefined();
    expect(f!.severity).toBe('critical');
    expect(f!.path).toEqual([`arn:aws:iam::${DEV}:role/appeng`, `arn:aws:iam::${DEV}:role/deployer`, `arn:aws:iam::${PROD}:role/prod-deploy`]);
    expect(f!.message).toBe(
      'dev principal `retail-dev/appeng` can become admin of prod account `retail-prod` via `appeng` → `deployer` (pass-role:lambda) → `prod-deploy` (assume), where `prod-deploy` can grant itself any permission (iam-modify:put-role-policy); remove the granting statements listed as evidence or deny the actions with an SCP',
    );
    const ev = f!.evidence.map((e) => `${e.note}: ${e.source}#${e.statement}`);
    expect(ev).toContain('appeng → deployer (pass-role:lambda): role retail-dev/appeng policy inline:p0#Pass');
    expect(ev).toContain('appeng → deployer (pass-role:lambda): role retail-dev/appeng policy inline:p1#Lambda');
    expect(ev).toContain('appeng → deployer (pass-role:lambda): role retail-dev/deployer trust policy##0');
    expect(ev).toContain('deployer → prod-deploy (assume): role retail-dev/deployer policy inline:p0#Up');
    expect(ev).toContain('prod-deploy → prod-deploy (iam-modify:put-role-policy): role retail-prod/prod-deploy policy inline:p0#Admin');
  });

  it('is pruned by an SCP that denies iam:PassRole in the dev account', () => {
    const scps: OrganizationModel['serviceControlPolicies'] = [
      { name: 'FullAWSAccess', managedBy: 'aws', document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }), targets: [{ ou: 'Root' }, { ou: 'Root/Workloads' }, { ou: 'Root/Workloads/Dev' }, { ou: 'Root/Workloads/Prod' }, ...base.accounts.map((a) => ({ account: a.name }))] },
      { name: 'deny-passrole', document: doc({ Sid: 'NoPass', Effect: 'Deny', Action: 'iam:PassRole', Resource: '*' }), targets: [{ account: 'retail-dev' }] },
    ];
    expect(fromAppeng(escalations(org({ scps: scps.slice(0, 1) })))).toHaveLength(1);
    expect(fromAppeng(escalations(org({ scps })))).toEqual([]);
  });

  it('is pruned by an iam:PassedToService condition that allows EC2 only', () => {
    const appeng = [passDeployer({ StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } }), LAMBDA];
    expect(fromAppeng(escalations(org({ appeng })))).toEqual([]);
    // the same condition lets the role go to EC2: the edge is there once the role trusts EC2 and appeng runs instances
    const ec2 = doc({ Sid: 'Run', Effect: 'Allow', Action: 'ec2:RunInstances', Resource: '*' });
    const [f] = fromAppeng(escalations(org({ appeng: [...appeng, ec2], deployerTrust: trustService('ec2.amazonaws.com') })));
    expect(f?.message).toContain('`deployer` (pass-role:ec2)');
  });

  it('is pruned when the role does not trust the service', () => {
    expect(fromAppeng(escalations(org({ deployerTrust: trustService('ec2.amazonaws.com') })))).toEqual([]);
    expect(fromAppeng(escalations(org({ deployerTrust: trustService('lambda.amazonaws.com') })))).toHaveLength(1);
  });

  it('follows iam:UpdateAssumeRolePolicy on a role', () => {
    const appeng = [doc({ Sid: 'Trust', Effect: 'Allow', Action: 'iam:UpdateAssumeRolePolicy', Resource: `arn:aws:iam::${DEV}:role/deployer` })];
    const [f] = fromAppeng(escalations(org({ appeng, deployerTrust: trustService('ec2.amazonaws.com') })));
    expect(f?.message).toContain('via `appeng` → `deployer` (iam-modify:update-assume-role-policy) → `prod-deploy` (assume)');
    expect(f!.evidence.map((e) => `${e.source}#${e.statement}`)).toContain('role retail-dev/appeng policy inline:p0#Trust');
  });

  it('follows iam:CreateAccessKey on a user', () => {
    const ci: User = {
      account: 'retail-dev',
      name: 'ci',
      path: '/',
      tags: {},
      groups: [],
      policies: [{ name: 'up', kind: 'inline', document: doc({ Sid: 'Up', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${PROD}:role/prod-deploy` }) }],
    };
    const appeng = [doc({ Sid: 'Keys', Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: `arn:aws:iam::${DEV}:user/ci` })];
    const [f] = fromAppeng(escalations(org({ appeng, users: [ci], prodTrust: trustAws(`arn:aws:iam::${DEV}:user/ci`) })));
    expect(f?.path).toEqual([`arn:aws:iam::${DEV}:role/appeng`, `arn:aws:iam::${DEV}:user/ci`, `arn:aws:iam::${PROD}:role/prod-deploy`]);
    expect(f!.message).toContain('(iam-modify:create-access-key)');
  });

  it('reports nothing for a principal that is admin of its own account by itself', () => {
    const fs = escalations(org({ appeng: [ADMIN], deployerTrust: trustService('ec2.amazonaws.com'), prodTrust: trustAws(`arn:aws:iam::${PROD}:root`) }));
    expect(fs.filter((f) => f.account === 'retail-dev')).toEqual([]);
  });

  it('follows SSM to a managed instance role (trusts EC2, its agent may register)', () => {
    const agent = doc({ Sid: 'Agent', Effect: 'Allow', Action: 'ssm:UpdateInstanceInformation', Resource: '*' });
    const appeng = [doc({ Sid: 'Cmd', Effect: 'Allow', Action: 'ssm:SendCommand', Resource: '*' })];
    const model = org({ appeng, deployerTrust: trustService('ec2.amazonaws.com') });
    // without the agent permission the role is no managed instance's role
    expect(fromAppeng(escalations(model))).toEqual([]);
    const roles = model.roles.map((r) => (r.name === 'deployer' ? { ...r, policies: [...r.policies, { name: 'agent', kind: 'inline' as const, document: agent }] } : r));
    const [f] = fromAppeng(escalations({ ...model, roles }));
    expect(f?.message).toContain('`deployer` (instance-role:ssm)');
    expect(f!.evidence.map((e) => `${e.source}#${e.statement}`)).toEqual(expect.arrayContaining(['role retail-dev/appeng policy inline:p0#Cmd', 'role retail-dev/deployer policy inline:agent#Agent']));
  });

  it('a principal that can put a policy on a role it can pass reaches admin of its own account (medium)', () => {
    const put = doc({ Sid: 'Put', Effect: 'Allow', Action: 'iam:PutRolePolicy', Resource: `arn:aws:iam::${DEV}:role/deployer` });
    const fs = escalations(org({ appeng: [passDeployer(), LAMBDA, put], prodTrust: trustAws(`arn:aws:iam::${PROD}:root`) }));
    const own = fs.filter((f) => f.account === 'retail-dev' && f.principal.endsWith(':role/appeng'));
    expect(own).toHaveLength(1);
    expect(own[0]!.severity).toBe('medium');
    expect(own[0]!.message).toContain('`appeng` can grant `deployer` any permission (iam-modify:put-role-policy)');
  });

  it('a boundary keeps a role from granting itself anything unless it can lift the boundary', () => {
    const boundary = { name: 'fence', kind: 'managed' as const, document: doc({ Effect: 'Allow', Action: ['s3:*', 'iam:DeleteRolePermissionsBoundary'], Resource: '*' }) };
    const withBoundary = (m: OrganizationModel, name: string, b: typeof boundary): OrganizationModel => ({ ...m, roles: m.roles.map((r) => (r.name === name ? { ...r, permissionBoundary: b } : r)) });
    const fenced = (b: typeof boundary) => withBoundary(org({ appeng: [ADMIN], deployerTrust: trustService('ec2.amazonaws.com') }), 'appeng', b);
    const own = (m: OrganizationModel) => escalations(m).filter((f) => f.account === 'retail-dev' && f.principal.endsWith(':role/appeng'));
    // the boundary allows lifting itself: appeng can delete it and then grant itself anything
    const [f] = own(fenced(boundary));
    expect(f?.message).toContain('(iam-modify:delete-role-permissions-boundary+put-role-policy)');
    // a boundary that does not allow lifting keeps it inside s3
    expect(own(fenced({ ...boundary, document: doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }) }))).toEqual([]);
  });

  it('finds the same edges however the principals are split into shares', () => {
    const put = doc({ Sid: 'Put', Effect: 'Allow', Action: ['iam:PutRolePolicy', 'ssm:SendCommand'], Resource: '*' });
    const p = prepareVerify(org({ appeng: [passDeployer(), LAMBDA, put] }), {});
    const c = candidatePairs(p.principals, p.resources);
    const one = assembleGraph(p.principals, p.resources, c, [evaluateShare(p.principals, p.resources, c, createEngineEvaluator())]);
    const split = [1, 0].map((k) => evaluateShare(p.principals, p.resources, c, createEngineEvaluator(), (i) => i % 2 === k));
    const two = assembleGraph(p.principals, p.resources, c, split);
    expect(one.escalations.length).toBeGreaterThan(0);
    expect(two.escalations).toEqual(one.escalations);
  });
});

describe('the structural pre-filter', () => {
  const allow = (Action: string | string[]): PolicyDocument => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action, Resource: '*' }] });
  it('matches action patterns case-insensitively with * and ?', () => {
    const found = possibleActions([allow(['IAM:PassRol?', 'lambda:Create*'])]);
    expect(found.has('iam:passrole')).toBe(true);
    expect([...found].some((a) => a.startsWith('lambda:create'))).toBe(true);
  });
  it('treats pattern text as text: regex syntax and a huge pattern neither throw nor match wrongly', () => {
    expect(possibleActions([allow(['iam:(PassRole|x)', 'iam:Pass.*', `s3:${'GetObject'.repeat(200_000)}`])]).size).toBe(0);
  });
});
