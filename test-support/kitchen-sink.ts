/**
 * Kitchen-sink organizations built in moto with the real SDK, for the migrate tests (test/migrate/). Not part of the
 * library: it talks to an emulator with dummy credentials, and acts in member accounts through moto's
 * `x-moto-account-id` header instead of AssumeRole (the collector itself uses AssumeRole).
 *
 * `buildKitchenSink` makes a management account and one production account, `legacy-prod` (tagged
 * `Environment=prod`, no business unit), that holds dev, stage and
 * prod of two business units (payments, shop):
 *
 * | stack / resource | what | couplings |
 * |---|---|---|
 * | stacks `payments-dev`, `payments-stage`, `payments-prod`, `shop-dev`, `shop-prod` | table `S-table`, queue `S-queue`, function `S-api` (env: `TABLE_NAME` → table, `QUEUE_URL` → queue), untagged | same stack, `lambda-env` ×2 |
 * | stack `payments-batch` | tables `payments-batch-dev-items` (tag `Environment=dev`) and `payments-batch-prod-items` (`Environment=prod`) | same stack: the group that cannot be split |
 * | topic `shop-prod-events` (untagged) | subscribed by `shop-prod-queue` | `sns-subscription` |
 * | bucket `shop-dev-uploads` (untagged), KMS key (tags dev/shop) | bucket notification → `shop-dev-queue`, SSE-KMS with the key | `bucket-notification`, `kms-encryption` |
 * | queue `storefront-backlog`, table `storefront-sessions` (tags stage/shop/`Application=storefront`) | loose | `same-application` |
 * | role `shop-prod-api-role` | also reads `payments-prod-table` | shared data across business units |
 * | role `payments-dev-api-role` | also reads `payments-prod-table` | shared data across phases |
 *
 * Each function's execution role `S-api-role` reads and writes its own table and reads its queue, and is tagged
 * with its phase and business unit (so adopt sees several phases in the account). CloudFormation resources are made
 * by moto's CloudFormation (DynamoDB tables, SQS queues and Lambda functions are among the types it creates); the
 * roles, the topic, the bucket and the key are direct SDK calls.
 *
 * `buildCleanOrg` makes a management account and two accounts already split (`payments-dev`, `shop-prod`, tagged
 * with their phase and business unit), each holding its own stack.
 */
import { CreateAccountCommand, CreateOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CloudFormationClient, CreateStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CreateQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateBucketCommand, PutBucketEncryptionCommand, PutBucketNotificationConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TARGET_SPEC } from '../src/migrate/testdata/kitchen-sink.js';
import { inAccount } from './moto-client.js';

const creds = { accessKeyId: 'testing', secretAccessKey: 'testing' };
/** The region everything is built in. */
export const KS_REGION = 'us-east-1';

/** The target design of both organizations (dev, stage, prod × payments, shop): the synthetic kitchen sink's. */
export const KS_TARGET_SPEC = TARGET_SPEC;

/** The clean stacks of the kitchen-sink account (each: table, queue, function). */
export const KS_STACKS = ['payments-dev', 'payments-stage', 'payments-prod', 'shop-dev', 'shop-prod'] as const;

/** What was built, for assertions. */
export interface BuiltOrg {
  readonly managementAccountId: string;
  /** Account name → id. */
  readonly accounts: ReadonlyMap<string, string>;
  /** The KMS key's ARN (kitchen-sink only). */
  readonly keyArn?: string;
}

const doc = (...Statement: Record<string, unknown>[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const LAMBDA_TRUST = doc({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' });
const tableArn = (account: string, name: string) => `arn:aws:dynamodb:${KS_REGION}:${account}:table/${name}`;
const tagList = (tags: Record<string, string>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

/** A stack's template: a table, a queue and a function whose environment names both. */
function stackTemplate(stack: string, roleArn: string): string {
  return JSON.stringify({
    AWSTemplateFormatVersion: '2010-09-09',
    Resources: {
      Table: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          TableName: `${stack}-table`,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        },
      },
      Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: `${stack}-queue` } },
      Api: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          FunctionName: `${stack}-api`,
          Runtime: 'nodejs20.x',
          Handler: 'index.handler',
          Role: roleArn,
          Code: { ZipFile: 'exports.handler = async () => 1;' },
          Environment: { Variables: { TABLE_NAME: { Ref: 'Table' }, QUEUE_URL: { Ref: 'Queue' } } },
        },
      },
    },
  });
}

/** The stack that cannot be split: one dev table and one prod table. */
function mixedTemplate(): string {
  const table = (name: string, phase: string) => ({
    Type: 'AWS::DynamoDB::Table',
    Properties: {
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      Tags: [{ Key: 'Environment', Value: phase }],
    },
  });
  return JSON.stringify({
    AWSTemplateFormatVersion: '2010-09-09',
    Resources: { DevItems: table('payments-batch-dev-items', 'dev'), ProdItems: table('payments-batch-prod-items', 'prod') },
  });
}

interface Clients {
  readonly iam: IAMClient;
  readonly cfn: CloudFormationClient;
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
  readonly s3: S3Client;
  readonly kms: KMSClient;
  readonly ddb: DynamoDBClient;
}

function clientsIn(endpoint: string, accountId: string): Clients {
  const cfg = { endpoint, region: KS_REGION, credentials: creds };
  return {
    iam: inAccount(new IAMClient(cfg), accountId),
    cfn: inAccount(new CloudFormationClient(cfg), accountId),
    sqs: inAccount(new SQSClient(cfg), accountId),
    sns: inAccount(new SNSClient(cfg), accountId),
    s3: inAccount(new S3Client({ ...cfg, forcePathStyle: true }), accountId),
    kms: inAccount(new KMSClient(cfg), accountId),
    ddb: inAccount(new DynamoDBClient(cfg), accountId),
  };
}

function destroy(c: Clients): void {
  for (const client of Object.values(c) as { destroy: () => void }[]) client.destroy();
}

/** Creates an organization and its member accounts (name → account tags); moto must be freshly reset. */
async function organizationWith(endpoint: string, members: Record<string, Record<string, string>>): Promise<{ managementAccountId: string; accounts: Map<string, string> }> {
  const org = new OrganizationsClient({ endpoint, region: KS_REGION, credentials: creds });
  const created = await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const accounts = new Map<string, string>();
  for (const [name, tags] of Object.entries(members)) {
    const r = await org.send(new CreateAccountCommand({ AccountName: name, Email: `aws+${name}@acme.example`, Tags: tagList(tags) }));
    accounts.set(name, r.CreateAccountStatus?.AccountId ?? '');
  }
  org.destroy();
  return { managementAccountId: created.Organization?.MasterAccountId ?? '', accounts };
}

/**
 * One clean stack: the execution role (tagged with the stack's phase and business unit, reading and writing its
 * table and reading its queue, plus `extraReads` tables), then the stack.
 */
async function cleanStack(c: Clients, account: string, stack: string, extraReads: readonly string[] = []): Promise<void> {
  const [bu, phase] = stack.split('-') as [string, string];
  const roleName = `${stack}-api-role`;
  const role = await c.iam.send(
    new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: LAMBDA_TRUST, Tags: tagList({ Environment: phase, BusinessUnit: bu }) }),
  );
  const own = doc(
    { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: tableArn(account, `${stack}-table`) },
    { Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage'], Resource: `arn:aws:sqs:${KS_REGION}:${account}:${stack}-queue` },
  );
  await c.iam.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: 'own', PolicyDocument: own }));
  if (extraReads.length > 0) {
    const reads = doc({ Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: extraReads.map((t) => tableArn(account, t)) });
    await c.iam.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: 'reads', PolicyDocument: reads }));
  }
  await createStack(c.cfn, stack, stackTemplate(stack, role.Role?.Arn ?? ''));
}

async function createStack(cfn: CloudFormationClient, name: string, body: string): Promise<void> {
  await cfn.send(new CreateStackCommand({ StackName: name, TemplateBody: body }));
  const status = (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0]?.StackStatus;
  if (status !== 'CREATE_COMPLETE') throw new Error(`stack ${name} is ${status ?? 'missing'}`);
}

async function queueArn(sqs: SQSClient, name: string): Promise<string> {
  const url = (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl ?? '';
  return (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes?.['QueueArn'] ?? '';
}

/** The loose (non-stack) resources of the kitchen-sink account; returns the key's ARN. */
async function looseResources(c: Clients): Promise<string> {
  // SNS → SQS: the shop's prod topic feeds the prod stack's queue.
  const topic = (await c.sns.send(new CreateTopicCommand({ Name: 'shop-prod-events' }))).TopicArn ?? '';
  await c.sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: await queueArn(c.sqs, 'shop-prod-queue') }));
  // A bucket (untagged: its name says shop and dev) with a notification to the dev stack's queue, encrypted with a key.
  const key = (await c.kms.send(new CreateKeyCommand({ Description: 'shop dev uploads', Tags: tagList({ Environment: 'dev', BusinessUnit: 'shop' }).map((t) => ({ TagKey: t.Key, TagValue: t.Value })) }))).KeyMetadata;
  await c.s3.send(new CreateBucketCommand({ Bucket: 'shop-dev-uploads' }));
  await c.s3.send(
    new PutBucketEncryptionCommand({
      Bucket: 'shop-dev-uploads',
      ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key?.Arn } }] },
    }),
  );
  await c.s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: 'shop-dev-uploads',
      NotificationConfiguration: { QueueConfigurations: [{ QueueArn: await queueArn(c.sqs, 'shop-dev-queue'), Events: ['s3:ObjectCreated:*'] }] },
    }),
  );
  // Same application, no reference: a stage queue and a stage table of the shop's storefront.
  const storefront = { Environment: 'stage', BusinessUnit: 'shop', Application: 'storefront' };
  await c.sqs.send(new CreateQueueCommand({ QueueName: 'storefront-backlog', tags: storefront }));
  await c.ddb.send(
    new CreateTableCommand({
      TableName: 'storefront-sessions',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      Tags: tagList(storefront),
    }),
  );
  return key?.Arn ?? '';
}

/** Builds the kitchen-sink organization (see the file comment); moto must be freshly reset. */
export async function buildKitchenSink(endpoint: string): Promise<BuiltOrg> {
  const org = await organizationWith(endpoint, { 'legacy-prod': { Environment: 'prod' } });
  const account = org.accounts.get('legacy-prod') ?? '';
  const c = clientsIn(endpoint, account);
  const extra: Record<string, string[]> = { 'shop-prod': ['payments-prod-table'], 'payments-dev': ['payments-prod-table'] };
  for (const stack of KS_STACKS) await cleanStack(c, account, stack, extra[stack]);
  await createStack(c.cfn, 'payments-batch', mixedTemplate());
  const keyArn = await looseResources(c);
  destroy(c);
  return { ...org, keyArn };
}

/** Builds an organization whose accounts are already split: `payments-dev` and `shop-prod`, one stack each. */
export async function buildCleanOrg(endpoint: string): Promise<BuiltOrg> {
  const org = await organizationWith(endpoint, {
    'payments-dev': { Environment: 'dev', BusinessUnit: 'payments' },
    'shop-prod': { Environment: 'prod', BusinessUnit: 'shop' },
  });
  for (const [name, id] of org.accounts) {
    const c = clientsIn(endpoint, id);
    await cleanStack(c, id, name);
    destroy(c);
  }
  return org;
}
