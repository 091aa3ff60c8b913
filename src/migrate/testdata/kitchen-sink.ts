/**
 * A kitchen-sink organization for the migrate tests and benchmark: one production account (`legacy-prod`) holding
 * dev, stage and prod of two business units (payments, shop) in CloudFormation stacks and loose resources, tagged
 * and untagged, with references, shared data across business units and across phases, and one stack that mixes
 * phases (it cannot be split cleanly). `TARGET_SPEC` is the design it should become.
 */
import type { InventoryReference, InventoryResource } from '../../model/inventory.js';
import type { Account, OrganizationModel, PolicyDocument, Role } from '../../model/organization.js';
import { SNAPSHOT_VERSION, type Snapshot } from '../../snapshot/format.js';
import { synthSnapshot } from '../../synthetic/snapshot.js';

/** The target design: dev, stage, prod × payments, shop (also the moto kitchen sink's, test-support/kitchen-sink.ts). */
export const TARGET_SPEC = `version: 1
organization:
  name: acme
  managementAccount: { name: mgmt, email: aws@acme.example }
  emailTemplate: "aws+{account}@acme.example"
  regions: [us-east-1]
phases:
  - { name: dev }
  - { name: stage }
  - { name: prod, production: true }
businessUnits:
  - { name: payments }
  - { name: shop }
`;

const doc = (...Statement: Record<string, unknown>[]): PolicyDocument => ({ Version: '2012-10-17', Statement }) as PolicyDocument;
const LAMBDA_TRUST = doc({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' });

/** Builds the resources of one account; ARNs use the account id and `us-east-1`. */
export class InventoryBuilder {
  readonly resources: InventoryResource[] = [];
  readonly references: InventoryReference[] = [];
  readonly roles: Role[] = [];
  constructor(
    readonly account: string,
    readonly id: string,
  ) {}

  private add(type: string, arn: string, name: string, tags: Record<string, string>, stack?: string, extra: Partial<InventoryResource> = {}): string {
    const stackPart = stack ? { stack: { name: stack, arn: this.stackArn(stack), logicalId: name.split('-').join('') } } : {};
    this.resources.push({ account: this.account, arn, type, region: 'us-east-1', name, tags, ...stackPart, ...extra });
    return arn;
  }
  /** The ARN of a stack of this account. */
  stackArn(name: string): string {
    return `arn:aws:cloudformation:us-east-1:${this.id}:stack/${name}/0000`;
  }
  /** Adds a CloudFormation stack. */
  stack(name: string, tags: Record<string, string> = {}): string {
    return this.add('cloudformation:stack', this.stackArn(name), name, tags);
  }
  /** Adds a DynamoDB table. */
  table(name: string, tags: Record<string, string> = {}, stack?: string, policy?: PolicyDocument): string {
    return this.add('dynamodb:table', `arn:aws:dynamodb:us-east-1:${this.id}:table/${name}`, name, tags, stack, policy ? { policy } : {});
  }
  /** Adds an SQS queue. */
  queue(name: string, tags: Record<string, string> = {}, stack?: string): string {
    return this.add('sqs:queue', `arn:aws:sqs:us-east-1:${this.id}:${name}`, name, tags, stack);
  }
  /** Adds an S3 bucket. */
  bucket(name: string, tags: Record<string, string> = {}, stack?: string): string {
    return this.add('s3:bucket', `arn:aws:s3:::${name}`, name, tags, stack);
  }
  /** Adds a KMS key. */
  key(name: string, tags: Record<string, string> = {}, stack?: string): string {
    return this.add('kms:key', `arn:aws:kms:us-east-1:${this.id}:key/${name}`, name, tags, stack);
  }
  /** Adds a function with an execution role whose inline policies allow `actions` on `resources`. */
  fn(name: string, tags: Record<string, string>, stack: string | undefined, grants: readonly { actions: string[]; resources: string[] }[]): string {
    const role = `arn:aws:iam::${this.id}:role/${name}-role`;
    this.roles.push({
      account: this.account,
      name: `${name}-role`,
      path: '/',
      arn: role,
      trustPolicy: LAMBDA_TRUST,
      policies: grants.map((g, i) => ({ name: `p${i}`, kind: 'inline' as const, document: doc({ Effect: 'Allow', Action: g.actions, Resource: g.resources }) })),
      tags,
    });
    return this.add('lambda:function', `arn:aws:lambda:us-east-1:${this.id}:function:${name}`, name, tags, stack, { lambda: { role, runtime: 'nodejs20.x', environment: [] } });
  }
  /** Adds a reference. */
  ref(kind: InventoryReference['kind'], from: string, to: string, evidence: string): void {
    this.references.push({ kind, from, to, evidence });
  }
}

const MGMT: Account = { name: 'mgmt', email: 'aws@acme.example', id: '111111111111', ouPath: 'Root', purpose: 'management', status: 'ACTIVE', tags: {} };
/** The kitchen-sink account's id. */
export const LEGACY_ID = '200000000001';

/** A collected organization around account builders (FullAWSAccess everywhere). */
export function organizationOf(builders: readonly InventoryBuilder[], accountTags: Record<string, Record<string, string>> = {}): OrganizationModel {
  const accounts: Account[] = [
    MGMT,
    ...builders.map((b) => ({ name: b.account, email: `aws+${b.account}@acme.example`, id: b.id, ouPath: 'Root/Workloads', purpose: 'unknown' as const, status: 'ACTIVE', tags: accountTags[b.account] ?? {} })),
  ];
  return {
    modelVersion: 1,
    source: 'snapshot',
    organization: { name: 'acme', id: 'o-abcdefghij', managementAccount: 'mgmt', regions: ['us-east-1'], accessRoleName: 'OrganizationAccountAccessRole' },
    phases: [],
    businessUnits: [],
    organizationalUnits: [
      { path: 'Root', id: 'r-root', tags: {} },
      { path: 'Root/Workloads', id: 'ou-w', tags: {} },
    ],
    accounts,
    roles: builders.flatMap((b) => b.roles),
    users: [],
    serviceControlPolicies: [
      {
        name: 'FullAWSAccess',
        id: 'p-FullAWSAccess',
        managedBy: 'aws',
        document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }),
        targets: [{ ou: 'Root' }, { ou: 'Root/Workloads' }, ...builders.map((b) => ({ account: b.account }))],
      },
    ],
    resourceControlPolicies: [],
    resources: [],
    boundaries: [],
    auditScopes: [],
    inventory: { resources: builders.flatMap((b) => b.resources), references: builders.flatMap((b) => b.references) },
  };
}

/** The kitchen-sink organization; `withMixedStack: false` leaves out the stack that cannot be split. */
export function kitchenSink(options: { withMixedStack?: boolean } = {}): OrganizationModel {
  const b = new InventoryBuilder('legacy-prod', LEGACY_ID);
  const t = (phase: string, bu: string, extra: Record<string, string> = {}) => ({ Environment: phase, BusinessUnit: bu, ...extra });
  const A = LEGACY_ID;
  // payments dev: a stack tagged on the stack only (its resources are untagged and inherit it)
  b.stack('payments-dev', t('dev', 'payments'));
  const devLedger = b.table('payments-dev-ledger', {}, 'payments-dev');
  const devJobs = b.queue('payments-dev-jobs', {}, 'payments-dev');
  const devApi = b.fn('payments-dev-api', {}, 'payments-dev', [
    { actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], resources: [devLedger] },
    { actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage'], resources: [devJobs] },
  ]);
  b.ref('lambda-env', devApi, devLedger, 'LEDGER_TABLE');
  b.ref('event-source', devJobs, devApi, 'event source mapping 1');
  // payments prod: a stack with a KMS key; its function also reads the shop's orders (shared data across units)
  b.stack('payments-prod', t('prod', 'payments'));
  const prodLedger = b.table('payments-prod-ledger', {}, 'payments-prod');
  const prodKey = b.key('payments-prod-key', {}, 'payments-prod');
  const shopOrders = `arn:aws:dynamodb:us-east-1:${A}:table/shop-prod-orders`;
  const prodApi = b.fn('payments-prod-api', {}, 'payments-prod', [
    { actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], resources: [prodLedger] },
    { actions: ['dynamodb:GetItem', 'dynamodb:Query'], resources: [shopOrders] },
    { actions: ['kms:Decrypt'], resources: [prodKey] },
  ]);
  b.ref('lambda-env', prodApi, prodLedger, 'LEDGER_TABLE');
  b.ref('kms-encryption', prodLedger, prodKey, 'SSE key');
  // payments stage: loose resources, the bucket untagged (its name says stage and payments)
  const uploads = b.bucket('payments-stage-uploads');
  const events = b.queue('payments-stage-events', t('stage', 'payments'));
  b.ref('bucket-notification', uploads, events, 'events s3:ObjectCreated:*');
  // shop prod: a table whose policy pins the account
  b.table(
    'shop-prod-orders',
    t('prod', 'shop'),
    undefined,
    doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'dynamodb:*', Resource: shopOrders, Condition: { StringEquals: { 'aws:PrincipalAccount': A } } }),
  );
  // shop dev: a worker and its cache (same application), the worker can still read prod orders
  b.table('shop-dev-cache', t('dev', 'shop', { Application: 'cart' }));
  b.fn('shop-dev-worker', t('dev', 'shop', { Application: 'cart' }), undefined, [{ actions: ['dynamodb:*'], resources: [`arn:aws:dynamodb:us-east-1:${A}:table/shop-*`] }]);
  if (options.withMixedStack !== false) {
    // one stack with a dev function and a prod bucket: cannot be split cleanly
    b.stack('shop-reports');
    const reports = b.bucket('shop-prod-reports', t('prod', 'shop'), 'shop-reports');
    b.fn('shop-reports-builder', t('dev', 'shop'), 'shop-reports', [{ actions: ['s3:GetObject', 's3:PutObject'], resources: [`${reports}/*`] }]);
  }
  // nothing says what this is
  b.queue('misc-7f3a');
  return organizationOf([b], { 'legacy-prod': { Environment: 'prod', BusinessUnit: 'shop' } });
}

/** The snapshot files' form of a model with inventory (each account file carries its own resources and references). */
export function snapshotWithInventory(model: OrganizationModel, collectedAt: Date): Snapshot {
  const snap = synthSnapshot(model, collectedAt);
  const inventory = model.inventory ?? { resources: [], references: [] };
  const accountOf = new Map(inventory.resources.map((r) => [r.arn, r.account]));
  return {
    ...snap,
    manifest: { ...snap.manifest, snapshotVersion: SNAPSHOT_VERSION },
    accounts: snap.accounts.map((a) => ({
      ...a,
      // a JSON copy: the snapshot types are mutable, the model's are readonly
      inventory: JSON.parse(
        JSON.stringify({
          resources: inventory.resources.filter((r) => r.account === a.accountName).map(({ account, ...rest }) => (void account, rest)),
          references: inventory.references.filter((r) => accountOf.get(r.from) === a.accountName),
        }),
      ) as NonNullable<Snapshot['accounts'][number]['inventory']>,
    })),
  };
}
