import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { OrganizationModel, PolicyDocument, Resource } from '../model/organization.js';
import { presetDocument } from '../plan/guardrails.js';
import { createEngineEvaluator } from './engine-adapter.js';
import type { Finding } from './finding.js';
import { verifyModel } from './verify.js';

const base = JSON.parse(readFileSync(new URL('./testdata/small-org.json', import.meta.url), 'utf8')) as OrganizationModel;
const ORG = 'o-abcdefghij';
const OUTSIDE = '777777777777';

/** small-org with its resources replaced, optional RCPs on the root, and the organization id known. */
function model(resources: readonly Resource[], rcps: readonly { name: string; document: PolicyDocument }[] = [], roles = base.roles): OrganizationModel {
  return {
    ...base,
    organization: { ...base.organization, id: ORG },
    resources,
    roles,
    resourceControlPolicies: rcps.map((r) => ({ name: r.name, description: '', managedBy: 'customer' as const, document: r.document, targets: [{ ou: 'Root' }] })),
  };
}

/** The perimeter findings of the plain evaluator; the shortcut evaluator must give the same report (findings, warnings). */
function perimeter(m: OrganizationModel): Finding[] {
  const r = verifyModel(m, { target: 't', evaluator: createEngineEvaluator({ organizationId: ORG, shortcuts: false }) });
  const fast = verifyModel(m, { target: 't', evaluator: createEngineEvaluator({ organizationId: ORG }) });
  expect(fast.findings).toEqual(r.findings);
  expect([fast.summary.warnings, fast.summary.incomplete]).toEqual([r.summary.warnings, r.summary.incomplete]);
  return r.findings.filter((f) => f.rule.startsWith('perimeter.'));
}

const bucket = (name: string, statement: Record<string, unknown>): Resource => ({
  account: 'retail-prod',
  arn: `arn:aws:s3:::${name}`,
  type: 's3:bucket',
  tags: {},
  policy: { Version: '2012-10-17', Statement: [{ Resource: `arn:aws:s3:::${name}/*`, Effect: 'Allow', ...statement }] } as PolicyDocument,
});
const publicBucket = bucket('made-public', { Sid: 'PublicRead', Principal: '*', Action: 's3:GetObject' });
const identityRcp = { name: 'data-perimeter-identity', document: presetDocument('data-perimeter-identity', { regions: [], exemptRoles: [], organizationId: ORG }) };
const deputyRcp = { name: 'data-perimeter-confused-deputy', document: presetDocument('data-perimeter-confused-deputy', { regions: [], exemptRoles: [], organizationId: ORG }) };

describe('external and public access', () => {
  it('a bucket made public is public-access, critical in production, with the granting statement', () => {
    const fs = perimeter(model([publicBucket]));
    expect(fs.map((f) => [f.rule, f.severity, f.principal, f.resource, f.capabilities])).toEqual([
      ['perimeter.public-access', 'critical', '*', 'arn:aws:s3:::made-public', ['read-data']],
    ]);
    expect(fs[0]!.evidence).toEqual([{ source: 'resource arn:aws:s3:::made-public policy', statement: 'PublicRead', effect: 'Allow' }]);
    expect(fs[0]!.path).toEqual(['*', 'arn:aws:s3:::made-public']);
  });

  it('the same bucket under the identity RCP: no finding, the path is reported closed by the preset', () => {
    const fs = perimeter(model([publicBucket], [identityRcp]));
    expect(fs.map((f) => [f.rule, f.severity, f.principal])).toEqual([['perimeter.closed', 'info', '*']]);
    expect(fs[0]!.message).toContain('closed by `rcp data-perimeter-identity`');
  });

  it('an org-conditioned `*` is no finding; a SourceVpce-conditioned one is network-restricted, not public', () => {
    expect(perimeter(model([bucket('org-only', { Principal: '*', Action: 's3:GetObject', Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } } })]))).toEqual([]);
    const fs = perimeter(model([bucket('vpce', { Sid: 'ViaEndpoint', Principal: '*', Action: 's3:GetObject', Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0123456789abcdef0' } } })]));
    expect(fs.map((f) => [f.rule, f.severity, f.principal])).toEqual([['perimeter.network-restricted', 'low', '*']]);
    expect(fs[0]!.message).toContain('aws:SourceVpce `vpce-0123456789abcdef0`');
  });

  it('a role trust to an account outside the organization is external-access (sts:AssumeRole), closed by the RCP preset', () => {
    const trust = { Version: '2012-10-17', Statement: [{ Sid: 'Vendor', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OUTSIDE}:root` }, Action: 'sts:AssumeRole' }] };
    const roles = [...base.roles.filter((r) => r.name !== 'github-deploy'), { ...base.roles.find((r) => r.name === 'migrator')!, name: 'vendor', trustPolicy: trust }];
    const fs = perimeter(model([], [], roles));
    expect(fs.map((f) => [f.rule, f.severity, f.principal, f.resource])).toEqual([
      ['perimeter.external-access', 'high', `arn:aws:iam::${OUTSIDE}:root`, 'arn:aws:iam::333333333333:role/vendor'],
    ]);
    expect(fs[0]!.evidence).toEqual([{ source: 'role retail-prod/vendor trust policy', statement: 'Vendor', effect: 'Allow' }]);
    expect(fs[0]!.message).toContain('on `retail-prod/vendor` through'); // the role by account and role name
    expect(perimeter(model([], [identityRcp], roles)).map((f) => f.rule)).toEqual(['perimeter.closed']);
  });

  it('a queue allowing sns.amazonaws.com without aws:SourceAccount is a confused deputy; with it, none', () => {
    const queue = (condition?: Record<string, unknown>): Resource => ({
      account: 'retail-prod',
      arn: 'arn:aws:sqs:us-east-1:333333333333:orders',
      type: 'sqs:queue',
      region: 'us-east-1',
      tags: {},
      policy: { Version: '2012-10-17', Statement: [{ Sid: 'FromSns', Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: 'arn:aws:sqs:us-east-1:333333333333:orders', ...(condition ? { Condition: condition } : {}) }] } as PolicyDocument,
    });
    const fs = perimeter(model([queue()]));
    expect(fs.map((f) => [f.rule, f.principal, f.capabilities])).toEqual([['perimeter.confused-deputy', 'sns.amazonaws.com', ['write-data']]]);
    expect(fs[0]!.evidence.map((e) => e.statement)).toEqual(['FromSns']);
    expect(perimeter(model([queue({ StringEquals: { 'aws:SourceAccount': '333333333333' } })]))).toEqual([]);
    expect(perimeter(model([queue()], [deputyRcp])).map((f) => [f.rule, f.message.includes('closed by `rcp data-perimeter-confused-deputy`')])).toEqual([['perimeter.closed', true]]);
  });

  it('the identity RCP does not take access away from the organization\'s own principals', () => {
    const orgRead = bucket('shared', { Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: 's3:GetObject' });
    const before = verifyModel(model([orgRead]), { target: 't', evaluator: createEngineEvaluator({ organizationId: ORG }) });
    const after = verifyModel(model([orgRead], [identityRcp]), { target: 't', evaluator: createEngineEvaluator({ organizationId: ORG }) });
    expect(after.view.matrix).toEqual(before.view.matrix);
    expect(after.summary.assumeEdges).toBe(before.summary.assumeEdges);
  });
  it('resources with the same policy text share one external index and each keeps its own evidence label', () => {
    const same = (name: string): Resource => ({
      ...bucket(name, {}),
      policy: { Version: '2012-10-17', Statement: [{ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }] } as PolicyDocument,
    });
    const m = model([same('twin-a'), same('twin-b')]);
    const shared = verifyModel(m, { target: 't', evaluator: createEngineEvaluator({ organizationId: ORG }) }).findings.filter((f) => f.rule.startsWith('perimeter.'));
    expect(shared.map((f) => [f.rule, f.resource, f.evidence.map((e) => e.source)])).toEqual([
      ['perimeter.public-access', 'arn:aws:s3:::twin-a', ['resource arn:aws:s3:::twin-a policy']],
      ['perimeter.public-access', 'arn:aws:s3:::twin-b', ['resource arn:aws:s3:::twin-b policy']],
    ]);
    // the plain path (nothing shared) gives the same findings
    expect(shared).toEqual(perimeter(m));
  });
  it('a policy that names no outside principal is not asked about outside callers, and its problems are still reported', () => {
    const inOrg = bucket('in-org', { Sid: 'Peer', Principal: { AWS: `arn:aws:iam::${base.accounts[0]!.id ?? '111111111111'}:root` }, Action: 's3:GetObject', Condition: { Bogus: { x: 'y' } } });
    expect(perimeter(model([inOrg]))).toEqual([]);
  });
});
