import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyseSide, cacheFor, computeDelta, type DeltaSide } from './delta.js';
import { planSpecText } from './testdata/plan-fixture.js';
import type { OrganizationModel, Role } from '../model/organization.js';
import { synthOrganization } from '../synthetic/index.js';
import { directEntries, grantEvidence, type AccessGraph } from '../verify/graph.js';

const base = (): OrganizationModel => synthOrganization({ accounts: 12, rolesPerAccount: 4, resourcesPerAccount: 3, violations: true });
const trust = (principal: string) => ({ Version: '2012-10-17', Statement: [{ Sid: 'Added', Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' }] });
const idOf = (m: OrganizationModel, name: string) => m.accounts.find((a) => a.name === name)!.id!;

/** Changes of each kind the reuse must see: each returns the after model. */
const CHANGES: Record<string, (m: OrganizationModel) => OrganizationModel> = {
  'trust edge dev → prod': (m) => ({
    ...m,
    roles: m.roles.map((r) => (r.account === 'bu000-prod' && r.name === 'writer' ? { ...r, trustPolicy: trust(`arn:aws:iam::${idOf(m, 'bu000-dev')}:role/app`) } : r)),
  }),
  'SCP change': (m) => ({
    ...m,
    serviceControlPolicies: [
      ...m.serviceControlPolicies,
      { name: 'deny-s3', document: { Version: '2012-10-17', Statement: [{ Sid: 'NoS3', Effect: 'Deny', Action: 's3:*', Resource: '*' }] }, targets: [{ ou: 'Root/Workloads/Prod' }] },
    ],
  }),
  'resource policy change': (m) => {
    const target = m.resources.find((r) => r.account === 'bu000-prod' && r.type === 's3:bucket')!;
    const policy = { Version: '2012-10-17', Statement: [{ Sid: 'Dev', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${idOf(m, 'bu000-dev')}:root` }, Action: 's3:GetObject', Resource: `${target.arn}/*` }] };
    return { ...m, resources: m.resources.map((r) => (r === target ? { ...r, policy } : r)) };
  },
  'renamed account': (m) => {
    const rename = (n: string) => (n === 'bu001-dev' ? 'bu001-sandbox' : n);
    return {
      ...m,
      accounts: m.accounts.map((a) => ({ ...a, name: rename(a.name) })),
      roles: m.roles.map((r) => ({ ...r, account: rename(r.account) })),
      users: m.users.map((u) => ({ ...u, account: rename(u.account) })),
      resources: m.resources.map((r) => ({ ...r, account: rename(r.account) })),
      serviceControlPolicies: m.serviceControlPolicies.map((p) => ({ ...p, targets: p.targets.map((t) => ('account' in t && t.account ? { ...t, account: rename(t.account) } : t)) })),
    } as OrganizationModel;
  },
  'out-of-band role': (m) => {
    const model = m.roles.find((r) => r.account === 'bu000-prod' && r.name === 'writer')!;
    const { arn: _arn, ...rest } = model;
    const role: Role = { ...rest, name: 'hand-made', trustPolicy: trust(`arn:aws:iam::${idOf(m, 'bu000-dev')}:role/app`) };
    return { ...m, roles: [...m.roles, role] };
  },
};

describe('reusing engine answers between the sides', () => {
  for (const [name, change] of Object.entries(CHANGES)) {
    it(`gives the same delta as verifying both sides from scratch: ${name}`, () => {
      const before = base();
      const after = change(before);
      const sides: [DeltaSide, DeltaSide] = [{ model: before, label: 'before' }, { model: after, label: 'after' }];
      const full = computeDelta(...sides, { reuse: false });
      const fast = computeDelta(...sides);
      expect(fast).toEqual(full);
      // the change is seen at all (a delta that is empty on both paths would prove nothing)
      expect(full.structural.length).toBeGreaterThan(0);
    });
  }

  it('asks the engine again only about what changed', () => {
    const before = base();
    const after = CHANGES['trust edge dev → prod']!(before);
    const cache = cacheFor({ model: before, label: 'before' });
    analyseSide({ model: before, label: 'before' }, {}, cache);
    const asked = cache.misses;
    analyseSide({ model: after, label: 'after' }, {}, cacheFor({ model: after, label: 'after' }, cache));
    expect(cache.hits).toBeGreaterThan(0.9 * asked);
    expect(cache.misses - asked).toBeGreaterThan(0);
    expect(cache.misses - asked).toBeLessThan(0.1 * asked);
  });

  it('answers the after side graph questions from the before graph, asking the engine only about what changed', () => {
    const before = base();
    const after = CHANGES['resource policy change']!(before);
    const cache = cacheFor({ model: before, label: 'before' });
    const analysed = analyseSide({ model: before, label: 'before' }, {}, cache, 'engine');
    const asked = cache.misses;
    expect(cache.hits).toBe(0);
    const again = analyseSide({ model: after, label: 'after' }, {}, cacheFor({ model: after, label: 'after' }, cache), analysed.graph);
    expect(cache.hits).toBeGreaterThan(0.9 * asked);
    expect(cache.misses - asked).toBeGreaterThan(0);
    expect(cache.misses - asked).toBeLessThan(0.1 * asked);
    // the same graph as the after side verified from scratch (grants under each pair's own labels: the placeholders
    // are numbered by whichever engine answered)
    const own = (graph: AccessGraph) =>
      graph.direct.map((row, pi) => directEntries(row).map((d) => ({ resource: d.resource, grants: d.grants.map((g) => ({ ...g, evidence: g.evidence.map((e) => grantEvidence(graph, pi, d.resource, e)) })) })));
    expect(own(again.graph)).toEqual(own(analyseSide({ model: after, label: 'after' }, {}).graph));
    expect(again.graph.edges).toEqual(analyseSide({ model: after, label: 'after' }, {}).graph.edges);
  });

  it('gives the same delta on the spec pairs (plans, stand-in resources)', () => {
    const dir = join(import.meta.dirname, 'testdata');
    const model = (n: string) => planSpecText(readFileSync(join(dir, n), 'utf8'), n);
    for (const [a, b] of [['base.yaml', 'trust.yaml'], ['trust.yaml', 'tightened.yaml'], ['base.yaml', 'renamed.yaml']] as const) {
      const sides: [DeltaSide, DeltaSide] = [{ model: model(a), label: a }, { model: model(b), label: b }];
      expect(computeDelta(...sides)).toEqual(computeDelta(...sides, { reuse: false }));
    }
  });

  it('does not reuse a side whose engine raised warnings (a cached answer would not repeat them)', () => {
    const before = base();
    const bad = { ...before, roles: before.roles.map((r, i) => (i === 0 ? { ...r, policies: [...r.policies, { name: 'bad', kind: 'inline' as const, document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { NoSuchOperator: { 'aws:x': 'y' } } }] } }] } : r)) } as OrganizationModel;
    const sides: [DeltaSide, DeltaSide] = [{ model: bad, label: 'before' }, { model: bad, label: 'after' }];
    const fast = computeDelta(...sides);
    expect(fast.summary.warnings.some((w) => w.startsWith('before: '))).toBe(true);
    expect(fast.summary.warnings.some((w) => w.startsWith('after: '))).toBe(true);
    expect(fast).toEqual(computeDelta(...sides, { reuse: false }));
  });
});
