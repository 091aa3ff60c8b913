/**
 * The planted violations on a live-like organization: built in moto with the SDK, collected with
 * `bulkhead collect`, then verified from the snapshot directory.
 */
import { AttachPolicyCommand, CreatePolicyCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { freshMotoAndDir, inAccount, motoClientConfig, motoEndpoint } from '../../test-support/moto-client.js';
import { motoOrganization } from '../../test-support/moto-org.js';
import { memoryIo, MOTO_ENV } from '../../test-support/cli.js';

function testIo(cwd: string) {
  return memoryIo({ cwd, now: new Date('2026-11-28T12:00:00Z'), env: { ...MOTO_ENV } });
}

const doc = (...Statement: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement });

/** Builds retail-dev (attributed by OU path only) and retail-prod (by tags) with the planted violations. */
async function buildViolatingOrg(): Promise<{ dev: string; prod: string }> {
  const cfg = motoClientConfig();
  const { accounts } = await motoOrganization(
    ['Workloads', 'Workloads/Dev', 'Workloads/Prod'],
    [
      { name: 'retail-dev', email: 'retail-dev@acme.example', ou: 'Workloads/Dev', tags: [{ Key: 'bu', Value: 'retail' }] },
      {
        name: 'retail-prod',
        email: 'retail-prod@acme.example',
        ou: 'Workloads/Prod',
        tags: [
          { Key: 'business-unit', Value: 'Retail' },
          { Key: 'Environment', Value: 'Prod' },
        ],
      },
    ],
    { cfg },
  );
  const dev = accounts.get('retail-dev')!;
  const prod = accounts.get('retail-prod')!;

  const devIam = inAccount(new IAMClient(cfg), dev);
  await devIam.send(
    new CreateRoleCommand({
      RoleName: 'appeng',
      AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }),
    }),
  );
  await devIam.send(
    new PutRolePolicyCommand({
      RoleName: 'appeng',
      PolicyName: 'work',
      PolicyDocument: doc(
        { Sid: 'S3Data', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: '*' },
        { Sid: 'AssumeMigrator', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${prod}:role/migrator` },
      ),
    }),
  );
  devIam.destroy();

  const prodIam = inAccount(new IAMClient(cfg), prod);
  await prodIam.send(
    new CreateRoleCommand({
      RoleName: 'migrator',
      AssumeRolePolicyDocument: doc({ Sid: 'TrustDevAppeng', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${dev}:role/appeng` }, Action: 'sts:AssumeRole' }),
    }),
  );
  await prodIam.send(
    new PutRolePolicyCommand({
      RoleName: 'migrator',
      PolicyName: 'data',
      PolicyDocument: doc({ Sid: 'AllData', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: '*' }),
    }),
  );
  prodIam.destroy();

  const s3 = inAccount(new S3Client({ ...cfg, forcePathStyle: true }), prod);
  await s3.send(new CreateBucketCommand({ Bucket: 'retail-prod-orders' }));
  await s3.send(
    new PutBucketPolicyCommand({
      Bucket: 'retail-prod-orders',
      Policy: doc({ Sid: 'GrantDevAccount', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${dev}:root` }, Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::retail-prod-orders/*' }),
    }),
  );
  s3.destroy();
  return { dev, prod };
}

interface JsonOut {
  findings: { rule: string; principal: string; resource: string; account: string; capabilities: string[]; path: string[]; evidence: { source: string; statement: string }[] }[];
  summary: {
    accounts: { name: string; phase: string | null; phaseSource: string; businessUnit: string | null; businessUnitSource: string }[];
    accessAnalysis: boolean;
    assumeEdges: number;
  };
}

describe('verify on a snapshot collected from moto', () => {
  const dir = freshMotoAndDir('bh-verify-aws-');

  it('finds the prod bucket granting dev and the dev→prod assumption chain, with evidence', async () => {
    const { dev, prod } = await buildViolatingOrg();
    const c = testIo(dir());
    expect(await main(['collect', '--out', 'snap', '--endpoint-url', motoEndpoint()], c.io)).toBe(0);

    const v = testIo(dir());
    const code = await main(['verify', 'snap', '--format', 'json'], v.io);
    const out = JSON.parse(v.out.join('')) as JsonOut;
    if (process.env['BH_DEBUG_VERIFY']) console.log(JSON.stringify(out, null, 1).slice(0, 6000), v.err.join(''));
    expect(code).toBe(3);
    expect(out.summary.accessAnalysis).toBe(true);

    // attribution: dev from its OU path and `bu` tag, prod from tags (case-insensitive keys)
    const acct = (n: string) => out.summary.accounts.find((a) => a.name === n)!;
    expect(acct('retail-dev')).toMatchObject({ phase: 'dev', phaseSource: 'ou-path', businessUnit: 'retail', businessUnitSource: 'tag' });
    expect(acct('retail-prod')).toMatchObject({ phase: 'prod', phaseSource: 'tag', businessUnit: 'retail', businessUnitSource: 'tag' });

    const appeng = `arn:aws:iam::${dev}:role/appeng`;
    const migrator = `arn:aws:iam::${prod}:role/migrator`;
    const n2p = out.findings.filter((f) => f.rule === 'boundary.nonprod-to-prod' && f.principal === appeng);
    const direct = n2p.find((f) => f.resource === 'arn:aws:s3:::retail-prod-orders' && f.path.length === 0);
    expect(direct).toBeDefined();
    expect(direct!.capabilities).toEqual(['read-data']);
    expect(direct!.evidence.map((e) => `${e.source}#${e.statement}`)).toEqual(
      expect.arrayContaining(['role retail-dev/appeng policy inline:work#S3Data', 'resource arn:aws:s3:::retail-prod-orders policy#GrantDevAccount']),
    );
    const chain = n2p.find((f) => f.resource === 'arn:aws:s3:::retail-prod-orders' && f.path.length === 2);
    expect(chain).toBeDefined();
    expect(chain!.path).toEqual([appeng, migrator]);
    expect(chain!.capabilities).toEqual(expect.arrayContaining(['write-data', 'delete-data']));
    expect(chain!.evidence.map((e) => `${e.source}#${e.statement}`)).toEqual(
      expect.arrayContaining(['role retail-dev/appeng policy inline:work#AssumeMigrator', 'role retail-prod/migrator trust policy#TrustDevAppeng', 'role retail-prod/migrator policy inline:data#AllData']),
    );
  });

  for (const exempt of [true, false]) {
    it(`an SCP exemption ${exempt ? 'opens' : 'would open'} a path from dev to prod data${exempt ? '' : ' (not without it)'}`, async () => {
      const cfg = motoClientConfig();
      const retail = [{ Key: 'BusinessUnit', Value: 'retail' }];
      const built = await motoOrganization(
        ['Dev', 'Prod'],
        [
          { name: 'retail-dev', email: 'retail-dev@acme.example', ou: 'Dev', tags: retail },
          { name: 'retail-prod', email: 'retail-prod@acme.example', ou: 'Prod', tags: retail },
        ],
        { cfg },
      );
      const dev = built.accounts.get('retail-dev')!;
      const prod = built.accounts.get('retail-prod')!;
      const prodOu = built.ous.get('Prod')!;
      const org = new OrganizationsClient(cfg);
      const fence = await org.send(
        new CreatePolicyCommand({
          Name: 'fence-prod-data',
          Description: 'no S3 in prod except break-glass roles',
          Type: 'SERVICE_CONTROL_POLICY',
          Content: doc({
            Sid: 'DenyProdDataExceptBreakGlass',
            Effect: 'Deny',
            Action: 's3:*',
            Resource: '*',
            Condition: { ArnNotLike: { 'aws:PrincipalARN': exempt ? 'arn:aws:iam::*:role/break-glass*' : 'arn:aws:iam::*:role/no-exemption' } },
          }),
        }),
      );
      await org.send(new AttachPolicyCommand({ PolicyId: fence.Policy!.PolicySummary!.Id!, TargetId: prodOu }));
      org.destroy();
      const devIam = inAccount(new IAMClient(cfg), dev);
      await devIam.send(new CreateRoleCommand({ RoleName: 'appeng', AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }) }));
      await devIam.send(
        new PutRolePolicyCommand({ RoleName: 'appeng', PolicyName: 'assume', PolicyDocument: doc({ Sid: 'AssumeBreakGlass', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${prod}:role/break-glass` }) }),
      );
      devIam.destroy();
      const prodIam = inAccount(new IAMClient(cfg), prod);
      await prodIam.send(
        new CreateRoleCommand({ RoleName: 'break-glass', AssumeRolePolicyDocument: doc({ Sid: 'TrustDev', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${dev}:role/appeng` }, Action: 'sts:AssumeRole' }) }),
      );
      await prodIam.send(
        new PutRolePolicyCommand({ RoleName: 'break-glass', PolicyName: 'data', PolicyDocument: doc({ Sid: 'AllData', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: '*' }) }),
      );
      prodIam.destroy();
      const s3 = inAccount(new S3Client({ ...cfg, forcePathStyle: true }), prod);
      await s3.send(new CreateBucketCommand({ Bucket: 'retail-prod-ledger' }));
      s3.destroy();

      expect(await main(['collect', '--out', 'snap', '--endpoint-url', motoEndpoint()], testIo(dir()).io)).toBe(0);
      const v = testIo(dir());
      const code = await main(['verify', 'snap', '--format', 'json'], v.io);
      const out = JSON.parse(v.out.join('')) as JsonOut;
      const chain = out.findings.filter(
        (f) => f.rule === 'boundary.nonprod-to-prod' && f.resource === 'arn:aws:s3:::retail-prod-ledger' && f.principal === `arn:aws:iam::${dev}:role/appeng`,
      );
      // in both cases the chain's first hop exists: only the SCP decides whether it reaches prod data
      expect(out.summary.accessAnalysis).toBe(true);
      expect(out.summary.assumeEdges).toBeGreaterThanOrEqual(1);
      if (exempt) {
        expect(code).toBe(3);
        expect(chain).toHaveLength(1);
        expect(chain[0]!.path).toEqual([`arn:aws:iam::${dev}:role/appeng`, `arn:aws:iam::${prod}:role/break-glass`]);
        expect(chain[0]!.evidence.map((e) => `${e.source}#${e.statement}`)).toEqual(
          expect.arrayContaining(['role retail-prod/break-glass trust policy#TrustDev', 'role retail-prod/break-glass policy inline:data#AllData']),
        );
      } else {
        expect(chain).toEqual([]);
      }
    });
  }

  it('a clean collected org has no boundary findings', async () => {
    const cfg = motoClientConfig();
    const { accounts } = await motoOrganization(['Prod'], [{ name: 'retail-prod', email: 'rp@acme.example', ou: 'Prod', tags: [{ Key: 'BusinessUnit', Value: 'retail' }] }], { cfg, scps: false });
    const id = accounts.get('retail-prod')!;
    const s3 = inAccount(new S3Client({ ...cfg, forcePathStyle: true }), id);
    await s3.send(new CreateBucketCommand({ Bucket: 'retail-prod-clean' }));
    s3.destroy();
    const c = testIo(dir());
    expect(await main(['collect', '--out', 'snap', '--endpoint-url', motoEndpoint()], c.io)).toBe(0);
    const v = testIo(dir());
    const code = await main(['verify', 'snap', '--format', 'json'], v.io);
    const out = JSON.parse(v.out.join('')) as JsonOut;
    expect(out.findings.filter((f) => f.rule.startsWith('boundary.'))).toEqual([]);
    expect(code).toBe(0);
  });
});
