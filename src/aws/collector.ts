/**
 * The collector (AWS edge): reads a live organization with the SDK into a Snapshot.
 *
 * Organizations first (root, OU tree, accounts with tags, SCPs/RCPs with targets), then every ACTIVE
 * account — the management account with the caller's credentials, members through AssumeRole into the
 * access role — for IAM (GetAccountAuthorizationDetails, paginated, documents decoded) and resources with
 * policies and tags in the chosen regions. An account that fails is recorded in `manifest.errors` and the
 * others go on. Every call goes through the Scheduler. Temporary credentials never leave memory.
 */
import {
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
  paginateListPolicies,
  paginateListRoots,
  paginateListTagsForResource,
  paginateListTargetsForPolicy,
  type Account as OrgAccount,
  type OrganizationsClient,
  type PolicySummary,
  type Root,
} from '@aws-sdk/client-organizations';
import { paginateGetAccountAuthorizationDetails, type GetAccountAuthorizationDetailsCommandOutput } from '@aws-sdk/client-iam';
import { GetBucketLocationCommand, GetBucketPolicyCommand, GetBucketTaggingCommand, paginateListBuckets } from '@aws-sdk/client-s3';
import { GetKeyPolicyCommand, ListResourceTagsCommand, paginateListKeys } from '@aws-sdk/client-kms';
import { GetQueueAttributesCommand, ListQueueTagsCommand, paginateListQueues } from '@aws-sdk/client-sqs';
import { GetTopicAttributesCommand, ListTagsForResourceCommand as SnsListTags, paginateListTopics } from '@aws-sdk/client-sns';
import { GetPolicyCommand as LambdaGetPolicy, ListTagsCommand as LambdaListTags, paginateListFunctions } from '@aws-sdk/client-lambda';
import { GetResourcePolicyCommand, paginateListSecrets } from '@aws-sdk/client-secrets-manager';
import type { JsonValue } from '../model/organization.js';
import { DEFAULT_ACCESS_ROLE } from '../model/organization.js';
import { VERSION } from '../version.js';
import { DEFAULT_REGION } from '../util/aws-defaults.js';
import { compareStrings, sortBy, sortedRecord } from '../util/order.js';
import { pool } from '../util/pool.js';
import type { AccountClients, ClientFactory } from './clients.js';
import { describeError, errorName, isBug, isNotFound, optional } from './errors.js';
import { allPages, scheduled, type Scheduler } from './scheduler.js';
import { collectIdentity, IDENTITY_DENIED_ERRORS } from './collect-identity.js';
import { collectInventory } from './collect-inventory.js';
import { decodePolicyDocument } from '../snapshot/decode.js';
import {
  SNAPSHOT_VERSION,
  accountFile,
  type AccountSnapshot,
  type Snapshot,
  type IdentitySnapshot,
  type InventorySnapshot,
  type SnapshotError,
  type SnapshotOrganization,
} from '../snapshot/format.js';

/**
 * The manifest stage of a failed inventory read: the account's IAM and resources are kept, only its `inventory`
 * is missing (so a collector policy without the inventory's read actions still collects everything else).
 */
export const INVENTORY_STAGE = 'inventory';

/** The manifest stage of an Identity Center read failure (its `accountId` is `organization`). */
export const IDENTITY_STAGE = 'identity';

/** What to collect. */
export interface CollectOptions {
  /** Regions to read regional resources from. */
  readonly regions: readonly string[];
  /** Role assumed in member accounts (default OrganizationAccountAccessRole). */
  readonly accessRoleName?: string;
  /** Read resources (S3, KMS, SQS, SNS, Lambda, Secrets Manager); default true. `apply` only needs IAM. */
  readonly resources?: boolean;
  /**
   * Read each account's workload inventory (tables, stacks, Lambda configuration, event sources, subscriptions,
   * bucket notifications and encryption, KMS aliases, tags); default: when `resources` are read.
   */
  readonly inventory?: boolean;
  /** Read IAM per account; default true. */
  readonly iam?: boolean;
  /** Accounts read in parallel (default 8). */
  readonly accountConcurrency?: number;
  /** Only read IAM/resources of these account ids (default: all active). */
  readonly onlyAccounts?: ReadonlySet<string>;
  /** Collection time (injected clock). */
  readonly now: () => Date;
  /** Organizations data already read (apply reads it first to decide which accounts need IAM). */
  readonly organization?: SnapshotOrganization;
  /**
   * Read IAM Identity Center (sso-admin, identitystore); default true unless `organization` is given (apply's
   * IAM-only reads). Without an instance the snapshot has no `identity`; an access denial is a manifest error.
   */
  readonly identity?: boolean;
  /** Identity Center's home region (default: the connection's region). */
  readonly identityRegion?: string;
  /** Called after each account and periodically. */
  readonly onProgress?: (p: CollectProgress) => void;
}

/** Progress figures. */
export interface CollectProgress {
  readonly accountsDone: number;
  readonly accountsTotal: number;
  readonly calls: number;
  readonly retries: number;
}

type Tags = Record<string, string>;

function toTags(list: readonly { Key?: string | undefined; Value?: string | undefined }[] | undefined): Tags {
  const out: Tags = {};
  for (const t of list ?? []) if (t.Key !== undefined) out[t.Key] = t.Value ?? '';
  return sortedRecord(out);
}

/** The organization's policy types bulkhead reads. */
const POLICY_TYPES = ['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY'] as const;

/**
 * What Organizations answers ListPolicies with when an organization (or an endpoint, e.g. an older emulator
 * that rejects the filter value) has no resource control policies: there are none to report. Anything else —
 * access denied, throttling that outlasted the retries — surfaces.
 */
const NO_RCP_ERRORS: ReadonlySet<string> = new Set([
  'InvalidInputException',
  'PolicyTypeNotEnabledException',
  'PolicyTypeNotAvailableForOrganizationException',
]);

/** Organizations reads: one client whose every call goes through the scheduler. */
interface OrgReader {
  readonly org: OrganizationsClient;
}

async function tagsOf(r: OrgReader, id: string): Promise<Tags> {
  const pages = await allPages(paginateListTagsForResource({ client: r.org }, { ResourceId: id }));
  return toTags(pages.flatMap((p) => p.Tags ?? []));
}

/** The organization and its (first) root. */
async function readOrganizationAndRoot(r: OrgReader) {
  const desc = await r.org.send(new DescribeOrganizationCommand({}));
  const o = desc.Organization;
  if (!o?.Id || !o.MasterAccountId) throw new Error('DescribeOrganization returned no organization id');
  let root: Root | undefined;
  for await (const page of paginateListRoots({ client: r.org }, {})) {
    root = page.Roots?.[0];
    break;
  }
  if (!root?.Id) throw new Error('ListRoots returned no root');
  return { o: { ...o, Id: o.Id, MasterAccountId: o.MasterAccountId }, root: { ...root, Id: root.Id } };
}

/** The OUs and accounts directly under one parent. */
async function readChildren(r: OrgReader, parentId: string) {
  const ous = await allPages(paginateListOrganizationalUnitsForParent({ client: r.org }, { ParentId: parentId }));
  const accounts = await allPages(paginateListAccountsForParent({ client: r.org }, { ParentId: parentId }));
  return {
    ous: ous.flatMap((p) => p.OrganizationalUnits ?? []).flatMap((u) => (u.Id ? [{ id: u.Id, name: u.Name ?? u.Id, parentId }] : [])),
    accounts: accounts.flatMap((p) => p.Accounts ?? []).map((a) => ({ a, parentId })),
  };
}

/** The OU tree below `rootId`, breadth-first, with the accounts of every parent. */
async function readTree(r: OrgReader, rootId: string) {
  const ous: SnapshotOrganization['organizationalUnits'] = [];
  const accounts: { a: OrgAccount; parentId: string }[] = [];
  let frontier = [rootId];
  while (frontier.length > 0) {
    const children = await Promise.all(frontier.map((parentId) => readChildren(r, parentId)));
    for (const c of children) accounts.push(...c.accounts);
    const flat = children.flatMap((c) => c.ous);
    const withTags = await Promise.all(flat.map(async (u) => ({ ...u, tags: await tagsOf(r, u.id) })));
    ous.push(...withTags);
    frontier = flat.map((u) => u.id);
  }
  return { ous, accounts };
}

async function readAccount(r: OrgReader, a: OrgAccount, parentId: string): Promise<SnapshotOrganization['accounts'][number]> {
  return {
    id: a.Id ?? '',
    name: a.Name ?? a.Id ?? '',
    email: a.Email ?? '',
    // `State` is the newer field; `Status` is deprecated but still what older APIs and moto return.
    status: String((a as { State?: string }).State ?? a.Status ?? 'UNKNOWN').toUpperCase(),
    parentId,
    ...(a.JoinedMethod ? { joinedMethod: String(a.JoinedMethod) } : {}),
    tags: await tagsOf(r, a.Id ?? ''),
  };
}

/** The summaries of one policy type; none when the organization has no RCPs (see NO_RCP_ERRORS). */
async function listPolicySummaries(r: OrgReader, type: (typeof POLICY_TYPES)[number]): Promise<PolicySummary[]> {
  try {
    const pages = await allPages(paginateListPolicies({ client: r.org }, { Filter: type }));
    return pages.flatMap((p) => p.Policies ?? []);
  } catch (e) {
    if (type === 'RESOURCE_CONTROL_POLICY' && NO_RCP_ERRORS.has(errorName(e))) return [];
    throw e;
  }
}

/** A policy's content, parsed; kept raw when it is not JSON (the engine reports it as invalid). */
function policyContent(content: string): JsonValue {
  try {
    return JSON.parse(content) as JsonValue;
  } catch (e) {
    if (e instanceof SyntaxError) return content;
    throw e;
  }
}

async function readPolicy(r: OrgReader, type: (typeof POLICY_TYPES)[number], p: PolicySummary): Promise<SnapshotOrganization['policies'][number]> {
  const id = p.Id ?? '';
  const d = await r.org.send(new DescribePolicyCommand({ PolicyId: id }));
  const targets = await allPages(paginateListTargetsForPolicy({ client: r.org }, { PolicyId: id }));
  return {
    id,
    name: p.Name ?? id,
    type,
    awsManaged: Boolean(p.AwsManaged ?? d.Policy?.PolicySummary?.AwsManaged),
    ...(p.Description ? { description: p.Description } : {}),
    document: policyContent(d.Policy?.Content ?? ''),
    targets: targets
      .flatMap((t) => t.Targets ?? [])
      .flatMap((x) => (x.TargetId ? [x.TargetId] : []))
      .sort(),
  };
}

async function readPolicies(r: OrgReader): Promise<SnapshotOrganization['policies']> {
  const policies: SnapshotOrganization['policies'][number][] = [];
  for (const type of POLICY_TYPES) {
    const summaries = await listPolicySummaries(r, type);
    policies.push(...(await Promise.all(summaries.map((p) => readPolicy(r, type, p)))));
  }
  return policies;
}

/** Reads the Organizations part: root, OUs, accounts, policies. */
export async function collectOrganization(aws: ClientFactory, s: Scheduler): Promise<SnapshotOrganization> {
  const r: OrgReader = { org: scheduled(aws.organizations(), s) };
  const { o, root } = await readOrganizationAndRoot(r);
  const tree = await readTree(r, root.Id);
  const accounts = await Promise.all(tree.accounts.map(({ a, parentId }) => readAccount(r, a, parentId)));
  const policies = await readPolicies(r);
  return {
    id: o.Id,
    ...(o.Arn ? { arn: o.Arn } : {}),
    ...(o.FeatureSet ? { featureSet: String(o.FeatureSet) } : {}),
    managementAccountId: o.MasterAccountId,
    root: {
      id: root.Id,
      name: root.Name ?? 'Root',
      policyTypes: (root.PolicyTypes ?? []).filter((p) => p.Status === 'ENABLED').map((p) => String(p.Type)).sort(),
      tags: await tagsOf(r, root.Id),
    },
    organizationalUnits: sortBy(tree.ous, (u) => u.id),
    accounts: sortBy(accounts, (a) => a.id),
    policies: sortBy(policies, (p) => p.id),
  };
}

/** Tracks the stage so an error says where it happened. */
class StageError extends Error {
  constructor(
    readonly stage: string,
    override readonly cause: unknown,
  ) {
    super(describeError(cause));
  }
}

async function stage<T>(name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw e instanceof StageError ? e : new StageError(name, e);
  }
}

function decoded(raw: string | undefined, where: string, warn: (m: string) => void): JsonValue {
  const d = decodePolicyDocument(raw);
  if (d.ok) return d.value;
  warn(`${where}: ${d.diagnostics.map((x) => x.message).join('; ')}`);
  return raw ?? null;
}

type IamSnapshot = AccountSnapshot['iam'];
type InlineList = readonly { PolicyName?: string | undefined; PolicyDocument?: string | undefined }[] | undefined;

/** Decodes one page's worth of GAAD details into the snapshot's rows; undecodable documents are warned about. */
class IamDecoder {
  constructor(private readonly warn: (m: string) => void) {}

  private doc(raw: string | undefined, where: string): JsonValue {
    return decoded(raw, where, this.warn);
  }

  private inline(list: InlineList, owner: string) {
    return (list ?? []).map((p) => ({ name: p.PolicyName ?? '', document: this.doc(p.PolicyDocument, `${owner} inline ${p.PolicyName}`) }));
  }

  private static arns(list: readonly { PolicyArn?: string | undefined }[] | undefined): string[] {
    return (list ?? []).map((p) => p.PolicyArn ?? '').filter((a) => a !== '').sort();
  }

  roles(p: GetAccountAuthorizationDetailsCommandOutput): IamSnapshot['roles'] {
    return (p.RoleDetailList ?? []).map((r) => ({
      name: r.RoleName ?? '',
      path: r.Path ?? '/',
      arn: r.Arn ?? '',
      trustPolicy: this.doc(r.AssumeRolePolicyDocument, `role ${r.RoleName} trust policy`),
      inlinePolicies: this.inline(r.RolePolicyList, `role ${r.RoleName}`),
      managedPolicyArns: IamDecoder.arns(r.AttachedManagedPolicies),
      ...(r.PermissionsBoundary?.PermissionsBoundaryArn ? { permissionBoundaryArn: r.PermissionsBoundary.PermissionsBoundaryArn } : {}),
      tags: toTags(r.Tags),
    }));
  }

  users(p: GetAccountAuthorizationDetailsCommandOutput): IamSnapshot['users'] {
    return (p.UserDetailList ?? []).map((u) => ({
      name: u.UserName ?? '',
      path: u.Path ?? '/',
      arn: u.Arn ?? '',
      inlinePolicies: this.inline(u.UserPolicyList, `user ${u.UserName}`),
      managedPolicyArns: IamDecoder.arns(u.AttachedManagedPolicies),
      groups: [...(u.GroupList ?? [])].sort(),
      ...(u.PermissionsBoundary?.PermissionsBoundaryArn ? { permissionBoundaryArn: u.PermissionsBoundary.PermissionsBoundaryArn } : {}),
      tags: toTags(u.Tags),
    }));
  }

  groups(p: GetAccountAuthorizationDetailsCommandOutput): IamSnapshot['groups'] {
    return (p.GroupDetailList ?? []).map((g) => ({
      name: g.GroupName ?? '',
      path: g.Path ?? '/',
      arn: g.Arn ?? '',
      inlinePolicies: this.inline(g.GroupPolicyList, `group ${g.GroupName}`),
      managedPolicyArns: IamDecoder.arns(g.AttachedManagedPolicies),
    }));
  }

  managedPolicies(p: GetAccountAuthorizationDetailsCommandOutput): IamSnapshot['managedPolicies'] {
    return (p.Policies ?? []).map((m) => {
      const v = (m.PolicyVersionList ?? []).find((x) => x.IsDefaultVersion) ?? m.PolicyVersionList?.[0];
      return {
        arn: m.Arn ?? '',
        // moto leaves PolicyName out of GAAD; the ARN's last segment is the name.
        name: m.PolicyName ?? (m.Arn ?? '').slice((m.Arn ?? '').lastIndexOf('/') + 1),
        path: m.Path ?? '/',
        document: this.doc(v?.Document, `managed policy ${m.Arn}`),
      };
    });
  }
}

/** Reads IAM of one account through GAAD (all pages; moto ignores MaxItems and never truncates). */
export async function collectIam(c: AccountClients, s: Scheduler, warn: (m: string) => void): Promise<IamSnapshot> {
  const pages = await allPages(paginateGetAccountAuthorizationDetails({ client: scheduled(c.iam, s) }, { MaxItems: 1000 }));
  const d = new IamDecoder(warn);
  // Page by page, kind by kind: warnings come in the order the details are listed.
  const rows = pages.map((p) => ({ roles: d.roles(p), users: d.users(p), groups: d.groups(p), managedPolicies: d.managedPolicies(p) }));
  return {
    roles: sortBy(rows.flatMap((r) => r.roles), (r) => r.arn),
    users: sortBy(rows.flatMap((r) => r.users), (r) => r.arn),
    groups: sortBy(rows.flatMap((r) => r.groups), (r) => r.arn),
    managedPolicies: sortBy(rows.flatMap((r) => r.managedPolicies), (r) => r.arn),
  };
}

function parsePolicy(raw: string | undefined): JsonValue | undefined {
  if (raw === undefined || raw === '') return undefined;
  const d = decodePolicyDocument(raw);
  return d.ok ? d.value : raw;
}


type ResourceRow = AccountSnapshot['resources'][number];

type Out = ResourceRow[];

/** One account's resource reads: its clients, the scheduler, and the rows found so far. */
interface ResourceReader {
  readonly c: AccountClients;
  readonly s: Scheduler;
  readonly out: Out;
}

/** S3: ListBuckets is global; buckets outside the chosen regions are skipped. */
async function readS3(r: ResourceReader, regions: readonly string[]): Promise<void> {
  const { c, s } = r;
  const s3 = scheduled(c.s3(regions[0] ?? DEFAULT_REGION), s);
  for await (const page of paginateListBuckets({ client: s3 }, {})) {
    await Promise.all((page.Buckets ?? []).map((b) => readBucket(r, regions, b.Name ?? '', b.BucketRegion)));
  }
}

async function readBucket(r: ResourceReader, regions: readonly string[], name: string, listedRegion: string | undefined): Promise<void> {
  const { c, s } = r;
  let region = listedRegion;
  if (!region) {
    const loc = await s.read(() => c.s3(regions[0] ?? DEFAULT_REGION).send(new GetBucketLocationCommand({ Bucket: name })));
    region = loc.LocationConstraint ? String(loc.LocationConstraint) : DEFAULT_REGION;
    if (region === 'EU') region = 'eu-west-1';
  }
  if (!regions.includes(region)) return;
  const rs3 = c.s3(region);
  const pol = await optional(() => s.read(() => rs3.send(new GetBucketPolicyCommand({ Bucket: name }))), ['NoSuchBucketPolicy']);
  const tags = await optional(() => s.read(() => rs3.send(new GetBucketTaggingCommand({ Bucket: name }))), ['NoSuchTagSet', 'NoSuchTagSetError']);
  const policy = parsePolicy(pol?.Policy);
  r.out.push({ arn: `arn:aws:s3:::${name}`, type: 's3:bucket', region, ...(policy !== undefined ? { policy } : {}), tags: toTags(tags?.TagSet) });
}

async function readKms(r: ResourceReader, region: string): Promise<void> {
  const { c, s } = r;
  const kms = c.kms(region);
  for await (const page of paginateListKeys({ client: scheduled(kms, s) }, {})) {
    await Promise.all(
      (page.Keys ?? []).map(async (k) => {
        const id = k.KeyId ?? '';
        const pol = await optional(() => s.read(() => kms.send(new GetKeyPolicyCommand({ KeyId: id, PolicyName: 'default' }))), []);
        const tags = await optional(() => s.read(() => kms.send(new ListResourceTagsCommand({ KeyId: id }))), []);
        const policy = parsePolicy(pol?.Policy);
        r.out.push({
          arn: k.KeyArn ?? `arn:aws:kms:${region}:${c.accountId}:key/${id}`,
          type: 'kms:key',
          region,
          ...(policy !== undefined ? { policy } : {}),
          tags: toTags((tags?.Tags ?? []).map((t) => ({ Key: t.TagKey, Value: t.TagValue }))),
        });
      }),
    );
  }
}

async function readSqs(r: ResourceReader, region: string): Promise<void> {
  const { c, s } = r;
  const sqs = c.sqs(region);
  // SQS returns a NextToken only when MaxResults is given.
  for await (const page of paginateListQueues({ client: scheduled(sqs, s) }, { MaxResults: 1000 })) {
    await Promise.all(
      (page.QueueUrls ?? []).map(async (url) => {
        const attrs = await s.read(() => sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Policy', 'QueueArn'] })));
        const tags = await s.read(() => sqs.send(new ListQueueTagsCommand({ QueueUrl: url })));
        const name = url.slice(url.lastIndexOf('/') + 1);
        const policy = parsePolicy(attrs.Attributes?.['Policy']);
        r.out.push({
          arn: attrs.Attributes?.['QueueArn'] ?? `arn:aws:sqs:${region}:${c.accountId}:${name}`,
          type: 'sqs:queue',
          region,
          ...(policy !== undefined ? { policy } : {}),
          tags: sortedRecord(tags.Tags ?? {}),
        });
      }),
    );
  }
}

async function readSns(r: ResourceReader, region: string): Promise<void> {
  const { c, s } = r;
  const sns = c.sns(region);
  for await (const page of paginateListTopics({ client: scheduled(sns, s) }, {})) {
    await Promise.all(
      (page.Topics ?? []).map(async (t) => {
        const arn = t.TopicArn ?? '';
        const attrs = await s.read(() => sns.send(new GetTopicAttributesCommand({ TopicArn: arn })));
        const tags = await s.read(() => sns.send(new SnsListTags({ ResourceArn: arn })));
        const policy = parsePolicy(attrs.Attributes?.['Policy']);
        r.out.push({ arn, type: 'sns:topic', region, ...(policy !== undefined ? { policy } : {}), tags: toTags(tags.Tags) });
      }),
    );
  }
}

async function readLambda(r: ResourceReader, region: string): Promise<void> {
  const { c, s } = r;
  const lambda = c.lambda(region);
  for await (const page of paginateListFunctions({ client: scheduled(lambda, s) }, {})) {
    await Promise.all(
      (page.Functions ?? []).map(async (f) => {
        const arn = f.FunctionArn ?? '';
        const pol = await optional(() => s.read(() => lambda.send(new LambdaGetPolicy({ FunctionName: arn }))), ['ResourceNotFoundException']);
        const tags = await s.read(() => lambda.send(new LambdaListTags({ Resource: arn })));
        const policy = parsePolicy(pol?.Policy);
        r.out.push({ arn, type: 'lambda:function', region, ...(policy !== undefined ? { policy } : {}), tags: sortedRecord(tags.Tags ?? {}) });
      }),
    );
  }
}

async function readSecrets(r: ResourceReader, region: string): Promise<void> {
  const { c, s } = r;
  const sm = c.secrets(region);
  for await (const page of paginateListSecrets({ client: scheduled(sm, s) }, {})) {
    await Promise.all(
      (page.SecretList ?? []).map(async (x) => {
        const arn = x.ARN ?? '';
        const pol = await optional(() => s.read(() => sm.send(new GetResourcePolicyCommand({ SecretId: arn }))), []);
        const policy = parsePolicy(pol?.ResourcePolicy);
        r.out.push({ arn, type: 'secretsmanager:secret', region, ...(policy !== undefined ? { policy } : {}), tags: toTags(x.Tags) });
      }),
    );
  }
}

/**
 * Reads resources with policies and tags in one account and the given regions. The services are read
 * concurrently (the scheduler bounds the calls in flight); the first failure is reported with its stage.
 */
export async function collectResources(c: AccountClients, s: Scheduler, regions: readonly string[]): Promise<ResourceRow[]> {
  const r: ResourceReader = { c, s, out: [] };
  const jobs = [
    stage('s3', () => readS3(r, regions)),
    ...regions.flatMap((region) => [
      stage(`kms ${region}`, () => readKms(r, region)),
      stage(`sqs ${region}`, () => readSqs(r, region)),
      stage(`sns ${region}`, () => readSns(r, region)),
      stage(`lambda ${region}`, () => readLambda(r, region)),
      stage(`secretsmanager ${region}`, () => readSecrets(r, region)),
    ]),
  ];
  // Wait for all, so no read is left running after the account is reported.
  const settled = await Promise.allSettled(jobs);
  const failed = settled.find((x): x is PromiseRejectedResult => x.status === 'rejected');
  if (failed) throw failed.reason;
  return sortBy(r.out, (x) => x.arn);
}

/** What reading one account needs. */
interface AccountRun {
  readonly aws: ClientFactory;
  readonly s: Scheduler;
  readonly opts: CollectOptions;
  readonly accessRoleName: string;
  readonly managementAccountId: string;
}

/** One account's read: its snapshot (undefined when it failed) and its manifest errors (failures, decode warnings). */
interface AccountRead {
  readonly account?: AccountSnapshot;
  readonly errors: SnapshotError[];
}

/** Reads one account; a failure is recorded with its stage and gives no snapshot, so the other accounts go on. */
async function collectAccount(run: AccountRun, a: { readonly id: string; readonly name: string }): Promise<AccountRead> {
  const { aws, s, opts } = run;
  const warnings: string[] = [];
  const errors: SnapshotError[] = [];
  try {
    const c = a.id === run.managementAccountId ? aws.account(a.id) : await stage('assume-role', () => aws.assume(s, a.id, run.accessRoleName));
    const iam =
      opts.iam === false ? { roles: [], users: [], groups: [], managedPolicies: [] } : await stage('iam', () => collectIam(c, s, (m) => warnings.push(m)));
    const resources = opts.resources === false ? [] : await collectResources(c, s, opts.regions);
    const inventory = (opts.inventory ?? opts.resources !== false) ? await readInventory(run, a, c, resources, errors) : undefined;
    for (const w of warnings) errors.push({ accountId: a.id, accountName: a.name, stage: 'decode', message: w });
    return { account: { accountId: a.id, accountName: a.name, iam, resources, ...(inventory ? { inventory } : {}) }, errors };
  } catch (e) {
    // Whatever AWS answered that stopped this account (denied AssumeRole, throttling past the retries, …) is
    // the account's error in the manifest; the snapshot is partial, never silently short. A bug surfaces.
    const st = e instanceof StageError ? e : new StageError('account', e);
    if (isBug(st.cause)) throw st.cause;
    return { errors: [{ accountId: a.id, accountName: a.name, stage: st.stage, message: st.message }] };
  } finally {
    aws.release(a.id);
  }
}

/** The account's inventory, or undefined with a manifest error under INVENTORY_STAGE when AWS refused a read. */
async function readInventory(
  run: AccountRun,
  a: { readonly id: string; readonly name: string },
  c: AccountClients,
  resources: readonly ResourceRow[],
  errors: SnapshotError[],
): Promise<InventorySnapshot | undefined> {
  try {
    return await collectInventory(c, run.s, run.opts.regions, resources);
  } catch (e) {
    if (isBug(e)) throw e;
    errors.push({ accountId: a.id, accountName: a.name, stage: INVENTORY_STAGE, message: describeError(e) });
    return undefined;
  }
}

function compareErrors(x: SnapshotError, y: SnapshotError): number {
  return compareStrings(x.accountId, y.accountId) || compareStrings(x.stage, y.stage);
}

/**
 * Identity Center, or undefined without an instance. Access denied (or any AWS answer other than a bug) is recorded
 * in `errors` under stage `identity`, so the snapshot says it is missing instead of looking like "no Identity Center";
 * so is each part that could not be read (a permissions boundary the endpoint does not serve), the rest being kept.
 */
async function readIdentity(aws: ClientFactory, s: Scheduler, opts: CollectOptions, errors: SnapshotError[]): Promise<IdentitySnapshot | undefined> {
  if (!(opts.identity ?? opts.organization === undefined)) return undefined;
  try {
    const read = await collectIdentity(aws, s, opts.identityRegion ?? aws.conn.region);
    for (const message of read?.incomplete ?? []) errors.push({ accountId: 'organization', stage: IDENTITY_STAGE, message });
    return read?.identity;
  } catch (e) {
    if (isBug(e)) throw e;
    const denied = IDENTITY_DENIED_ERRORS.has(errorName(e));
    errors.push({ accountId: 'organization', stage: IDENTITY_STAGE, message: `${denied ? 'access denied: ' : ''}${describeError(e)}` });
    return undefined;
  }
}

/** What the manifest needs of one collected account (all a streamed collect keeps in memory per account). */
export interface AccountTally {
  readonly accountId: string;
  readonly roles: number;
  readonly users: number;
  readonly resources: number;
  /** The account's manifest errors that did not stop it (decode warnings, an inventory read refused). */
  readonly errors: readonly SnapshotError[];
}

/** The tally of an account snapshot. */
export function tallyOf(a: AccountSnapshot, errors: readonly SnapshotError[]): AccountTally {
  return { accountId: a.accountId, roles: a.iam.roles.length, users: a.iam.users.length, resources: a.resources.length, errors };
}

/** The Organizations part of a collect and the errors found reading it (Identity Center). */
export interface StagedOrganization {
  readonly organization: SnapshotOrganization;
  readonly errors: readonly SnapshotError[];
}

/**
 * Where a streamed collect puts each account as soon as it is read, so memory does not grow with the organization,
 * and what an interrupted collect already did (so a resumed one reads only the rest).
 */
export interface AccountSink {
  /** The organization an unfinished collect read (resume): used instead of reading it again, after its id is checked. */
  readonly organization?: StagedOrganization;
  /** Accounts already complete (resume): not read again; their tallies count in the manifest. */
  readonly done: ReadonlyMap<string, AccountTally>;
  /** Called once with the Organizations part before any account is read (not called on resume). */
  begin(read: StagedOrganization): Promise<void>;
  /** Called once per account read to the end, before it counts as done. Failed accounts are not passed. */
  accept(account: AccountSnapshot, errors: readonly SnapshotError[]): Promise<void>;
}

/** A streamed collect's result: the manifest and organization (the account files went to the sink). */
export interface StreamedSnapshot {
  readonly manifest: Snapshot['manifest'];
  readonly organization: SnapshotOrganization;
}

/** The live organization is not the one an unfinished collect started on: resuming would mix two organizations. */
export class OrganizationMismatchError extends Error {
  constructor(
    readonly staged: string,
    readonly live: string,
  ) {
    super(`the unfinished collect read organization \`${staged}\`, the credentials reach \`${live}\``);
    this.name = 'OrganizationMismatchError';
  }
}

/** The collect was stopped through its abort signal; the accounts completed so far are in the sink. */
export class CollectAbortedError extends Error {
  constructor(readonly accountsDone: number) {
    super(`collect stopped after ${accountsDone} accounts`);
    this.name = 'CollectAbortedError';
  }
}

/** The Organizations part: the staged one (its id checked against the live organization) or a fresh read. */
async function organizationPart(aws: ClientFactory, s: Scheduler, opts: CollectOptions, sink: AccountSink): Promise<StagedOrganization> {
  if (sink.organization) {
    const live = (await scheduled(aws.organizations(), s).send(new DescribeOrganizationCommand({}))).Organization?.Id ?? '';
    if (live !== sink.organization.organization.id) throw new OrganizationMismatchError(sink.organization.organization.id, live);
    return sink.organization;
  }
  const read = opts.organization ?? (await collectOrganization(aws, s));
  const errors: SnapshotError[] = [];
  const identity = await readIdentity(aws, s, opts, errors);
  const staged = { organization: identity ? { ...read, identity } : read, errors };
  await sink.begin(staged);
  return staged;
}

/** The manifest of a collect from its tallies and errors. */
function manifestOf(opts: CollectOptions, accessRoleName: string, organization: SnapshotOrganization, tallies: readonly AccountTally[], allErrors: readonly SnapshotError[]): Snapshot['manifest'] {
  const errors = [...allErrors].sort(compareErrors);
  const failedIds = new Set(errors.filter((e) => e.stage !== 'decode' && e.stage !== IDENTITY_STAGE && e.stage !== INVENTORY_STAGE).map((e) => e.accountId));
  const sum = (k: 'roles' | 'users' | 'resources') => tallies.reduce((n, a) => n + a[k], 0);
  return {
    snapshotVersion: SNAPSHOT_VERSION,
    tool: { name: 'bulkhead', version: VERSION },
    collectedAt: opts.now().toISOString(),
    organization: { id: organization.id, managementAccountId: organization.managementAccountId, rootId: organization.root.id, regions: [...opts.regions], accessRoleName },
    counts: {
      organizationalUnits: organization.organizationalUnits.length,
      accounts: organization.accounts.length,
      accountsCollected: tallies.length,
      accountsFailed: failedIds.size,
      serviceControlPolicies: organization.policies.filter((p) => p.type === 'SERVICE_CONTROL_POLICY').length,
      resourceControlPolicies: organization.policies.filter((p) => p.type === 'RESOURCE_CONTROL_POLICY').length,
      roles: sum('roles'),
      users: sum('users'),
      resources: sum('resources'),
    },
    accountFiles: tallies.map((a) => accountFile(a.accountId)).sort(compareStrings),
    errors,
  };
}

/**
 * Collects the whole organization, handing each account to `sink` as soon as it is read (memory holds one tally per
 * account, not its data). Accounts in `sink.done` are not read again. `opts.signal` stops starting new accounts:
 * those in flight finish and reach the sink, then {@link CollectAbortedError} is thrown. Throws only when
 * Organizations itself cannot be read (or, resuming, is another organization: {@link OrganizationMismatchError}).
 */
export async function collectStreaming(aws: ClientFactory, s: Scheduler, opts: CollectOptions & { readonly signal?: AbortSignal }, sink: AccountSink): Promise<StreamedSnapshot> {
  const accessRoleName = opts.accessRoleName ?? DEFAULT_ACCESS_ROLE;
  const { organization, errors: orgErrors } = await organizationPart(aws, s, opts, sink);
  const active = organization.accounts.filter((a) => a.status === 'ACTIVE' && (opts.onlyAccounts === undefined || opts.onlyAccounts.has(a.id)));
  const run: AccountRun = { aws, s, opts, accessRoleName, managementAccountId: organization.managementAccountId };
  const tallies: AccountTally[] = active.flatMap((a) => sink.done.get(a.id) ?? []);
  const errors: SnapshotError[] = [...orgErrors, ...tallies.flatMap((t) => t.errors)];
  let done = tallies.length;
  const report = () => opts.onProgress?.({ accountsDone: done, accountsTotal: active.length, calls: s.stats.calls, retries: s.stats.retries });
  report();
  let aborted = false;
  await pool(
    active.filter((a) => !sink.done.has(a.id)),
    opts.accountConcurrency ?? 8,
    async (a) => {
      if (opts.signal?.aborted) return void (aborted = true);
      const read = await collectAccount(run, a);
      errors.push(...read.errors);
      if (read.account) {
        await sink.accept(read.account, read.errors);
        tallies.push(tallyOf(read.account, read.errors));
      }
      done++;
      report();
    },
  );
  if (aborted) throw new CollectAbortedError(done);
  return { manifest: manifestOf(opts, accessRoleName, organization, tallies, errors), organization };
}

/** Collects the whole organization into a Snapshot held in memory. Throws only when Organizations itself cannot be read. */
export async function collect(aws: ClientFactory, s: Scheduler, opts: CollectOptions): Promise<Snapshot> {
  const accounts: AccountSnapshot[] = [];
  const sink: AccountSink = {
    done: new Map(),
    begin: async () => undefined,
    accept: async (a) => void accounts.push(a),
  };
  const { manifest, organization } = await collectStreaming(aws, s, opts, sink);
  return { manifest, organization, accounts: sortBy(accounts, (a) => a.accountId) };
}
