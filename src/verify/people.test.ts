import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { IdentityModel, OrganizationModel, PolicyDocument, Role, User } from '../model/organization.js';
import { createEngineEvaluator } from './engine-adapter.js';
import type { Finding } from './finding.js';
import { renderTerminal } from '../report/terminal.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderHtml } from '../report/html.js';
import { renderSarif } from '../report/sarif.js';
import { verifyModel } from './verify.js';

const base = JSON.parse(readFileSync(new URL('./testdata/small-org.json', import.meta.url), 'utf8')) as OrganizationModel;

const DEV = '222222222222';
const PROD = '333333333333';
const doc = (...Statement: object[]): PolicyDocument => ({ Version: '2012-10-17', Statement }) as unknown as PolicyDocument;
const trustAws = (arn: string) => doc({ Effect: 'Allow', Principal: { AWS: arn }, Action: 'sts:AssumeRole' });
const trustService = (service: string) => doc({ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' });
const SAML = doc({ Sid: 'Saml', Effect: 'Allow', Principal: { Federated: `arn:aws:iam::${DEV}:saml-provider/AWSSSO_x_DO_NOT_DELETE` }, Action: 'sts:AssumeRoleWithSAML' });
const role = (account: string, name: string, trustPolicy: PolicyDocument, ...docs: PolicyDocument[]): Role => ({
  account,
  name,
  path: name.startsWith('AWSReservedSSO_') ? '/aws-reserved/sso.amazonaws.com/' : '/',
  tags: {},
  trustPolicy,
  policies: docs.map((document, i) => ({ name: `p${i}`, kind: 'inline' as const, document })),
});
const ADMIN = doc({ Sid: 'Admin', Effect: 'Allow', Action: '*', Resource: '*' });
const LAMBDA = doc({ Sid: 'Lambda', Effect: 'Allow', Action: ['lambda:CreateFunction', 'lambda:InvokeFunction'], Resource: '*' });
const PASS = doc({ Sid: 'Pass', Effect: 'Allow', Action: 'iam:PassRole', Resource: `arn:aws:iam::${DEV}:role/prod-deploy` });
const SSO_DEV = 'AWSReservedSSO_dev-appeng_0123456789abcdef';

/** People in group retail-devs land in the dev SSO role, which passes `prod-deploy` to Lambda; prod-deploy assumes prod's admin `deployer`. */
function org(identity: Partial<IdentityModel> = {}, extraRoles: Role[] = []): OrganizationModel {
  const roles = [
    role('retail-dev', SSO_DEV, SAML, PASS, LAMBDA),
    role('retail-dev', 'prod-deploy', trustService('lambda.amazonaws.com'), doc({ Sid: 'Up', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${PROD}:role/deployer` })),
    role('retail-prod', 'deployer', trustAws(`arn:aws:iam::${DEV}:role/prod-deploy`), ADMIN),
    ...extraRoles,
  ];
  const model: IdentityModel = {
    provider: 'identity-center',
    groups: [{ name: 'retail-devs', members: ['bob', 'alice'] }],
    users: [{ name: 'alice' }, { name: 'bob' }],
    permissionSets: [{ name: 'dev-appeng', sessionDuration: 'PT1H', policies: [], tags: {} }],
    assignments: [{ group: 'retail-devs', account: 'retail-dev', role: SSO_DEV, permissionSet: 'dev-appeng' }],
    ...identity,
  };
  return { ...base, roles, identity: model };
}

const verify = (model: OrganizationModel) => verifyModel(model, { target: 't', evaluator: createEngineEvaluator() });
const ssoArn = (account: string, name: string) => `arn:aws:iam::${account}:role/aws-reserved/sso.amazonaws.com/${name}`;
const byRule = (fs: readonly Finding[], rule: string) => fs.filter((f) => f.rule === rule);

describe('people in verify', () => {
  it('an escalation path starts at the people who land in the Identity Center role, with the assignment as evidence', () => {
    const report = verify(org());
    const [f, ...rest] = byRule(report.findings, 'escalation.path').filter((x) => x.principal === ssoArn(DEV, SSO_DEV));
    expect(rest).toEqual([]);
    expect(f!.people).toEqual([{ group: 'retail-devs', members: ['alice', 'bob'], permissionSet: 'dev-appeng', account: 'retail-dev' }]);
    expect(f!.message.startsWith(`people of group \`retail-devs\` (\`alice\`, \`bob\`) through permission set \`dev-appeng\` land in \`retail-dev/${SSO_DEV}\`: dev principal`)).toBe(true);
    expect(f!.path).toEqual([ssoArn(DEV, SSO_DEV), `arn:aws:iam::${DEV}:role/prod-deploy`, `arn:aws:iam::${PROD}:role/deployer`]);
    const ev = f!.evidence.map((e) => `${e.source}#${e.statement}`);
    expect(ev).toContain('identity-center group retail-devs#assignment dev-appeng in retail-dev');
    expect(ev).toContain(`role retail-dev/${SSO_DEV} policy inline:p0#Pass`);
    // the role that is not where people land keeps its finding without people
    const other = byRule(report.findings, 'escalation.path').find((x) => x.principal === `arn:aws:iam::${DEV}:role/prod-deploy`);
    expect(other).toBeDefined();
    expect(other!.people).toBeUndefined();
  });

  it('the summary lists people → permission set → role, and the reports show them (the word once)', () => {
    const report = verify(org());
    expect(report.summary.people).toEqual({
      provider: 'identity-center',
      users: 2,
      groups: 1,
      permissionSets: 1,
      assignments: 1,
      unmatched: 0,
      paths: [{ group: 'retail-devs', members: ['alice', 'bob'], permissionSet: 'dev-appeng', accounts: ['retail-dev'], principals: [`retail-dev/${SSO_DEV}`] }],
    });
    const text = renderTerminal(report);
    expect(text).toContain(`people alice, bob (group retail-devs) -> permission set dev-appeng -> retail-dev/${SSO_DEV}`);
    expect(text).toContain(`      via people alice, bob (group retail-devs) -> permission set dev-appeng -> retail-dev/${SSO_DEV}`);
    const md = renderMarkdown(report, new Date(0));
    expect(md).toContain('## People (identity-center)');
    expect(md).toContain('- via people alice, bob (group retail-devs) → permission set dev-appeng →');
    expect(renderHtml(report, new Date(0))).toContain(`via people alice, bob (group retail-devs) → permission set dev-appeng → retail-dev/${SSO_DEV}`);
    expect(renderSarif(report, { artifactUri: 'spec.yaml' })).toContain('"group": "retail-devs"');
    for (const out of [text, md, renderHtml(report, new Date(0))]) expect(out).not.toContain('people people');
  });

  it('matches a live AWSReservedSSO_ role by permission set name when the assignment names another suffix', () => {
    const identity = { assignments: [{ group: 'retail-devs', account: 'retail-dev', role: 'AWSReservedSSO_dev-appeng_ffffffffffffffff', permissionSet: 'dev-appeng' }] };
    const report = verify(org(identity));
    expect(report.summary.people.paths[0]?.principals).toEqual([`retail-dev/${SSO_DEV}`]);
    expect(byRule(report.findings, 'escalation.path').some((f) => f.people !== undefined)).toBe(true);
  });

  it('an assignment without its role in the model is a BH7200 warning, not a silent gap', () => {
    const identity = { assignments: [{ group: 'retail-devs', account: 'retail-prod', role: 'AWSReservedSSO_prod-appeng_0000000000000000', permissionSet: 'prod-appeng' }] };
    const report = verify(org(identity));
    expect(report.summary.people.unmatched).toBe(1);
    expect(report.summary.warnings).toEqual([
      'BH7200: permission set `prod-appeng` of group `retail-devs` in account `retail-prod` has no role in the model, so the group\'s people paths there are left out; collect the account\'s IAM roles (or plan the assignment again)',
    ]);
  });

  it('identity.nonprod-group-in-prod: a dev group also assigned a production permission set', () => {
    const SSO_PROD = 'AWSReservedSSO_prod-appeng_89abcdef01234567';
    const prodRole = role('retail-prod', SSO_PROD, SAML, doc({ Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }));
    const assignments = [
      { group: 'retail-devs', account: 'retail-dev', role: SSO_DEV, permissionSet: 'dev-appeng' },
      { group: 'retail-devs', account: 'retail-prod', role: SSO_PROD, permissionSet: 'prod-appeng' },
    ];
    const model = { ...org({ assignments }, [prodRole]), resources: [{ account: 'retail-prod', arn: 'arn:aws:s3:::orders', type: 's3:bucket', tags: {} }] };
    const [f, ...rest] = byRule(verify(model).findings, 'identity.nonprod-group-in-prod');
    expect(rest).toEqual([]);
    expect(f!.principal).toBe(ssoArn(PROD, SSO_PROD));
    expect(f!.account).toBe('retail-prod');
    expect(f!.severity).toBe('high');
    expect(f!.capabilities).toEqual(['read-data']);
    expect(f!.evidence.map((e) => e.statement)).toEqual(['assignment prod-appeng in retail-prod', 'assignment dev-appeng in retail-dev']);
    expect(f!.message).toContain('group `retail-devs` works in dev (permission set `dev-appeng` in `retail-dev`) and is also assigned production permission set `prod-appeng` in `retail-prod`');
    // a separate production group is the fix
    const id = model.identity!;
    const split: OrganizationModel = { ...model, identity: { ...id, groups: [...id.groups, { name: 'oncall', members: ['carol'] }], assignments: [assignments[0]!, { ...assignments[1]!, group: 'oncall' }] } };
    expect(byRule(verify(split).findings, 'identity.nonprod-group-in-prod')).toEqual([]);
  });

  it('identity-account groups land in their source role in the identity account', () => {
    const source = role('mystery', 'retail-devs', trustAws(`arn:aws:iam::555555555555:root`), PASS);
    const model = org({ provider: 'identity-account', identityAccount: 'mystery', permissionSets: [], assignments: [{ group: 'retail-devs', account: 'retail-dev', role: 'appeng', sourceRole: 'retail-devs' }] }, [source]);
    const report = verify(model);
    expect(report.summary.people.paths).toEqual([{ group: 'retail-devs', members: ['alice', 'bob'], sourceRole: 'retail-devs', accounts: ['mystery'], principals: ['mystery/retail-devs'] }]);
  });
});

describe('escalation edges added with people', () => {
  const user = (name: string, policies: User['policies'], groups: string[] = []): User => ({ account: 'retail-dev', name, path: '/', policies, groups, tags: {} });
  const inline = (name: string, document: PolicyDocument) => ({ name, kind: 'inline' as const, document });

  it('iam:AddUserToGroup: a user that can add itself to a group whose policies let it grant anything', () => {
    const admins = user('admin-member', [inline('group:admins/admin', ADMIN)], ['admins']);
    const bob = user('bob', [inline('join', doc({ Sid: 'Join', Effect: 'Allow', Action: 'iam:AddUserToGroup', Resource: `arn:aws:iam::${DEV}:group/*` }))]);
    const model: OrganizationModel = { ...base, roles: [], users: [admins, bob] };
    const fs = byRule(verify(model).findings, 'escalation.path').filter((f) => f.principal === `arn:aws:iam::${DEV}:user/bob`);
    expect(fs).toHaveLength(1);
    expect(fs[0]!.message).toContain('(iam-modify:add-user-to-group)');
    expect(fs[0]!.evidence.map((e) => `${e.source}#${e.statement}`)).toContain('user retail-dev/bob policy inline:join#Join');
    // the group resource decides: adding to another group only is no edge
    const narrow = user('bob', [inline('join', doc({ Sid: 'Join', Effect: 'Allow', Action: 'iam:AddUserToGroup', Resource: `arn:aws:iam::${DEV}:group/readers` }))]);
    expect(byRule(verify({ ...model, users: [admins, narrow] }).findings, 'escalation.path').filter((f) => f.principal.endsWith(':user/bob'))).toEqual([]);
  });

  it('iam:SetDefaultPolicyVersion on a customer managed policy attached to another principal', () => {
    const policyArn = `arn:aws:iam::${DEV}:policy/app`;
    const app: Role = { ...role('retail-dev', 'app', trustService('lambda.amazonaws.com')), policies: [{ name: 'app', kind: 'managed', arn: policyArn, document: doc({ Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }) }] };
    const setter = role('retail-dev', 'setter', trustAws(`arn:aws:iam::${DEV}:root`), doc({ Sid: 'SetDefault', Effect: 'Allow', Action: 'iam:SetDefaultPolicyVersion', Resource: policyArn }), doc({ Sid: 'Use', Effect: 'Allow', Action: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'], Resource: '*' }));
    const model: OrganizationModel = { ...base, roles: [app, setter], users: [] };
    const fs = byRule(verify(model).findings, 'escalation.path').filter((f) => f.principal === `arn:aws:iam::${DEV}:role/setter`);
    expect(fs.map((f) => f.message).join('\n')).toContain('(iam-modify:set-default-policy-version)');
  });
});
