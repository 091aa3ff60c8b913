import { describe, expect, it } from 'vitest';
import { createEngineEvaluator } from '../verify/engine-adapter.js';
import { assembleGraph, candidatePairs, evaluateShare } from '../verify/graph.js';
import { prepareVerify, verifyModel } from '../verify/verify.js';
import { loadSnapshot } from '../snapshot/load.js';
import { snapshotFiles } from '../snapshot/format.js';
import { synthSnapshot } from './snapshot.js';
import { synthOrganization } from './synth.js';

describe('synthOrganization({ people: true })', () => {
  it('adds groups, users, permission sets, assignments and one AWSReservedSSO_ role per assignment', () => {
    const plain = synthOrganization({ accounts: 20, rolesPerAccount: 10, resourcesPerAccount: 4 });
    const m = synthOrganization({ accounts: 20, rolesPerAccount: 10, resourcesPerAccount: 4, people: true });
    expect(plain.identity).toBeUndefined();
    const id = m.identity!;
    const runtime = m.accounts.filter((a) => a.purpose === 'runtime');
    // every runtime account: the platform readers, and the BU's developers (dev, stage) or operators (prod)
    expect(id.assignments).toHaveLength(runtime.length * 2);
    const sso = m.roles.filter((r) => r.path === '/aws-reserved/sso.amazonaws.com/' && r.name.startsWith('AWSReservedSSO_'));
    expect(sso).toHaveLength(id.assignments.length);
    expect(new Set(sso.map((r) => r.arn)).size).toBe(sso.length);
    expect(m.roles.length).toBe(plain.roles.length + sso.length);
    expect(id.permissionSets.map((p) => p.name)).toEqual(['dev-developer', 'platform-reader', 'prod-operator', 'stage-developer']);
    expect(id.groups.every((g) => g.members.length > 0 && g.members.every((u) => id.users.some((x) => x.name === u)))).toBe(true);
  });

  it('gives verify people paths and PassRole and IAM-modification escalation edges', () => {
    const m = synthOrganization({ accounts: 14, rolesPerAccount: 10, resourcesPerAccount: 2, people: true });
    const p = prepareVerify(m, {});
    const c = candidatePairs(p.principals, p.resources);
    const g = assembleGraph(p.principals, p.resources, c, [evaluateShare(p.principals, p.resources, c, createEngineEvaluator())]);
    const kinds = new Set(g.escalations.map((e) => e.kind));
    expect([...kinds]).toEqual(expect.arrayContaining(['pass-role:lambda', expect.stringMatching(/^iam-modify:/)]));
    const from = (e: { from: number }) => p.principals[e.from]!.ctx.arn;
    expect(g.escalations.filter((e) => e.kind === 'pass-role:lambda').every((e) => from(e).includes('AWSReservedSSO_') && from(e).includes('-developer_'))).toBe(true);
    const r = verifyModel(m, { target: 'synth' });
    expect(r.summary.people).toMatchObject({ provider: 'identity-center', assignments: m.identity!.assignments.length });
    expect(r.findings.filter((f) => f.rule === 'identity.nonprod-group-in-prod')).toEqual([]);
  });

  it('with violations, plants a prod permission set for a dev group, and verify finds it', () => {
    const m = synthOrganization({ accounts: 14, rolesPerAccount: 4, resourcesPerAccount: 2, people: true, violations: true });
    const r = verifyModel(m, { target: 'synth' });
    const found = r.findings.filter((f) => f.rule === 'identity.nonprod-group-in-prod');
    expect(found).toHaveLength(1);
    expect(found[0]!.people?.[0]).toMatchObject({ group: 'bu000-developers', permissionSet: 'prod-operator' });
    // AWS makes one role per permission set and account: the planted group lands in the operators' role
    const ops = m.identity!.assignments.filter((a) => a.account === 'bu000-prod' && a.permissionSet === 'prod-operator');
    expect(ops.map((a) => a.group)).toEqual(['bu000-developers', 'bu000-operators']);
    expect(new Set(ops.map((a) => a.role)).size).toBe(1);
  });

  it('is deterministic', () => {
    const o = { accounts: 30, people: true, violations: true } as const;
    expect(JSON.stringify(synthOrganization(o))).toBe(JSON.stringify(synthOrganization(o)));
  });
});

describe('synthSnapshot with people', () => {
  it('round-trips the identity section through the snapshot format and loader', () => {
    const m = synthOrganization({ accounts: 14, rolesPerAccount: 2, resourcesPerAccount: 1, people: true, violations: true });
    const r = loadSnapshot(snapshotFiles(synthSnapshot(m, new Date('2026-01-01T00:00:00Z'))), 'synth');
    expect(r.diagnostics.map((d) => d.message)).toEqual([]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const id = r.value.identity!;
    const key = (a: { group: string; account: string; role: string; permissionSet?: string }) => `${a.group} ${a.account} ${a.role} ${a.permissionSet ?? ''}`;
    expect(id.assignments.map(key).sort()).toEqual(m.identity!.assignments.map(key).sort());
    expect(id.groups.map((g) => [g.name, g.members])).toEqual(m.identity!.groups.map((g) => [g.name, g.members]));
    expect(id.permissionSets.map((p) => [p.name, p.policies.map((x) => x.document)])).toEqual(m.identity!.permissionSets.map((p) => [p.name, p.policies.map((x) => x.document)]));
  });
});
