import { describe, expect, it } from 'vitest';
import type { OrganizationModel, PolicyDocument } from '../model/organization.js';
import { createEngineEvaluator } from './engine-adapter.js';
import type { PrincipalContext, ResourceContext } from './engine-port.js';
import { verifyModel } from './verify.js';
import { resolvedEvidence } from './graph.js';
import { MGMT_ACCOUNT, policyDoc, snapshotModel } from '../../test-support/models.js';

const doc = policyDoc;
const DEV = '222222222222';
const AWS_ALIAS = `arn:aws:kms:us-east-1:${DEV}:alias/aws/ebs`;
const SLR = `arn:aws:iam::${DEV}:role/aws-service-role/elasticmapreduce.amazonaws.com/AWSServiceRoleForEMRCleanup`;
const OWNED_WRITES = ['kms:CreateAlias', 'kms:UpdateAlias', 'kms:DeleteAlias', 'iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:UpdateAssumeRolePolicy', 'iam:DeleteRole'];

function model(): OrganizationModel {
  return snapshotModel({
    accounts: [
      MGMT_ACCOUNT,
      { name: 'dev', email: 'd@x.example', id: DEV, ouPath: 'Root', purpose: 'unknown', tags: { Environment: 'dev', bu: 'a' } },
    ],
    roles: [
      {
        account: 'dev',
        name: 'ops',
        path: '/',
        trustPolicy: doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }),
        policies: [{ name: 'owned', kind: 'inline', document: doc({ Sid: 'Owned', Effect: 'Allow', Action: OWNED_WRITES, Resource: '*' }) }],
        tags: {},
      },
    ],
    resources: [
      { account: 'dev', arn: AWS_ALIAS, type: 'kms:alias', region: 'us-east-1', tags: {} },
      { account: 'dev', arn: SLR, type: 'iam:role', tags: {} },
    ],
  });
}

describe('verify and AWS-owned resources', () => {
  it('reports no capability on an AWS-owned resource that only the refused actions would grant', () => {
    const r = verifyModel(model(), { target: 't', evaluator: createEngineEvaluator() });
    const row = r.view.matrix.find((m) => m.principal === `arn:aws:iam::${DEV}:role/ops`);
    expect(row?.cells['dev'] ?? []).toEqual([]);
    expect(r.findings.filter((f) => f.resource === AWS_ALIAS || f.resource === SLR)).toEqual([]);
  });

  it('the shortcut layer does not reuse a customer resource answer for an AWS-owned one', () => {
    const principal: PrincipalContext = {
      kind: 'role', arn: `arn:aws:iam::${DEV}:role/ops`, name: 'ops', accountName: 'dev', accountId: DEV,
      identityPolicies: [{ source: 'p', document: doc({ Effect: 'Allow', Action: ['kms:*', 'iam:*'], Resource: '*' }) }], tags: {},
    };
    const at = (arn: string, type: string): ResourceContext => ({ arn, type, accountName: 'dev', accountId: DEV, region: 'us-east-1', tags: {} });
    const resources = [
      at(`arn:aws:kms:us-east-1:${DEV}:alias/app`, 'kms:alias'), at(AWS_ALIAS, 'kms:alias'),
      at(`arn:aws:iam::${DEV}:role/app`, 'iam:role'), at(SLR, 'iam:role'),
    ];
    const fast = createEngineEvaluator({ actionsPerGrant: 10_000 });
    const plain = createEngineEvaluator({ actionsPerGrant: 10_000, shortcuts: false });
    // the fast evaluator answers with placeholder labels: compare under the principal's and resource's own
    const own = (r: ResourceContext) => fast.capabilities(principal, r).map((g) => ({ ...g, evidence: g.evidence.map((e) => resolvedEvidence(principal, r, e)) }));
    for (const r of resources) expect(own(r), r.arn).toEqual(plain.capabilities(principal, r));
    const administer = (arn: string, type: string) => fast.capabilities(principal, at(arn, type)).find((g) => g.capability === 'administer-resource')?.actions ?? [];
    expect(administer(AWS_ALIAS, 'kms:alias')).not.toContain('kms:DeleteAlias');
    expect(administer(SLR, 'iam:role')).not.toContain('iam:DeleteRole');
    expect(administer(SLR, 'iam:role')).toContain('iam:DeleteServiceLinkedRole');
  });
});
