import { describe, expect, it } from 'vitest';
import { analyseSide, computeDelta, type DeltaSide } from './delta.js';
import { unchangedPrincipals } from './access.js';
import type { OrganizationModel } from '../model/organization.js';
import { synthOrganization } from '../synthetic/index.js';


/** bu000-dev/app may assume bu000-prod/legacy-migrator (the synthetic organization's planted path); after, the migrator loses its policies. */
function sides(): [DeltaSide, DeltaSide] {
  const before = synthOrganization({ accounts: 12, rolesPerAccount: 4, resourcesPerAccount: 3, violations: true });
  const after: OrganizationModel = { ...before, roles: before.roles.map((r) => (r.account === 'bu000-prod' && r.name === 'legacy-migrator' ? { ...r, policies: [] } : r)) };
  return [{ model: before, label: 'before' }, { model: after, label: 'after' }];
}

describe('the access delta leaves out principals whose reachable access is unchanged', () => {
  it('still reports a loss reached through an unchanged principal that assumes the changed role', () => {
    const [b, a] = sides();
    const full = computeDelta(b, a, { reuse: false });
    const losers = new Set(full.access.filter((x) => x.direction === 'lost').map((x) => x.principal));
    expect(losers).toContain('bu000-prod/legacy-migrator');
    expect(losers).toContain('bu000-dev/app');
    expect(computeDelta(b, a)).toEqual(full);
  });

  it('skips every principal of identical graphs, and neither the changed role nor those reaching it', () => {
    const [b, a] = sides();
    const [gb, ga] = [analyseSide(b, {}).graph, analyseSide(a, {}).graph];
    const same = unchangedPrincipals(gb, gb, (n) => n);
    expect(same.after.size).toBe(gb.principals.length);
    const skip = unchangedPrincipals(gb, ga, (n) => n);
    const names = ga.principals.filter((p) => !skip.after.has(p.index)).map((p) => `${p.ctx.accountName}/${p.ctx.name}`);
    expect(names).toContain('bu000-prod/legacy-migrator');
    expect(names).toContain('bu000-dev/app');
    expect(skip.after.size).toBeGreaterThan(ga.principals.length / 2);
    expect(skip.before.size).toBe(skip.after.size);
  });
});
