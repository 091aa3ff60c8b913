import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { motoEndpoint, resetMoto, inAccount } from '../../test-support/moto-client.js';
import { startThrottleProxy } from '../../test-support/throttle-proxy.js';
import { ClientFactory } from './clients.js';
import { Scheduler } from './scheduler.js';
import { collect } from './collector.js';
import { buildEmulatedOrg } from '../../test-support/emulated-org.js';
import { loadSnapshotDir, writeSnapshot } from '../io/snapshot-files.js';
import { snapshotToModel } from '../snapshot/load.js';
import { orgPolicyLevels } from '../model/query.js';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateTopicCommand, SetTopicAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateSecretCommand, PutResourcePolicyCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';

/** An empty zip archive: enough for moto to create a function it never runs. */
const EMPTY_ZIP = new Uint8Array([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)]);

const creds = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const now = () => new Date('2026-11-28T12:00:00Z');
let dirs: string[] = [];

async function tmp(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'bh-collect-'));
  dirs.push(d);
  return d;
}

function fastScheduler() {
  return new Scheduler({ baseDelayMs: 2, maxDelayMs: 20, maxAttempts: 12 });
}

describe('collect against moto', () => {
  beforeEach(() => resetMoto());
  afterEach(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
    dirs = [];
  });

  it('reads a built organization back completely and loads it into the model', async () => {
    const built = await buildEmulatedOrg({ endpoint: motoEndpoint(), businessUnits: ['payments', 'search'], accountsPerOu: 1, rolesPerAccount: 2, bucketsPerAccount: 1 });
    const aws = new ClientFactory({ region: 'us-east-1', endpoint: motoEndpoint(), credentials: creds });
    const s = fastScheduler();
    const progress: number[] = [];
    const snap = await collect(aws, s, { regions: ['us-east-1'], now, onProgress: (p) => progress.push(p.accountsDone) });
    aws.destroy();
    expect(snap.manifest.errors).toEqual([]);
    expect(snap.manifest.organization.id).toBe(built.organizationId);
    // 4 member accounts + management
    expect(snap.manifest.counts.accounts).toBe(5);
    expect(snap.manifest.counts.accountsCollected).toBe(5);
    // Workloads, 2 BUs, 4 phase OUs
    expect(snap.manifest.counts.organizationalUnits).toBe(7);
    expect(progress.at(-1)).toBe(5);

    const dir = join(await tmp(), 'snap');
    await writeSnapshot(dir, snap);
    expect((await readdir(join(dir, 'accounts'))).length).toBe(5);
    const text = await readFile(join(dir, 'manifest.json'), 'utf8');
    expect(text).not.toMatch(/secretAccessKey|sessionToken|testing/i);

    const loaded = await loadSnapshotDir(dir);
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    const m = loaded.value;
    expect(m.source).toBe('snapshot');
    const acct = m.accounts.find((a) => a.name === 'payments-prod-0');
    expect(acct).toMatchObject({ ouPath: 'Root/Workloads/payments/prod', businessUnit: 'payments', phase: 'prod', status: 'ACTIVE', email: 'payments-prod-0@example.com' });
    expect(m.organizationalUnits.map((o) => o.path)).toContain('Root/Workloads/search/dev');
    expect(m.organizationalUnits.find((o) => o.path === 'Root/Workloads')?.tags).toEqual({ Layer: 'workloads' });
    expect(m.accounts.find((a) => a.id === built.managementAccountId)?.purpose).toBe('management');

    const role = m.roles.find((r) => r.account === 'payments-prod-0' && r.name === 'app-role-1');
    expect(role?.path).toBe('/app/');
    expect(role?.tags).toEqual({ Owner: 'team-1' });
    expect(role?.trustPolicy).toMatchObject({ Statement: [{ Action: 'sts:AssumeRole', Principal: { AWS: `arn:aws:iam::${built.managementAccountId}:root` } }] });
    expect(role?.policies.map((p) => `${p.kind}:${p.name}`)).toEqual(['inline:inline-s3', 'managed:read-logs']);
    expect(role?.policies.find((p) => p.kind === 'inline')?.document).toMatchObject({ Statement: [{ Action: 's3:GetObject' }] });
    expect(role?.policies.find((p) => p.kind === 'managed')?.document).toMatchObject({ Statement: [{ Action: ['logs:Get*', 'logs:Describe*'] }] });
    // OrganizationAccountAccessRole exists in member accounts too
    expect(m.roles.filter((r) => r.account === 'search-dev-0').map((r) => r.name).sort()).toEqual(['OrganizationAccountAccessRole', 'app-role-0', 'app-role-1']);

    const alice = m.users.find((u) => u.account === 'search-dev-0' && u.name === 'alice');
    expect(alice?.groups).toEqual(['ops']);
    expect(alice?.policies.map((p) => p.name)).toEqual(['group:ops/ops-read']);

    const bucket = m.resources.find((r) => r.arn === 'arn:aws:s3:::search-dev-0-data-0');
    expect(bucket).toMatchObject({ account: 'search-dev-0', type: 's3:bucket', region: 'us-east-1', tags: { Confidentiality: 'internal' } });
    expect(bucket?.policy).toMatchObject({ Statement: [{ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] });

    const full = m.serviceControlPolicies.find((p) => p.name === 'FullAWSAccess');
    expect(full?.managedBy).toBe('aws');
    const deny = m.serviceControlPolicies.find((p) => p.name === 'deny-leave');
    expect(deny).toMatchObject({ managedBy: 'customer', description: 'no leaving', targets: [{ ou: 'Root/Workloads' }] });
    // The loaded model answers the same questions as a planned one.
    const levels = orgPolicyLevels(m, 'payments-prod-0', 'scp');
    expect(levels?.length).toBe(5); // Root, Workloads, payments, prod, account
    expect(levels?.[1]).toContainEqual(deny?.document);
  });

  it('records an account that cannot be read and goes on', async () => {
    const built = await buildEmulatedOrg({ endpoint: motoEndpoint(), businessUnits: ['a'], accountsPerOu: 1, rolesPerAccount: 1, bucketsPerAccount: 0 });
    const victim = built.accounts[0]!;
    const proxy = await startThrottleProxy({
      target: motoEndpoint(),
      deny: ({ body }) => body.includes('Action=AssumeRole') && body.includes(victim.id),
    });
    try {
      const aws = new ClientFactory({ region: 'us-east-1', endpoint: proxy.url, credentials: creds });
      const snap = await collect(aws, fastScheduler(), { regions: ['us-east-1'], now, resources: false });
      aws.destroy();
      expect(snap.manifest.errors).toEqual([
        { accountId: victim.id, accountName: victim.name, stage: 'assume-role', message: expect.stringContaining('AccessDenied') as string },
      ]);
      expect(snap.manifest.counts.accountsFailed).toBe(1);
      expect(snap.manifest.counts.accountsCollected).toBe(2);
      const m = snapshotToModel(snap);
      expect(m.ok).toBe(true);
      // BH6008: the collection error; BH6009: so the account has no file, and an analysis of it is incomplete
      expect(m.diagnostics.map((d) => d.code).sort()).toEqual(['BH6008', 'BH6009']);
      expect(m.diagnostics.find((d) => d.code === 'BH6009')?.message).toContain(victim.name);
      // The account is still in the model, only its IAM is missing.
      if (m.ok) expect(m.value.accounts.map((a) => a.name)).toContain(victim.name);
    } finally {
      await proxy.close();
    }
  });

  it('gives the same snapshot through a proxy that throttles 30 % of calls', async () => {
    await buildEmulatedOrg({ endpoint: motoEndpoint(), businessUnits: ['a', 'b'], accountsPerOu: 1, rolesPerAccount: 2, bucketsPerAccount: 1 });
    const direct = new ClientFactory({ region: 'us-east-1', endpoint: motoEndpoint(), credentials: creds });
    const plain = await collect(direct, fastScheduler(), { regions: ['us-east-1'], now });
    direct.destroy();
    const proxy = await startThrottleProxy({ target: motoEndpoint(), throttleRate: 0.3, seed: 42 });
    try {
      const aws = new ClientFactory({ region: 'us-east-1', endpoint: proxy.url, credentials: creds });
      const s = fastScheduler();
      const throttled = await collect(aws, s, { regions: ['us-east-1'], now });
      aws.destroy();
      expect(proxy.stats.throttled).toBeGreaterThan(10);
      expect(s.stats.retries).toBe(proxy.stats.throttled);
      expect(throttled).toEqual(plain);
    } finally {
      await proxy.close();
    }
  });

  it('reads KMS keys, SQS queues, SNS topics, Lambda functions and secrets with their policies and tags', async () => {
    const built = await buildEmulatedOrg({ endpoint: motoEndpoint(), businessUnits: ['a'], accountsPerOu: 1, rolesPerAccount: 0, bucketsPerAccount: 0 });
    const acct = built.accounts[0]!;
    const cfg = { endpoint: motoEndpoint(), region: 'us-east-1', credentials: creds };
    const allow = (resource: string, action: string) =>
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'x', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${built.managementAccountId}:root` }, Action: action, Resource: resource }] });
    const kms = inAccount(new KMSClient(cfg), acct.id);
    const key = await kms.send(new CreateKeyCommand({ Tags: [{ TagKey: 'Owner', TagValue: 'sec' }] }));
    const sqs = inAccount(new SQSClient(cfg), acct.id);
    await sqs.send(new CreateQueueCommand({ QueueName: 'jobs', tags: { Owner: 'app' }, Attributes: { Policy: allow(`arn:aws:sqs:us-east-1:${acct.id}:jobs`, 'sqs:SendMessage') } }));
    const sns = inAccount(new SNSClient(cfg), acct.id);
    const topic = await sns.send(new CreateTopicCommand({ Name: 'alerts', Tags: [{ Key: 'Owner', Value: 'ops' }] }));
    await sns.send(new SetTopicAttributesCommand({ TopicArn: topic.TopicArn, AttributeName: 'Policy', AttributeValue: allow(topic.TopicArn ?? '', 'sns:Publish') }));
    const sm = inAccount(new SecretsManagerClient(cfg), acct.id);
    const secret = await sm.send(new CreateSecretCommand({ Name: 'db', SecretString: 'not-collected', Tags: [{ Key: 'Owner', Value: 'dba' }] }));
    await sm.send(new PutResourcePolicyCommand({ SecretId: secret.ARN, ResourcePolicy: allow('*', 'secretsmanager:GetSecretValue') }));
    const iam = inAccount(new IAMClient(cfg), acct.id);
    const role = await iam.send(new CreateRoleCommand({ RoleName: 'fn', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) }));
    const lambda = inAccount(new LambdaClient(cfg), acct.id);
    const fn = await lambda.send(new CreateFunctionCommand({ FunctionName: 'worker', Runtime: 'nodejs20.x', Role: role.Role?.Arn, Handler: 'index.handler', Code: { ZipFile: EMPTY_ZIP }, Tags: { Owner: 'app' } }));
    await lambda.send(new AddPermissionCommand({ FunctionName: 'worker', StatementId: 'sns', Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com', SourceArn: topic.TopicArn }));
    for (const c of [kms, sqs, sns, sm, iam, lambda]) c.destroy();

    const aws = new ClientFactory({ region: 'us-east-1', endpoint: motoEndpoint(), credentials: creds });
    const snap = await collect(aws, fastScheduler(), { regions: ['us-east-1'], now });
    aws.destroy();
    expect(snap.manifest.errors).toEqual([]);
    const m = snapshotToModel(snap);
    if (!m.ok) throw new Error(JSON.stringify(m.diagnostics));
    const mine = m.value.resources.filter((r) => r.account === acct.name);
    const byType = (t: string) => mine.filter((r) => r.type === t);
    expect(byType('kms:key')).toMatchObject([{ arn: key.KeyMetadata?.Arn, region: 'us-east-1', tags: { Owner: 'sec' }, policy: { Statement: expect.any(Array) as unknown } }]);
    expect(byType('sqs:queue')).toMatchObject([{ arn: `arn:aws:sqs:us-east-1:${acct.id}:jobs`, tags: { Owner: 'app' }, policy: { Statement: [{ Action: 'sqs:SendMessage' }] } }]);
    expect(byType('sns:topic')).toMatchObject([{ arn: topic.TopicArn, tags: { Owner: 'ops' }, policy: { Statement: [{ Action: 'sns:Publish' }] } }]);
    expect(byType('secretsmanager:secret')).toMatchObject([{ arn: secret.ARN, tags: { Owner: 'dba' }, policy: { Statement: [{ Action: 'secretsmanager:GetSecretValue' }] } }]);
    expect(byType('lambda:function')).toMatchObject([{ arn: fn.FunctionArn, tags: { Owner: 'app' }, policy: { Statement: [{ Sid: 'sns' }] } }]);
    // The secret's value is never read.
    expect(JSON.stringify(snap)).not.toContain('not-collected');
  });
});
