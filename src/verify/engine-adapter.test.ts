import { describe, expect, it } from 'vitest';
import type { OrganizationModel, PolicyDocument } from '../model/organization.js';
import { createEngineEvaluator } from './engine-adapter.js';
import { findingResources } from './finding.js';
import { verifyModel } from './verify.js';
import { MGMT_ACCOUNT, policyDoc, snapshotModel } from '../../test-support/models.js';

const doc = policyDoc;
const DEV = '222222222222';
const PROD = '333333333333';

function model(extra: Partial<OrganizationModel> = {}): OrganizationModel {
  return snapshotModel({
    accounts: [
      MGMT_ACCOUNT,
      { name: 'dev', email: 'd@x.example', id: DEV, ouPath: 'Root', purpose: 'unknown', tags: { Environment: 'dev', bu: 'a' } },
      { name: 'prod', email: 'p@x.example', id: PROD, ouPath: 'Root', purpose: 'unknown', tags: { Environment: 'prod', bu: 'a' } },
    ],
    roles: [
      {
        account: 'dev',
        name: 'app',
        path: '/',
        trustPolicy: doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }),
        policies: [{ name: 'all', kind: 'inline', document: doc({ Sid: 'Data', Effect: 'Allow', Action: ['s3:GetObject', 'kms:Decrypt'], Resource: '*' }) }],
        tags: {},
      },
    ],
    resources: [
      { account: 'prod', arn: `arn:aws:kms:us-east-1:${PROD}:key/k1`, type: 'kms:key', tags: {}, policy: doc({ Sid: 'KeyForDev', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${DEV}:root` }, Action: 'kms:Decrypt', Resource: '*' }) },
      { account: 'prod', arn: 'arn:aws:s3:::orders', type: 's3:bucket', tags: {}, policy: doc({ Sid: 'BucketForDev', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${DEV}:root` }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::orders/*' }) },
    ],
    ...extra,
  });
}

describe('engine adapter', () => {
  it('keeps each resource policy statement as its own evidence', () => {
    const r = verifyModel(model(), { target: 't', evaluator: createEngineEvaluator() });
    // the key and the bucket are read alike from one account: one finding over both, each statement listed once
    const f = r.findings.filter((x) => x.rule === 'boundary.nonprod-to-prod');
    expect(f).toHaveLength(1);
    expect(findingResources(f[0]!)).toEqual([`arn:aws:kms:us-east-1:${PROD}:key/k1`, 'arn:aws:s3:::orders']);
    const ev = f[0]!.evidence.map((e) => `${e.source}#${e.statement}`);
    expect(ev).toContain(`resource arn:aws:kms:us-east-1:${PROD}:key/k1 policy#KeyForDev`);
    expect(ev.filter((e) => e !== `resource arn:aws:kms:us-east-1:${PROD}:key/k1 policy#KeyForDev`)).toEqual(['role dev/app policy inline:all#Data', 'resource arn:aws:s3:::orders policy#BucketForDev']);
  });
  it('names the resource whose policy it could not evaluate, and leaves that policy out', () => {
    const m = model();
    const bad = { ...m, resources: [{ ...m.resources[1]!, policy: doc({ Sid: 'Bad', Effect: 'Maybe', Principal: '*', Action: 's3:GetObject', Resource: '*' }) }] };
    const ev = createEngineEvaluator();
    const r = verifyModel(bad, { target: 't', evaluator: ev });
    expect(r.summary.warnings.join('\n')).toContain('BH7101: resource arn:aws:s3:::orders policy could not be evaluated');
    expect(r.findings.some((f) => f.rule === 'boundary.nonprod-to-prod')).toBe(false);
  });
  it('says the analysis is incomplete when a statement is left out, and still evaluates the rest of the document', () => {
    const m = model();
    const policy = doc(
      { Sid: 'Bad', Effect: 'Maybe', Principal: '*', Action: 's3:PutObject', Resource: '*' },
      { Sid: 'BucketForDev', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${DEV}:root` }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::orders/*' },
    );
    const bad = { ...m, resources: [{ ...m.resources[1]!, policy }] };
    const r = verifyModel(bad, { target: 't', evaluator: createEngineEvaluator() });
    expect(r.summary.incomplete).toEqual([
      expect.objectContaining({ code: 'BH7101', source: 'resource arn:aws:s3:::orders policy', reason: expect.stringContaining('statement 0 (`Bad`) is left out') }),
    ]);
    const f = r.findings.find((x) => x.rule === 'boundary.nonprod-to-prod' && x.resource === 'arn:aws:s3:::orders')!;
    expect(f.evidence.map((e) => `${e.source}#${e.statement}`)).toContain('resource arn:aws:s3:::orders policy#BucketForDev');
  });
  it('evaluates a live policy over the customer managed size limit instead of leaving it out', () => {
    const m = model();
    // 200 statements of ~60 characters: far over 6,144 characters, as AWS stores for inline or AWS managed policies
    const filler = Array.from({ length: 200 }, (_, i) => ({ Sid: `Read${i}`, Effect: 'Allow', Action: 'logs:GetLogEvents', Resource: '*' }));
    const big = doc(...filler, { Sid: 'Data', Effect: 'Allow', Action: ['s3:GetObject', 'kms:Decrypt'], Resource: '*' });
    expect(JSON.stringify(big).length).toBeGreaterThan(6144);
    const role = { ...m.roles[0]!, policies: [{ name: 'all', kind: 'inline' as const, document: big }] };
    const r = verifyModel({ ...m, roles: [role] }, { target: 't', evaluator: createEngineEvaluator() });
    expect(r.summary.incomplete).toEqual([]);
    expect(r.summary.warnings).toEqual([]);
    expect(r.findings.some((f) => f.rule === 'boundary.nonprod-to-prod' && findingResources(f).includes('arn:aws:s3:::orders'))).toBe(true);
  });
});
