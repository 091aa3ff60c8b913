import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { simulate } from './simulate.js';

const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] };

describe('simulate input robustness', () => {
  it('never throws on arbitrary input objects', () => {
    const field = fc.oneof(fc.jsonValue(), fc.constant([doc]), fc.constant([[doc]]), fc.constant(doc));
    const request = fc.oneof(
      fc.jsonValue(),
      fc.record({
        principal: fc.oneof(fc.string(), fc.constantFrom('arn:aws:iam::111122223333:user/a', 's3.amazonaws.com', '*'), fc.jsonValue()),
        principalType: fc.oneof(fc.constantFrom('AWS', 'Service', 'Federated', 'CanonicalUser', 'Anonymous', 'Bogus'), fc.jsonValue()),
        sessionName: fc.jsonValue(),
        action: fc.oneof(fc.constantFrom('s3:GetObject', 's3:*', 'x'), fc.jsonValue()),
        resource: fc.oneof(fc.constantFrom('*', 'arn:aws:s3:::b/k'), fc.jsonValue()),
        resourceAccount: fc.oneof(fc.constantFrom('111122223333', '1'), fc.jsonValue()),
        context: fc.oneof(fc.dictionary(fc.string(), fc.jsonValue()), fc.jsonValue()),
      }, { requiredKeys: [] }),
    );
    fc.assert(
      fc.property(
        fc.record({
          request,
          identityPolicies: field,
          resourcePolicy: field,
          permissionBoundary: field,
          sessionPolicy: field,
          serviceControlPolicies: field,
          resourceControlPolicies: field,
          managementAccountId: fc.jsonValue(),
        }, { requiredKeys: [] }),
        (input) => {
          const r = simulate(input);
          expect(r.ok || r.diagnostics.length > 0).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('reports a request value whose toString is not callable instead of throwing', () => {
    const odd = { toString: false };
    for (const request of [
      { principal: 'arn:aws:iam::111122223333:user/a', action: odd, resource: '*' },
      { principal: 'arn:aws:iam::111122223333:user/a', action: 's3:GetObject', resource: '*', resourceAccount: odd },
    ]) {
      const r = simulate({ request, identityPolicies: [] } as never);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.diagnostics[0]!.code).toBe('BH3102');
      expect(!r.ok && r.diagnostics[0]!.message).toContain('`{"toString":false}`');
    }
    const set = simulate({ request: { principal: 'arn:aws:iam::111122223333:user/a', action: 's3:GetObject', resource: '*' }, identityPolicies: [], managementAccountId: odd } as never);
    expect(!set.ok && set.diagnostics[0]!.message).toContain('`{"toString":false}`');
  });

  it('rejects unknown keys with a suggestion', () => {
    const r = simulate({ request: { principal: 'arn:aws:iam::111122223333:user/a', action: 's3:GetObject', resource: '*' }, identityPolicies: [], resoucePolicy: {} });
    expect(!r.ok && r.diagnostics[0]!.message).toContain('did you mean `resourcePolicy`');
  });
});
