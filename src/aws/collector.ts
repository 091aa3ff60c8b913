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
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListPoliciesCommand,
  ListRootsCommand,
  ListTagsForResourceCommand,
  ListTargetsForPolicyCommand,
  type Account as OrgAccount,
  type PolicyType,
} from '@aws-sdk/client-organizations';
import { GetAccountAuthorizationDetailsCommand, type GetAccountAuthorizationDetailsCommandOutput } from '@aws-sdk/client-iam';
import { GetBucketLocationCommand, GetBucketPolicyCommand, GetBucketTaggingCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { GetKeyPolicyCommand, ListKeysCommand, ListResourceTagsCommand } from '@aws-sdk/client-kms';
import { GetQueueAttributesCommand, ListQueueTagsCommand, ListQueuesCommand } from '@aws-sdk/client-sqs';
import { GetTopicAttributesCommand, ListTopicsCommand, ListTagsForResourceCommand as SnsListTags } from '@aws-sdk/client-sns';
import { GetPolicyCommand as LambdaGetPolicy, ListFunctionsCommand, ListTagsCommand as LambdaListTags } from '@aws-sdk/client-lambda';
import { GetResourcePolicyCommand, ListSecretsCommand } from '@aws-sdk/client-secrets-manager';
import type { JsonValue } from '../model/organization.js';
import { DEFAULT_ACCESS_ROLE } from '../model/organization.js';
import { VERSION } from '../version.js';
import type { AccountClients, ClientFactory } from './clients.js';
import { describeError, errorName, isNotFound } from './errors.js';
import type { Scheduler } from './scheduler.js';
import { decodePolicyDocument } from '../snapshot/decode.js';
import {
  SNAPSHOT_VERSION,
  accountFile,
  type AccountSnapshot,
  type Snapshot,
  type SnapshotError,
  type SnapshotOrganization,
} from '../snapshot/format.js';

/** What to collect. */
export interface CollectOptions {
  /** Regions to read regional resources from. */
  readonly regions: readonly string[];
  /** Role assumed in member accounts (default OrganizationAccountAccessRole). */
  readonly accessRoleName?: string;
  /** Read resources (S3, KMS, SQS, SNS, Lambda, Secrets Manager); default true. `apply` only needs IAM. */
  readonly resources?: boolean;
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
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Runs `fn` over items with at most `limit` in flight, keeping order of results. */
async function pool<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Reads the Organizations part: root, OUs, accounts, policies. */
export async function collectOrganization(aws: ClientFactory, s: Scheduler): Promise<SnapshotOrganization> {
  const org = aws.organizations();
  const desc = await s.read(() => org.send(new DescribeOrganizationCommand({})));
  const o = desc.Organization;
  if (!o?.Id || !o.MasterAccountId) throw new Error('DescribeOrganization returned no organization id');
  const roots = await s.read(() => org.send(new ListRootsCommand({})));
  const root = roots.Roots?.[0];
  if (!root?.Id) throw new Error('ListRoots returned no root');
  const rootId = root.Id;
  const tagsOf = async (id: string): Promise<Tags> => {
    const all: { Key?: string; Value?: string }[] = [];
    let token: string | undefined;
    do {
      const r = await s.read(() => org.send(new ListTagsForResourceCommand({ ResourceId: id, NextToken: token })));
      all.push(...(r.Tags ?? []));
      token = r.NextToken;
    } while (token);
    return toTags(all);
  };

  // OU tree, breadth-first; accounts per parent at the same time.
  const ous: SnapshotOrganization['organizationalUnits'] = [];
  const accounts: { a: OrgAccount; parentId: string }[] = [];
  let frontier = [rootId];
  while (frontier.length > 0) {
    const children = await Promise.all(
      frontier.map(async (parentId) => {
        const found: { id: string; name: string }[] = [];
        let token: string | undefined;
        do {
          const r = await s.read(() => org.send(new ListOrganizationalUnitsForParentCommand({ ParentId: parentId, NextToken: token })));
          for (const u of r.OrganizationalUnits ?? []) if (u.Id) found.push({ id: u.Id, name: u.Name ?? u.Id });
          token = r.NextToken;
        } while (token);
        token = undefined;
        do {
          const r = await s.read(() => org.send(new ListAccountsForParentCommand({ ParentId: parentId, NextToken: token })));
          for (const a of r.Accounts ?? []) accounts.push({ a, parentId });
          token = r.NextToken;
        } while (token);
        return found.map((f) => ({ ...f, parentId }));
      }),
    );
    const flat = children.flat();
    const withTags = await Promise.all(flat.map(async (u) => ({ ...u, tags: await tagsOf(u.id) })));
    ous.push(...withTags);
    frontier = flat.map((u) => u.id);
  }
  const accountList = await Promise.all(
    accounts.map(async ({ a, parentId }) => ({
      id: a.Id ?? '',
      name: a.Name ?? a.Id ?? '',
      email: a.Email ?? '',
      // `State` is the newer field; `Status` is deprecated but still what older APIs and moto return.
      status: String((a as { State?: string }).State ?? a.Status ?? 'UNKNOWN').toUpperCase(),
      parentId,
      ...(a.JoinedMethod ? { joinedMethod: String(a.JoinedMethod) } : {}),
      tags: await tagsOf(a.Id ?? ''),
    })),
  );

  const policies: SnapshotOrganization['policies'] = [];
  for (const type of ['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY'] as const) {
    const summaries: { Id?: string | undefined; Name?: string | undefined; Description?: string | undefined; AwsManaged?: boolean | undefined }[] = [];
    let token: string | undefined;
    try {
      do {
        const r = await s.read(() => org.send(new ListPoliciesCommand({ Filter: type as PolicyType, NextToken: token })));
        summaries.push(...(r.Policies ?? []));
        token = r.NextToken;
      } while (token);
    } catch (e) {
      // RCPs are newer; an organization (or emulator) without them has none to report.
      if (type === 'RESOURCE_CONTROL_POLICY') continue;
      throw e;
    }
    const read = await Promise.all(
      summaries.map(async (p) => {
        const id = p.Id ?? '';
        const d = await s.read(() => org.send(new DescribePolicyCommand({ PolicyId: id })));
        const targets: string[] = [];
        let t: string | undefined;
        do {
          const r = await s.read(() => org.send(new ListTargetsForPolicyCommand({ PolicyId: id, NextToken: t })));
          for (const x of r.Targets ?? []) if (x.TargetId) targets.push(x.TargetId);
          t = r.NextToken;
        } while (t);
        const content = d.Policy?.Content ?? '';
        let document: JsonValue;
        try {
          document = JSON.parse(content) as JsonValue;
        } catch {
          document = content; // kept raw; the engine reports it as invalid
        }
        return {
          id,
          name: p.Name ?? id,
          type,
          awsManaged: Boolean(p.AwsManaged ?? d.Policy?.PolicySummary?.AwsManaged),
          ...(p.Description ? { description: p.Description } : {}),
          document,
          targets: targets.sort(),
        };
      }),
    );
    policies.push(...read);
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return {
    id: o.Id,
    ...(o.Arn ? { arn: o.Arn } : {}),
    ...(o.FeatureSet ? { featureSet: String(o.FeatureSet) } : {}),
    managementAccountId: o.MasterAccountId,
    root: {
      id: rootId,
      name: root.Name ?? 'Root',
      policyTypes: (root.PolicyTypes ?? []).filter((p) => p.Status === 'ENABLED').map((p) => String(p.Type)).sort(),
      tags: await tagsOf(rootId),
    },
    organizationalUnits: ous.sort((a, b) => cmp(a.id, b.id)),
    accounts: accountList.sort((a, b) => cmp(a.id, b.id)),
    policies: policies.sort((a, b) => cmp(a.id, b.id)),
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

/** Reads IAM of one account through GAAD (all pages). */
export async function collectIam(c: AccountClients, s: Scheduler, warn: (m: string) => void): Promise<AccountSnapshot['iam']> {
  const pages: GetAccountAuthorizationDetailsCommandOutput[] = [];
  let marker: string | undefined;
  do {
    const r = await s.read(() => c.iam.send(new GetAccountAuthorizationDetailsCommand({ Marker: marker, MaxItems: 1000 })));
    pages.push(r);
    marker = r.IsTruncated ? r.Marker : undefined;
  } while (marker);
  const inline = (list: readonly { PolicyName?: string | undefined; PolicyDocument?: string | undefined }[] | undefined, owner: string) =>
    (list ?? []).map((p) => ({ name: p.PolicyName ?? '', document: decoded(p.PolicyDocument, `${owner} inline ${p.PolicyName}`, warn) }));
  const arns = (list: readonly { PolicyArn?: string | undefined }[] | undefined) =>
    (list ?? []).map((p) => p.PolicyArn ?? '').filter((a) => a !== '').sort();
  const roles: AccountSnapshot['iam']['roles'] = [];
  const users: AccountSnapshot['iam']['users'] = [];
  const groups: AccountSnapshot['iam']['groups'] = [];
  const managedPolicies: AccountSnapshot['iam']['managedPolicies'] = [];
  for (const p of pages) {
    for (const r of p.RoleDetailList ?? []) {
      roles.push({
        name: r.RoleName ?? '',
        path: r.Path ?? '/',
        arn: r.Arn ?? '',
        trustPolicy: decoded(r.AssumeRolePolicyDocument, `role ${r.RoleName} trust policy`, warn),
        inlinePolicies: inline(r.RolePolicyList, `role ${r.RoleName}`),
        managedPolicyArns: arns(r.AttachedManagedPolicies),
        ...(r.PermissionsBoundary?.PermissionsBoundaryArn ? { permissionBoundaryArn: r.PermissionsBoundary.PermissionsBoundaryArn } : {}),
        tags: toTags(r.Tags),
      });
    }
    for (const u of p.UserDetailList ?? []) {
      users.push({
        name: u.UserName ?? '',
        path: u.Path ?? '/',
        arn: u.Arn ?? '',
        inlinePolicies: inline(u.UserPolicyList, `user ${u.UserName}`),
        managedPolicyArns: arns(u.AttachedManagedPolicies),
        groups: [...(u.GroupList ?? [])].sort(),
        ...(u.PermissionsBoundary?.PermissionsBoundaryArn ? { permissionBoundaryArn: u.PermissionsBoundary.PermissionsBoundaryArn } : {}),
        tags: toTags(u.Tags),
      });
    }
    for (const g of p.GroupDetailList ?? []) {
      groups.push({
        name: g.GroupName ?? '',
        path: g.Path ?? '/',
        arn: g.Arn ?? '',
        inlinePolicies: inline(g.GroupPolicyList, `group ${g.GroupName}`),
        managedPolicyArns: arns(g.AttachedManagedPolicies),
      });
    }
    for (const m of p.Policies ?? []) {
      const v = (m.PolicyVersionList ?? []).find((x) => x.IsDefaultVersion) ?? m.PolicyVersionList?.[0];
      managedPolicies.push({
        arn: m.Arn ?? '',
        // moto leaves PolicyName out of GAAD; the ARN's last segment is the name.
        name: m.PolicyName ?? (m.Arn ?? '').slice((m.Arn ?? '').lastIndexOf('/') + 1),
        path: m.Path ?? '/',
        document: decoded(v?.Document, `managed policy ${m.Arn}`, warn),
      });
    }
  }
  const by = <T>(k: (t: T) => string) => (a: T, b: T) => (k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : 0);
  return {
    roles: roles.sort(by((r) => r.arn)),
    users: users.sort(by((r) => r.arn)),
    groups: groups.sort(by((r) => r.arn)),
    managedPolicies: managedPolicies.sort(by((r) => r.arn)),
  };
}

function parsePolicy(raw: string | undefined): JsonValue | undefined {
  if (raw === undefined || raw === '') return undefined;
  const d = decodePolicyDocument(raw);
  return d.ok ? d.value : raw;
}

/** Swallows "no policy / no tags" answers, which AWS reports as errors. */
async function optional<T>(fn: () => Promise<T>, names: readonly string[]): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    if (names.includes(errorName(e)) || isNotFound(e)) return undefined;
    throw e;
  }
}

type ResourceRow = AccountSnapshot['resources'][number];

type Out = ResourceRow[];
const byKeyOrder = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));

/** S3: ListBuckets is global; buckets outside the chosen regions are skipped. */
async function readS3(c: AccountClients, s: Scheduler, regions: readonly string[], out: Out): Promise<void> {
  const s3 = c.s3(regions[0] ?? 'us-east-1');
  const list = await s.read(() => s3.send(new ListBucketsCommand({})));
  await Promise.all(
    (list.Buckets ?? []).map(async (b) => {
      const name = b.Name ?? '';
      let region = b.BucketRegion;
      if (!region) {
        const loc = await s.read(() => s3.send(new GetBucketLocationCommand({ Bucket: name })));
        region = loc.LocationConstraint ? String(loc.LocationConstraint) : 'us-east-1';
        if (region === 'EU') region = 'eu-west-1';
      }
      if (!regions.includes(region)) return;
      const rs3 = c.s3(region);
      const pol = await optional(() => s.read(() => rs3.send(new GetBucketPolicyCommand({ Bucket: name }))), ['NoSuchBucketPolicy']);
      const tags = await optional(() => s.read(() => rs3.send(new GetBucketTaggingCommand({ Bucket: name }))), ['NoSuchTagSet', 'NoSuchTagSetError']);
      const policy = parsePolicy(pol?.Policy);
      out.push({ arn: `arn:aws:s3:::${name}`, type: 's3:bucket', region, ...(policy !== undefined ? { policy } : {}), tags: toTags(tags?.TagSet) });
    }),
  );
}

async function readKms(c: AccountClients, s: Scheduler, region: string, out: Out): Promise<void> {
  const kms = c.kms(region);
  let marker: string | undefined;
  do {
    const r = await s.read(() => kms.send(new ListKeysCommand({ Marker: marker })));
    await Promise.all(
      (r.Keys ?? []).map(async (k) => {
        const id = k.KeyId ?? '';
        const pol = await optional(() => s.read(() => kms.send(new GetKeyPolicyCommand({ KeyId: id, PolicyName: 'default' }))), []);
        const tags = await optional(() => s.read(() => kms.send(new ListResourceTagsCommand({ KeyId: id }))), []);
        const policy = parsePolicy(pol?.Policy);
        out.push({
          arn: k.KeyArn ?? `arn:aws:kms:${region}:${c.accountId}:key/${id}`,
          type: 'kms:key',
          region,
          ...(policy !== undefined ? { policy } : {}),
          tags: toTags((tags?.Tags ?? []).map((t) => ({ Key: t.TagKey, Value: t.TagValue }))),
        });
      }),
    );
    marker = r.Truncated ? r.NextMarker : undefined;
  } while (marker);
}

async function readSqs(c: AccountClients, s: Scheduler, region: string, out: Out): Promise<void> {
  const sqs = c.sqs(region);
  let token: string | undefined;
  do {
    const r = await s.read(() => sqs.send(new ListQueuesCommand({ NextToken: token, MaxResults: 1000 })));
    await Promise.all(
      (r.QueueUrls ?? []).map(async (url) => {
        const attrs = await s.read(() => sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Policy', 'QueueArn'] })));
        const tags = await s.read(() => sqs.send(new ListQueueTagsCommand({ QueueUrl: url })));
        const name = url.slice(url.lastIndexOf('/') + 1);
        const policy = parsePolicy(attrs.Attributes?.['Policy']);
        out.push({
          arn: attrs.Attributes?.['QueueArn'] ?? `arn:aws:sqs:${region}:${c.accountId}:${name}`,
          type: 'sqs:queue',
          region,
          ...(policy !== undefined ? { policy } : {}),
          tags: byKeyOrder(tags.Tags ?? {}),
        });
      }),
    );
    token = r.NextToken;
  } while (token);
}

async function readSns(c: AccountClients, s: Scheduler, region: string, out: Out): Promise<void> {
  const sns = c.sns(region);
  let token: string | undefined;
  do {
    const r = await s.read(() => sns.send(new ListTopicsCommand({ NextToken: token })));
    await Promise.all(
      (r.Topics ?? []).map(async (t) => {
        const arn = t.TopicArn ?? '';
        const attrs = await s.read(() => sns.send(new GetTopicAttributesCommand({ TopicArn: arn })));
        const tags = await s.read(() => sns.send(new SnsListTags({ ResourceArn: arn })));
        const policy = parsePolicy(attrs.Attributes?.['Policy']);
        out.push({ arn, type: 'sns:topic', region, ...(policy !== undefined ? { policy } : {}), tags: toTags(tags.Tags) });
      }),
    );
    token = r.NextToken;
  } while (token);
}

async function readLambda(c: AccountClients, s: Scheduler, region: string, out: Out): Promise<void> {
  const lambda = c.lambda(region);
  let marker: string | undefined;
  do {
    const r = await s.read(() => lambda.send(new ListFunctionsCommand({ Marker: marker })));
    await Promise.all(
      (r.Functions ?? []).map(async (f) => {
        const arn = f.FunctionArn ?? '';
        const pol = await optional(() => s.read(() => lambda.send(new LambdaGetPolicy({ FunctionName: arn }))), ['ResourceNotFoundException']);
        const tags = await s.read(() => lambda.send(new LambdaListTags({ Resource: arn })));
        const policy = parsePolicy(pol?.Policy);
        out.push({ arn, type: 'lambda:function', region, ...(policy !== undefined ? { policy } : {}), tags: byKeyOrder(tags.Tags ?? {}) });
      }),
    );
    marker = r.NextMarker;
  } while (marker);
}

async function readSecrets(c: AccountClients, s: Scheduler, region: string, out: Out): Promise<void> {
  const sm = c.secrets(region);
  let token: string | undefined;
  do {
    const r = await s.read(() => sm.send(new ListSecretsCommand({ NextToken: token })));
    await Promise.all(
      (r.SecretList ?? []).map(async (x) => {
        const arn = x.ARN ?? '';
        const pol = await optional(() => s.read(() => sm.send(new GetResourcePolicyCommand({ SecretId: arn }))), []);
        const policy = parsePolicy(pol?.ResourcePolicy);
        out.push({ arn, type: 'secretsmanager:secret', region, ...(policy !== undefined ? { policy } : {}), tags: toTags(x.Tags) });
      }),
    );
    token = r.NextToken;
  } while (token);
}

/**
 * Reads resources with policies and tags in one account and the given regions. The services are read
 * concurrently (the scheduler bounds the calls in flight); the first failure is reported with its stage.
 */
export async function collectResources(c: AccountClients, s: Scheduler, regions: readonly string[]): Promise<ResourceRow[]> {
  const out: ResourceRow[] = [];
  const jobs = [
    stage('s3', () => readS3(c, s, regions, out)),
    ...regions.flatMap((region) => [
      stage(`kms ${region}`, () => readKms(c, s, region, out)),
      stage(`sqs ${region}`, () => readSqs(c, s, region, out)),
      stage(`sns ${region}`, () => readSns(c, s, region, out)),
      stage(`lambda ${region}`, () => readLambda(c, s, region, out)),
      stage(`secretsmanager ${region}`, () => readSecrets(c, s, region, out)),
    ]),
  ];
  // Wait for all, so no read is left running after the account is reported.
  const settled = await Promise.allSettled(jobs);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return out.sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
}

/** Collects the whole organization into a Snapshot. Throws only when Organizations itself cannot be read. */
export async function collect(aws: ClientFactory, s: Scheduler, opts: CollectOptions): Promise<Snapshot> {
  const accessRoleName = opts.accessRoleName ?? DEFAULT_ACCESS_ROLE;
  const organization = opts.organization ?? (await collectOrganization(aws, s));
  const active = organization.accounts.filter(
    (a) => a.status === 'ACTIVE' && (opts.onlyAccounts === undefined || opts.onlyAccounts.has(a.id)),
  );
  const errors: SnapshotError[] = [];
  let done = 0;
  const report = () => opts.onProgress?.({ accountsDone: done, accountsTotal: active.length, calls: s.stats.calls, retries: s.stats.retries });
  report();
  const results = await pool(active, opts.accountConcurrency ?? 8, async (a): Promise<AccountSnapshot | undefined> => {
    const warnings: string[] = [];
    try {
      const c =
        a.id === organization.managementAccountId
          ? aws.account(a.id)
          : await stage('assume-role', () => aws.assume(s, a.id, accessRoleName));
      const iam =
        opts.iam === false
          ? { roles: [], users: [], groups: [], managedPolicies: [] }
          : await stage('iam', () => collectIam(c, s, (m) => warnings.push(m)));
      const resources = opts.resources === false ? [] : await collectResources(c, s, opts.regions);
      for (const w of warnings) errors.push({ accountId: a.id, accountName: a.name, stage: 'decode', message: w });
      return { accountId: a.id, accountName: a.name, iam, resources };
    } catch (e) {
      const st = e instanceof StageError ? e : new StageError('account', e);
      errors.push({ accountId: a.id, accountName: a.name, stage: st.stage, message: st.message });
      return undefined;
    } finally {
      done++;
      report();
    }
  });
  const accounts = results.filter((r): r is AccountSnapshot => r !== undefined);
  const failedIds = new Set(errors.filter((e) => e.stage !== 'decode').map((e) => e.accountId));
  errors.sort((x, y) => (x.accountId < y.accountId ? -1 : x.accountId > y.accountId ? 1 : x.stage < y.stage ? -1 : 1));
  const count = <K extends 'roles' | 'users'>(k: K) => accounts.reduce((n, a) => n + a.iam[k].length, 0);
  return {
    manifest: {
      snapshotVersion: SNAPSHOT_VERSION,
      tool: { name: 'bulkhead', version: VERSION },
      collectedAt: opts.now().toISOString(),
      organization: {
        id: organization.id,
        managementAccountId: organization.managementAccountId,
        rootId: organization.root.id,
        regions: [...opts.regions],
        accessRoleName,
      },
      counts: {
        organizationalUnits: organization.organizationalUnits.length,
        accounts: organization.accounts.length,
        accountsCollected: accounts.length,
        accountsFailed: failedIds.size,
        serviceControlPolicies: organization.policies.filter((p) => p.type === 'SERVICE_CONTROL_POLICY').length,
        resourceControlPolicies: organization.policies.filter((p) => p.type === 'RESOURCE_CONTROL_POLICY').length,
        roles: count('roles'),
        users: count('users'),
        resources: accounts.reduce((n, a) => n + a.resources.length, 0),
      },
      accountFiles: accounts.map((a) => accountFile(a.accountId)).sort(),
      errors,
    },
    organization,
    accounts: [...accounts].sort((x, y) => (x.accountId < y.accountId ? -1 : 1)),
  };
}
