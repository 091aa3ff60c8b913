import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../model/organization.js';
import { planFromYaml } from '../plan/index.js';
import { createEngineEvaluator } from '../verify/engine-adapter.js';
import { planMigration } from './migrate.js';
import { nameCollisions, projectOrganization, roleDestinations } from './project.js';
import { renderMigrationHtml } from './html.js';
import { renderMigrationMarkdown, renderMigrationText } from './render.js';
import { InventoryBuilder, kitchenSink, organizationOf, TARGET_SPEC } from './testdata/kitchen-sink.js';
import { canonicalPhase, inferWorkloads, nameTokens, vocabularyOf } from './workloads.js';

const planned = planFromYaml(TARGET_SPEC, 'target.yaml');
if (!planned.ok) throw new Error('target spec does not plan');
const target = planned.value;
const run = (model = kitchenSink()) => planMigration(model, target, { source: 'snap', target: 'target.yaml', evaluator: createEngineEvaluator({}) });

describe('migrate: workloads', () => {
  it('decides phase and business unit from tags, name tokens, stacks and single-phase accounts', () => {
    const { plan } = run();
    const row = (name: string) => plan.workloads.find((w) => w.name === name)!;
    expect(row('payments-dev-ledger')).toMatchObject({ phase: 'dev', businessUnit: 'payments' });
    expect(row('payments-dev-ledger').decidedBy).toContain('phase: name token `dev`');
    // untagged, no phase token: the stack decides
    expect(row('payments-prod-key')).toMatchObject({ phase: 'prod', businessUnit: 'payments' });
    expect(row('payments-stage-uploads')).toMatchObject({ phase: 'stage', businessUnit: 'payments' });
    expect(row('shop-dev-worker')).toMatchObject({ phase: 'dev', businessUnit: 'shop', application: 'cart' });
    // the kitchen-sink's own tags (prod, shop) are not inherited: the account holds several phases
    expect(row('misc-7f3a')).toMatchObject({ phase: null, businessUnit: null });
    expect(plan.unattributed).toEqual(['arn:aws:cloudformation:us-east-1:200000000001:stack/shop-reports/0000', 'arn:aws:sqs:us-east-1:200000000001:misc-7f3a']);
    expect(plan.kitchenSinks).toEqual(['legacy-prod']);
  });

  it('inherits a one-phase account and keeps inference as data', () => {
    const b = new InventoryBuilder('shop-dev', '300000000001');
    b.queue('q1');
    const ws = inferWorkloads(organizationOf([b]).inventory!.resources, vocabularyOf(target), undefined);
    expect(ws.unattributed).toHaveLength(1);
    expect(nameTokens('Orders_PROD.table/x')).toEqual(['orders', 'prod', 'table', 'x']);
    expect(canonicalPhase('Production', vocabularyOf(target), false)).toBe('prod');
    expect(canonicalPhase('staging', vocabularyOf(target), true)).toBe('stage');
    expect(canonicalPhase('orders', vocabularyOf(target), true)).toBeUndefined();
  });
});

describe('migrate: coupling graph and partition', () => {
  const { plan, diagnostics } = run();
  const byLabel = new Map(plan.groups.map((g) => [g.label, g]));

  it('builds typed, weighted edges with evidence', () => {
    expect(plan.edgeCounts).toEqual({ 'bucket-notification': 1, 'event-source': 1, 'kms-encryption': 1, 'lambda-env': 2, 'same-application': 1, 'same-stack': 8, 'shared-data': 7 });
    const cross = plan.edges.find((e) => e.kind === 'shared-data' && e.from.endsWith('function:payments-prod-api') && e.to.endsWith('table/shop-prod-orders'))!;
    expect(cross).toMatchObject({ strength: 'medium', capabilities: ['read-data'] });
    expect(cross.evidence).toContain('payments-prod-api-role');
    const devToProd = plan.edges.find((e) => e.kind === 'shared-data' && e.from.endsWith('function:shop-dev-worker') && e.to.endsWith('table/shop-prod-orders'))!;
    expect(devToProd.strength).toBe('medium');
  });

  it('groups what must move together and maps each group to its target account', () => {
    expect(plan.groups.map((g) => [g.label, g.status, g.target ?? null, g.members.length])).toEqual([
      ['cart', 'moves', 'shop-dev', 2],
      ['misc-7f3a', 'unattributed', null, 1],
      ['payments-dev', 'moves', 'payments-dev', 4],
      ['payments-prod', 'moves', 'payments-prod', 4],
      ['payments-stage-uploads', 'moves', 'payments-stage', 2],
      ['shop-prod-orders', 'moves', 'shop-prod', 1],
      ['shop-reports', 'mixed-phase', null, 3],
    ]);
    expect(byLabel.get('shop-reports')!.phases).toEqual(['dev', 'prod']);
    expect(diagnostics.filter((d) => d.code === 'BH9233').map((d) => d.message)).toEqual([expect.stringContaining('group `shop-reports`')]);
  });

  it('counts cross-account dependencies before and after, with what each new one needs', () => {
    expect(plan.dependencies.before).toBe(0);
    expect(plan.dependencies.after).toBe(2);
    const [ends, grant] = [plan.dependencies.added.find((d) => d.ends)!, plan.dependencies.added.find((d) => !d.ends)!];
    expect(ends.edge.from).toMatch(/shop-dev-worker$/);
    expect(ends.grants).toEqual([]);
    expect(grant.grants).toEqual([
      {
        resource: 'arn:aws:dynamodb:us-east-1:200000000001:table/shop-prod-orders',
        principal: 'arn:aws:iam::200000000001:role/payments-prod-api-role',
        principalAccount: 'payments-prod',
        actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan'],
        why: expect.stringContaining('dynamodb:table policy'),
      },
    ]);
    expect(plan.conditions).toHaveLength(1);
    expect(plan.conditions[0]).toMatchObject({ key: 'aws:PrincipalAccount', value: '200000000001' });
  });
});

describe('migrate: waves and proof', () => {
  it('moves non-production first, dependencies first, grants with the wave that needs them', () => {
    const { plan } = run();
    expect(plan.waves.map((w) => [w.phase, w.production, w.moves.map((m) => m.label), w.grants.length, w.newDependencies.length])).toEqual([
      ['dev', false, ['cart', 'payments-dev'], 0, 1],
      ['stage', false, ['payments-stage-uploads'], 0, 0],
      ['prod', true, ['shop-prod-orders', 'payments-prod'], 1, 1], // payments-prod reads shop-prod-orders: the orders move first
    ]);
    expect(plan.waves[2]!.verify).toEqual(expect.arrayContaining([expect.stringContaining('`payments-prod-api` still reaches `shop-prod-orders` across accounts')]));
    expect(plan.waves[0]!.verify).toEqual(expect.arrayContaining([expect.stringContaining('`shop-dev-worker` no longer reaches `shop-prod-orders`')]));
    expect(plan.nothingToMove).toBe(false);
  });

  it('orders a group after the groups of its wave it uses', () => {
    const b = new InventoryBuilder('legacy-prod', '200000000001');
    const t = { Environment: 'dev', BusinessUnit: 'shop' };
    const table = b.table('zz-orders', t);
    b.fn('aa-reader', { Environment: 'dev', BusinessUnit: 'payments' }, undefined, [{ actions: ['dynamodb:GetItem'], resources: [table] }]);
    b.queue('filler', { Environment: 'prod', BusinessUnit: 'shop' });
    const { plan } = run(organizationOf([b]));
    const wave = plan.waves.find((w) => w.phase === 'dev')!;
    expect(wave.moves.map((m) => [m.label, m.after.length])).toEqual([
      ['zz-orders', 0],
      ['aa-reader', 1],
    ]);
    expect(wave.grants.map((g) => g.principal)).toEqual(['arn:aws:iam::200000000001:role/aa-reader-role']);
  });

  it('verifies the projection: the mixed group left behind keeps a dev principal on prod data', () => {
    const { plan, diagnostics } = run();
    expect(plan.proof).toMatchObject({ holds: false, crossBusinessUnit: 1, newAccounts: ['payments-dev', 'payments-prod', 'payments-stage', 'shop-dev', 'shop-prod', 'shop-stage'] });
    expect(plan.proof!.boundaryFindings.filter((f) => f.startsWith('boundary.nonprod-to-prod'))).toEqual([expect.stringContaining('shop-reports-builder-role')]);
    expect(diagnostics.map((d) => d.code)).toContain('BH9236');
  });

  it('verifies the projection: without the mixed stack every boundary holds and the dev worker loses prod access', () => {
    const { plan, diagnostics } = run(kitchenSink({ withMixedStack: false }));
    expect(plan.proof).toMatchObject({ holds: true, movedRoles: 3 });
    expect(plan.proof!.boundaryFindings.some((f) => f.includes('shop-dev-worker'))).toBe(false);
    expect(diagnostics.map((d) => d.code)).not.toContain('BH9236');
  });

  it('says there is nothing to move in a clean organization', () => {
    const dev = new InventoryBuilder('shop-dev', '300000000001');
    dev.table('orders', { Environment: 'dev', BusinessUnit: 'shop' });
    const prod = new InventoryBuilder('shop-prod', '300000000002');
    prod.table('orders', { Environment: 'prod', BusinessUnit: 'shop' });
    const { plan, diagnostics } = run(organizationOf([dev, prod]));
    expect(plan.groups.map((g) => g.status)).toEqual(['stays', 'stays']);
    expect(plan.waves).toEqual([]);
    expect(plan.nothingToMove).toBe(true);
    expect(plan.proof).toBeUndefined();
    expect(plan.dependencies).toMatchObject({ before: 0, after: 0 });
    expect(diagnostics).toEqual([]);
  });
});

describe('migrate: names and shared roles in the projection', () => {
  const shop = { Environment: 'prod', BusinessUnit: 'shop' };
  /** Two legacy accounts, each with an `orders` table and an `orders-api` function (role `orders-api-role`) reading it. */
  const twoLegacies = () => {
    const builders = ['200000000001', '200000000002'].map((id, i) => {
      const b = new InventoryBuilder(`legacy-${i + 1}`, id);
      const table = b.table('orders', shop);
      const fn = b.fn('orders-api', shop, undefined, [{ actions: ['dynamodb:GetItem'], resources: [table] }]);
      b.ref('lambda-env', fn, table, 'TABLE');
      return b;
    });
    return organizationOf(builders);
  };

  it('flags legacy resources and roles of one name that would share one ARN in the target account', () => {
    const { plan, diagnostics } = run(twoLegacies());
    // the table, the function and the execution role each land twice at one ARN in shop-prod
    expect(plan.collisions.map((c) => [c.kind, c.account, c.arn.replace(/\d{12}/, 'ID'), c.count])).toEqual([
      ['resource', 'shop-prod', 'arn:aws:dynamodb:us-east-1:ID:table/orders', 2],
      ['role', 'shop-prod', 'arn:aws:iam::ID:role/orders-api-role', 2],
      ['resource', 'shop-prod', 'arn:aws:lambda:us-east-1:ID:function:orders-api', 2],
    ]);
    expect(plan.collisions[0]!.legacy).toEqual(['arn:aws:dynamodb:us-east-1:200000000001:table/orders', 'arn:aws:dynamodb:us-east-1:200000000002:table/orders']);
    const bh = diagnostics.filter((d) => d.code === 'BH9260').map((d) => d.message);
    expect(bh).toHaveLength(3);
    expect(bh[0]).toContain('`shop-prod`');
    expect(bh[0]).toContain('`arn:aws:dynamodb:us-east-1:200000000002:table/orders`');
    expect(bh[0]).toContain('rename all but one before the move');
    expect(plan.waves.map((w) => w.renames.length)).toEqual([3]);
    expect(renderMigrationText(plan)).toContain('0. rename before the move');
    expect(renderMigrationMarkdown(plan)).toContain('rename first');
    expect(renderMigrationHtml(plan)).toContain('<p>Rename first (legacy names that would share one ARN):</p><ul><li>arn:aws:dynamodb:us-east-1:');
    // verify counts each shared ARN once: one table, one function, one role in the projection (not two)
    expect(plan.proof).toMatchObject({ resources: 2, principals: 1 });
  });

  it('bounds the legacy list of a collision and keeps the count', () => {
    const builders = Array.from({ length: 7 }, (_, i) => {
      const b = new InventoryBuilder(`legacy-${i + 1}`, `20000000000${i + 1}`);
      b.table('orders', shop);
      return b;
    });
    const { plan, diagnostics } = run(organizationOf(builders));
    expect(plan.collisions).toHaveLength(1);
    expect(plan.collisions[0]).toMatchObject({ count: 7, legacy: expect.any(Array) });
    expect(plan.collisions[0]!.legacy).toHaveLength(5);
    expect(diagnostics.find((d) => d.code === 'BH9260')!.message).toContain('and 2 more');
  });

  it('copies a role run by functions that go to different accounts into each of them', () => {
    const b = new InventoryBuilder('legacy-prod', '200000000001');
    const devTable = b.table('shop-dev-orders', { Environment: 'dev', BusinessUnit: 'shop' });
    const devFn = b.fn('shop-dev-api', { Environment: 'dev', BusinessUnit: 'shop' }, undefined, [{ actions: ['dynamodb:GetItem'], resources: [devTable] }]);
    const role = b.resources.find((r) => r.arn === devFn)!.lambda!.role;
    // a prod function runs as the same role
    b.resources.push({ account: 'legacy-prod', arn: 'arn:aws:lambda:us-east-1:200000000001:function:shop-prod-api', type: 'lambda:function', region: 'us-east-1', name: 'shop-prod-api', tags: { Environment: 'prod', BusinessUnit: 'shop' }, lambda: { role, runtime: 'nodejs20.x', environment: [] } });
    const model = organizationOf([b]);
    const { plan, diagnostics } = run(model);
    expect(plan.sharedRoles).toEqual([role]);
    expect(plan.waves.map((w) => [w.phase, w.newRoles])).toEqual([
      ['dev', [{ role, account: 'shop-dev' }]],
      ['prod', [{ role, account: 'shop-prod' }]],
    ]);
    expect(plan.proof).toMatchObject({ copiedRoles: 2, movedRoles: 0 });
    // every format lists the shared role (and the HTML each wave's copies, as text and Markdown do)
    expect(renderMigrationText(plan)).toContain(`roles shared by workloads going to different accounts (one copy per account):\n  ${role}\n`);
    expect(renderMigrationMarkdown(plan)).toContain(`## Roles shared by workloads going to different accounts (one copy per account)\n\n- \`${role}\`\n`);
    const html = renderMigrationHtml(plan);
    expect(html).toContain(`<h2>Roles shared by workloads going to different accounts (one copy per account)</h2><ul><li>${role}</li></ul>`);
    expect(html).toContain(`<p>New roles (copies of shared roles):</p><ul><li>${role} → shop-dev</li></ul>`);
    expect(diagnostics.filter((d) => d.code === 'BH9261').map((d) => d.message)).toEqual([expect.stringContaining('2 accounts (`shop-dev`, `shop-prod`)')]);
    // the projection holds one copy per account (the legacy role is gone: none of its functions stays)
    const placement = new Map(plan.workloads.filter((w) => w.account === 'legacy-prod').map((w) => [w.arn, w.phase === 'dev' ? 'shop-dev' : 'shop-prod']));
    const projection = projectOrganization(model, target, placement, roleDestinations(inferred(model), placement), []);
    const copies = projection.model.roles.filter((r) => r.name === 'shop-dev-api-role');
    expect(copies.map((r) => r.account).sort()).toEqual(['shop-dev', 'shop-prod']);
    expect(new Set(copies.map((r) => r.arn)).size).toBe(2);
    expect(projection.copiedRoles).toBe(2);
  });
  it('finds the same collisions without the projection as with it (one placement of roles and resources)', () => {
    // two legacy accounts with an orders table and function, and a third whose orders-api role also runs a dev function
    const builders = ['200000000001', '200000000002', '200000000003'].map((id, i) => {
      const b = new InventoryBuilder(`legacy-${i + 1}`, id);
      const table = b.table('orders', shop);
      const fn = b.fn('orders-api', shop, undefined, [{ actions: ['dynamodb:GetItem'], resources: [table] }]);
      b.ref('lambda-env', fn, table, 'TABLE');
      return b;
    });
    const third = builders[2]!;
    const role = third.resources.find((r) => r.name === 'orders-api')!.lambda!.role;
    third.resources.push({ account: 'legacy-3', arn: 'arn:aws:lambda:us-east-1:200000000003:function:orders-dev-api', type: 'lambda:function', region: 'us-east-1', name: 'orders-dev-api', tags: { Environment: 'dev', BusinessUnit: 'shop' }, lambda: { role, runtime: 'nodejs20.x', environment: [] } });
    const merged = organizationOf(builders);
    const { plan } = run(merged);
    expect(plan.sharedRoles).toEqual([role]);
    const placement = new Map<string, string>();
    for (const g of plan.groups) if (g.status === 'moves') for (const m of g.members) if (plan.workloads.find((w) => w.arn === m)!.account !== g.target) placement.set(m, g.target!);
    const roles = roleDestinations(inferred(merged), placement);
    const projected = projectOrganization(merged, target, placement, roles, []).collisions;
    expect(projected.map((c) => [c.kind, c.count])).toEqual([['resource', 3], ['role', 3], ['resource', 3]]);
    expect(projected.every((c) => c.account === 'shop-prod')).toBe(true); // the dev copy is alone in shop-dev
    expect(nameCollisions(merged, target, placement, roles)).toEqual(projected);
  });
});

const inferred = (model: ReturnType<typeof organizationOf>) => inferWorkloads(model.inventory!.resources, vocabularyOf(target), undefined);

describe('migrate: shared data through assumed roles', () => {
  const pay = { Environment: 'prod', BusinessUnit: 'payments' };
  const shop = { Environment: 'prod', BusinessUnit: 'shop' };
  const trusting = (b: InventoryBuilder, roleName: string, trusted: string) => {
    const i = b.roles.findIndex((r) => r.name === roleName);
    const r = b.roles[i]!;
    const trust: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }, { Effect: 'Allow', Principal: { AWS: trusted }, Action: 'sts:AssumeRole' }] };
    b.roles[i] = { ...r, trustPolicy: trust };
  };
  /** payments' function may assume shop's reader role, which reads shop's table; its own role reads nothing of shop's. */
  const chained = (cycle: boolean) => {
    const b = new InventoryBuilder('legacy-prod', '200000000001');
    const orders = b.table('shop-prod-orders', shop);
    const readerRole = 'arn:aws:iam::200000000001:role/shop-prod-reader-role';
    const apiRole = 'arn:aws:iam::200000000001:role/payments-prod-api-role';
    b.fn('shop-prod-reader', shop, undefined, [{ actions: ['dynamodb:GetItem'], resources: [orders] }, ...(cycle ? [{ actions: ['sts:AssumeRole'], resources: [apiRole] }] : [])]);
    b.fn('payments-prod-api', pay, undefined, [{ actions: ['sts:AssumeRole'], resources: [readerRole] }]);
    trusting(b, 'shop-prod-reader-role', apiRole);
    if (cycle) trusting(b, 'payments-prod-api-role', readerRole);
    return { model: organizationOf([b]), orders, readerRole, apiRole };
  };

  it('follows the roles a workload can assume to the other workload\'s table, naming the chain', () => {
    const { model, orders, readerRole, apiRole } = chained(false);
    const { plan } = run(model);
    const e = plan.edges.find((x) => x.kind === 'shared-data' && x.from.endsWith('function:payments-prod-api') && x.to === orders)!;
    expect(e).toMatchObject({ strength: 'medium', principal: readerRole, via: [apiRole, readerRole], capabilities: ['read-data'] });
    expect(e.evidence).toContain(`role \`${apiRole}\` assumes \`${readerRole}\``);
    // across business units the table then needs a grant for the role that reads it
    // across business units the payments role assumes the shop role across accounts: its trust policy must name it
    expect(plan.grants.map((g) => [g.resource, g.principal, g.actions])).toEqual([[readerRole, apiRole, ['sts:AssumeRole']]]);
    // the proof verifies the projection with that trust statement (the payments role keeps a cross-unit read)
    expect(plan.proof).toMatchObject({ holds: true, crossBusinessUnit: 1 });
  });

  it('is cycle-safe: two roles that may assume each other reach each table once', () => {
    const { model, orders } = chained(true);
    const { plan } = run(model);
    const shared = plan.edges.filter((x) => x.kind === 'shared-data');
    expect(shared.filter((x) => x.to === orders && x.from.endsWith('function:payments-prod-api'))).toHaveLength(1);
    // the reader's own access is direct (no chain), and the reader reaches nothing through the cycle it did not have
    expect(shared.filter((x) => x.from.endsWith('function:shop-prod-reader')).map((x) => x.via)).toEqual([undefined]);
  });
});
