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
import { seededRandom } from '../util/random.js';

/** Options for synth. */
export interface SynthOptions {
  /** Total number of accounts, including management and shared ones (min 8). */
  readonly accounts: number;
  readonly rolesPerAccount?: number;
  readonly resourcesPerAccount?: number;
  readonly seed?: number;
  /** Plant a dev→prod trust, a prod bucket granting a dev account, and a `*` bucket policy (default false). */
  readonly violations?: boolean;
}

const doc = (...Statement: Record<string, unknown>[]): PolicyDocument => ({ Version: '2012-10-17', Statement }) as PolicyDocument;
const PHASES = ['dev', 'stage', 'prod'] as const;
const SHARED = ['security', 'log-archive', 'shared-services', 'delivery', 'identity'] as const;
const RESOURCE_KINDS = ['s3:bucket', 'kms:key', 'sqs:queue', 'secretsmanager:secret'] as const;
const ROLE_KINDS = ['app', 'reader', 'writer', 'ops', 'batch', 'etl', 'api', 'worker', 'audit', 'support'] as const;

/** Generates a synthetic collected organization (source `snapshot`, with 12-digit ids). */
export function synthOrganization(options: SynthOptions): OrganizationModel {
  const total = Math.max(8, Math.floor(options.accounts));
  const rolesPer = options.rolesPerAccount ?? 20;
  const resPer = options.resourcesPerAccount ?? 50;
  const rand = seededRandom(options.seed ?? 42);
  const region = 'us-east-1';
  const runtimeCount = total - 1 - SHARED.length;
  const buCount = Math.max(1, Math.ceil(runtimeCount / PHASES.length));
  const id = (i: number) => String(100000000000 + i * 7919).padStart(12, '0');

  const accounts: Account[] = [];
  accounts.push({ name: 'management', email: 'aws+management@synth.example', id: id(0), ouPath: 'Root', purpose: 'management', tags: {} });
  SHARED.forEach((s, i) =>
    accounts.push({
      name: s,
      email: `aws+${s}@synth.example`,
      id: id(i + 1),
      ouPath: s === 'delivery' ? 'Root/Deployments' : s === 'identity' || s === 'shared-services' ? 'Root/Infrastructure' : 'Root/Security',
      purpose: s,
      tags: {},
    }),
  );
  for (let k = 0; k < runtimeCount; k++) {
    const bu = `bu${String(Math.floor(k / PHASES.length)).padStart(3, '0')}`;
    const phase = PHASES[k % PHASES.length]!;
    accounts.push({
      name: `${bu}-${phase}`,
      email: `aws+${bu}-${phase}@synth.example`,
      id: id(accounts.length),
      ouPath: `Root/Workloads/${phase[0]!.toUpperCase()}${phase.slice(1)}`,
      purpose: 'runtime',
      tags: { BusinessUnit: bu, Environment: phase },
    });
  }
  const byName = new Map(accounts.map((a) => [a.name, a]));
  const idOf = (n: string) => byName.get(n)!.id!;
  const runtime = accounts.filter((a) => a.purpose === 'runtime');
  const ous: OrganizationalUnit[] = [
    'Root',
    'Root/Security',
    'Root/Infrastructure',
    'Root/Deployments',
    'Root/Workloads',
    'Root/Workloads/Dev',
    'Root/Workloads/Stage',
    'Root/Workloads/Prod',
  ].map((path) => ({ path, tags: {} }));

  const roles: Role[] = [];
  const resources: Resource[] = [];
  for (const a of accounts) {
    if (a.purpose === 'management') continue;
    const acct = a.id!;
    const bucketNames: string[] = [];
    for (let j = 0; j < resPer; j++) {
      const kind = RESOURCE_KINDS[j % RESOURCE_KINDS.length]!;
      const name = `${a.name}-${kind.split(':')[1]}-${j}`;
      const arn =
        kind === 's3:bucket'
          ? `arn:aws:s3:::${name}`
          : kind === 'kms:key'
            ? `arn:aws:kms:${region}:${acct}:key/${name}`
            : kind === 'sqs:queue'
              ? `arn:aws:sqs:${region}:${acct}:${name}`
              : `arn:aws:secretsmanager:${region}:${acct}:secret:${name}`;
      if (kind === 's3:bucket') bucketNames.push(name);
      let policy: PolicyDocument | undefined;
      const r = rand();
      if (kind === 'kms:key') {
        policy = doc({ Sid: 'EnableRoot', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${acct}:root` }, Action: 'kms:*', Resource: '*' });
      } else if (kind === 's3:bucket' && r < 0.2) {
        // log shipping to shared services, a common cross-account grant
        policy = doc({
          Sid: 'SharedServicesRead',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${idOf('shared-services')}:role/log-reader` },
          Action: ['s3:GetObject', 's3:ListBucket'],
          Resource: [arn, `${arn}/*`],
        });
      } else if (kind === 'sqs:queue' && r < 0.1 && runtime.length > 1) {
        const other = runtime[Math.floor(rand() * runtime.length)]!;
        policy = doc({ Sid: 'PeerSend', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${other.id}:role/worker` }, Action: 'sqs:SendMessage', Resource: arn });
      }
      resources.push({ account: a.name, arn, type: kind, region, ...(policy ? { policy } : {}), tags: {} });
    }
    for (let j = 0; j < rolesPer; j++) {
      const kind = ROLE_KINDS[j % ROLE_KINDS.length]!;
      const name = j < ROLE_KINDS.length ? kind : `${kind}-${j}`;
      const trustFrom =
        kind === 'app' || kind === 'support' ? idOf('identity') : kind === 'ops' ? idOf('delivery') : undefined;
      const trust = trustFrom
        ? doc({
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${trustFrom}:root` },
            Action: 'sts:AssumeRole',
            Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${trustFrom}:role/${kind === 'ops' ? 'deployer' : 'sso-*'}` } },
          })
        : doc({ Effect: 'Allow', Principal: { Service: kind === 'batch' || kind === 'etl' ? 'ecs-tasks.amazonaws.com' : 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' });
      const bucket = bucketNames[j % Math.max(1, bucketNames.length)] ?? `${a.name}-bucket`;
      const policies = [
        {
          name: `${name}-policy`,
          kind: 'inline' as const,
          document:
            kind === 'reader' || kind === 'audit'
              ? doc({ Sid: 'Read', Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket', 'sqs:ReceiveMessage'], Resource: '*' })
              : kind === 'ops'
                ? doc({ Sid: 'Operate', Effect: 'Allow', Action: ['s3:*', 'sqs:*', 'kms:*', 'secretsmanager:*'], Resource: '*' })
                : kind === 'worker'
                  ? doc({ Sid: 'Queue', Effect: 'Allow', Action: ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage'], Resource: '*' })
                  : doc({
                      Sid: 'AppData',
                      Effect: 'Allow',
                      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
                      Resource: `arn:aws:s3:::${bucket}/*`,
                    }),
        },
      ];
      roles.push({ account: a.name, name, path: '/', trustPolicy: trust, policies, tags: {} });
    }
  }
  // shared principals that the cross-account grants name
  roles.push({
    account: 'shared-services',
    name: 'log-reader',
    path: '/',
    trustPolicy: doc({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }),
    policies: [{ name: 'read', kind: 'inline', document: doc({ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' }) }],
    tags: {},
  });
  roles.push({
    account: 'delivery',
    name: 'deployer',
    path: '/',
    trustPolicy: doc({ Effect: 'Allow', Principal: { Service: 'codebuild.amazonaws.com' }, Action: 'sts:AssumeRole' }),
    policies: [{ name: 'assume', kind: 'inline', document: doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::*:role/ops' }) }],
    tags: {},
  });

  if (options.violations) {
    const dev = runtime.find((a) => a.tags['Environment'] === 'dev')!;
    const prod = runtime.find((a) => a.tags['Environment'] === 'prod')!;
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
    resources.push({
      account: prod.name,
      arn: `arn:aws:s3:::${prod.name}-shared-with-dev`,
      type: 's3:bucket',
      region,
      policy: doc({ Sid: 'GrantDev', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${dev.id}:root` }, Action: ['s3:GetObject', 's3:PutObject'], Resource: `arn:aws:s3:::${prod.name}-shared-with-dev/*` }),
      tags: {},
    });
  }

  const scps: OrganizationPolicy[] = [
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
  return sortModel({
    modelVersion: 1,
    source: 'snapshot',
    organization: { name: 'synth', id: 'o-synth0000', managementAccount: 'management', regions: [region], accessRoleName: 'OrganizationAccountAccessRole' },
    phases: PHASES.map((p) => ({ name: p, production: p === 'prod' })),
    businessUnits: Array.from({ length: buCount }, (_, i) => ({ name: `bu${String(i).padStart(3, '0')}` })),
    organizationalUnits: ous,
    accounts,
    roles,
    users: [],
    serviceControlPolicies: scps,
    resourceControlPolicies: [],
    resources,
    boundaries: [],
    auditScopes: runtime.length > 0 ? [{ name: 'bu000-prod', accounts: { businessUnit: ['bu000'], phase: ['prod'] } }] : [],
  });
}
