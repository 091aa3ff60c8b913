import { beforeEach, describe, expect, it } from 'vitest';
import { motoEndpoint, resetMoto, inAccount } from '../../test-support/moto-client.js';
import { buildEmulatedOrg } from '../../test-support/emulated-org.js';
import { ClientFactory } from './clients.js';
import { Scheduler } from './scheduler.js';
import { collect } from './collector.js';
import { snapshotFiles } from '../snapshot/format.js';
import { loadSnapshot } from '../snapshot/load.js';
import { CloudFormationClient, CreateStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CreateAliasCommand, CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateBucketCommand, PutBucketEncryptionCommand, PutBucketNotificationConfigurationCommand, PutBucketTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateEventSourceMappingCommand, CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateTableCommand, DynamoDBClient, PutResourcePolicyCommand } from '@aws-sdk/client-dynamodb';
import { startThrottleProxy } from '../../test-support/throttle-proxy.js';

/** An empty zip archive: enough for moto to create a function it never runs. */
const EMPTY_ZIP = new Uint8Array([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)]);
const creds = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const now = () => new Date('2026-12-01T12:00:00Z');
const SECRET = 'hunter2-Sup3rS3cret-value';
const R = 'us-east-1';

/** A stack with a table and a function whose environment names the table (and carries a secret). */
function stackTemplate(roleArn: string): string {
  return JSON.stringify({
    AWSTemplateFormatVersion: '2010-09-09',
    Resources: {
      Orders: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          TableName: 'orders',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          Tags: [{ Key: 'Application', Value: 'shop' }, { Key: 'Phase', Value: 'dev' }],
        },
      },
      Api: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          FunctionName: 'orders-api',
          Runtime: 'nodejs20.x',
          Handler: 'index.handler',
          Role: roleArn,
          Code: { ZipFile: 'exports.handler = async () => 1;' },
          Environment: { Variables: { TABLE_NAME: { Ref: 'Orders' }, DB_PASSWORD: SECRET } },
        },
      },
    },
  });
}

describe('collect: workload inventory against moto', () => {
  beforeEach(() => resetMoto());

  it('reads stacks, tables, Lambda configuration, event sources, subscriptions, bucket notifications and keys', async () => {
    const built = await buildEmulatedOrg({ endpoint: motoEndpoint(), businessUnits: ['a'], accountsPerOu: 1, rolesPerAccount: 0, bucketsPerAccount: 0 });
    const acct = built.accounts[0]!;
    const cfg = { endpoint: motoEndpoint(), region: R, credentials: creds };
    const iam = inAccount(new IAMClient(cfg), acct.id);
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    const role = (await iam.send(new CreateRoleCommand({ RoleName: 'fn', AssumeRolePolicyDocument: trust }))).Role?.Arn ?? '';
    const cfn = inAccount(new CloudFormationClient(cfg), acct.id);
    const stack = await cfn.send(new CreateStackCommand({ StackName: 'shop-dev', TemplateBody: stackTemplate(role) }));
    const described = await cfn.send(new DescribeStacksCommand({ StackName: 'shop-dev' }));
    expect(described.Stacks?.[0]?.StackStatus).toBe('CREATE_COMPLETE');

    const sqs = inAccount(new SQSClient(cfg), acct.id);
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: 'jobs' }))).QueueUrl ?? '';
    const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes?.['QueueArn'] ?? '';
    const sns = inAccount(new SNSClient(cfg), acct.id);
    const topic = (await sns.send(new CreateTopicCommand({ Name: 'events' }))).TopicArn ?? '';
    await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: queueArn }));
    await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'email', Endpoint: 'someone@example.com' }));

    const lambda = inAccount(new LambdaClient(cfg), acct.id);
    const worker = await lambda.send(
      new CreateFunctionCommand({ FunctionName: 'worker', Runtime: 'nodejs20.x', Role: role, Handler: 'index.handler', Code: { ZipFile: EMPTY_ZIP }, Environment: { Variables: { QUEUE_URL: url, TOPIC: topic, API_TOKEN: SECRET } } }),
    );
    await lambda.send(new CreateEventSourceMappingCommand({ EventSourceArn: queueArn, FunctionName: 'worker' }));

    const kms = inAccount(new KMSClient(cfg), acct.id);
    const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata;
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/data', TargetKeyId: key?.KeyId }));
    const s3 = inAccount(new S3Client({ ...cfg, forcePathStyle: true }), acct.id);
    await s3.send(new CreateBucketCommand({ Bucket: 'inv-uploads' }));
    await s3.send(new PutBucketTaggingCommand({ Bucket: 'inv-uploads', Tagging: { TagSet: [{ Key: 'Application', Value: 'shop' }] } }));
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket: 'inv-uploads',
        ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/data' } }] },
      }),
    );
    await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: 'inv-uploads', NotificationConfiguration: { QueueConfigurations: [{ QueueArn: queueArn, Events: ['s3:ObjectCreated:*'] }] } }));
    for (const c of [iam, cfn, sqs, sns, lambda, kms, s3]) c.destroy();

    const aws = new ClientFactory({ region: R, endpoint: motoEndpoint(), credentials: creds });
    const snap = await collect(aws, new Scheduler({ baseDelayMs: 2, maxDelayMs: 20 }), { regions: [R], now });
    aws.destroy();
    expect(snap.manifest.errors).toEqual([]);
    expect(snap.manifest.snapshotVersion).toBe(2);
    const inv = snap.accounts.find((a) => a.accountId === acct.id)?.inventory;
    if (!inv) throw new Error('no inventory');
    const res = (arn: string) => inv.resources.find((r) => r.arn === arn);
    const tableArn = `arn:aws:dynamodb:${R}:${acct.id}:table/orders`;
    const apiArn = `arn:aws:lambda:${R}:${acct.id}:function:orders-api`;

    // Stack membership and tags.
    expect(res(tableArn)).toMatchObject({ type: 'dynamodb:table', name: 'orders', stack: { name: 'shop-dev', arn: stack.StackId, logicalId: 'Orders' } });
    expect(res(apiArn)).toMatchObject({ type: 'lambda:function', name: 'orders-api', stack: { name: 'shop-dev', logicalId: 'Api' } });
    expect(res(stack.StackId ?? '')).toMatchObject({ type: 'cloudformation:stack', name: 'shop-dev' });
    expect(res('arn:aws:s3:::inv-uploads')?.tags).toEqual({ Application: 'shop' });
    // Tags from the Resource Groups Tagging API (the table's come from its template).
    expect(res(tableArn)?.tags).toEqual({ Application: 'shop', Phase: 'dev' });
    // Lambda configuration: names always, values only when they name a collected resource or are ARNs.
    expect(res(apiArn)?.lambda).toEqual({ role, runtime: 'nodejs20.x', environment: [{ name: 'DB_PASSWORD' }, { name: 'TABLE_NAME', value: 'orders' }] });
    expect(res(worker.FunctionArn ?? '')?.lambda?.environment).toEqual([{ name: 'API_TOKEN' }, { name: 'QUEUE_URL', value: url }, { name: 'TOPIC', value: topic }]);
    // KMS aliases.
    expect(res(key?.Arn ?? '')?.aliases).toEqual(['alias/data']);

    const refs = inv.references.map((r) => `${r.kind} ${r.from} -> ${r.to}`);
    expect(refs).toEqual(
      expect.arrayContaining([
        `lambda-env ${apiArn} -> ${tableArn}`,
        `lambda-env ${worker.FunctionArn} -> ${queueArn}`,
        `lambda-env ${worker.FunctionArn} -> ${topic}`,
        `event-source ${queueArn} -> ${worker.FunctionArn}`,
        `sns-subscription ${topic} -> ${queueArn}`,
        `bucket-notification arn:aws:s3:::inv-uploads -> ${queueArn}`,
        `kms-encryption arn:aws:s3:::inv-uploads -> ${key?.Arn}`,
      ]),
    );
    // The e-mail subscription's endpoint is never kept.
    expect(refs.filter((r) => r.startsWith('sns-subscription'))).toHaveLength(1);

    // The secret never reaches a file; the snapshot loads with its inventory into the model.
    const files = snapshotFiles(snap);
    for (const [path, text] of files) {
      expect(text, path).not.toContain(SECRET);
      expect(text, path).not.toContain('someone@example.com');
    }
    const m = loadSnapshot(files, 'snap');
    if (!m.ok) throw new Error(JSON.stringify(m.diagnostics));
    expect(m.value.inventory?.resources.find((r) => r.arn === tableArn)?.account).toBe(acct.name);
    expect(m.value.inventory?.references.length).toBe(inv.references.length);
  });

  it('reads a table\'s resource policy and the KMS keys of a table, a queue and a topic', async () => {
    const built = await buildEmulatedOrg({ endpoint: motoEndpoint(), businessUnits: ['a'], accountsPerOu: 1, rolesPerAccount: 0, bucketsPerAccount: 0 });
    const acct = built.accounts[0]!;
    const cfg = { endpoint: motoEndpoint(), region: R, credentials: creds };
    const kms = inAccount(new KMSClient(cfg), acct.id);
    const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata;
    const ddb = inAccount(new DynamoDBClient(cfg), acct.id);
    const t = await ddb.send(
      new CreateTableCommand({
        TableName: 'ledger',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: key?.Arn },
      }),
    );
    const tableArn = t.TableDescription?.TableArn ?? '';
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${built.managementAccountId}:root` }, Action: 'dynamodb:GetItem', Resource: tableArn }] };
    await ddb.send(new PutResourcePolicyCommand({ ResourceArn: tableArn, Policy: JSON.stringify(policy) }));
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/queues', TargetKeyId: key?.KeyId }));
    const sqs = inAccount(new SQSClient(cfg), acct.id);
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: 'sealed', Attributes: { KmsMasterKeyId: 'alias/queues' } }))).QueueUrl ?? '';
    const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes?.['QueueArn'] ?? '';
    const sns = inAccount(new SNSClient(cfg), acct.id);
    const topic = (await sns.send(new CreateTopicCommand({ Name: 'sealed', Attributes: { KmsMasterKeyId: key?.KeyId ?? '' } }))).TopicArn ?? '';
    for (const c of [kms, ddb, sqs, sns]) c.destroy();

    const aws = new ClientFactory({ region: R, endpoint: motoEndpoint(), credentials: creds });
    const snap = await collect(aws, new Scheduler({ baseDelayMs: 2, maxDelayMs: 20 }), { regions: [R], now });
    aws.destroy();
    expect(snap.manifest.errors).toEqual([]);
    const inv = snap.accounts.find((a) => a.accountId === acct.id)?.inventory;
    expect(inv?.resources.find((r) => r.arn === tableArn)).toMatchObject({ type: 'dynamodb:table', name: 'ledger', policy });
    expect(inv?.references).toContainEqual({ kind: 'kms-encryption', from: tableArn, to: key?.Arn, evidence: 'SSEDescription.KMSMasterKeyArn' });
    // A queue encrypted through an alias and a topic through a key id: both resolved to the key's ARN.
    expect(inv?.references).toContainEqual({ kind: 'kms-encryption', from: queueArn, to: key?.Arn, evidence: 'KmsMasterKeyId' });
    expect(inv?.references).toContainEqual({ kind: 'kms-encryption', from: topic, to: key?.Arn, evidence: 'KmsMasterKeyId' });
  });

  it('keeps an account whose inventory reads are denied, without inventory, and says so in the manifest', async () => {
    const built = await buildEmulatedOrg({ endpoint: motoEndpoint(), businessUnits: ['a'], accountsPerOu: 1, rolesPerAccount: 1, bucketsPerAccount: 0 });
    const proxy = await startThrottleProxy({ target: motoEndpoint(), deny: ({ target }) => (target ?? '').startsWith('ResourceGroupsTaggingAPI') });
    try {
      const aws = new ClientFactory({ region: R, endpoint: proxy.url, credentials: creds });
      const snap = await collect(aws, new Scheduler({ baseDelayMs: 2, maxDelayMs: 20 }), { regions: [R], now });
      aws.destroy();
      expect(snap.manifest.counts.accountsFailed).toBe(0);
      expect(snap.manifest.counts.accountsCollected).toBe(built.accounts.length + 1);
      expect(snap.manifest.errors.map((e) => e.stage)).toEqual(new Array<string>(built.accounts.length + 1).fill('inventory'));
      expect(snap.accounts.filter((a) => a.inventory !== undefined)).toEqual([]);
      // IAM is still read: the member accounts' roles are there.
      for (const m of built.accounts) expect(snap.accounts.find((a) => a.accountId === m.id)?.iam.roles.length, m.name).toBeGreaterThan(0);
    } finally {
      await proxy.close();
    }
  });
});
