import { describe, expect, it } from 'vitest';
import { loadSnapshot } from '../snapshot/load.js';
import { snapshotFiles } from '../snapshot/format.js';
import { synthOrganization } from './synth.js';
import { synthSnapshot } from './snapshot.js';

describe('synthOrganization', () => {
  it('makes the requested number of accounts, roles and resources', () => {
    const m = synthOrganization({ accounts: 25, rolesPerAccount: 4, resourcesPerAccount: 6 });
    expect(m.accounts).toHaveLength(25);
    const members = m.accounts.length - 1;
    expect(m.roles.length).toBe(members * 4 + 2); // + the shared log reader and deployer
    expect(m.resources.length).toBe(members * 6);
    expect(new Set(m.accounts.map((a) => a.id)).size).toBe(25);
    expect(m.accounts.every((a) => /^\d{12}$/.test(a.id ?? ''))).toBe(true);
  });
  it('is deterministic for a seed and differs across seeds', () => {
    const a = JSON.stringify(synthOrganization({ accounts: 12, seed: 7 }));
    expect(JSON.stringify(synthOrganization({ accounts: 12, seed: 7 }))).toBe(a);
    expect(JSON.stringify(synthOrganization({ accounts: 12, seed: 8 }))).not.toBe(a);
  });
  it('plants violations only when asked', () => {
    const has = (v: boolean) => synthOrganization({ accounts: 12, violations: v }).roles.some((r) => r.name === 'legacy-migrator');
    expect(has(true)).toBe(true);
    expect(has(false)).toBe(false);
  });
  it('plants violations at every allowed size, the minimum (8 accounts, 2 runtime) included', () => {
    for (const accounts of [8, 9, 10, 11]) {
      const m = synthOrganization({ accounts, rolesPerAccount: 1, resourcesPerAccount: 1, violations: true });
      expect(m.accounts, `${accounts} accounts`).toHaveLength(accounts);
      const migrator = m.roles.find((r) => r.name === 'legacy-migrator');
      expect(migrator, `${accounts} accounts`).toBeDefined();
      expect(m.accounts.find((a) => a.name === migrator!.account)!.tags['Environment']).toBe('prod');
    }
    // without violations the minimum keeps its dev and stage accounts
    expect(synthOrganization({ accounts: 8 }).accounts.filter((a) => a.purpose === 'runtime').map((a) => a.name)).toEqual(['bu000-dev', 'bu000-stage']);
  });
  it('round-trips through the snapshot format and loader', () => {
    const m = synthOrganization({ accounts: 10, rolesPerAccount: 2, resourcesPerAccount: 3, violations: true });
    const r = loadSnapshot(snapshotFiles(synthSnapshot(m, new Date('2026-01-01T00:00:00Z'))), 'synth');
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.accounts.map((a) => a.name).sort()).toEqual(m.accounts.map((a) => a.name).sort());
    expect(r.value.roles).toHaveLength(m.roles.length);
    expect(r.value.resources).toHaveLength(m.resources.length);
    expect(r.value.accounts.find((a) => a.name === 'bu000-prod')!.ouPath).toBe('Root/Workloads/Prod');
    expect(r.value.serviceControlPolicies.map((p) => p.name).sort()).toEqual(m.serviceControlPolicies.map((p) => p.name).sort());
  });
});
