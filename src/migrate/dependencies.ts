/**
 * Cross-account dependencies before and after the migration, and what each new one needs.
 *
 * A dependency is a reference or shared-data coupling (lifecycle couplings are not calls across accounts). When
 * both ends sit in one account, identity policies alone may allow the call; across accounts the resource's own
 * policy must allow the caller too, and conditions pinning an account id stop matching.
 *
 * - Cross-account access needs both the identity policy and the resource policy: "Cross account resource access in
 *   IAM", https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies-cross-account-resource-access.html
 * - DynamoDB tables take resource-based policies for cross-account access: "Authorization with IAM identity-based
 *   policies and DynamoDB resource-based policies",
 *   https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/rbac-auth-iam-id-based-policies-DDB.html
 * - SNS delivers to a queue the queue policy allows for `sns.amazonaws.com` with `aws:SourceArn` the topic: "Example
 *   cases for Amazon SNS access control", https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html
 * - S3 publishes notifications to a topic, queue or function whose policy allows the S3 service principal: "Granting
 *   permissions to publish event notification messages to a destination",
 *   https://docs.aws.amazon.com/AmazonS3/latest/userguide/grant-destinations-permissions-to-s3.html
 * - Other accounts use a KMS key only when its key policy allows them: "Allowing users in other accounts to use a KMS
 *   key", https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html
 * - `aws:SourceAccount`, `aws:PrincipalAccount`, `aws:ResourceAccount`: "AWS global condition context keys",
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 */
import type { JsonValue, OrganizationModel } from '../model/organization.js';
import { compareStrings } from '../util/order.js';
import type { CouplingEdge } from './coupling.js';
import type { Workloads } from './workloads.js';

/** Actions a grant on a resource of a type allows, per direction (data: one line per type). */
export const GRANT_ACTIONS: Readonly<Record<string, { read: readonly string[]; write: readonly string[] }>> = {
  'dynamodb:table': { read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan'], write: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'] },
  'sqs:queue': { read: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ChangeMessageVisibility'], write: ['sqs:SendMessage'] },
  's3:bucket': { read: ['s3:GetObject', 's3:ListBucket'], write: ['s3:PutObject'] },
  'sns:topic': { read: ['sns:Subscribe'], write: ['sns:Publish'] },
  'kms:key': { read: ['kms:Decrypt', 'kms:DescribeKey'], write: ['kms:Encrypt', 'kms:GenerateDataKey'] },
  'secretsmanager:secret': { read: ['secretsmanager:GetSecretValue'], write: [] },
  'lambda:function': { read: [], write: ['lambda:InvokeFunction'] },
  'kinesis:stream': { read: ['kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:DescribeStream', 'kinesis:ListShards'], write: ['kinesis:PutRecord', 'kinesis:PutRecords'] },
};

/** Condition keys whose values pin an account (or a resource ARN naming one). */
export const ACCOUNT_PINNING_KEYS: readonly string[] = ['aws:sourceaccount', 'aws:sourceowner', 'aws:principalaccount', 'aws:resourceaccount', 'kms:calleraccount', 's3:resourceaccount', 'aws:sourcearn'];

/** A grant the migration must add before a dependency crosses accounts. */
export interface ProposedGrant {
  /** The resource whose policy gets the statement (a role's ARN for its trust policy: `sts:AssumeRole`). */
  readonly resource: string;
  /** A role ARN, or a service principal such as `sns.amazonaws.com`. */
  readonly principal: string;
  /** The account the calling role sits in once the wave is done (a copied role's grant names the copy there). */
  readonly principalAccount?: string;
  readonly actions: readonly string[];
  /** Conditions of the statement (service principals are pinned to the source ARN). */
  readonly sourceArn?: string;
  /** Lowercase: which policy and why, e.g. "queue policy: sns topic … delivers to it". */
  readonly why: string;
}

/** One cross-account dependency. */
export interface Dependency {
  readonly edge: CouplingEdge;
  readonly fromAccount: string;
  readonly toAccount: string;
}

/** A new cross-account dependency and what it needs. */
export interface NewDependency extends Dependency {
  /** Access across phases that the migration ends on purpose (no grant proposed). */
  readonly ends: boolean;
  readonly grants: readonly ProposedGrant[];
}

/** A condition that stops matching once a resource leaves its account. */
export interface BreakingCondition {
  /** E.g. `resource arn:… policy`, `role arn:… trust policy`. */
  readonly policy: string;
  readonly key: string;
  readonly value: string;
  /** The moved resources whose old account (or ARN) the value names, sorted. */
  readonly because: readonly string[];
}

const DEPENDENCY_KINDS = new Set(['lambda-env', 'event-source', 'sns-subscription', 'kms-encryption', 'bucket-notification', 'shared-data']);

/** Whether an edge is a dependency (a call across the boundary), not a lifecycle coupling. */
export function isDependency(e: CouplingEdge): boolean {
  return DEPENDENCY_KINDS.has(e.kind);
}

/** Dependencies whose ends are in different accounts under a placement (ARN → account name). */
export function crossAccount(edges: readonly CouplingEdge[], placement: (arn: string) => string): Dependency[] {
  const out: Dependency[] = [];
  for (const edge of edges) {
    if (!isDependency(edge)) continue;
    const fromAccount = placement(edge.from);
    const toAccount = placement(edge.to);
    if (fromAccount !== toAccount) out.push({ edge, fromAccount, toAccount });
  }
  return out;
}

const actionsFor = (type: string, read: boolean, write: boolean): string[] => {
  const a = GRANT_ACTIONS[type];
  return a ? [...(read ? a.read : []), ...(write ? a.write : [])] : [];
};

/**
 * The grants one new cross-account dependency needs; with `accountOf` (ARN → account after the move), each grant to
 * a role says the account its caller sits in (`principalAccount`).
 */
export function grantsFor(edge: CouplingEdge, workloads: Workloads, accountOf?: (arn: string) => string): ProposedGrant[] {
  const grants = grantsOf(edge, workloads);
  if (accountOf === undefined) return grants;
  // the caller is the edge's `from`, except for an event source: the function (`to`) polls the queue or stream
  const caller = edge.kind === 'event-source' ? edge.to : edge.from;
  return grants.map((g) => (g.principal.startsWith('arn:') ? { ...g, principalAccount: accountOf(caller) } : g));
}

function grantsOf(edge: CouplingEdge, workloads: Workloads): ProposedGrant[] {
  const from = workloads.byArn.get(edge.from)!.resource;
  const to = workloads.byArn.get(edge.to)!.resource;
  const service = (host: string, on: typeof to, source: string, why: string): ProposedGrant[] => {
    const actions = actionsFor(on.type, false, true);
    return actions.length > 0 ? [{ resource: on.arn, principal: host, actions, sourceArn: source, why }] : [];
  };
  switch (edge.kind) {
    case 'shared-data':
    case 'lambda-env': {
      if (edge.via !== undefined && edge.via.length > 1) {
        // through a chain the caller assumes a role first: the first role's trust policy must name it across accounts
        const [caller, first] = [edge.via[0]!, edge.via[1]!];
        return [{ resource: first, principal: caller, actions: ['sts:AssumeRole'], why: `trust policy: role \`${caller}\` of \`${from.name}\` assumes it to reach \`${to.name}\` (${edge.evidence})` }];
      }
      const principal = edge.principal ?? from.lambda?.role;
      if (principal === undefined) return [];
      const caps = edge.capabilities ?? ['read-data', 'write-data'];
      const actions = actionsFor(to.type, caps.includes('read-data'), caps.includes('write-data') || caps.includes('delete-data'));
      return actions.length > 0 ? [{ resource: to.arn, principal, actions, why: `${to.type} policy: role \`${principal}\` of \`${from.name}\` uses it (${edge.evidence})` }] : [];
    }
    case 'event-source': {
      const principal = to.lambda?.role;
      const actions = actionsFor(from.type, true, false);
      return principal !== undefined && actions.length > 0 ? [{ resource: from.arn, principal, actions, why: `${from.type} policy: function \`${to.name}\` polls it` }] : [];
    }
    case 'sns-subscription':
      return service('sns.amazonaws.com', to, from.arn, `${to.type} policy: topic \`${from.name}\` delivers to it`);
    case 'bucket-notification':
      return service('s3.amazonaws.com', to, from.arn, `${to.type} policy: bucket \`${from.name}\` notifies it`);
    case 'kms-encryption': {
      const principal = from.lambda?.role ?? `account of \`${from.name}\``;
      return [{ resource: to.arn, principal, actions: actionsFor('kms:key', true, true), why: `key policy: \`${from.name}\` is encrypted with it` }];
    }
    default:
      return [];
  }
}

/** Every string of a JSON value, with the condition key it sits under (lowercase) when inside a `Condition`. */
function conditionValues(doc: JsonValue | undefined): { key: string; value: string }[] {
  const out: { key: string; value: string }[] = [];
  const statements = doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? doc['Statement'] : undefined;
  const list = Array.isArray(statements) ? statements : statements !== undefined ? [statements] : [];
  for (const s of list) {
    const cond = s !== null && typeof s === 'object' && !Array.isArray(s) ? s['Condition'] : undefined;
    if (cond === null || typeof cond !== 'object' || Array.isArray(cond)) continue;
    for (const block of Object.values(cond)) {
      if (block === null || typeof block !== 'object' || Array.isArray(block)) continue;
      for (const [key, v] of Object.entries(block)) for (const value of Array.isArray(v) ? v : [v]) if (typeof value === 'string') out.push({ key, value });
    }
  }
  return out;
}

/**
 * Conditions of the policies on moved resources and on the resources they are coupled with, whose account-pinning
 * keys name the account a moved resource leaves (or its old ARN).
 */
export function breakingConditions(model: OrganizationModel, edges: readonly CouplingEdge[], moved: ReadonlyMap<string, string>, accountIds: ReadonlyMap<string, string>): BreakingCondition[] {
  const policies = new Map<string, JsonValue>();
  for (const r of model.resources) if (r.policy !== undefined) policies.set(r.arn, r.policy);
  for (const r of model.inventory?.resources ?? []) if (r.policy !== undefined && !policies.has(r.arn)) policies.set(r.arn, r.policy);
  const neighbours = new Map<string, Set<string>>();
  const link = (a: string, b: string) => neighbours.set(a, (neighbours.get(a) ?? new Set()).add(b));
  for (const e of edges) {
    link(e.from, e.to);
    link(e.to, e.from);
  }
  const out = new Map<string, { policy: string; key: string; value: string; because: Set<string> }>();
  for (const [arn, oldAccount] of moved) {
    const oldId = accountIds.get(oldAccount);
    for (const holder of [arn, ...(neighbours.get(arn) ?? [])]) {
      for (const { key, value } of conditionValues(policies.get(holder))) {
        const k = key.toLowerCase();
        if (!ACCOUNT_PINNING_KEYS.includes(k)) continue;
        const hit = k === 'aws:sourcearn' ? value === arn : oldId !== undefined && value === oldId;
        if (!hit) continue;
        const policy = `resource \`${holder}\` policy`;
        const k2 = `${policy}\u0000${key}\u0000${value}`;
        const c = out.get(k2) ?? { policy, key, value, because: new Set<string>() };
        c.because.add(arn);
        out.set(k2, c);
      }
    }
  }
  return [...out.values()]
    .map((c): BreakingCondition => ({ ...c, because: [...c.because].sort(compareStrings) }))
    .sort((a, b) => compareStrings(a.policy, b.policy) || compareStrings(a.key, b.key) || compareStrings(a.value, b.value));
}
