/**
 * The workload inventory of a collected organization: every resource found in each account (from the Resource
 * Groups Tagging API, CloudFormation stacks and the per-service reads) with its tags and stack, and the typed
 * references between resources that a migration must not cut (a Lambda's environment naming a table, an event
 * source feeding a function, an SNS subscription, a KMS key encrypting a resource, a bucket notification).
 *
 * Pure data: the collector (`aws/collect-inventory.ts`) fills it, the snapshot loader puts it in the model, and a
 * later coupling graph reads it. Nothing in it is a secret: Lambda environment values are kept only when they are
 * ARNs or the names of collected resources (see `keepEnvironmentValue`).
 */
import type { PolicyDocument, Tags } from './organization.js';

/** The kinds of reference between two inventory resources. */
export const REFERENCE_KINDS = ['lambda-env', 'event-source', 'sns-subscription', 'kms-encryption', 'bucket-notification'] as const;

/** One kind of reference: `from` uses `to`. */
export type ReferenceKind = (typeof REFERENCE_KINDS)[number];

/** One environment variable of a Lambda function: its name, and its value only when it is not a possible secret. */
export interface EnvironmentVariable {
  readonly name: string;
  /** Present only when the value is an ARN or the name/URL of a collected resource. */
  readonly value?: string;
}

/** Lambda configuration kept in the inventory. */
export interface LambdaConfiguration {
  readonly role?: string;
  readonly runtime?: string;
  readonly environment: readonly EnvironmentVariable[];
}

/** The CloudFormation stack a resource belongs to. */
export interface StackMembership {
  /** Stack name. */
  readonly name: string;
  readonly arn: string;
  /** Logical id of the resource in the stack's template. */
  readonly logicalId: string;
}

/** One resource of a workload. */
export interface InventoryResource {
  /** Model name of the account the resource lives in. */
  readonly account: string;
  readonly arn: string;
  /** Service-qualified type, e.g. `dynamodb:table`, `lambda:function`, `cloudformation:stack`. */
  readonly type: string;
  readonly region: string;
  /** The resource's own name (table name, function name, bucket name, key id, …). */
  readonly name: string;
  readonly tags: Tags;
  readonly stack?: StackMembership;
  /** KMS keys: their aliases (`alias/...`), sorted. */
  readonly aliases?: readonly string[];
  /** Lambda functions: role, runtime, environment variable names (values only when safe). */
  readonly lambda?: LambdaConfiguration;
  /** DynamoDB tables: the resource-based policy, when one is attached. */
  readonly policy?: PolicyDocument;
}

/** A typed reference: `from` uses `to` (both ARNs), with the evidence that shows it. */
export interface InventoryReference {
  readonly kind: ReferenceKind;
  readonly from: string;
  readonly to: string;
  /** What shows the reference: the environment variable name, the subscription protocol, the event names, … */
  readonly evidence: string;
}

/** The inventory of all collected accounts. */
export interface Inventory {
  readonly resources: readonly InventoryResource[];
  readonly references: readonly InventoryReference[];
}

/** A loose ARN shape check: `arn:partition:service:region:account:resource`, no whitespace. */
export function looksLikeArn(value: string): boolean {
  if (!value.startsWith('arn:') || value.length > 2048) return false;
  for (const ch of value) if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') return false;
  const parts = value.split(':');
  return parts.length >= 6 && (parts[1] ?? '') !== '' && (parts[2] ?? '') !== '' && (parts[5] ?? '') !== '';
}

/**
 * Whether a Lambda environment value may be stored: an ARN, or exactly the name (or identifier such as a queue URL)
 * of a collected resource. Anything else may be a secret and is never kept.
 */
export function keepEnvironmentValue(value: string, knownIdentifiers: ReadonlySet<string>): boolean {
  return looksLikeArn(value) || knownIdentifiers.has(value);
}
