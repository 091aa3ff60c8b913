/**
 * The snapshot format written by `bulkhead collect`: a directory with
 *
 * - `manifest.json` — format version, tool version, collection time, organization id, counts, per-account errors;
 * - `organization.json` — root, OU tree, accounts (status, tags), SCPs/RCPs with their targets;
 * - `accounts/<account-id>.json` — one file per collected account: IAM roles, users, groups, managed
 *   policies (documents decoded), and resources with resource policies and tags.
 *
 * Policy documents are stored decoded (JSON values, never URL-encoded strings). Nothing in a snapshot
 * is a credential: the collector never stores keys or session tokens.
 *
 * The schemas below are the single definition of the format: the collector's output is typed by them and
 * the loader validates files with them. Bump SNAPSHOT_VERSION on breaking changes.
 */
import { z } from 'zod';
import type { JsonValue } from '../model/organization.js';

/** Current snapshot format version. */
export const SNAPSHOT_VERSION = 1;

/** File name of the manifest inside a snapshot directory. */
export const MANIFEST_FILE = 'manifest.json';
/** File name of the organization file inside a snapshot directory. */
export const ORGANIZATION_FILE = 'organization.json';
/** Relative path of an account's file. */
export function accountFile(accountId: string): string {
  return `accounts/${accountId}.json`;
}

const json: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(json), z.record(z.string(), json)]),
);
const tags = z.record(z.string(), z.string());
const accountId = z.string().regex(/^\d{12}$/, 'must be a 12-digit account id');

/** A per-account (or organization-level) collection error. */
export const snapshotErrorSchema = z.object({
  /** Account id, or `organization` for errors reading Organizations itself. */
  accountId: z.string(),
  accountName: z.string().optional(),
  /** What was being read: `assume-role`, `iam`, `s3`, `kms`, … */
  stage: z.string(),
  message: z.string(),
});

/** manifest.json */
export const manifestSchema = z.object({
  snapshotVersion: z.literal(SNAPSHOT_VERSION),
  tool: z.object({ name: z.string(), version: z.string() }),
  collectedAt: z.string(),
  organization: z.object({
    id: z.string(),
    managementAccountId: accountId,
    rootId: z.string(),
    regions: z.array(z.string()),
    accessRoleName: z.string(),
  }),
  counts: z.object({
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
  accountFiles: z.array(z.string()),
  errors: z.array(snapshotErrorSchema),
});

/** organization.json */
export const organizationSchema = z.object({
  id: z.string(),
  arn: z.string().optional(),
  featureSet: z.string().optional(),
  managementAccountId: accountId,
  root: z.object({ id: z.string(), name: z.string(), policyTypes: z.array(z.string()), tags }),
  organizationalUnits: z.array(z.object({ id: z.string(), name: z.string(), parentId: z.string(), tags })),
  accounts: z.array(
    z.object({
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
    z.object({
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
});

const inline = z.object({ name: z.string(), document: json });

/** What roles, users and groups have in common. */
const iamEntity = z.object({
  name: z.string(),
  path: z.string(),
  arn: z.string(),
  inlinePolicies: z.array(inline),
  managedPolicyArns: z.array(z.string()),
});

/** accounts/<id>.json */
export const accountSnapshotSchema = z.object({
  accountId,
  accountName: z.string(),
  iam: z.object({
    roles: z.array(
      iamEntity.extend({
        description: z.string().optional(),
        trustPolicy: json,
        permissionBoundaryArn: z.string().optional(),
        tags,
      }),
    ),
    users: z.array(iamEntity.extend({ groups: z.array(z.string()), permissionBoundaryArn: z.string().optional(), tags })),
    groups: z.array(iamEntity),
    /** Managed policies referenced in the account (customer and AWS managed), default version document. */
    managedPolicies: z.array(z.object({ arn: z.string(), name: z.string(), path: z.string(), document: json })),
  }),
  resources: z.array(
    z.object({
      arn: z.string(),
      /** `s3:bucket`, `kms:key`, `sqs:queue`, `sns:topic`, `lambda:function`, `secretsmanager:secret`. */
      type: z.string(),
      region: z.string(),
      policy: json.optional(),
      tags,
    }),
  ),
});

/** manifest.json contents. */
export type SnapshotManifest = z.infer<typeof manifestSchema>;
/** organization.json contents. */
export type SnapshotOrganization = z.infer<typeof organizationSchema>;
/** accounts/<id>.json contents. */
export type AccountSnapshot = z.infer<typeof accountSnapshotSchema>;
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
