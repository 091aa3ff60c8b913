import { describe, expect, it } from 'vitest';
import { actionsWithCapability, CAPABILITIES } from '../catalog/index.js';
import { awsOwnedActionBits, awsOwnedResourceBits, awsOwnedRule } from './aws-owned.js';
import { CapabilityIndex } from './bulk.js';
import { DEFAULT_CATALOG } from './catalog-default.js';
import { evaluatePrepared, evaluateRequest, prepareRequest, type PolicySet } from './evaluate.js';
import { buildPolicySet } from './policy-set.js';

function set(input: Parameters<typeof buildPolicySet>[0]): PolicySet {
  const b = buildPolicySet(input);
  if (!b.ok) throw new Error(JSON.stringify(b.diagnostics));
  return b.value;
}

const SLR = 'arn:aws:iam::111122223333:role/aws-service-role/elasticmapreduce.amazonaws.com/AWSServiceRoleForEMRCleanup';
const SSO = 'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef';
const MANAGED = 'arn:aws:iam::aws:policy/AdministratorAccess';
const AWS_ALIAS = 'arn:aws:kms:eu-west-1:111122223333:alias/aws/ebs';
const RESOURCES = [SLR, SSO, MANAGED, AWS_ALIAS, 'arn:aws:kms:eu-west-1:111122223333:alias/my-key', 'arn:aws:iam::111122223333:role/app', 'arn:aws:iam::111122223333:policy/app'];
const caller = { principal: 'arn:aws:iam::111122223333:role/admin' };
const admin = set({ identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:*', 'kms:*'], Resource: '*' }] }] });

describe('aws-owned rules', () => {
  it('match the resource shapes and actions AWS refuses, nothing else', () => {
    expect(awsOwnedRule('iam:deleterole', SLR)?.id).toBe('service-linked-role');
    expect(awsOwnedRule('iam:updateroledescription', SLR)).toBeUndefined();
    expect(awsOwnedRule('iam:updateroledescription', SSO)?.id).toBe('identity-center-role');
    expect(awsOwnedRule('iam:createpolicyversion', MANAGED)?.id).toBe('aws-managed-policy');
    expect(awsOwnedRule('iam:createpolicyversion', 'arn:aws:iam::111122223333:policy/app')).toBeUndefined();
    expect(awsOwnedRule('kms:deletealias', AWS_ALIAS)?.id).toBe('aws-kms-alias');
    expect(awsOwnedRule('kms:deletealias', 'arn:aws:kms:eu-west-1:111122223333:alias/awsome')).toBeUndefined();
    expect(awsOwnedActionBits('s3:getobject')).toBe(0);
    expect(awsOwnedResourceBits('arn:aws:s3:::bucket')).toBe(0);
    expect(awsOwnedResourceBits(SLR)).not.toBe(0);
  });

  it('turn an Allow into an implicit deny with the reason `aws-owned` and a note, explained or not', () => {
    const r = evaluateRequest({ ...caller, action: 'iam:PutRolePolicy', resource: SLR }, admin);
    if (!r.ok) throw new Error(r.error);
    expect(r.decision).toMatchObject({ decision: 'ImplicitlyDenied', blockedBy: ['aws-owned'], explanation: [] });
    expect(r.decision.notes.some((n) => n.startsWith('aws-owned: '))).toBe(true);
    const p = prepareRequest({ ...caller, action: 'iam:PutRolePolicy', resource: SLR });
    if (!p.ok) throw new Error('bad request');
    expect(evaluatePrepared(p.value, admin, false)).toMatchObject({ decision: 'ImplicitlyDenied', blockedBy: ['aws-owned'] });
  });

  it('the bulk capability query agrees with evaluating every action one by one on AWS-owned resources', () => {
    const index = new CapabilityIndex(admin, DEFAULT_CATALOG);
    for (const resource of RESOURCES) {
      const q = index.query(caller, resource);
      if (!q.ok) throw new Error(q.diagnostics[0]!.message);
      const svc = q.value.service;
      for (const cap of CAPABILITIES) {
        const expected = actionsWithCapability(cap, svc).filter((a) => {
          const r = evaluateRequest({ ...caller, action: a, resource }, admin);
          return r.ok && r.decision.decision === 'Allowed';
        });
        const got = q.value.capabilities.find((c) => c.capability === cap)!;
        expect(got.actions, `${cap} on ${resource}`).toEqual([...expected].sort());
      }
    }
    const slr = index.query(caller, SLR);
    if (!slr.ok) throw new Error('bad query');
    const administer = slr.value.capabilities.find((c) => c.capability === 'administer-resource')!.actions;
    expect(administer).toContain('iam:UpdateRoleDescription');
    expect(administer).toContain('iam:DeleteServiceLinkedRole');
    expect(administer).not.toContain('iam:DeleteRole');
    expect(administer).not.toContain('iam:UpdateAssumeRolePolicy');
  });
});
