import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeDelta } from '../delta/delta.js';
import { writeSnapshot } from '../io/snapshot-files.js';
import type { OrganizationModel } from '../model/organization.js';
import { synthOrganization, synthSnapshot } from '../synthetic/index.js';
import { deltaSide, diff, loadSide, loadSides } from './diff.js';
import { nodeHost } from './host.js';

const tmp = mkdtempSync(join(tmpdir(), 'bulkhead-diff-shared-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const host = nodeHost({ report: () => {} });
const grant = { Version: '2012-10-17', Statement: [{ Sid: 'All', Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*' }] };

/** Two snapshot directories of one organization, one role of `bu000-prod` given S3 data access in the second. */
async function pair(): Promise<{ before: string; after: string }> {
  const m = synthOrganization({ accounts: 12, rolesPerAccount: 4, resourcesPerAccount: 3, violations: true });
  const changed: OrganizationModel = { ...m, roles: m.roles.map((r) => (r.account === 'bu000-prod' && r.name === 'app' ? { ...r, policies: [...r.policies, { name: 'added', kind: 'inline' as const, document: grant }] } : r)) };
  const at = new Date('2026-12-01T00:00:00Z');
  const dirs = { before: join(tmp, 'before'), after: join(tmp, 'after') };
  for (const [dir, model] of [[dirs.before, m], [dirs.after, changed]] as const) {
    const w = await writeSnapshot(dir, synthSnapshot(model, at));
    if (!w.ok) throw new Error(JSON.stringify(w.diagnostics));
  }
  return dirs;
}

describe('diff: account files shared between the two snapshots', () => {
  it('gives both sides the same frozen objects for byte-identical account files, and distinct ones for the changed account', async () => {
    const dirs = await pair();
    const r = await loadSides(dirs, host);
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    const { before, after } = r.value;
    const role = (m: OrganizationModel, account: string) => m.roles.find((x) => x.account === account && x.name === 'app')!;
    const [b, a] = [role(before.model, 'bu001-prod'), role(after.model, 'bu001-prod')];
    expect(a.trustPolicy).toBe(b.trustPolicy);
    expect(a.policies[0]!.document).toBe(b.policies[0]!.document);
    expect(Object.isFrozen(a.trustPolicy)).toBe(true);
    expect(() => {
      (a.trustPolicy as { Version: string }).Version = 'changed';
    }).toThrow(TypeError);
    const [cb, ca] = [role(before.model, 'bu000-prod'), role(after.model, 'bu000-prod')];
    expect(ca.trustPolicy).not.toBe(cb.trustPolicy);
    expect(ca.policies.map((p) => p.name)).toContain('added');
    expect(cb.policies.map((p) => p.name)).not.toContain('added');
  });

  it('gives the delta of both sides loaded apart and verified from scratch', async () => {
    const dirs = await pair();
    const [b, a] = [await loadSide(dirs.before, host), await loadSide(dirs.after, host)];
    if (!b.ok || !a.ok) throw new Error('load');
    const full = computeDelta(deltaSide(b.value, dirs.before), deltaSide(a.value, dirs.after), { mode: 'diff', reuse: false });
    expect(full.access.length).toBeGreaterThan(0);
    const shared = await diff({ ...dirs, threads: 1 }, host);
    if (!shared.ok) throw new Error(JSON.stringify(shared.diagnostics));
    expect(shared.value).toEqual(full);
  }, 60_000);

  it('warns (BH7250) when an explicit --threads count exceeds the memory budget, and still runs on it', async () => {
    const dirs = await pair();
    const tight = await diff({ ...dirs, threads: 2, machine: () => ({ cores: 2, loadAverage: 0, heapLimitBytes: 8 * 1048576 }) }, host);
    if (!tight.ok) throw new Error(JSON.stringify(tight.diagnostics));
    const warned = tight.diagnostics.filter((d) => d.code === 'BH7250');
    expect(warned).toHaveLength(1);
    expect(warned[0]!.message).toContain('`--threads 2` likely exceeds the memory budget');
    const roomy = await diff({ ...dirs, threads: 2, machine: () => ({ cores: 2, loadAverage: 0, heapLimitBytes: 4096 * 1048576 }) }, host);
    if (!roomy.ok) throw new Error(JSON.stringify(roomy.diagnostics));
    expect(roomy.diagnostics.filter((d) => d.code === 'BH7250')).toEqual([]);
    expect(roomy.value).toEqual(tight.value);
  }, 60_000);
});
