/**
 * The planted people cases of examples/violations/ on a live-like organization: built in moto with the SDK
 * (Organizations, IAM Identity Center's sso-admin and identitystore, IAM, S3), collected with the `collectToDirectory`
 * operation into a temporary directory, then verified from the snapshot with `verifyTarget`:
 * (a) a dev group whose permission set can iam:PassRole a prod-deploy role to Lambda, (b) a prod permission set
 * assigned to a dev group, (c) a bucket made public by its bucket policy, (d) a role trust to an account outside the
 * organization. The clean variant (the same organization without the four plants) has none of these findings.
 *
 * moto 5 does not create the `AWSReservedSSO_{permissionSet}_{suffix}` role on CreateAccountAssignment (nor on
 * ProvisionPermissionSet): the builder creates it with IAM, under AWS's reserved path and with the permission set's
 * inline policy as `AwsSSOInlinePolicy`, as AWS does ("Referencing permission sets in resource policies, Amazon EKS
 * cluster ConfigMaps, and AWS KMS key policies", IAM Identity Center User Guide,
 * https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html).
 */
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateAccountAssignmentCommand, CreatePermissionSetCommand, ListInstancesCommand, PutInlinePolicyToPermissionSetCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { CreateGroupCommand, CreateGroupMembershipCommand, CreateUserCommand, IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { describe, expect, it } from 'vitest';
import { collectToDirectory } from '../../src/operations/collect.js';
import { nodeHost } from '../../src/operations/host.js';
import { verifyTarget } from '../../src/operations/verify.js';
import type { Finding } from '../../src/verify/finding.js';
import { freshMotoAndDir, inAccount, motoClientConfig, motoEndpoint } from '../../test-support/moto-client.js';
import { motoOrganization } from '../../test-support/moto-org.js';

const OUTSIDE = '999999999999';
const SSO_PATH = '/aws-reserved/sso.amazonaws.com/';

const doc = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement });
const json = (...Statement: unknown[]) => JSON.stringify(doc(...Statement));

interface Built {
  readonly dev: string;
  readonly prod: string;
  readonly devRole: string;
  readonly prodRole: string;
}

/** The organization: management, retail-dev (OU Dev) and retail-prod (OU Prod), both tagged with their BU. */
async function buildOrganization(): Promise<{ dev: string; prod: string }> {
  const retail = [{ Key: 'BusinessUnit', Value: 'retail' }];
  const { accounts } = await motoOrganization(
    ['Workloads', 'Workloads/Dev', 'Workloads/Prod'],
    [
      { name: 'retail-dev', email: 'aws+retail-dev@acme.example', ou: 'Workloads/Dev', tags: retail },
      { name: 'retail-prod', email: 'aws+retail-prod@acme.example', ou: 'Workloads/Prod', tags: retail },
    ],
  );
  return { dev: accounts.get('retail-dev')!, prod: accounts.get('retail-prod')! };
}

/** One permission set with its inline policy, assigned to `group` in `account`, and the role AWS would create there. */
async function assign(
  ctx: { sso: SSOAdminClient; InstanceArn: string; cfg: ReturnType<typeof motoClientConfig> },
  set: { name: string; policy: ReturnType<typeof doc>; suffix: string },
  group: string,
  account: string,
): Promise<string> {
  const { sso, InstanceArn } = ctx;
  const PermissionSetArn = (await sso.send(new CreatePermissionSetCommand({ InstanceArn, Name: set.name }))).PermissionSet!.PermissionSetArn!;
  await sso.send(new PutInlinePolicyToPermissionSetCommand({ InstanceArn, PermissionSetArn, InlinePolicy: JSON.stringify(set.policy) }));
  await sso.send(new CreateAccountAssignmentCommand({ InstanceArn, TargetId: account, TargetType: 'AWS_ACCOUNT', PermissionSetArn, PrincipalType: 'GROUP', PrincipalId: group }));
  // moto does not create the AWSReservedSSO_ role: create it as AWS names and trusts it.
  const iam = inAccount(new IAMClient(ctx.cfg), account);
  const RoleName = `AWSReservedSSO_${set.name}_${set.suffix}`;
  await iam.send(
    new CreateRoleCommand({
      RoleName,
      Path: SSO_PATH,
      AssumeRolePolicyDocument: json({
        Sid: 'TrustIdentityCenter',
        Effect: 'Allow',
        Principal: { Federated: `arn:aws:iam::${account}:saml-provider/AWSSSO_${set.suffix}_DO_NOT_DELETE` },
        Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession'],
        Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
      }),
    }),
  );
  await iam.send(new PutRolePolicyCommand({ RoleName, PolicyName: 'AwsSSOInlinePolicy', PolicyDocument: JSON.stringify(set.policy) }));
  iam.destroy();
  return `arn:aws:iam::${account}:role${SSO_PATH}${RoleName}`;
}

const LAMBDA_DEPLOY = { Sid: 'LambdaDeploy', Effect: 'Allow', Action: ['lambda:CreateFunction', 'lambda:InvokeFunction', 'lambda:GetFunction'], Resource: '*' };
const READ_DATA = { Sid: 'ReadData', Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' };

/** Identity Center: alice and bob in retail-devs, dev-appeng in dev and (planted (b)) prod-appeng in prod. */
async function buildIdentity(o: { dev: string; prod: string }, planted: boolean): Promise<{ devRole: string; prodRole: string }> {
  const cfg = motoClientConfig();
  const sso = new SSOAdminClient(cfg);
  const ids = new IdentitystoreClient(cfg);
  const inst = (await sso.send(new ListInstancesCommand({}))).Instances![0]!;
  const IdentityStoreId = inst.IdentityStoreId!;
  const user = async (UserName: string) =>
    (await ids.send(new CreateUserCommand({ IdentityStoreId, UserName, DisplayName: UserName, Name: { GivenName: UserName, FamilyName: 'Example' } }))).UserId!;
  const group = (await ids.send(new CreateGroupCommand({ IdentityStoreId, DisplayName: 'retail-devs', Description: 'retail developers' }))).GroupId!;
  for (const name of ['alice', 'bob']) await ids.send(new CreateGroupMembershipCommand({ IdentityStoreId, GroupId: group, MemberId: { UserId: await user(name) } }));
  const ctx = { sso, InstanceArn: inst.InstanceArn!, cfg };
  // planted (a): the dev permission set may pass the dev account's prod-deploy role (to Lambda, which it may deploy)
  const pass = { Sid: 'PassDeployRole', Effect: 'Allow', Action: 'iam:PassRole', Resource: `arn:aws:iam::${o.dev}:role/prod-deploy` };
  const devRole = await assign(ctx, { name: 'dev-appeng', policy: planted ? doc(LAMBDA_DEPLOY, pass) : doc(LAMBDA_DEPLOY), suffix: '0a1b2c3d4e5f6071' }, group, o.dev);
  // planted (b): the production permission set goes to the dev group; clean: to a separate production group
  const prodGroup = planted ? group : (await ids.send(new CreateGroupCommand({ IdentityStoreId, DisplayName: 'retail-prod-support' }))).GroupId!;
  const prodRole = await assign(ctx, { name: 'prod-appeng', policy: doc(READ_DATA), suffix: 'd9e2faece07ce2dd' }, prodGroup, o.prod);
  sso.destroy();
  ids.destroy();
  return { devRole, prodRole };
}

/** IAM roles in dev and prod, a prod bucket; planted (a) chain, (c) public bucket policy and (d) outside trust. */
async function buildResources(o: { dev: string; prod: string }, planted: boolean): Promise<void> {
  const cfg = motoClientConfig();
  const devIam = inAccount(new IAMClient(cfg), o.dev);
  await devIam.send(new CreateRoleCommand({ RoleName: 'prod-deploy', AssumeRolePolicyDocument: json({ Sid: 'TrustLambda', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }) }));
  await devIam.send(
    new PutRolePolicyCommand({ RoleName: 'prod-deploy', PolicyName: 'deploy-to-prod', PolicyDocument: json({ Sid: 'AssumeProdDeployer', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${o.prod}:role/deployer` }) }),
  );
  devIam.destroy();
  const prodIam = inAccount(new IAMClient(cfg), o.prod);
  // clean: the deployer is CloudFormation's, not reachable from the dev account
  const deployerTrust = planted ? { AWS: `arn:aws:iam::${o.dev}:role/prod-deploy` } : { Service: 'cloudformation.amazonaws.com' };
  await prodIam.send(new CreateRoleCommand({ RoleName: 'deployer', AssumeRolePolicyDocument: json({ Sid: 'TrustProdDeploy', Effect: 'Allow', Principal: deployerTrust, Action: 'sts:AssumeRole' }) }));
  await prodIam.send(new PutRolePolicyCommand({ RoleName: 'deployer', PolicyName: 'deploy', PolicyDocument: json({ Sid: 'DeployStacks', Effect: 'Allow', Action: ['cloudformation:*', 'lambda:*', 'iam:*'], Resource: '*' }) }));
  const trusted = planted ? `arn:aws:iam::${OUTSIDE}:role/partner-sync` : `arn:aws:iam::${o.prod}:root`;
  await prodIam.send(new CreateRoleCommand({ RoleName: 'partner-sync', AssumeRolePolicyDocument: json({ Sid: 'TrustPartner', Effect: 'Allow', Principal: { AWS: trusted }, Action: 'sts:AssumeRole' }) }));
  await prodIam.send(new PutRolePolicyCommand({ RoleName: 'partner-sync', PolicyName: 'sync', PolicyDocument: json({ Sid: 'ReadOrders', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::retail-prod-orders/*' }) }));
  prodIam.destroy();
  const s3 = inAccount(new S3Client({ ...cfg, forcePathStyle: true }), o.prod);
  await s3.send(new CreateBucketCommand({ Bucket: 'retail-prod-orders' }));
  if (planted) {
    await s3.send(new PutBucketPolicyCommand({ Bucket: 'retail-prod-orders', Policy: json({ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::retail-prod-orders/*' }) }));
  }
  s3.destroy();
}

async function build(planted: boolean): Promise<Built> {
  const o = await buildOrganization();
  const roles = await buildIdentity(o, planted);
  await buildResources(o, planted);
  return { ...o, ...roles };
}

/** Collects moto into `dir/snap` with the operation and verifies that snapshot. */
async function collectAndVerify(dir: string): Promise<{ findings: readonly Finding[]; people: unknown }> {
  const host = nodeHost({ cwd: dir, now: () => new Date('2026-12-01T12:00:00Z') });
  const collected = await collectToDirectory(
    { out: 'snap', connection: { endpoint: motoEndpoint(), region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } } },
    host,
  );
  if (!collected.ok) throw new Error(`collect failed: ${JSON.stringify(collected.diagnostics)}`);
  const verified = await verifyTarget({ target: { path: 'snap' }, threads: 1 }, host);
  if (!verified.ok) throw new Error(`verify failed: ${JSON.stringify(verified.diagnostics)}`);
  return { findings: verified.value.findings, people: verified.value.summary.people };
}

const ev = (f: Finding) => f.evidence.map((e) => `${e.source}#${e.statement}`);
const PLANTED_RULES = ['escalation.path', 'identity.nonprod-group-in-prod', 'perimeter.public-access', 'perimeter.external-access'];

describe('the planted people cases, built in moto, collected and verified', () => {
  const dir = freshMotoAndDir('bh-planted-live-');

  it('finds each planted case with its rule, path, evidence and people', async () => {
    const b = await build(true);
    const { findings } = await collectAndVerify(dir());
    if (process.env['BH_DEBUG_VERIFY']) console.log(JSON.stringify(findings, null, 1).slice(0, 20000));
    const of = (rule: string) => findings.filter((f) => f.rule === rule);

    // (a) retail-devs → dev-appeng → AWSReservedSSO_dev-appeng_… passes prod-deploy to Lambda → deployer in prod
    const esc = of('escalation.path').find((f) => f.principal === b.devRole && f.account === 'retail-prod');
    expect(esc, 'escalation.path from the dev permission set role').toBeDefined();
    expect(esc!.path).toEqual([b.devRole, `arn:aws:iam::${b.dev}:role/prod-deploy`, `arn:aws:iam::${b.prod}:role/deployer`]);
    expect(ev(esc!)).toEqual(
      expect.arrayContaining([
        'role retail-dev/AWSReservedSSO_dev-appeng_0a1b2c3d4e5f6071 policy inline:AwsSSOInlinePolicy#PassDeployRole',
        'role retail-dev/AWSReservedSSO_dev-appeng_0a1b2c3d4e5f6071 policy inline:AwsSSOInlinePolicy#LambdaDeploy',
        'role retail-dev/prod-deploy trust policy#TrustLambda',
        'role retail-prod/deployer trust policy#TrustProdDeploy',
        'identity-center group retail-devs#assignment dev-appeng in retail-dev',
      ]),
    );
    expect(esc!.people).toEqual([{ group: 'retail-devs', members: ['alice', 'bob'], permissionSet: 'dev-appeng', account: 'retail-dev' }]);

    // (b) the production permission set assigned to the dev group
    const grp = of('identity.nonprod-group-in-prod');
    expect(grp).toHaveLength(1);
    expect(grp[0]).toMatchObject({ principal: b.prodRole, account: 'retail-prod', path: [] });
    expect(ev(grp[0]!)).toEqual(['identity-center group retail-devs#assignment prod-appeng in retail-prod', 'identity-center group retail-devs#assignment dev-appeng in retail-dev']);
    expect(grp[0]!.people).toEqual([{ group: 'retail-devs', members: ['alice', 'bob'], permissionSet: 'prod-appeng', account: 'retail-prod' }]);

    // (c) the bucket made public by its policy
    const pub = of('perimeter.public-access');
    expect(pub).toHaveLength(1);
    expect(pub[0]).toMatchObject({ principal: '*', resource: 'arn:aws:s3:::retail-prod-orders', account: 'retail-prod', path: ['*', 'arn:aws:s3:::retail-prod-orders'] });
    expect(pub[0]!.capabilities).toContain('read-data');
    expect(ev(pub[0]!)).toEqual(['resource arn:aws:s3:::retail-prod-orders policy#PublicRead']);

    // (d) the trust to an account outside the organization
    const ext = of('perimeter.external-access').filter((f) => f.principal === `arn:aws:iam::${OUTSIDE}:role/partner-sync`);
    expect(ext).toHaveLength(1);
    expect(ext[0]).toMatchObject({ account: 'retail-prod', path: [`arn:aws:iam::${OUTSIDE}:role/partner-sync`, `arn:aws:iam::${b.prod}:role/partner-sync`] });
    // the outside account's own policies are unknown: verify assumes they allow everything, and says so
    expect(ev(ext[0]!)).toEqual(['external account identity policy (assumed to allow everything)##0', 'role retail-prod/partner-sync trust policy#TrustPartner']);
  });

  it('the clean variant has none of the planted findings', async () => {
    await build(false);
    const { findings, people } = await collectAndVerify(dir());
    // the people were collected (two groups, two assignments): the test is not clean for want of identity
    expect(people).toMatchObject({ provider: 'identity-center', users: 2, groups: 2, permissionSets: 2, assignments: 2 });
    expect(findings.filter((f) => PLANTED_RULES.includes(f.rule)).map((f) => `${f.rule} ${f.principal}`)).toEqual([]);
  });
});
