import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../model/organization.js';
import { planFromYaml } from '../plan/index.js';
import { createEngineEvaluator } from '../verify/engine-adapter.js';
import { candidatePairs, evaluateShare } from '../verify/graph.js';
import { prepareVerify } from '../verify/verify.js';
import { prunedCandidates, withSameResourceMemo } from './candidates.js';
import { planMigration, verifyProjection } from './migrate.js';
import { InventoryBuilder, kitchenSink, organizationOf, TARGET_SPEC } from './testdata/kitchen-sink.js';

const planned = planFromYaml(TARGET_SPEC, 'target.yaml');
if (!planned.ok) throw new Error('target spec does not plan');
const target = planned.value;
const doc = (...Statement: Record<string, unknown>[]): PolicyDocument => ({ Version: '2012-10-17', Statement }) as PolicyDocument;

/** Two accounts with the shapes the pruning must get right. */
function tricky() {
  const a = new InventoryBuilder('payments-dev', '300000000001');
  const b = new InventoryBuilder('shop-dev', '300000000002');
  const t1 = a.table('orders');
  const t2 = a.table('ledger');
  a.table('named', {}, undefined, doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::300000000002:role/reader-role' }, Action: 'dynamodb:GetItem', Resource: '*' }));
  a.table('open', {}, undefined, doc({ Effect: 'Allow', Principal: '*', Action: 'dynamodb:GetItem', Resource: '*' }));
  a.table('guarded', {}, undefined, doc({ Effect: 'Deny', Principal: '*', Action: 'dynamodb:DeleteItem', Resource: '*' }));
  const bucket = a.bucket('payments-dev-data');
  a.bucket('payments-dev-other');
  a.queue('jobs');
  a.key('k1');
  a.fn('literal', {}, undefined, [{ actions: ['dynamodb:GetItem'], resources: [t1] }]);
  a.fn('objects', {}, undefined, [{ actions: ['s3:GetObject'], resources: [`${bucket}/*`] }]);
  a.fn('wild', {}, undefined, [{ actions: ['dynamodb:*'], resources: ['arn:aws:dynamodb:us-east-1:300000000001:table/o*'] }]);
  a.fn('anyservice', {}, undefined, [{ actions: ['*'], resources: ['arn:aws:*:us-east-1:300000000001:*'] }]);
  a.fn('star', {}, undefined, [{ actions: ['sqs:*', 'kms:*'], resources: ['*'] }]);
  a.fn('variable', {}, undefined, [{ actions: ['dynamodb:GetItem'], resources: ['arn:aws:dynamodb:us-east-1:300000000001:table/${aws:PrincipalTag/t}'] }]);
  a.fn('dup', {}, undefined, [{ actions: ['dynamodb:PutItem'], resources: [t2, t2] }]);
  a.table('session-named', {}, undefined, doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:sts::300000000002:assumed-role/reader-role/s1' }, Action: 'dynamodb:GetItem', Resource: '*' }));
  b.fn('reader', {}, undefined, [{ actions: ['dynamodb:GetItem'], resources: ['*'] }]);
  b.fn('bystander', {}, undefined, [{ actions: ['dynamodb:GetItem'], resources: ['*'] }]);
  b.table('orders');
  const model = organizationOf([a, b]);
  // NotResource, and a role with no policy at all
  const notResource = { ...model.roles[0]!, name: 'not-resource', arn: 'arn:aws:iam::300000000001:role/not-resource', policies: [{ name: 'n', kind: 'inline' as const, document: doc({ Effect: 'Allow', Action: 'dynamodb:*', NotResource: t1 }) }] };
  const bare = { ...model.roles[0]!, name: 'bare', arn: 'arn:aws:iam::300000000001:role/bare', policies: [] };
  // the same ARN twice (two legacy accounts' `orders` tables projected into one account collide)
  const again = { account: 'payments-dev', arn: t1, type: 'dynamodb:table', region: 'us-east-1', tags: { copy: '2' } };
  return { ...model, roles: [...model.roles, notResource, bare], resources: [...model.resources, again, ...model.inventory!.resources.filter((r) => r.type !== 'iam:role').map((r) => ({ account: r.account, arn: r.arn, type: r.type, region: r.region, tags: r.tags, ...(r.policy ? { policy: r.policy } : {}) }))] };
}

describe('migrate: pruned candidate pairs', () => {
  it('gives the engine every pair that grants anything, and fewer pairs than verify', () => {
    const model = tricky();
    const prepared = prepareVerify(model, { spec: target });
    const all = candidatePairs(prepared.principals, prepared.resources);
    const pruned = prunedCandidates(prepared.principals, prepared.resources);
    const evaluator = createEngineEvaluator({});
    const direct = (c: typeof all) => evaluateShare(prepared.principals, prepared.resources, c, evaluator).direct;
    const withAll = direct(all);
    expect(withAll.length).toBeGreaterThan(5);
    expect(direct(pruned)).toEqual(withAll);
    const count = (c: typeof all) => c.resources.reduce((n, l) => n + l.length, 0);
    expect(count(pruned)).toBeLessThan(count(all));
    // every pruned list is a subset of verify's, in ascending order
    pruned.resources.forEach((l, i) => {
      expect(l).toEqual([...l].sort((x, y) => x - y));
      for (const r of l) expect(all.resources[i]).toContain(r);
    });
    expect(pruned.roles).toEqual(all.roles);
  });

  it('asks about a policy naming one role only that role of the account; a session or the account name keeps them all', () => {
    const prepared = prepareVerify(tricky(), { spec: target });
    const pruned = prunedCandidates(prepared.principals, prepared.resources);
    const table = (name: string) => prepared.resources.find((r) => r.ctx.arn.endsWith(`:table/${name}`))!.index;
    const of = (role: string) => pruned.resources[prepared.principals.find((p) => p.ctx.name === role)!.index]!;
    expect(of('reader-role')).toContain(table('named'));
    expect(of('bystander-role')).not.toContain(table('named'));
    expect(of('reader-role')).toContain(table('session-named'));
    expect(of('bystander-role')).toContain(table('session-named'));
  });

  it('answers resources the engine cannot tell apart once per principal, with the same answers', () => {
    const model = tricky();
    const prepared = prepareVerify(model, { spec: target });
    const all = candidatePairs(prepared.principals, prepared.resources);
    const plain = createEngineEvaluator({});
    let asked = 0;
    const counting = { ...plain, capabilities: (p: Parameters<typeof plain.capabilities>[0], r: Parameters<typeof plain.capabilities>[1]) => (asked++, plain.capabilities(p, r)), canAssume: plain.canAssume.bind(plain) };
    const memo = withSameResourceMemo(counting, prepared.resources);
    const direct = evaluateShare(prepared.principals, prepared.resources, all, memo).direct;
    expect(direct).toEqual(evaluateShare(prepared.principals, prepared.resources, all, createEngineEvaluator({})).direct);
    // the duplicated `orders` table (other tags) is its own class; identical contexts would share one answer
    const dupes = prepared.resources.filter((r) => r.ctx.arn.endsWith(':table/orders') && r.ctx.accountId === '300000000001');
    expect(dupes).toHaveLength(2);
    expect(asked).toBe(all.resources.reduce((n, l) => n + l.length, 0));
    const twin = { ...dupes[0]!.ctx };
    const again = withSameResourceMemo(counting, [dupes[0]!, { ...dupes[0]!, index: 999, ctx: twin }]);
    asked = 0;
    const p = prepared.principals.find((x) => x.ctx.name === 'literal-role')!.ctx;
    expect(again.capabilities(p, twin)).toEqual(again.capabilities(p, dupes[0]!.ctx));
    expect(again.capabilities(p, twin).length).toBeGreaterThan(0);
    expect(asked).toBe(1);
  });

  it('verifies the projection to the same report as with all pairs', () => {
    const model = tricky();
    const options = { target: 'projected organization', spec: target, defaultBoundaries: true } as const;
    const strip = (r: ReturnType<typeof verifyProjection>) => ({ ...r, summary: { ...r.summary, stats: undefined } });
    const all = verifyProjection(model, { ...options, evaluator: createEngineEvaluator({}) }, true);
    const pruned = verifyProjection(model, { ...options, evaluator: createEngineEvaluator({}) });
    expect(all.view.matrix.length).toBeGreaterThan(0);
    expect(strip(pruned)).toEqual(strip(all));
    expect(pruned.summary.stats.capabilityQueries).toBeLessThan(all.summary.stats.capabilityQueries);
  });

  it('plans the kitchen-sink exit the same with and without the pruning', () => {
    const plan = (allPairs: boolean) => planMigration(kitchenSink(), target, { source: 'snap', target: 'target.yaml', evaluator: createEngineEvaluator({}), allPairs });
    const pruned = plan(false);
    expect(pruned.plan.proof).toBeDefined();
    expect(pruned).toEqual(plan(true));
  });
});
