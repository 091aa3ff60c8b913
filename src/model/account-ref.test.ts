import { describe, expect, it } from 'vitest';
import { accountRef, ORGANIZATION_REF, referencedAccounts, referencesOrganization, resolveAccountRefs, resolveOrganizationRef } from './account-ref.js';

describe('account references', () => {
  const doc = {
    Statement: [{ Principal: { AWS: `arn:aws:iam::${accountRef('identity')}:root` }, Condition: { ArnEquals: { 'aws:PrincipalArn': [`arn:aws:iam::${accountRef('delivery')}:role/x`, '${aws:username}'] } } }],
  };
  it('lists referenced accounts', () => {
    expect(referencedAccounts(doc)).toEqual(['delivery', 'identity']);
  });
  it('resolves them and leaves IAM policy variables alone', () => {
    const ids: Record<string, string> = { identity: '111111111111', delivery: '222222222222' };
    const out = JSON.stringify(resolveAccountRefs(doc, (n) => ids[n]!));
    expect(out).toContain('arn:aws:iam::111111111111:root');
    expect(out).toContain('arn:aws:iam::222222222222:role/x');
    expect(out).toContain('${aws:username}');
    expect(out).not.toContain('{{account:');
  });

  it('resolves the organization id reference, and keeps it without an id', () => {
    const perimeter = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': ORGANIZATION_REF, 'aws:ResourceOrgID': [`${ORGANIZATION_REF}`] } } }] };
    expect(referencesOrganization(perimeter)).toBe(true);
    expect(referencesOrganization(doc)).toBe(false);
    const out = JSON.stringify(resolveOrganizationRef(perimeter, 'o-abcdefghij'));
    expect(out).toContain('"aws:PrincipalOrgID":"o-abcdefghij"');
    expect(out).toContain('"aws:ResourceOrgID":["o-abcdefghij"]');
    expect(out).not.toContain('{{organization:');
    expect(resolveOrganizationRef(perimeter, undefined)).toBe(perimeter);
  });
});
