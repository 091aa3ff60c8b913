import { valueOf } from '../diagnostics/diagnostic.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildPolicySet, type PolicySetInput } from './policy-set.js';
import { evaluatePrepared, evaluateRequest, prepareRequest } from './evaluate.js';
import { CapabilityIndex } from './bulk.js';
import { DEFAULT_CATALOG } from './catalog-default.js';
import { actionsWithCapability, CAPABILITIES } from '../catalog/index.js';
import { parsePolicy, printPolicy } from './parse.js';
import type { RequestInput } from './types.js';

const ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:*', 's3:Get*', '*', 'ec2:*', 'kms:Decrypt', 's3:?etObject', 'sts:AssumeRole'];
const RESOURCES = ['*', 'arn:aws:s3:::b/*', 'arn:aws:s3:::b/k', 'arn:aws:s3:::other/*', 'arn:aws:kms:us-east-1:111122223333:key/k', 'arn:aws:s3:::home/${aws:username}/*'];
const CONDITIONS = [
  { StringEquals: { 'aws:username': 'alice' } },
  { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
  { Bool: { 'aws:SecureTransport': 'true' } },
  { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['a'] } },
  { StringNotEquals: { 'aws:PrincipalAccount': '444455556666' } },
  { Null: { 'aws:SourceVpc': 'true' } },
];
const PRINCIPALS = ['arn:aws:iam::111122223333:user/alice', 'arn:aws:iam::111122223333:role/app', 'arn:aws:iam::444455556666:role/partner', '111122223333', '*'];

const statement = (withPrincipal: boolean) =>
  fc.record(
    {
      Effect: fc.constantFrom('Allow', 'Deny'),
      Action: fc.subarray(ACTIONS, { minLength: 1, maxLength: 3 }),
      Resource: fc.subarray(RESOURCES, { minLength: 1, maxLength: 2 }),
      Condition: fc.constantFrom(...CONDITIONS),
      ...(withPrincipal ? { Principal: fc.constantFrom(...PRINCIPALS).map((p) => (p === '*' ? '*' : { AWS: p })) } : {}),
    },
    { requiredKeys: withPrincipal ? ['Effect', 'Action', 'Resource', 'Principal'] : ['Effect', 'Action', 'Resource'] },
  );
const policy = (withPrincipal = false) => fc.record({ Version: fc.constant('2012-10-17'), Statement: fc.array(statement(withPrincipal), { minLength: 1, maxLength: 5 }) });

const request = fc.record({
  principal: fc.constantFrom('arn:aws:iam::111122223333:user/alice', 'arn:aws:iam::111122223333:role/app', 'arn:aws:iam::444455556666:role/partner'),
  action: fc.constantFrom('s3:GetObject', 's3:PutObject', 'kms:Decrypt', 'ec2:RunInstances'),
  resource: fc.constantFrom('arn:aws:s3:::b/k', 'arn:aws:s3:::home/alice/x', 'arn:aws:kms:us-east-1:111122223333:key/k', '*'),
  resourceAccount: fc.constantFrom('111122223333', '444455556666'),
  context: fc.record({ 'aws:SourceIp': fc.constantFrom('10.1.2.3', '203.0.113.7'), 'aws:SecureTransport': fc.boolean(), 'aws:TagKeys': fc.subarray(['a', 'b']) }, { requiredKeys: [] }),
});

const input = fc.record({
  identityPolicies: fc.array(policy(), { maxLength: 3 }),
  resourcePolicy: fc.option(policy(true), { nil: undefined }),
});

function decide(req: RequestInput, inp: PolicySetInput): string {
  const q = prepareRequest(req);
  if (!q.ok) throw new Error(q.diagnostics[0]!.message);
  const p = { request: q.value };
  const b = buildPolicySet(inp, p.request.mode === 'trust' ? 'trust' : 'resource');
  if (!b.ok) throw new Error(JSON.stringify(b.diagnostics));
  return evaluatePrepared(p.request, b.value, false).decision;
}

const RUNS = { numRuns: 300 };

describe('engine properties (fast-check)', () => {
  it('adding a Deny statement never grants access', () => {
    fc.assert(
      fc.property(request, input, statement(false), fc.nat(), (req, inp, extra, at) => {
        const before = decide(req, inp);
        const ids = inp.identityPolicies.length ? inp.identityPolicies : [{ Version: '2012-10-17', Statement: [] as unknown[] }];
        const i = at % ids.length;
        const withDeny = ids.map((p, j) => (j === i ? { ...p, Statement: [...p.Statement, { ...extra, Effect: 'Deny' }] } : p));
        const after = decide(req, { ...inp, identityPolicies: withDeny });
        if (after === 'Allowed') expect(before).toBe('Allowed');
      }),
      RUNS,
    );
  });

  it('SCPs, RCPs, boundaries and session policies only narrow', () => {
    fc.assert(
      fc.property(request, input, policy(), policy(), fc.constantFrom('scp', 'rcp', 'boundary', 'session'), (req, inp, g1, g2, kind) => {
        const before = decide(req, inp);
        const rcp = (p: typeof g1) => ({ ...p, Statement: p.Statement.map((s) => ({ ...s, Effect: 'Deny', Principal: '*' })) });
        const extra: Partial<PolicySetInput> =
          kind === 'scp' ? { serviceControlPolicies: [[g1], [g2]] }
            : kind === 'rcp' ? { resourceControlPolicies: [[rcp(g1)], [rcp(g2)]] }
              : kind === 'boundary' ? { permissionBoundary: g1 } : { sessionPolicy: g1 };
        const after = decide(req, { ...inp, ...extra });
        if (after === 'Allowed') expect(before).toBe('Allowed');
      }),
      RUNS,
    );
  });

  it('statement order does not change the decision', () => {
    fc.assert(
      fc.property(request, input, fc.nat(), (req, inp, seed) => {
        const rot = <T>(xs: readonly T[]): T[] => (xs.length ? [...xs.slice(seed % xs.length), ...xs.slice(0, seed % xs.length)].reverse() : [...xs]);
        const shuffled: PolicySetInput = {
          identityPolicies: rot(inp.identityPolicies).map((p) => ({ ...p, Statement: rot(p.Statement) })),
          ...(inp.resourcePolicy ? { resourcePolicy: { ...inp.resourcePolicy, Statement: rot(inp.resourcePolicy.Statement) } } : {}),
        };
        expect(decide(req, shuffled)).toBe(decide(req, inp));
      }),
      RUNS,
    );
  });

  it('the fast path (no explanation) and the explained path agree', () => {
    fc.assert(
      fc.property(request, input, (req, inp) => {
        const q = prepareRequest(req);
        if (!q.ok) throw new Error(q.diagnostics[0]!.message);
        const p = { request: q.value };
        const b = buildPolicySet(inp, p.request.mode === 'trust' ? 'trust' : 'resource');
        const fast = evaluatePrepared(p.request, (b.ok ? b.value : undefined)!, false);
        const full = evaluatePrepared(p.request, (b.ok ? b.value : undefined)!, true);
        expect([fast.decision, fast.blockedBy]).toEqual([full.decision, full.blockedBy]);
      }),
      RUNS,
    );
  });

  it('the bulk capability query equals evaluating every action one by one', () => {
    const S3_ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:*', 's3:Get*', 's3:Delete*', 's3:List*', 's3:PutBucketPolicy', '*'];
    const s3stmt = fc.record({
      Effect: fc.constantFrom('Allow', 'Allow', 'Deny'),
      Action: fc.subarray(S3_ACTIONS, { minLength: 1, maxLength: 3 }),
      Resource: fc.subarray(['*', 'arn:aws:s3:::b/*', 'arn:aws:s3:::b', 'arn:aws:s3:::other/*'], { minLength: 1, maxLength: 2 }),
    });
    const caps = CAPABILITIES.map((c) => [c, actionsWithCapability(c, 's3')] as const);
    fc.assert(
      fc.property(fc.array(s3stmt, { minLength: 1, maxLength: 6 }), fc.constantFrom('arn:aws:s3:::b/k', 'arn:aws:s3:::b', 'arn:aws:s3:::other/x'), (stmts, resource) => {
        const set = valueOf(buildPolicySet({ identityPolicies: [{ Version: '2012-10-17', Statement: stmts }] }));
        const caller = { principal: 'arn:aws:iam::111122223333:role/app' };
        const q = new CapabilityIndex(set, DEFAULT_CATALOG).query(caller, resource);
        if (!q.ok) throw new Error(q.diagnostics[0]!.message);
        const ans = q.value;
        for (const [cap, actions] of caps) {
          const expected = actions.filter((a) => {
            const r = evaluateRequest({ ...caller, action: a, resource }, set);
            return r.ok && r.decision.decision === 'Allowed';
          });
          expect(ans.capabilities.find((c) => c.capability === cap)!.actions).toEqual([...expected].sort());
        }
      }),
      { numRuns: 40 },
    );
  });

  it('a policy round-trips through parse and print', () => {
    fc.assert(
      fc.property(policy(true), (doc) => {
        const a = parsePolicy(doc, 'resource');
        expect(a.ok ? a.value : undefined).toBeDefined();
        const b = parsePolicy(printPolicy((a.ok ? a.value : undefined)!), 'resource');
        expect(b.ok ? b.value : undefined).toEqual((a.ok ? a.value : undefined));
        expect(printPolicy((b.ok ? b.value : undefined)!)).toEqual(printPolicy((a.ok ? a.value : undefined)!));
      }),
      RUNS,
    );
  });
});
