/**
 * Synthetic organizations for benchmarks and tests: a management account, the shared accounts, and business
 * unit × phase runtime accounts, each with roles, resources, resource policies, SCPs and some cross-account
 * trust, generated deterministically from a seed. Optionally plants known violations.
 */
import type {
  Account,
  OrganizationModel,
  OrganizationPolicy,
  OrganizationalUnit,
  PolicyDocument,
  Resource,
  Role,
} from '../model/organization.js';
import { sortModel } from '../model/query.js';
import { DEFAULT_REGION } from '../util/aws-defaults.js';
import { seededRandom } from '../util/random.js';
import { flattenStrings } from '../util/flat-string.js';
import { synthPeople } from './people.js';

/** Options for synth. */
export interface SynthOptions {
  /** Total number of accounts, including management and shared ones (min 8). */
  readonly accounts: number;
  readonly rolesPerAccount?: number;
  readonly resourcesPerAccount?: number;
  readonly seed?: number;
  /** Plant a dev→prod trust, a prod bucket granting a dev account, and a `*` bucket policy (default false). */
  readonly violations?: boolean;
  /**
   * Add people (default false): IAM Identity Center users, groups, permission sets with PassRole and IAM-modification
   * statements, assignments in every runtime account and the `AWSReservedSSO_` roles they create (`people.ts`); with
   * `violations`, also a prod permission set assigned to a dev group.
   */
  readonly people?: boolean;
}

const doc = (...Statement: Record<string, unknown>[]): PolicyDocument => ({ Version: '2012-10-17', Statement }) as PolicyDocument;
const PHASES = ['dev', 'stage', 'prod'] as const;
const SHARED = ['security', 'log-archive', 'shared-services', 'delivery', 'identity'] as const;
const RESOURCE_KINDS = ['s3:bucket', 'kms:key', 'sqs:queue', 'secretsmanager:secret'] as const;
const ROLE_KINDS = ['app', 'reader', 'writer', 'ops', 'batch', 'etl', 'api', 'worker', 'audit', 'support'] as const;

const OU_PATHS = [
  'Root',
  'Root/Security',
  'Root/Infrastructure',
  'Root/Deployments',
  'Root/Workloads',
  'Root/Workloads/Dev',
  'Root/Workloads/Stage',
  'Root/Workloads/Prod',
] as const;

/** What the generation steps share: the options resolved, the random stream, and the lists they fill. */
interface SynthContext {
  readonly rolesPer: number;
  readonly resPer: number;
  /** The one random stream; every step draws from it in a fixed order, so the output depends only on the seed. */
  readonly rand: () => number;
  readonly region: string;
  readonly accounts: readonly Account[];
  /** Account name → account (names are generated, but lookups by name stay in a Map). */
  readonly byName: ReadonlyMap<string, Account>;
  readonly runtime: readonly Account[];
  readonly roles: Role[];
  readonly resources: Resource[];
}

/** The 12-digit id of the i-th account. */
function accountId(i: number): string {
  return String(100000000000 + i * 7919).padStart(12, '0');
}

function idOf(ctx: SynthContext, name: string): string {
  return ctx.byName.get(name)!.id!;
}

/**
 * The phase of the k-th of `runtimeCount` runtime accounts: dev, stage, prod in turn. With planted violations and
 * fewer runtime accounts than phases (8 accounts in all, the minimum, leave 2), the last one is prod, so the
 * violations (dev → prod) find both their accounts.
 */
function phaseOf(k: number, runtimeCount: number, violations: boolean): (typeof PHASES)[number] {
  if (violations && runtimeCount < PHASES.length && k === runtimeCount - 1) return 'prod';
  return PHASES[k % PHASES.length]!;
}

/** The management account, the shared accounts, and `runtimeCount` business unit × phase accounts. */
function synthAccounts(runtimeCount: number, violations: boolean): Account[] {
  const accounts: Account[] = [];
  accounts.push({ name: 'management', email: 'aws+management@synth.example', id: accountId(0), ouPath: 'Root', purpose: 'management', tags: {} });
  SHARED.forEach((s, i) =>
    accounts.push({
      name: s,
      email: `aws+${s}@synth.example`,
      id: accountId(i + 1),
      ouPath: s === 'delivery' ? 'Root/Deployments' : s === 'identity' || s === 'shared-services' ? 'Root/Infrastructure' : 'Root/Security',
      purpose: s,
      tags: {},
    }),
  );
  for (let k = 0; k < runtimeCount; k++) {
    const bu = `bu${String(Math.floor(k / PHASES.length)).padStart(3, '0')}`;
    const phase = phaseOf(k, runtimeCount, violations);
    accounts.push({
      name: `${bu}-${phase}`,
      email: `aws+${bu}-${phase}@synth.example`,
      id: accountId(accounts.length),
      ouPath: `Root/Workloads/${phase[0]!.toUpperCase()}${phase.slice(1)}`,
      purpose: 'runtime',
      tags: { BusinessUnit: bu, Environment: phase },
    });
  }
  return accounts;
}

function resourceArn(ctx: SynthContext, kind: (typeof RESOURCE_KINDS)[number], acct: string, name: string): string {
  switch (kind) {
    case 's3:bucket':
      return `arn:aws:s3:::${name}`;
    case 'kms:key':
      return `arn:aws:kms:${ctx.region}:${acct}:key/${name}`;
    case 'sqs:queue':
      return `arn:aws:sqs:${ctx.region}:${acct}:${name}`;
    default:
      return `arn:aws:secretsmanager:${ctx.region}:${acct}:secret:${name}`;
  }
}

/** A resource's policy, if it gets one: every key, some buckets (shared-services read), some queues (a peer sends). */
function resourcePolicy(ctx: SynthContext, kind: (typeof RESOURCE_KINDS)[number], acct: string, arn: string): PolicyDocument | undefined {
  const r = ctx.rand();
  if (kind === 'kms:key') {
    return doc({ Sid: 'EnableRoot', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${acct}:root` }, Action: 'kms:*', Resource: '*' });
  }
  if (kind === 's3:bucket' && r < 0.2) {
    // log shipping to shared services, a common cross-account grant
    return doc({
      Sid: 'SharedServicesRead',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${idOf(ctx, 'shared-services')}:role/log-reader` },
      Action: ['s3:GetObject', 's3:ListBucket'],
      Resource: [arn, `${arn}/*`],
    });
  }
  if (kind === 'sqs:queue' && r < 0.1 && ctx.runtime.length > 1) {
    const other = ctx.runtime[Math.floor(ctx.rand() * ctx.runtime.length)]!;
    return doc({ Sid: 'PeerSend', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${other.id}:role/worker` }, Action: 'sqs:SendMessage', Resource: arn });
  }
  return undefined;
}

/** The account's resources (added to `ctx.resources`); returns the names of its buckets. */
function synthResources(ctx: SynthContext, a: Account): string[] {
  const acct = a.id!;
  const bucketNames: string[] = [];
  for (let j = 0; j < ctx.resPer; j++) {
    const kind = RESOURCE_KINDS[j % RESOURCE_KINDS.length]!;
    const name = `${a.name}-${kind.split(':')[1]}-${j}`;
    const arn = resourceArn(ctx, kind, acct, name);
    if (kind === 's3:bucket') bucketNames.push(name);
    const policy = resourcePolicy(ctx, kind, acct, arn);
    ctx.resources.push({ account: a.name, arn, type: kind, region: ctx.region, ...(policy ? { policy } : {}), tags: {} });
  }
  return bucketNames;
}

/** Trust: app and support roles from the identity account's SSO roles, ops from the deployer, the rest a service. */
function roleTrust(ctx: SynthContext, kind: (typeof ROLE_KINDS)[number]): PolicyDocument {
  const trustFrom = kind === 'app' || kind === 'support' ? idOf(ctx, 'identity') : kind === 'ops' ? idOf(ctx, 'delivery') : undefined;
  return trustFrom
    ? doc({
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${trustFrom}:root` },
        Action: 'sts:AssumeRole',
        Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${trustFrom}:role/${kind === 'ops' ? 'deployer' : 'sso-*'}` } },
      })
    : doc({ Effect: 'Allow', Principal: { Service: kind === 'batch' || kind === 'etl' ? 'ecs-tasks.amazonaws.com' : 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' });
}

/** The one inline policy of a role of this kind. */
function rolePermissions(kind: (typeof ROLE_KINDS)[number], bucket: string): PolicyDocument {
  switch (kind) {
    case 'reader':
    case 'audit':
      return doc({ Sid: 'Read', Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket', 'sqs:ReceiveMessage'], Resource: '*' });
    case 'ops':
      return doc({ Sid: 'Operate', Effect: 'Allow', Action: ['s3:*', 'sqs:*', 'kms:*', 'secretsmanager:*'], Resource: '*' });
    case 'worker':
      return doc({ Sid: 'Queue', Effect: 'Allow', Action: ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage'], Resource: '*' });
    default:
      return doc({ Sid: 'AppData', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: `arn:aws:s3:::${bucket}/*` });
  }
}

/** The account's roles (added to `ctx.roles`), the app-like ones working on its buckets. */
function synthRoles(ctx: SynthContext, a: Account, bucketNames: readonly string[]): void {
  for (let j = 0; j < ctx.rolesPer; j++) {
    const kind = ROLE_KINDS[j % ROLE_KINDS.length]!;
    const name = j < ROLE_KINDS.length ? kind : `${kind}-${j}`;
    const bucket = bucketNames[j % Math.max(1, bucketNames.length)] ?? `${a.name}-bucket`;
    const policies = [{ name: `${name}-policy`, kind: 'inline' as const, document: rolePermissions(kind, bucket) }];
    ctx.roles.push({ account: a.name, name, path: '/', trustPolicy: roleTrust(ctx, kind), policies, tags: {} });
  }
}

/** The shared principals that the cross-account grants name. */
function synthSharedPrincipals(ctx: SynthContext): void {
  ctx.roles.push({
    account: 'shared-services',
    name: 'log-reader',
    path: '/',
    trustPolicy: doc({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }),
    policies: [{ name: 'read', kind: 'inline', document: doc({ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' }) }],
    tags: {},
  });
  ctx.roles.push({
    account: 'delivery',
    name: 'deployer',
    path: '/',
    trustPolicy: doc({ Effect: 'Allow', Principal: { Service: 'codebuild.amazonaws.com' }, Action: 'sts:AssumeRole' }),
    policies: [{ name: 'assume', kind: 'inline', document: doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::*:role/ops' }) }],
    tags: {},
  });
}

/** Plants a dev→prod trust (and the dev app's permission to use it) and a prod bucket granting the dev account. */
function plantViolations(ctx: SynthContext): void {
  const { roles } = ctx;
  const dev = ctx.runtime.find((a) => a.tags['Environment'] === 'dev')!;
  const prod = ctx.runtime.find((a) => a.tags['Environment'] === 'prod')!;
  roles.push({
    account: prod.name,
    name: 'legacy-migrator',
    path: '/',
    trustPolicy: doc({ Sid: 'TrustDevApp', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${dev.id}:role/app` }, Action: 'sts:AssumeRole' }),
    policies: [{ name: 'data', kind: 'inline', document: doc({ Sid: 'AllData', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: '*' }) }],
    tags: {},
  });
  const devApp = roles.find((r) => r.account === dev.name && r.name === 'app')!;
  roles[roles.indexOf(devApp)] = {
    ...devApp,
    policies: [...devApp.policies, { name: 'assume-prod', kind: 'inline', document: doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${prod.id}:role/legacy-migrator` }) }],
  };
  ctx.resources.push({
    account: prod.name,
    arn: `arn:aws:s3:::${prod.name}-shared-with-dev`,
    type: 's3:bucket',
    region: ctx.region,
    policy: doc({ Sid: 'GrantDev', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${dev.id}:root` }, Action: ['s3:GetObject', 's3:PutObject'], Resource: `arn:aws:s3:::${prod.name}-shared-with-dev/*` }),
    tags: {},
  });
}

/** FullAWSAccess everywhere, a leave-organization guard on the root, and a delete guard on production. */
function synthScps(ous: readonly OrganizationalUnit[], accounts: readonly Account[]): OrganizationPolicy[] {
  return [
    { name: 'FullAWSAccess', managedBy: 'aws', document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }), targets: ous.map((o) => ({ ou: o.path })).concat(accounts.map((a) => ({ account: a.name })) as never[]) },
    { name: 'deny-leave-organization', document: doc({ Sid: 'DenyLeave', Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' }), targets: [{ ou: 'Root' }] },
    {
      name: 'deny-prod-deletes',
      document: doc({
        Sid: 'DenyDataStoreDeletes',
        Effect: 'Deny',
        Action: ['s3:DeleteBucket', 'kms:ScheduleKeyDeletion', 'sqs:DeleteQueue'],
        Resource: '*',
        Condition: { ArnNotLike: { 'aws:PrincipalARN': 'arn:aws:iam::*:role/OrganizationAccountAccessRole' } },
      }),
      targets: [{ ou: 'Root/Workloads/Prod' }],
    },
  ];
}

/** Generates a synthetic collected organization (source `snapshot`, with 12-digit ids). */
export function synthOrganization(options: SynthOptions): OrganizationModel {
  const total = Math.max(8, Math.floor(options.accounts));
  const runtimeCount = total - 1 - SHARED.length;
  const buCount = Math.max(1, Math.ceil(runtimeCount / PHASES.length));
  const accounts = synthAccounts(runtimeCount, options.violations === true);
  const ctx: SynthContext = {
    rolesPer: options.rolesPerAccount ?? 20,
    resPer: options.resourcesPerAccount ?? 50,
    rand: seededRandom(options.seed ?? 42),
    region: DEFAULT_REGION,
    accounts,
    byName: new Map(accounts.map((a) => [a.name, a])),
    runtime: accounts.filter((a) => a.purpose === 'runtime'),
    roles: [],
    resources: [],
  };
  const ous: OrganizationalUnit[] = OU_PATHS.map((path) => ({ path, tags: {} }));
  for (const a of accounts) {
    if (a.purpose === 'management') continue;
    synthRoles(ctx, a, synthResources(ctx, a));
  }
  synthSharedPrincipals(ctx);
  if (options.violations) plantViolations(ctx);
  const people = options.people ? synthPeople({ runtime: ctx.runtime, violations: options.violations === true }) : undefined;
  if (people) ctx.roles.push(...people.roles);
  // like a model read from a snapshot (JSON.parse makes flat strings), not trees of the template literals' pieces
  flattenStrings([ctx.roles, ctx.resources, accounts]);
  return sortModel({
    modelVersion: 1,
    source: 'snapshot',
    organization: { name: 'synth', id: 'o-synth0000', managementAccount: 'management', regions: [ctx.region], accessRoleName: 'OrganizationAccountAccessRole' },
    phases: PHASES.map((p) => ({ name: p, production: p === 'prod' })),
    businessUnits: Array.from({ length: buCount }, (_, i) => ({ name: `bu${String(i).padStart(3, '0')}` })),
    organizationalUnits: ous,
    accounts,
    roles: ctx.roles,
    users: [],
    serviceControlPolicies: synthScps(ous, accounts),
    resourceControlPolicies: [],
    resources: ctx.resources,
    boundaries: [],
    ...(people ? { identity: people.identity } : {}),
    auditScopes: ctx.runtime.length > 0 ? [{ name: 'bu000-prod', accounts: { businessUnit: ['bu000'], phase: ['prod'] } }] : [],
  });
}
