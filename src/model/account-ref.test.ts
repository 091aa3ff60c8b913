import { describe, expect, it } from 'vitest';
import { accountRef, referencedAccounts, resolveAccountRefs } from './account-ref.js';

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
});
