import { describe, expect, it } from 'vitest';
import { permissionPolicies, trustPolicy, minifiedLength, type ActionsFor } from './role-policies.js';

const many = Array.from({ length: 400 }, (_, i) => `svc:SomeFairlyLongActionName${String(i).padStart(3, '0')}`);
const fake = (readable: string[], compact: string[]): ActionsFor => (_c, _s, isCompact) => (isCompact ? compact : readable);

describe('permissionPolicies', () => {
  it('is one readable document when it fits', () => {
    const docs = permissionPolicies(['read-data'], ['svc'], fake(['svc:Get*'], ['svc:G*']), 6144);
    expect(docs).toHaveLength(1);
    expect(JSON.stringify(docs[0])).toContain('"Action":"svc:Get*"');
    expect(JSON.stringify(docs[0])).toContain('"aws:ResourceAccount":"${aws:PrincipalAccount}"');
    expect(JSON.stringify(docs[0])).toContain('"Sid":"AllowReadData"');
  });
  it('switches to the compact list when only that fits', () => {
    const docs = permissionPolicies(['read-data'], ['svc'], fake(many, ['svc:S*']), 6144);
    expect(docs).toHaveLength(1);
    expect(JSON.stringify(docs[0])).toContain('"Action":"svc:S*"');
  });
  it('splits the readable list over several documents, each within the limit, losing nothing', () => {
    const docs = permissionPolicies(['administer-resource', 'read-config'], ['svc'], fake(many, many), 6144);
    expect(docs.length).toBeGreaterThan(1);
    for (const d of docs) expect(minifiedLength(d)).toBeLessThanOrEqual(6144);
    const actions = docs.flatMap((d) => ((d as { Statement: { Action: string[] }[] }).Statement[0]!.Action));
    expect(actions).toEqual(many);
  });
  it('gives no document when no action qualifies', () => {
    expect(permissionPolicies(['use-resource'], ['sns'], fake([], []), 6144)).toEqual([]);
  });
});

describe('trustPolicy', () => {
  it('trusts one role of a source account, not the whole account', () => {
    const doc = trustPolicy('appeng', [{ account: 'identity' }]) as { Statement: Record<string, unknown>[] };
    expect(doc.Statement[0]).toMatchObject({
      Principal: { AWS: 'arn:aws:iam::{{account:identity}}:root' },
      Action: 'sts:AssumeRole',
      Condition: { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::{{account:identity}}:role/appeng' } },
    });
  });
  it('uses AssumeRoleWithSAML with the sign-in audience for SAML providers', () => {
    const doc = trustPolicy('x', [{ saml: 'arn:aws:iam::111122223333:saml-provider/okta' }]) as { Statement: Record<string, unknown>[] };
    expect(doc.Statement[0]).toMatchObject({ Action: 'sts:AssumeRoleWithSAML', Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } } });
  });
});
