import { describe, expect, it } from 'vitest';
import { parsePolicy } from './index.js';
import { checkNewAccess, checkNotGranted, patternContains, patternsOverlap } from './new-access.js';
import type { Policy, PolicyType } from './types.js';

const catalog = { allActions: () => ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 'sqs:SendMessage', 'iam:PassRole'] };
function policy(statements: object[], type: PolicyType = 'identity'): Policy {
  const r = parsePolicy({ Version: '2012-10-17', Statement: statements }, type);
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.value;
}
const shown = (gs: readonly { action: string; resource: string; approximate: boolean }[]) => gs.map((g) => `${g.action} ${g.resource}${g.approximate ? ' ~' : ''}`);

describe('wildcard containment and overlap', () => {
  it('decide containment conservatively and overlap exactly', () => {
    expect(patternContains('arn:aws:s3:::b/*', 'arn:aws:s3:::b/x/*')).toBe(true);
    expect(patternContains('arn:aws:s3:::b/x/*', 'arn:aws:s3:::b/*')).toBe(false);
    expect(patternContains('?', '*')).toBe(false);
    expect(patternContains('arn:aws:s3:::${aws:username}/*', 'arn:aws:s3:::alice/a')).toBe(true);
    expect(patternsOverlap('a*', '*b')).toBe(true);
    expect(patternsOverlap('a*c', 'b*')).toBe(false);
    expect(patternsOverlap('a?c', 'abc')).toBe(true);
    expect(patternsOverlap('abc', 'abd')).toBe(false);
  });
});

describe('check new access', () => {
  const base = policy([{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }]);
  it('finds nothing for the same policy or a narrower one', () => {
    expect(checkNewAccess(base, base, catalog).grants).toEqual([]);
    expect(checkNewAccess(policy([{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/x/*' }]), base, catalog).grants).toEqual([]);
    const conditioned = policy([{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } }]);
    expect(checkNewAccess(conditioned, base, catalog).grants).toEqual([]);
  });
  it('names each new action and resource with its statement', () => {
    const wider = policy([{ Sid: 'Wide', Effect: 'Allow', Action: 's3:*Object', Resource: ['arn:aws:s3:::b/*', 'arn:aws:s3:::c/*'] }]);
    const r = checkNewAccess(wider, base, catalog);
    expect(shown(r.grants)).toEqual([
      's3:DeleteObject arn:aws:s3:::b/*',
      's3:DeleteObject arn:aws:s3:::c/*',
      's3:GetObject arn:aws:s3:::c/*',
      's3:PutObject arn:aws:s3:::b/*',
      's3:PutObject arn:aws:s3:::c/*',
    ]);
    expect(r.grants.every((g) => g.statement === 'Wide')).toBe(true);
    expect(r.approximate).toBe(false);
  });
  it('counts a dropped condition and a removed Deny as new access', () => {
    const conditioned = policy([{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'a' } } }]);
    const open = policy([{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }]);
    expect(shown(checkNewAccess(open, conditioned, catalog).grants)).toEqual(['s3:GetObject *']);
    const guarded = policy([
      { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
      { Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::secret/*' },
    ]);
    expect(checkNewAccess(guarded, guarded, catalog).grants).toEqual([]);
    const r = checkNewAccess(open, guarded, catalog);
    expect(r.grants).toHaveLength(1);
    expect(r.grants[0]?.note).toContain('Deny');
    // the old Deny covered part of `*`: reported, and marked approximate
    expect(r.approximate).toBe(true);
    const wholeDeny = policy([
      { Effect: 'Allow', Action: 's3:*', Resource: '*' },
      { Effect: 'Deny', Action: 's3:GetObject', Resource: '*' },
    ]);
    const exact = checkNewAccess(policy([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]), wholeDeny, catalog);
    expect(shown(exact.grants)).toEqual(['s3:GetObject *']);
    expect(exact.approximate).toBe(false);
    const conditionalDeny = policy([
      { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
      { Effect: 'Deny', Action: 's3:GetObject', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    ]);
    expect(checkNewAccess(open, conditionalDeny, catalog).approximate).toBe(true);
  });
  it('a new Deny that removes the new grant leaves no new access; NotResource is approximate', () => {
    const denied = policy([
      { Effect: 'Allow', Action: 's3:*', Resource: '*' },
      { Effect: 'Deny', NotAction: 's3:GetObject', Resource: '*' },
    ]);
    expect(checkNewAccess(denied, policy([{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }]), catalog).grants).toEqual([]);
    const not = policy([{ Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::secret/*' }]);
    const r = checkNewAccess(not, base, catalog);
    expect(shown(r.grants)).toEqual(['s3:GetObject * ~']);
    expect(r.approximate).toBe(true);
  });
  it('compares principals of resource policies', () => {
    const one = policy([{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/a' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }], 'resource');
    const two = policy([{ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111122223333:role/a', '444455556666'] }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }], 'resource');
    expect(checkNewAccess(one, two, catalog).grants).toEqual([]);
    expect(checkNewAccess(two, one, catalog).grants.map((g) => g.principal)).toEqual(['arn:aws:iam::444455556666:root']);
  });
});

describe('check not granted', () => {
  const p = policy([
    { Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b/*' },
    { Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' },
  ]);
  it('reports what is granted, honours unconditional denies and resources', () => {
    expect(shown(checkNotGranted(p, { actions: ['s3:GetObject', 's3:DeleteObject', 'sqs:SendMessage'] }).grants)).toEqual(['s3:GetObject *']);
    expect(checkNotGranted(p, { actions: ['s3:GetObject'], resources: ['arn:aws:s3:::other/x'] }).grants).toEqual([]);
    expect(checkNotGranted(p, { actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/x'] }).grants).toHaveLength(1);
  });
});
