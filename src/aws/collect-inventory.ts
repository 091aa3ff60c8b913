/**
 * The workload inventory of one account (AWS edge, read-only): every resource the Resource Groups Tagging API,
 * CloudFormation and the per-service reads find, with tags and stack, and the references between them that a
 * migration must keep: a Lambda's environment naming a table/queue/bucket/topic, event source mappings, SNS
 * subscriptions to SQS/Lambda, KMS keys encrypting tables/buckets/functions, and S3 bucket notifications.
 *
 * Every call goes through the Scheduler (paginators over `scheduled` clients, single calls through `s.read`).
 * Lambda environment values are dropped unless they are ARNs or names of collected resources: they may be secrets.
 */
import { DescribeTableCommand, GetResourcePolicyCommand, paginateListTables } from '@aws-sdk/client-dynamodb';
import { paginateListStackResources, paginateListStacks, type CloudFormationClient, type StackStatus } from '@aws-sdk/client-cloudformation';
import { paginateListEventSourceMappings, paginateListFunctions, type FunctionConfiguration } from '@aws-sdk/client-lambda';
import { GetTopicAttributesCommand, paginateListSubscriptions } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, paginateListQueues } from '@aws-sdk/client-sqs';
import { GetBucketEncryptionCommand, GetBucketNotificationConfigurationCommand } from '@aws-sdk/client-s3';
import { paginateListAliases } from '@aws-sdk/client-kms';
import { paginateGetResources } from '@aws-sdk/client-resource-groups-tagging-api';
import type { JsonValue } from '../model/organization.js';
import { keepEnvironmentValue, looksLikeArn, type InventoryReference, type ReferenceKind } from '../model/inventory.js';
import { compareStrings, sortBy, sortedRecord } from '../util/order.js';
import { decodePolicyDocument } from '../snapshot/decode.js';
import type { AccountSnapshot, InventorySnapshot } from '../snapshot/format.js';
import type { AccountClients } from './clients.js';
import { optional } from './errors.js';
import { scheduled, type Scheduler } from './scheduler.js';

type Tags = Record<string, string>;
type ResourceRow = AccountSnapshot['resources'][number];
type InventoryRow = InventorySnapshot['resources'][number];

/** A resource being assembled (tags merged from several reads). */
interface Draft {
  arn: string;
  type: string;
  region: string;
  name: string;
  tags: Tags;
  stack?: InventoryRow['stack'];
  aliases?: string[];
  lambda?: InventoryRow['lambda'];
  policy?: JsonValue;
}

/** A Lambda's environment, kept in memory only until the values are judged (never written as read). */
interface PendingEnvironment {
  readonly functionArn: string;
  readonly variables: Readonly<Record<string, string>>;
}

/** A stack's resource as ListStackResources lists it, resolved to an ARN once everything is read. */
interface PendingStackResource {
  readonly stackName: string;
  readonly stackArn: string;
  readonly logicalId: string;
  readonly physicalId: string;
}

/** A KMS key named by an encrypted resource (key id, key ARN, alias name or alias ARN). */
interface PendingKey {
  readonly from: string;
  readonly region: string;
  readonly keyId: string;
  readonly evidence: string;
}

/** One account's inventory read: clients, scheduler, and what has been found so far. */
interface InventoryReader {
  readonly c: AccountClients;
  readonly s: Scheduler;
  readonly resources: Map<string, Draft>;
  readonly references: InventoryReference[];
  readonly environments: PendingEnvironment[];
  readonly stackResources: PendingStackResource[];
  readonly keys: PendingKey[];
  /** Alias name or alias ARN → key ARN. */
  readonly aliasTargets: Map<string, string>;
}

/**
 * The resource type of an ARN, `service:resource-type` (`arn:aws:dynamodb:…:table/orders` → `dynamodb:table`).
 * S3 bucket, SQS queue and SNS topic ARNs carry no type segment. ARN format: "Amazon Resource Names (ARNs)",
 * IAM User Guide, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 */
export function typeOfArn(arn: string): string {
  const parts = arn.split(':');
  const service = parts[2] ?? '';
  const resource = parts.slice(5).join(':');
  if (service === 's3' && !resource.includes('/')) return 's3:bucket';
  if (service === 'sqs') return 'sqs:queue';
  if (service === 'sns') return parts.length > 6 ? 'sns:subscription' : 'sns:topic';
  const cut = [resource.indexOf('/'), resource.indexOf(':')].filter((i) => i >= 0);
  return `${service}:${cut.length > 0 ? resource.slice(0, Math.min(...cut)) : resource}`;
}

/**
 * The resource's own name: the ARN's last `/` or `:` segment (`function:orders` → `orders`); a CloudFormation stack
 * ARN ends in the stack's id (`stack/NAME/UUID`), so its name is the middle segment.
 */
export function nameOfArn(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  if (arn.split(':')[2] === 'cloudformation' && resource.startsWith('stack/')) return resource.split('/')[1] ?? resource;
  const cut = Math.max(resource.lastIndexOf('/'), resource.lastIndexOf(':'));
  return cut >= 0 ? resource.slice(cut + 1) : resource;
}

function regionOfArn(arn: string, fallback: string): string {
  const r = arn.split(':')[3] ?? '';
  return r === '' ? fallback : r;
}

/** Adds a resource, or merges tags and details into the one already found. */
function upsert(r: InventoryReader, d: Omit<Draft, 'name' | 'type'> & { name?: string; type?: string }): Draft {
  const had = r.resources.get(d.arn);
  if (had) {
    // the read that names the resource itself (ListStacks, ListTables, …) wins over a name derived from its ARN
    if (d.name !== undefined) had.name = d.name;
    had.tags = sortedRecord({ ...had.tags, ...d.tags });
    if (d.lambda) had.lambda = d.lambda;
    if (d.policy !== undefined) had.policy = d.policy;
    return had;
  }
  const draft: Draft = { ...d, type: d.type ?? typeOfArn(d.arn), name: d.name ?? nameOfArn(d.arn), tags: sortedRecord(d.tags) };
  r.resources.set(d.arn, draft);
  return draft;
}

function refer(r: InventoryReader, kind: ReferenceKind, from: string, to: string, evidence: string): void {
  r.references.push({ kind, from, to, evidence });
}


function toTags(list: readonly { Key?: string | undefined; Value?: string | undefined }[] | undefined): Tags {
  const out: Tags = {};
  for (const t of list ?? []) if (t.Key !== undefined) out[t.Key] = t.Value ?? '';
  return out;
}

/** Every taggable resource of the region with its tags (GetResources, paginated). */
async function readTagged(r: InventoryReader, region: string): Promise<void> {
  // GetResources: "Resource Groups Tagging API Reference", https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/API_GetResources.html
  for await (const page of paginateGetResources({ client: scheduled(r.c.tagging(region), r.s) }, { ResourcesPerPage: 100 })) {
    for (const m of page.ResourceTagMappingList ?? []) {
      if (m.ResourceARN) upsert(r, { arn: m.ResourceARN, region: regionOfArn(m.ResourceARN, region), tags: toTags(m.Tags) });
    }
  }
}

/** DynamoDB tables with their resource policy and encryption key. */
async function readTables(r: InventoryReader, region: string): Promise<void> {
  const ddb = r.c.dynamodb(region);
  for await (const page of paginateListTables({ client: scheduled(ddb, r.s) }, {})) {
    // One page's tables in parallel (the scheduler bounds the calls in flight); the output is sorted at the end.
    await Promise.all((page.TableNames ?? []).map((name) => readTable(r, region, name)));
  }
}

/** One table: its ARN, resource policy and encryption key. */
async function readTable(r: InventoryReader, region: string, name: string): Promise<void> {
  const ddb = r.c.dynamodb(region);
  const t = (await r.s.read(() => ddb.send(new DescribeTableCommand({ TableName: name })))).Table;
  const arn = t?.TableArn ?? `arn:aws:dynamodb:${region}:${r.c.accountId}:table/${name}`;
  // GetResourcePolicy answers PolicyNotFoundException when the table has none: "GetResourcePolicy", Amazon
  // DynamoDB API Reference, https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetResourcePolicy.html
  const pol = await optional(() => r.s.read(() => ddb.send(new GetResourcePolicyCommand({ ResourceArn: arn }))), ['PolicyNotFoundException']);
  const policy = pol?.Policy ? decodePolicyDocument(pol.Policy) : undefined;
  upsert(r, { arn, type: 'dynamodb:table', name, region, tags: {}, ...(policy ? { policy: policy.ok ? policy.value : (pol?.Policy ?? '') } : {}) });
  const key = t?.SSEDescription?.KMSMasterKeyArn;
  if (key) r.keys.push({ from: arn, region, keyId: key, evidence: 'SSEDescription.KMSMasterKeyArn' });
}

/** Lambda functions: role, runtime, environment (judged later), encryption key. */
async function readFunctions(r: InventoryReader, region: string): Promise<void> {
  for await (const page of paginateListFunctions({ client: scheduled(r.c.lambda(region), r.s) }, {})) {
    for (const f of page.Functions ?? []) readFunction(r, region, f);
  }
}

function readFunction(r: InventoryReader, region: string, f: FunctionConfiguration): void {
  const arn = f.FunctionArn ?? '';
  const variables = f.Environment?.Variables ?? {};
  upsert(r, {
    arn,
    type: 'lambda:function',
    region,
    tags: {},
    ...(f.FunctionName ? { name: f.FunctionName } : {}),
    lambda: {
      ...(f.Role ? { role: f.Role } : {}),
      ...(f.Runtime ? { runtime: f.Runtime } : {}),
      environment: Object.keys(variables).sort(compareStrings).map((name) => ({ name })),
    },
  });
  r.environments.push({ functionArn: arn, variables });
  if (f.KMSKeyArn) r.keys.push({ from: arn, region, keyId: f.KMSKeyArn, evidence: 'KMSKeyArn' });
}

/** Event source mappings: the source (queue, stream, table) feeds the function. */
async function readEventSources(r: InventoryReader, region: string): Promise<void> {
  for await (const page of paginateListEventSourceMappings({ client: scheduled(r.c.lambda(region), r.s) }, {})) {
    for (const m of page.EventSourceMappings ?? []) {
      if (m.EventSourceArn && m.FunctionArn) refer(r, 'event-source', m.EventSourceArn, m.FunctionArn, `event source mapping ${m.UUID ?? ''}`.trim());
    }
  }
}

/** SNS subscriptions; only SQS and Lambda endpoints (ARNs) are kept — e-mail and HTTP endpoints never are. */
async function readSubscriptions(r: InventoryReader, region: string): Promise<void> {
  for await (const page of paginateListSubscriptions({ client: scheduled(r.c.sns(region), r.s) }, {})) {
    for (const sub of page.Subscriptions ?? []) {
      const protocol = sub.Protocol ?? '';
      if ((protocol === 'sqs' || protocol === 'lambda') && sub.TopicArn && sub.Endpoint && looksLikeArn(sub.Endpoint)) {
        refer(r, 'sns-subscription', sub.TopicArn, sub.Endpoint, `protocol ${protocol}`);
      }
    }
  }
}

/**
 * SQS queues' KMS keys (attribute `KmsMasterKeyId`: "GetQueueAttributes", Amazon SQS API Reference,
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html).
 */
async function readQueueKeys(r: InventoryReader, region: string): Promise<void> {
  const sqs = r.c.sqs(region);
  // SQS returns a NextToken only when MaxResults is given.
  for await (const page of paginateListQueues({ client: scheduled(sqs, r.s) }, { MaxResults: 1000 })) {
    await Promise.all(
      (page.QueueUrls ?? []).map(async (url) => {
        const attrs = (await r.s.read(() => sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn', 'KmsMasterKeyId'] })))).Attributes;
        const key = attrs?.['KmsMasterKeyId'];
        if (key && attrs['QueueArn']) r.keys.push({ from: attrs['QueueArn'], region, keyId: key, evidence: 'KmsMasterKeyId' });
      }),
    );
  }
}

/**
 * SNS topics' KMS keys (attribute `KmsMasterKeyId`: "GetTopicAttributes", Amazon SNS API Reference,
 * https://docs.aws.amazon.com/sns/latest/api/API_GetTopicAttributes.html).
 */
async function readTopicKey(r: InventoryReader, topic: ResourceRow): Promise<void> {
  const sns = r.c.sns(topic.region);
  const attrs = (await r.s.read(() => sns.send(new GetTopicAttributesCommand({ TopicArn: topic.arn })))).Attributes;
  const key = attrs?.['KmsMasterKeyId'];
  if (key) r.keys.push({ from: topic.arn, region: topic.region, keyId: key, evidence: 'KmsMasterKeyId' });
}

/** KMS aliases, attached to their keys. */
async function readAliases(r: InventoryReader, region: string): Promise<void> {
  for await (const page of paginateListAliases({ client: scheduled(r.c.kms(region), r.s) }, {})) {
    for (const a of page.Aliases ?? []) {
      if (!a.TargetKeyId || !a.AliasName || a.AliasName.startsWith('alias/aws/')) continue;
      const keyArn = `arn:aws:kms:${region}:${r.c.accountId}:key/${a.TargetKeyId}`;
      r.aliasTargets.set(a.AliasName, keyArn);
      if (a.AliasArn) r.aliasTargets.set(a.AliasArn, keyArn);
      const key = r.resources.get(keyArn);
      if (key) key.aliases = [...(key.aliases ?? []), a.AliasName].sort(compareStrings);
    }
  }
}

/**
 * CloudFormation stacks (every status but DELETE_COMPLETE) and their resources, resolved to ARNs later.
 * "ListStacks" / "ListStackResources", AWS CloudFormation API Reference,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ListStacks.html
 */
async function readStacks(r: InventoryReader, region: string): Promise<void> {
  const cfn = scheduled(r.c.cloudformation(region), r.s);
  const live: StackStatus[] = [
    'CREATE_COMPLETE', 'CREATE_IN_PROGRESS', 'CREATE_FAILED', 'ROLLBACK_COMPLETE', 'ROLLBACK_FAILED', 'ROLLBACK_IN_PROGRESS',
    'DELETE_FAILED', 'DELETE_IN_PROGRESS', 'UPDATE_COMPLETE', 'UPDATE_IN_PROGRESS', 'UPDATE_FAILED',
    'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE', 'UPDATE_ROLLBACK_FAILED', 'UPDATE_ROLLBACK_IN_PROGRESS',
    'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', 'IMPORT_COMPLETE', 'IMPORT_IN_PROGRESS', 'IMPORT_ROLLBACK_COMPLETE',
    'IMPORT_ROLLBACK_FAILED', 'IMPORT_ROLLBACK_IN_PROGRESS', 'REVIEW_IN_PROGRESS',
  ];
  for await (const page of paginateListStacks({ client: cfn }, { StackStatusFilter: live })) {
    await Promise.all((page.StackSummaries ?? []).map((st) => readStack(r, cfn, region, st.StackId, st.StackName)));
  }
}

/** One stack and its resources. */
async function readStack(r: InventoryReader, cfn: CloudFormationClient, region: string, id: string | undefined, name: string | undefined): Promise<void> {
  if (!id || !name) return;
  upsert(r, { arn: id, type: 'cloudformation:stack', name, region, tags: {} });
  for await (const rp of paginateListStackResources({ client: cfn }, { StackName: id })) {
    for (const res of rp.StackResourceSummaries ?? []) {
      if (res.PhysicalResourceId && res.LogicalResourceId) {
        r.stackResources.push({ stackName: name, stackArn: id, logicalId: res.LogicalResourceId, physicalId: res.PhysicalResourceId });
      }
    }
  }
}

/** A bucket's notification targets and default encryption key. */
async function readBucket(r: InventoryReader, b: ResourceRow): Promise<void> {
  const s3 = r.c.s3(b.region);
  const bucket = nameOfArn(b.arn);
  const n = await r.s.read(() => s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket })));
  const targets = [
    ...(n.TopicConfigurations ?? []).map((t) => ({ to: t.TopicArn, events: t.Events })),
    ...(n.QueueConfigurations ?? []).map((q) => ({ to: q.QueueArn, events: q.Events })),
    ...(n.LambdaFunctionConfigurations ?? []).map((l) => ({ to: l.LambdaFunctionArn, events: l.Events })),
  ];
  for (const t of targets) if (t.to) refer(r, 'bucket-notification', b.arn, t.to, `events ${(t.events ?? []).join(',')}`);
  // No default encryption configuration is answered with ServerSideEncryptionConfigurationNotFoundError:
  // "GetBucketEncryption", Amazon S3 API Reference, https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketEncryption.html
  const enc = await optional(() => r.s.read(() => s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }))), ['ServerSideEncryptionConfigurationNotFoundError']);
  for (const rule of enc?.ServerSideEncryptionConfiguration?.Rules ?? []) {
    const key = rule.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID;
    if (key) r.keys.push({ from: b.arn, region: b.region, keyId: key, evidence: 'ServerSideEncryptionConfiguration' });
  }
}

/** Key prefix for a queue URL's path (`/<account>/<queue>`) in the identifier map. */
const QUEUE_PATH = 'sqs-url-path:';

/**
 * The identifier a value is looked up by: a queue URL (any host: `https://sqs.<region>.amazonaws.com/<account>/<name>`,
 * the legacy `queue.amazonaws.com` forms, or an emulator's) by its path, anything else as it is. Queue URL format:
 * "Amazon SQS queue and message identifiers", Amazon SQS Developer Guide,
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-queue-message-identifiers.html
 */
function lookupKey(value: string): string {
  if (!(value.startsWith('https://') || value.startsWith('http://')) || !URL.canParse(value)) return value;
  const path = new URL(value).pathname;
  const parts = path.split('/');
  return parts.length === 3 && /^\d{12}$/.test(parts[1] ?? '') && (parts[2] ?? '') !== '' ? `${QUEUE_PATH}${path}` : value;
}

/** Identifiers a Lambda environment or a stack may name a resource by: ARN, name, queue URL; each → ARNs. */
function identifiers(r: InventoryReader): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (id: string, arn: string) => {
    if (id === '') return;
    const set = out.get(id) ?? new Set<string>();
    set.add(arn);
    out.set(id, set);
  };
  for (const d of r.resources.values()) {
    add(d.arn, d.arn);
    add(d.name, d.arn);
    if (d.type === 'sqs:queue') add(`${QUEUE_PATH}/${d.arn.split(':')[4] ?? ''}/${d.name}`, d.arn);
  }
  for (const [alias, key] of r.aliasTargets) add(alias, key);
  return out;
}

/** Lambda env → resource references; values kept only when they are ARNs or names of collected resources. */
function resolveEnvironments(r: InventoryReader, ids: Map<string, Set<string>>): void {
  const known = new Set(ids.keys());
  for (const env of r.environments) {
    const fn = r.resources.get(env.functionArn);
    if (!fn?.lambda) continue;
    const environment = fn.lambda.environment.map((v) => {
      const value = env.variables[v.name] ?? '';
      const key = lookupKey(value);
      if (!keepEnvironmentValue(key, known)) return { name: v.name };
      for (const to of ids.get(key) ?? [value]) if (to !== env.functionArn) refer(r, 'lambda-env', env.functionArn, to, v.name);
      return { name: v.name, value };
    });
    fn.lambda = { ...fn.lambda, environment };
  }
}

/** Stack membership by physical id; resources a stack names but no read found are left out (see docs/live.md). */
function resolveStacks(r: InventoryReader, ids: Map<string, Set<string>>): void {
  for (const sr of r.stackResources) {
    // A queue's physical id is its URL (Ref returns the queue URL: "AWS::SQS::Queue", AWS CloudFormation User
    // Guide, https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sqs-queue.html), looked up
    // by its path as environment values are.
    for (const arn of ids.get(lookupKey(sr.physicalId)) ?? []) {
      const d = r.resources.get(arn);
      if (d && d.type !== 'cloudformation:stack') d.stack = { name: sr.stackName, arn: sr.stackArn, logicalId: sr.logicalId };
    }
  }
}

/** KMS references: key id / alias → key ARN. */
function resolveKeys(r: InventoryReader): void {
  for (const k of r.keys) {
    const to = r.aliasTargets.get(k.keyId) ?? (looksLikeArn(k.keyId) ? k.keyId : `arn:aws:kms:${k.region}:${r.c.accountId}:${k.keyId.startsWith('alias/') ? k.keyId : `key/${k.keyId}`}`);
    refer(r, 'kms-encryption', k.from, r.aliasTargets.get(to) ?? to, k.evidence);
  }
}

/**
 * Reads the workload inventory of one account in the given regions. `known` are the resources `collectResources`
 * already read (buckets, keys, queues, topics, functions, secrets): they seed the inventory and are not listed again.
 */
export async function collectInventory(c: AccountClients, s: Scheduler, regions: readonly string[], known: readonly ResourceRow[]): Promise<InventorySnapshot> {
  const r: InventoryReader = { c, s, resources: new Map(), references: [], environments: [], stackResources: [], keys: [], aliasTargets: new Map() };
  for (const k of known) upsert(r, { arn: k.arn, type: k.type, region: k.region, tags: k.tags });
  const jobs = [
    ...regions.flatMap((region) => [
      readTagged(r, region),
      readTables(r, region),
      readFunctions(r, region),
      readEventSources(r, region),
      readSubscriptions(r, region),
      readStacks(r, region),
      readQueueKeys(r, region),
    ]),
    ...known.filter((k) => k.type === 's3:bucket').map((b) => readBucket(r, b)),
    ...known.filter((k) => k.type === 'sns:topic').map((t) => readTopicKey(r, t)),
  ];
  const settled = await Promise.allSettled(jobs);
  const failed = settled.find((x): x is PromiseRejectedResult => x.status === 'rejected');
  if (failed) throw failed.reason;
  // Aliases after the keys are all known (ListKeys ran in collectResources; the tagging API may add more).
  await Promise.all(regions.map((region) => readAliases(r, region)));
  const ids = identifiers(r);
  resolveEnvironments(r, ids);
  resolveStacks(r, ids);
  resolveKeys(r);
  const dedup = new Map(r.references.map((x) => [`${x.kind}\u0000${x.from}\u0000${x.to}\u0000${x.evidence}`, x]));
  return {
    resources: sortBy(r.resources.values(), (d) => d.arn).map((d) => ({ ...d, tags: sortedRecord(d.tags) })),
    references: sortBy(dedup.entries(), ([k]) => k).map(([, v]) => v),
  };
}
