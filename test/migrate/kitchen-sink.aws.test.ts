/**
 * migrate end to end against organizations built in moto with the SDK (test-support/kitchen-sink.ts): collect →
 * adopt → migrate with the target spec → the groups, waves, cross-account dependencies and the proof; and a clean
 * organization where there is nothing to move. The expected values follow from what the builder makes (its file
 * comment has the table); the comments say how.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { motoEndpoint, resetMoto } from '../../test-support/moto-client.js';
import { buildCleanOrg, buildKitchenSink, KS_REGION, KS_TARGET_SPEC } from '../../test-support/kitchen-sink.js';
import { collectToDirectory } from '../../src/operations/collect.js';
import { adopt } from '../../src/operations/adopt.js';
import { migrate } from '../../src/operations/migrate.js';
import { nodeHost } from '../../src/operations/host.js';

const creds = { accessKeyId: 'testing', secretAccessKey: 'testing' };

describe('migrate against kitchen-sink organizations built in moto', () => {
  let dir: string;
  beforeEach(async () => {
    await resetMoto();
    dir = await mkdtemp(join(tmpdir(), 'bh-migrate-aws-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const host = () => nodeHost({ cwd: dir, now: () => new Date('2026-12-01T12:00:00Z') });
  const collectInto = async (out: string) => {
    const r = await collectToDirectory(
      { connection: { region: KS_REGION, endpoint: motoEndpoint(), credentials: creds }, out, regions: [KS_REGION], scheduler: { baseDelayMs: 2, maxDelayMs: 20 } },
      host(),
    );
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  };
  const migrateSnap = async () => {
    const r = await migrate({ snapshot: 'snap', spec: { text: KS_TARGET_SPEC, label: 'target.yaml' }, format: 'text' }, host());
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    return { plan: r.value.plan, text: r.value.rendered ?? '', codes: r.diagnostics.map((d) => d.code), diagnostics: r.diagnostics };
  };

  it('collect → adopt → migrate: groups, waves, dependencies and the proof', async () => {
    const built = await buildKitchenSink(motoEndpoint());
    const id = built.accounts.get('legacy-prod')!;
    const arn = {
      table: (n: string) => `arn:aws:dynamodb:${KS_REGION}:${id}:table/${n}`,
      fn: (n: string) => `arn:aws:lambda:${KS_REGION}:${id}:function:${n}`,
      role: (n: string) => `arn:aws:iam::${id}:role/${n}`,
    };
    await collectInto('snap');
    const account = JSON.parse(await readFile(join(dir, 'snap', 'accounts', `${id}.json`), 'utf8')) as { iam: { roles: { name: string }[] } };
    const execRoles = ['payments-dev-api-role', 'payments-prod-api-role', 'payments-stage-api-role', 'shop-dev-api-role', 'shop-prod-api-role'];
    // the five execution roles, and the access role moto makes in every account it creates
    expect(account.iam.roles.map((r) => r.name).sort()).toEqual(['OrganizationAccountAccessRole', ...execRoles].sort());

    // adopt: the roles are tagged with three phases and both units; the account itself names no business unit
    const adopted = await adopt({ snapshot: 'snap' }, host());
    if (!adopted.ok) throw new Error(JSON.stringify(adopted.diagnostics));
    const flags = adopted.value.adopted.flags.filter((f) => f.subject === 'account legacy-prod').map((f) => f.reason);
    expect(flags).toEqual([
      expect.stringMatching(/^kitchen-sink: .*phases `dev`, `prod`, `stage` and business units `payments`, `shop`; .*`bulkhead migrate`$/),
      expect.stringMatching(/^unattributed: .*names its business unit;/),
    ]);
    expect(adopted.value.adopted.yaml).toContain('kitchen-sink');

    const { plan, text, codes, diagnostics } = await migrateSnap();
    // 5 clean stacks × (stack, table, queue, function) + the mixed stack and its 2 tables + topic, bucket, key,
    // the storefront queue and table
    expect(plan.resources).toBe(28);
    expect(plan.kitchenSinks).toEqual(['legacy-prod']);
    // the mixed stack's name names a business unit, its tables two phases; the account's own `Environment=prod`
    // is not inherited (the account holds other phases)
    expect(plan.unattributed).toHaveLength(1);
    expect(plan.unattributed[0]!.startsWith(`arn:aws:cloudformation:us-east-1:${id}:stack/payments-batch/`)).toBe(true);
    const row = (name: string) => plan.workloads.find((w) => w.name === name)!;
    expect(row('shop-dev-uploads')).toMatchObject({ phase: 'dev', businessUnit: 'shop' }); // untagged: its name
    expect(row('payments-stage-queue')).toMatchObject({ phase: 'stage', businessUnit: 'payments' }); // untagged: its stack
    expect(row('storefront-sessions')).toMatchObject({ phase: 'stage', businessUnit: 'shop', application: 'storefront' }); // tags

    expect(plan.edgeCounts).toEqual({
      'same-stack': 17, // each clean stack's table, queue and function → the stack (5 × 3), the mixed stack's 2 tables
      'lambda-env': 10, // every function names its table and its queue
      'shared-data': 12, // every execution role uses its own table and queue (5 × 2), plus two reads of payments-prod-table
      'sns-subscription': 1,
      'bucket-notification': 1,
      'kms-encryption': 1,
      'same-application': 1, // storefront queue and table
    });
    const shared = (from: string) => plan.edges.find((e) => e.kind === 'shared-data' && e.from === arn.fn(from) && e.to === arn.table('payments-prod-table'))!;
    expect(shared('shop-prod-api')).toMatchObject({ strength: 'medium', capabilities: ['read-data'], principal: arn.role('shop-prod-api-role') }); // across units
    expect(shared('payments-dev-api')).toMatchObject({ strength: 'medium', capabilities: ['read-data'] }); // across phases

    // strong couplings: each stack with its references; the topic joins shop-prod through its subscription, the
    // bucket and key join shop-dev through the notification and the encryption; same application is not strong
    expect(plan.groups.map((g) => [g.label, g.status, g.target ?? null, g.members.length])).toEqual([
      ['payments-batch', 'mixed-phase', null, 3],
      ['payments-dev', 'moves', 'payments-dev', 4],
      ['payments-prod', 'moves', 'payments-prod', 4],
      ['payments-stage', 'moves', 'payments-stage', 4],
      ['shop-dev', 'moves', 'shop-dev', 6],
      ['shop-prod', 'moves', 'shop-prod', 5],
      ['storefront', 'moves', 'shop-stage', 1],
      ['storefront', 'moves', 'shop-stage', 1],
    ]);
    const batch = plan.groups.find((g) => g.label === 'payments-batch')!;
    expect(batch).toMatchObject({ phases: ['dev', 'prod'], businessUnits: ['payments'], unattributedMembers: 1 });
    expect(diagnostics.filter((d) => d.code === 'BH9233').map((d) => d.message)).toEqual([expect.stringContaining('group `payments-batch`')]);
    const shopDev = plan.groups.find((g) => g.label === 'shop-dev')!;
    expect(shopDev.members).toEqual(expect.arrayContaining(['arn:aws:s3:::shop-dev-uploads', built.keyArn]));

    // all in one account before; after, the two reads of payments-prod-table cross accounts (in their final
    // accounts): the cross-phase one ends, the cross-unit one needs a table-policy grant
    expect(plan.dependencies).toMatchObject({ before: 0, after: 2, resolved: 0 });
    expect(plan.dependencies.added.map((d) => [d.edge.from, d.fromAccount, d.toAccount, d.ends, d.grants.length])).toEqual([
      [arn.fn('payments-dev-api'), 'payments-dev', 'payments-prod', true, 0],
      [arn.fn('shop-prod-api'), 'shop-prod', 'payments-prod', false, 1],
    ]);
    expect(plan.grants).toEqual([
      expect.objectContaining({ resource: arn.table('payments-prod-table'), principal: arn.role('shop-prod-api-role'), actions: expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']) }),
    ]);
    // moto gives a topic AWS's default policy, which pins the owner account
    expect(plan.conditions.map((c) => [c.key, c.value, c.because.map((a) => a.split(':').pop())])).toEqual([['AWS:SourceOwner', id, ['shop-prod-events', 'shop-prod-queue']]]);

    // non-production first; shop-prod after payments-prod (it reads its table); the storefront groups share only
    // an application tag, which orders nothing
    expect(plan.waves.map((w) => [w.phase, w.production, w.moves.map((m) => [m.label, m.to, m.after.length]), w.newDependencies.length, w.grants.length])).toEqual([
      ['dev', false, [['payments-dev', 'payments-dev', 0], ['shop-dev', 'shop-dev', 0]], 1, 0],
      ['stage', false, [['payments-stage', 'payments-stage', 0], ['storefront', 'shop-stage', 0], ['storefront', 'shop-stage', 0]], 0, 0],
      ['prod', true, [['payments-prod', 'payments-prod', 0], ['shop-prod', 'shop-prod', 1]], 1, 1],
    ]);
    expect(plan.waves[0]!.verify).toEqual(expect.arrayContaining([expect.stringContaining('`payments-dev-api` no longer reaches `payments-prod-table`')]));
    expect(plan.waves[2]!.verify).toEqual(expect.arrayContaining([expect.stringContaining('`shop-prod-api` still reaches `payments-prod-table` across accounts')]));
    expect(plan.nothingToMove).toBe(false);

    // the proof: boundaries hold (the dev role's read of prod data ends, no grant keeps it); the one
    // cross-unit read is kept by the proposed grant; the mixed stack keeps legacy-prod a kitchen-sink
    expect(plan.proof).toMatchObject({
      holds: true,
      crossBusinessUnit: 1,
      boundaryFindingCount: 1,
      movedRoles: 5,
      principals: 6, // the five execution roles and legacy-prod's access role
      resources: 22, // the 28 inventory resources but the 6 stacks
      // the target's accounts: the six workload accounts, and `mgmt`, because moto names its management account otherwise
      newAccounts: ['mgmt', 'payments-dev', 'payments-prod', 'payments-stage', 'shop-dev', 'shop-prod', 'shop-stage'],
    });
    expect(plan.proof!.byRule['boundary.cross-business-unit']).toBe(1);
    expect(plan.proof!.byRule['fault.kitchen-sink']).toBe(1);
    expect(plan.proof!.boundaryFindings).toEqual([expect.stringContaining('`shop-prod/shop-prod-api-role` of business unit `shop` has `read-data`')]);
    expect(codes).not.toContain('BH9236');
    expect(codes.filter((c) => c.startsWith('BH92')).sort()).toEqual(['BH9232', 'BH9233', 'BH9235']);
    expect(text).toContain('cross-account dependencies: 0 before → 2 after (2 new, 0 resolved)');
    expect(text).toContain('shared-data payments-dev-api → payments-prod-table (payments-dev → payments-prod): access across phases that the migration ends (no grant)');
    expect(text).toContain('holds: the target boundaries hold');
  }, 180_000);

  it('a clean organization (accounts already split): nothing to move', async () => {
    await buildCleanOrg(motoEndpoint());
    await collectInto('snap');
    const { plan, text, codes } = await migrateSnap();
    expect(plan).toMatchObject({ accounts: 2, resources: 8, kitchenSinks: [], unattributed: [], nothingToMove: true, waves: [], grants: [], conditions: [] });
    expect(plan.groups.map((g) => [g.label, g.status, g.target])).toEqual([
      ['payments-dev', 'stays', 'payments-dev'],
      ['shop-prod', 'stays', 'shop-prod'],
    ]);
    expect(plan.dependencies).toEqual({ before: 0, after: 0, added: [], resolved: 0 });
    expect(plan.proof).toBeUndefined();
    expect(codes.filter((c) => c.startsWith('BH92'))).toEqual([]);
    expect(text).toContain('nothing to move');
  }, 180_000);
});
