/**
 * The snapshot format written by `bulkhead collect`: a directory with
 *
 * - `manifest.json` — format version, tool version, collection time, organization id, counts, per-account errors;
 * - `organization.json` — root, OU tree, accounts (status, tags), SCPs/RCPs with their targets, and IAM Identity
 *   Center (`identity`, optional; added within version 1);
 * - `accounts/<account-id>.json` — one file per collected account: IAM roles, users, groups, managed
 *   policies (documents decoded), resources with resource policies and tags, and (version 2, optional) the
 *   workload `inventory`: resources with tags and stacks, and the references between them.
 *
 * Policy documents are stored decoded (JSON values, never URL-encoded strings). Nothing in a snapshot
 * is a credential: the collector never stores keys or session tokens.
 *
 * The schemas below are the single definition of the format: the collector's output is typed by them and
 * the loader validates files with them. Bump SNAPSHOT_VERSION on breaking changes.
 */
import { z } from 'zod';
import type { JsonValue } from '../model/organization.js';
import { REFERENCE_KINDS } from '../model/inventory.js';

/**
 * Current snapshot format version. Version 2 added the optional per-account `inventory`; version 1 snapshots
 * (no inventory) still load.
 */
export const SNAPSHOT_VERSION = 2;

/** Every snapshot format version this bulkhead reads. */
export const SUPPORTED_SNAPSHOT_VERSIONS: readonly number[] = [1, 2];

/** File name of the manifest inside a snapshot directory. */
export const MANIFEST_FILE = 'manifest.json';
/** File name of the organization file inside a snapshot directory. */
export const ORGANIZATION_FILE = 'organization.json';
/** Relative path of an account's file. */
export function accountFile(accountId: string): string {
  return `accounts/${accountId}.json`;
}

/**
 * Marks the issue a `__proto__` key raises where the format has fields; the loader reports it under its own code.
 * JSON.parse keeps such a key as an own property, but zod's object and record parsers drop it without a word.
 */
export const PROTO_KEY_ISSUE = 'bulkhead-proto-key';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * An object of named fields (structure). A `__proto__` key there is no field of the format and is refused with its
 * path rather than dropped.
 */
function obj<S extends z.ZodRawShape>(shape: S) {
  return z.preprocess((v, ctx) => {
    if (isObject(v) && Object.hasOwn(v, '__proto__')) {
      ctx.addIssue({ code: 'custom', message: '`__proto__` is not a field of the snapshot format', path: ['__proto__'], input: v, params: { [PROTO_KEY_ISSUE]: true } });
    }
    return v;
  }, z.object(shape));
}

/**
 * A JSON value kept exactly as parsed (data: policy documents). Not copied key by key, so a `__proto__` key in a
 * document stays a key of the document. Anything JSON.parse returns is a JSON value; only absence is refused.
 */
const json = z.custom<JsonValue>((v) => v !== undefined, { error: 'expected a JSON value' });

/**
 * Tags (data): an object of string values, kept as parsed, so a tag key `__proto__` (a legal tag key) stays a tag.
 * A value that is not a string is reported at its key.
 */
const tags = z.unknown().superRefine((v, ctx) => {
  if (!isObject(v)) {
    ctx.addIssue({ code: 'custom', message: 'expected an object of tag keys to string values', input: v });
    return;
  }
  for (const [k, value] of Object.entries(v)) {
    if (typeof value !== 'string') ctx.addIssue({ code: 'custom', message: 'a tag value must be a string', path: [k], input: value });
  }
}) as unknown as z.ZodType<Record<string, string>>;
const accountId = z.string().regex(/^\d{12}$/, 'must be a 12-digit account id');

/** A per-account (or organization-level) collection error. */
export const snapshotErrorSchema = obj({
  /** Account id, or `organization` for errors reading Organizations itself. */
  accountId: z.string(),
  accountName: z.string().optional(),
  /** What was being read: `assume-role`, `iam`, `s3`, `kms`, … */
  stage: z.string(),
  message: z.string(),
});

/** manifest.json */
export const manifestSchema = obj({
  snapshotVersion: z.union([z.literal(1), z.literal(SNAPSHOT_VERSION)]),
  tool: obj({ name: z.string(), version: z.string() }),
  collectedAt: z.string(),
  organization: obj({
    id: z.string(),
    managementAccountId: accountId,
    rootId: z.string(),
    regions: z.array(z.string()),
    accessRoleName: z.string(),
  }),
  counts: obj({
    organizationalUnits: z.number().int(),
    accounts: z.number().int(),
    accountsCollected: z.number().int(),
    accountsFailed: z.number().int(),
    serviceControlPolicies: z.number().int(),
    resourceControlPolicies: z.number().int(),
    roles: z.number().int(),
    users: z.number().int(),
    resources: z.number().int(),
  }),
  /** Account files present in the snapshot (relative paths), sorted. */
  accountFiles: z.array(z.string().regex(/^accounts\/\d{12}\.json$/, 'must be `accounts/<12-digit account id>.json`')),
  errors: z.array(snapshotErrorSchema),
});

/**
 * IAM Identity Center as collected (in `organization.json` `identity`, absent without an instance): the instance,
 * the identity store's groups with their members and its users by name only (no e-mail or other personal
 * attribute is ever stored), permission sets with their policies, and the account assignments.
 */
export const identitySnapshotSchema = obj({
  instanceArn: z.string(),
  identityStoreId: z.string(),
  homeRegion: z.string(),
  /** Users: identity store id and user name. */
  users: z.array(obj({ id: z.string(), name: z.string() })),
  /** Groups with their member user ids. */
  groups: z.array(obj({ id: z.string(), name: z.string(), description: z.string().optional(), memberIds: z.array(z.string()) })),
  permissionSets: z.array(
    obj({
      arn: z.string(),
      name: z.string(),
      description: z.string().optional(),
      /** ISO 8601 duration. */
      sessionDuration: z.string(),
      inlinePolicy: json.optional(),
      /** AWS managed policies attached to the set. */
      managedPolicyArns: z.array(z.string()),
      /** Customer managed policy references: a policy of this name and path in each assigned account. */
      customerManagedPolicies: z.array(obj({ name: z.string(), path: z.string() })),
      permissionBoundary: obj({ managedPolicyArn: z.string().optional(), customerManagedPolicy: obj({ name: z.string(), path: z.string() }).optional() }).optional(),
    }),
  ),
  assignments: z.array(obj({ accountId, permissionSetArn: z.string(), principalType: z.enum(['GROUP', 'USER']), principalId: z.string() })),
});

/** organization.json */
export const organizationSchema = obj({
  id: z.string(),
  arn: z.string().optional(),
  featureSet: z.string().optional(),
  managementAccountId: accountId,
  root: obj({ id: z.string(), name: z.string(), policyTypes: z.array(z.string()), tags }),
  organizationalUnits: z.array(obj({ id: z.string(), name: z.string(), parentId: z.string(), tags })),
  accounts: z.array(
    obj({
      id: accountId,
      name: z.string(),
      email: z.string(),
      status: z.string(),
      parentId: z.string(),
      joinedMethod: z.string().optional(),
      tags,
    }),
  ),
  policies: z.array(
    obj({
      id: z.string(),
      name: z.string(),
      type: z.enum(['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY']),
      awsManaged: z.boolean(),
      description: z.string().optional(),
      document: json,
      /** Target ids: the root id, OU ids, account ids. */
      targets: z.array(z.string()),
    }),
  ),
  /** IAM Identity Center; absent when the organization has none (or an older bulkhead collected it). */
  identity: identitySnapshotSchema.optional(),
});

const inline = obj({ name: z.string(), document: json });

/** What roles, users and groups have in common. */
const iamEntity = {
  name: z.string(),
  path: z.string(),
  arn: z.string(),
  inlinePolicies: z.array(inline),
  managedPolicyArns: z.array(z.string()),
};

/**
 * The workload inventory of one account (format version 2, optional): every resource found (Tagging API,
 * CloudFormation, per-service reads) and the typed references between resources (see `model/inventory.ts`).
 * Lambda environment values appear only when they are ARNs or names of collected resources.
 */
export const inventorySnapshotSchema = obj({
  resources: z.array(
    obj({
      arn: z.string(),
      type: z.string(),
      region: z.string(),
      name: z.string(),
      tags,
      stack: obj({ name: z.string(), arn: z.string(), logicalId: z.string() }).optional(),
      aliases: z.array(z.string()).optional(),
      lambda: obj({
        role: z.string().optional(),
        runtime: z.string().optional(),
        environment: z.array(obj({ name: z.string(), value: z.string().optional() })),
      }).optional(),
      policy: json.optional(),
    }),
  ),
  references: z.array(
    obj({
      kind: z.enum(REFERENCE_KINDS),
      from: z.string(),
      to: z.string(),
      evidence: z.string(),
    }),
  ),
});

/** accounts/<id>.json */
export const accountSnapshotSchema = obj({
  accountId,
  accountName: z.string(),
  iam: obj({
    roles: z.array(
      obj({
        ...iamEntity,
        description: z.string().optional(),
        trustPolicy: json,
        permissionBoundaryArn: z.string().optional(),
        tags,
      }),
    ),
    users: z.array(obj({ ...iamEntity, groups: z.array(z.string()), permissionBoundaryArn: z.string().optional(), tags })),
    groups: z.array(obj(iamEntity)),
    /** Managed policies referenced in the account (customer and AWS managed), default version document. */
    managedPolicies: z.array(obj({ arn: z.string(), name: z.string(), path: z.string(), document: json })),
  }),
  resources: z.array(
    obj({
      arn: z.string(),
      /** `s3:bucket`, `kms:key`, `sqs:queue`, `sns:topic`, `lambda:function`, `secretsmanager:secret`. */
      type: z.string(),
      region: z.string(),
      policy: json.optional(),
      tags,
    }),
  ),
  /** The workload inventory (version 2); absent in version 1 snapshots and when collected without it. */
  inventory: inventorySnapshotSchema.optional(),
});

/** manifest.json contents. */
export type SnapshotManifest = z.infer<typeof manifestSchema>;
/** organization.json contents. */
export type SnapshotOrganization = z.infer<typeof organizationSchema>;
/** organization.json `identity` contents. */
export type IdentitySnapshot = z.infer<typeof identitySnapshotSchema>;
/** accounts/<id>.json contents. */
export type AccountSnapshot = z.infer<typeof accountSnapshotSchema>;
/** accounts/<id>.json `inventory` contents. */
export type InventorySnapshot = z.infer<typeof inventorySnapshotSchema>;
/** One collection error. */
export type SnapshotError = z.infer<typeof snapshotErrorSchema>;

/** A whole snapshot in memory. */
export interface Snapshot {
  readonly manifest: SnapshotManifest;
  readonly organization: SnapshotOrganization;
  readonly accounts: readonly AccountSnapshot[];
}

/** Serializes a snapshot to its files (relative path → content), deterministic and pretty-printed. */
export function snapshotFiles(s: Snapshot): Map<string, string> {
  const files = new Map<string, string>();
  const out = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
  files.set(MANIFEST_FILE, out(s.manifest));
  files.set(ORGANIZATION_FILE, out(s.organization));
  for (const a of s.accounts) files.set(accountFile(a.accountId), out(a));
  return files;
}
