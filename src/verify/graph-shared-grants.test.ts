import { describe, expect, it } from 'vitest';
import type { OrganizationModel, Role } from '../model/organization.js';
import { MGMT_ACCOUNT, policyDoc, snapshotModel } from '../../test-support/models.js';
import { attribute } from './attribution.js';
import { createEngineEvaluator } from './engine-adapter.js';
import { accessEvidence, buildGraph, directGrants, effectiveAccess, grantEvidence, type AccessGraph } from './graph.js';
import { verifyModel } from './verify.js';

const IDS = { a: '222222222222', b: '333333333333' } as const;
const bucket = (acct: keyof typeof IDS) => `arn:aws:s3:::data-${acct}`;
// the same bucket policy text on both buckets (no account or ARN in it), so both share one placeholder
const BUCKET_POLICY = policyDoc({ Sid: 'OrgRead', Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:GetObject', Resource: '*' });

function role(acct: keyof typeof IDS): Role {
  return {
    account: `prod-${acct}`,
    name: 'app',
    path: '/',
    trustPolicy: policyDoc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }),
    policies: [{ name: 'app', kind: 'inline', document: policyDoc({ Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }) }],
    tags: {},
  };
}

function model(): OrganizationModel {
  return snapshotModel({
    accounts: [
      MGMT_ACCOUNT,
      ...(['a', 'b'] as const).map((k) => ({ name: `prod-${k}`, email: `${k}@x.example`, id: IDS[k], ouPath: 'Root', purpose: 'unknown' as const, tags: { Environment: 'prod', bu: k } })),
    ],
    roles: [role('a'), role('b')],
    resources: (['a', 'b'] as const).map((k) => ({ account: `prod-${k}`, arn: bucket(k), type: 's3:bucket', region: 'us-east-1', policy: BUCKET_POLICY, tags: {} })),
  });
}

/** The graph's principal and resource indexes of account `k`'s role and bucket. */
function pair(graph: AccessGraph, k: keyof typeof IDS): { pi: number; ri: number } {
  const pi = graph.principals.findIndex((p) => p.ctx.accountId === IDS[k]);
  const ri = graph.resources.findIndex((r) => r.ctx.arn === bucket(k));
  return { pi, ri };
}

describe('capability grants shared across principals', () => {
  const m = model();
  const graph = buildGraph(m, attribute(m), createEngineEvaluator());

  it('stores one grant list for two principals with the same policies on resources with the same policy', () => {
    const [a, b] = [pair(graph, 'a'), pair(graph, 'b')];
    const ga = directGrants(graph.direct[a.pi], a.ri);
    expect(ga?.map((g) => g.capability)).toContain('read-data');
    // the same objects, not equal copies: nothing in them names either principal or bucket
    expect(directGrants(graph.direct[b.pi], b.ri)).toBe(ga);
    // across accounts the bucket policy grants too: the two cross pairs share one list as well
    const ab = directGrants(graph.direct[a.pi], b.ri);
    expect(ab?.map((g) => g.capability)).toContain('read-data');
    expect(directGrants(graph.direct[b.pi], a.ri)).toBe(ab);
  });

  it('gives each holder its own policy names back where evidence is read', () => {
    for (const [k, other] of [['a', 'b'], ['b', 'a']] as const) {
      // k's role on the other account's bucket: its identity policy and that bucket's policy grant it
      const { pi } = pair(graph, k);
      const { ri } = pair(graph, other);
      const e = effectiveAccess(graph, pi).find((x) => x.resource === ri)!;
      const sources = accessEvidence(graph, e).map((x) => x.source);
      expect(sources).toEqual(expect.arrayContaining([`role prod-${k}/app policy inline:app`, `resource ${bucket(other)} policy`]));
      expect(sources.some((s) => s.charCodeAt(0) === 0 || s.includes(`prod-${other}/`) || s.includes(bucket(k)))).toBe(false);
      // one grant's evidence, read for the pair
      const first = directGrants(graph.direct[pi], ri)![0]!.evidence.map((x) => grantEvidence(graph, pi, ri, x).source);
      expect(first).toEqual(expect.arrayContaining([`role prod-${k}/app policy inline:app`, `resource ${bucket(other)} policy`]));
    }
  });

  it("names each principal's own policies in its findings", () => {
    const r = verifyModel(m, { target: 't', evaluator: createEngineEvaluator() });
    for (const [k, other] of [['a', 'b'], ['b', 'a']] as const) {
      // k's role reads the other business unit's production bucket
      const f = r.findings.find((x) => x.rule === 'boundary.cross-business-unit' && x.principal === `arn:aws:iam::${IDS[k]}:role/app`);
      expect(f?.resource).toBe(bucket(other));
      expect(f!.evidence.map((e) => e.source).sort()).toEqual([`resource ${bucket(other)} policy`, `role prod-${k}/app policy inline:app`]);
    }
  });
});
