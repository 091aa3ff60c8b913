import { describe, expect, it } from 'vitest';
import { computeDelta, type DeltaSide } from '../delta/delta.js';
import type { OrganizationModel } from '../model/organization.js';
import { synthOrganization } from '../synthetic/index.js';
import { computeDeltaThreaded } from './diff-threads.js';

const base = (): OrganizationModel => synthOrganization({ accounts: 12, rolesPerAccount: 4, resourcesPerAccount: 3, violations: true });

describe('the delta with the before side on worker threads', () => {
  it('is the delta of both sides verified from scratch on one thread', async () => {
    const before = base();
    const prod = before.accounts.find((a) => a.name === 'bu000-prod')!;
    const grant = { Version: '2012-10-17', Statement: [{ Sid: 'All', Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*' }] };
    const after = { ...before, roles: before.roles.map((r) => (r.account === prod.name && r.name === 'app' ? { ...r, policies: [...r.policies, { name: 'added', kind: 'inline' as const, document: grant }] } : r)) };
    const sides: [DeltaSide, DeltaSide] = [{ model: before, label: 'before' }, { model: after, label: 'after' }];
    const full = computeDelta(...sides, { reuse: false });
    expect(full.access.length).toBeGreaterThan(0);
    expect(await computeDeltaThreaded(...sides, {}, 2)).toEqual(full);
    expect(await computeDeltaThreaded(...sides, { reuse: false }, 3)).toEqual(full);
  }, 60_000);
});
