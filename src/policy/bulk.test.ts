import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { arnService, CapabilityIndex } from './bulk.js';
import { DEFAULT_CATALOG } from './catalog-default.js';
import { buildPolicySet } from './policy-set.js';
import { evaluateRequest, type PolicySet } from './evaluate.js';
import { actionsWithCapability, CAPABILITIES } from '../catalog/index.js';

function set(input: Parameters<typeof buildPolicySet>[0]): PolicySet {
  const b = buildPolicySet(input);
  if (!b.ok) throw new Error(JSON.stringify(b.diagnostics));
  return b.value;
}

const caller = { principal: 'arn:aws:iam::111122223333:role/app', context: { 'aws:SourceIp': '10.0.0.1' } };

describe('capability query', () => {
  const policies = set({
    identityPolicies: [
      {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['s3:Get*', 's3:List*'], Resource: '*' },
          { Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::data/*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
          { Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/secret/*' },
        ],
      },
    ],
    serviceControlPolicies: [[{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }]],
  });
  const index = new CapabilityIndex(policies, DEFAULT_CATALOG);

  it('agrees with evaluating every action one by one', () => {
    for (const resource of ['arn:aws:s3:::data/a.csv', 'arn:aws:s3:::data/secret/x', 'arn:aws:s3:::other/y']) {
      const q = index.query(caller, resource);
      if (!q.ok) throw new Error(q.diagnostics[0]!.message);
      const ans = q.value;
      for (const cap of CAPABILITIES) {
        const expected = actionsWithCapability(cap, 's3').filter((a) => {
          const r = evaluateRequest({ ...caller, action: a, resource }, policies);
          return r.ok && r.decision.decision === 'Allowed';
        });
        const got = ans.capabilities.find((c) => c.capability === cap)!;
        expect(got.actions).toEqual([...expected].sort());
        expect(got.allowed).toBe(expected.length > 0);
      }
    }
  });

  it('reports write-data on data/ and not elsewhere', () => {
    const qa = index.query(caller, 'arn:aws:s3:::data/a.csv');
    const qb = index.query(caller, 'arn:aws:s3:::other/a.csv');
    if (!qa.ok || !qb.ok) throw new Error('bad query');
    const [a, b] = [qa.value, qb.value];
    expect(a.capabilities.find((c) => c.capability === 'write-data')?.actions).toContain('s3:PutObject');
    expect(b.capabilities.find((c) => c.capability === 'write-data')?.actions ?? []).not.toContain('s3:PutObject');
    expect(a.capabilities.find((c) => c.capability === 'read-data')?.explanation[0]).toMatchObject({ policy: 'identityPolicies[0]', statement: 0 });
  });

  it('says when the service cannot be known', () => {
    expect(index.query(caller, '*')).toMatchObject({ ok: false, diagnostics: [{ path: 'resource' }] });
  });
});

describe('capability query with one caller object across accounts and services', () => {
  const A = '111122223333';
  const B = '444455556666';
  const policies = set({
    identityPolicies: [
      {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['dynamodb:*', 'sqs:*', 's3:*'], Resource: '*', Condition: { StringEquals: { 'aws:ResourceAccount': A } } },
          { Effect: 'Allow', Action: ['dynamodb:Get*', 'sqs:Get*'], Resource: '*' },
          { Effect: 'Deny', Action: 'sqs:Delete*', Resource: '*', Condition: { StringNotEquals: { 'aws:ResourceAccount': A } } },
          { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${A}:role/*` },
        ],
      },
    ],
  });
  const index = new CapabilityIndex(policies, DEFAULT_CATALOG);
  const one = { principal: `arn:aws:iam::${A}:role/app`, context: { 'aws:SourceIp': '10.0.0.1' } };
  // the same object every time: the index reuses its prepared form and re-derives the account per resource
  const resources: [string, string | undefined][] = [
    [`arn:aws:dynamodb:eu-west-1:${A}:table/t`, undefined],
    [`arn:aws:dynamodb:eu-west-1:${B}:table/t`, undefined],
    [`arn:aws:sqs:eu-west-1:${B}:q`, undefined],
    ['arn:aws:s3:::bucket/key', undefined],
    [`arn:aws:sqs:eu-west-1:${A}:q`, undefined],
    [`arn:aws:iam::${A}:role/target`, 'sts'],
    [`arn:aws:dynamodb:eu-west-1:${B}:table/t`, undefined],
    [`arn:aws:dynamodb:eu-west-1:${A}:table/t`, undefined],
  ];

  it('agrees with evaluating every action one by one, in any order of resources', () => {
    for (const [resource, service] of [...resources, ...[...resources].reverse()]) {
      const q = index.query(one, resource, service);
      if (!q.ok) throw new Error(q.diagnostics[0]!.message);
      const svc = q.value.service;
      for (const cap of CAPABILITIES) {
        const expected = actionsWithCapability(cap, svc).filter((a) => {
          const r = evaluateRequest({ ...one, action: a, resource }, policies);
          return r.ok && r.decision.decision === 'Allowed';
        });
        const got = q.value.capabilities.find((c) => c.capability === cap)!;
        expect({ resource, cap, actions: got.actions }).toEqual({ resource, cap, actions: [...expected].sort() });
        expect(got.allowed).toBe(expected.length > 0);
        if (!got.allowed) expect(got.explanation).toEqual([]);
      }
    }
  });
});

describe('arnService', () => {
  it('reads the service field of an ARN like /^arn:[^:]*:([^:]+):/, lower-cased', () => {
    expect(arnService('arn:aws:S3:::bucket')).toBe('s3');
    expect(arnService('arn:aws-cn:kms:cn-north-1:111122223333:key/k')).toBe('kms');
    for (const bad of ['', 'arn', 'arn:', 'arn:aws', 'arn:aws:', 'arn:aws::x', 'arn:aws:s3', 'ARN:aws:s3:::b', '*']) expect(arnService(bad)).toBe('');
    const piece = fc.constantFrom('arn', ':', 'aws', 'S3', 'kms', '', 'x:y');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (ps) => {
        const s = ps.join('');
        expect(arnService(s)).toBe(/^arn:[^:]*:([^:]+):/.exec(s)?.[1]?.toLowerCase() ?? '');
      }),
    );
  });
});
