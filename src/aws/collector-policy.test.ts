/**
 * The shipped collector policy grants only read-config (plus use-resource for sts:AssumeRole into the
 * access role), judged by the engine's capability table, and covers every call the collector makes.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { capabilitiesOf } from '../catalog/capabilities.js';
import { expandActionPattern, lookupAction } from '../catalog/index.js';
import { IDENTITY_READ_ACTIONS } from './collect-identity.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const policy = JSON.parse(readFileSync(`${root}policies/collector-policy.json`, 'utf8')) as {
  Statement: { Effect: string; Action: string | string[]; Resource: string | string[] }[];
};
const granted = policy.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

/** SDK command → IAM action where the names differ. */
// GetBucketNotificationConfiguration is authorized by s3:GetBucketNotification ("GetBucketNotificationConfiguration",
// Amazon S3 API Reference, https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketNotificationConfiguration.html)
// and GetBucketEncryption by s3:GetEncryptionConfiguration ("GetBucketEncryption", Amazon S3 API Reference,
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketEncryption.html).
const ACTION_FOR_COMMAND: Record<string, string> = {
  's3:ListBuckets': 's3:ListAllMyBuckets',
  's3:GetBucketNotificationConfiguration': 's3:GetBucketNotification',
  's3:GetBucketEncryption': 's3:GetEncryptionConfiguration',
};
const SERVICE_FOR_MODULE: Record<string, string> = {
  'client-organizations': 'organizations',
  'client-iam': 'iam',
  'client-s3': 's3',
  'client-kms': 'kms',
  'client-sqs': 'sqs',
  'client-sns': 'sns',
  'client-lambda': 'lambda',
  'client-secrets-manager': 'secretsmanager',
  'client-sts': 'sts',
  // IAM Identity Center: sso-admin's actions are `sso:` (Actions, resources, and condition keys for AWS IAM
  // Identity Center, Service Authorization Reference: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsiamidentitycenter.html).
  'client-sso-admin': 'sso',
  'client-identitystore': 'identitystore',
  'client-dynamodb': 'dynamodb',
  'client-cloudformation': 'cloudformation',
  // The Resource Groups Tagging API's actions are `tag:` ("Actions, resources, and condition keys for Amazon Resource
  // Group Tagging API", https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonresourcegrouptaggingapi.html).
  'client-resource-groups-tagging-api': 'tag',
};

/** The IAM actions behind every `*Command` and `paginate*` a source file imports from the SDK. */
function actionsCalledBy(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  const out = new Set<string>();
  for (const m of src.matchAll(/import\s*\{([^}]*)\}\s*from\s*'@aws-sdk\/([a-z0-9-]+)'/g)) {
    const service = SERVICE_FOR_MODULE[m[2] ?? ''];
    if (!service) continue;
    for (const part of (m[1] ?? '').split(',')) {
      const name = part.trim().split(/\s+as\s+/)[0]?.trim() ?? '';
      if (name.startsWith('type ')) continue;
      // `XCommand` sends X; `paginateX` sends X page by page.
      const op = name.endsWith('Command') ? name.slice(0, -'Command'.length) : name.startsWith('paginate') ? name.slice('paginate'.length) : undefined;
      if (op === undefined) continue;
      const action = `${service}:${op}`;
      out.add(ACTION_FOR_COMMAND[action] ?? action);
    }
  }
  return [...out].sort();
}

describe('collector policy', () => {
  it('uses only exact, known actions (no wildcards)', () => {
    for (const a of granted) {
      expect(a, a).not.toMatch(/[*?]/);
      expect(lookupAction(a), a).toBeDefined();
      expect(expandActionPattern(a)).toHaveLength(1);
    }
  });

  it('grants only read-config, plus use-resource for assuming the access role', () => {
    for (const a of granted) {
      const caps = capabilitiesOf(a);
      expect(caps.length, a).toBeGreaterThan(0);
      if (a === 'sts:AssumeRole') expect(caps).toEqual(['use-resource']);
      else expect(caps, a).toEqual(['read-config']);
    }
    const forbidden = ['read-data', 'write-data', 'delete-data', 'administer-resource'];
    expect(granted.flatMap(capabilitiesOf).filter((c) => forbidden.includes(c))).toEqual([]);
  });

  it('limits AssumeRole to the access role', () => {
    const st = policy.Statement.find((s) => s.Action === 'sts:AssumeRole');
    expect(st?.Resource).toBe('arn:aws:iam::*:role/OrganizationAccountAccessRole');
    for (const s of policy.Statement) if (s.Action !== 'sts:AssumeRole') expect(s.Resource).toBe('*');
  });

  it('covers every call the collector and client factory make, and nothing more', () => {
    const files = ['collector.ts', 'clients.ts', 'collect-identity.ts', 'collect-inventory.ts'];
    const used = [...new Set(files.flatMap((f) => actionsCalledBy(`${root}src/aws/${f}`)))].sort();
    expect(used.length).toBeGreaterThan(20);
    expect([...granted].sort()).toEqual(used);
  });

  it('lists in IDENTITY_READ_ACTIONS exactly the Identity Center commands and paginators the collector imports', () => {
    expect([...IDENTITY_READ_ACTIONS].sort()).toEqual(actionsCalledBy(`${root}src/aws/collect-identity.ts`));
  });

  it('grants the inventory reads as read-config only (no data reads such as dynamodb:GetItem or s3:GetObject)', () => {
    const inventory = actionsCalledBy(`${root}src/aws/collect-inventory.ts`);
    expect(inventory).toContain('tag:GetResources');
    expect(inventory).toContain('dynamodb:GetResourcePolicy');
    for (const a of inventory) {
      expect(granted, a).toContain(a);
      expect(capabilitiesOf(a), a).toEqual(['read-config']);
    }
  });

  it('has the same actions in the Terraform snippet', () => {
    const tf = readFileSync(`${root}policies/collector-policy.tf`, 'utf8');
    const tfActions = [...tf.matchAll(/"([a-z0-9-]+:[A-Za-z0-9]+)"/g)].map((m) => m[1]).sort();
    expect(tfActions).toEqual([...granted].sort());
  });
});
