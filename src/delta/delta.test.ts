import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { planSpecText } from './testdata/plan-fixture.js';
import { computeDelta, failingChanges } from './delta.js';
import { renderDeltaMarkdown, renderDeltaSarif, renderDeltaText, renderDeltaHtml } from './render.js';
import { isHistoryRef, splitSideRef } from './side-ref.js';
import type { OrganizationModel, Role } from '../model/organization.js';

const dir = join(import.meta.dirname, 'testdata');
const model = (name: string): OrganizationModel => planSpecText(readFileSync(join(dir, name), 'utf8'), name);
const delta = (a: string, b: string) => computeDelta({ model: model(a), label: a }, { model: model(b), label: b });

describe('delta between two specs', () => {
  it('finds the new trust edge that opens a dev → prod path, and nothing else', () => {
    const d = delta('base.yaml', 'trust.yaml');
    expect(d.structural).toEqual([{ subject: 'role', change: 'changed', name: 'retail-prod/migrator', details: ['trust policy: statement `Trust1` changed'] }]);
    expect(d.access.map((a) => [a.direction, a.principal, a.account, a.capabilities, a.path, a.resources, a.severity])).toEqual([
      ['gained', 'retail-dev/appeng', 'retail-prod', ['read-data', 'write-data'], ['retail-dev/appeng', 'retail-prod/migrator'], ['retail-prod any s3:bucket'], 'critical'],
    ]);
    expect(d.access[0]!.evidence.map((e) => `${e.source}#${e.statement}`)).toContain('role retail-prod/migrator trust policy#Trust1');
    expect(d.findings.filter((f) => f.state !== 'unchanged').map((f) => [f.state, f.finding.rule, f.finding.principalName, f.finding.account])).toEqual([
      ['new', 'boundary.assertion', 'retail-dev/appeng', 'retail-prod'],
    ]);
    expect(failingChanges(d, 'high').findings).toHaveLength(1);
    expect(failingChanges(d, 'none').findings).toHaveLength(0);
  });

  it('finds the tightened SCP that closes the path: access lost, finding resolved', () => {
    const d = delta('trust.yaml', 'tightened.yaml');
    expect(d.structural.map((c) => [c.subject, c.change, c.name, c.details])).toEqual([['scp', 'added', 'dev-cannot-assume-migrator', ['attached to `Root/Workloads/Dev`']]]);
    expect(d.access.map((a) => [a.direction, a.principal, a.account, a.capabilities])).toEqual([['lost', 'retail-dev/appeng', 'retail-prod', ['read-data', 'write-data']]]);
    expect(d.findings.filter((f) => f.state !== 'unchanged').map((f) => [f.state, f.finding.rule])).toEqual([['resolved', 'boundary.assertion']]);
    expect(failingChanges(d, 'info')).toEqual({ findings: [], access: [] });
  });

  it('reports a renamed account (same email) as a rename only: no access or finding changes', () => {
    const d = delta('base.yaml', 'renamed.yaml');
    expect(d.structural).toEqual([{ subject: 'account', change: 'renamed', name: 'analytics-lake', details: ['renamed from `data-lake`'] }]);
    expect(d.access).toEqual([]);
    expect(d.findings.filter((f) => f.state !== 'unchanged')).toEqual([]);
  });

  it('reports nothing between a spec and itself', () => {
    const d = delta('base.yaml', 'base.yaml');
    expect([d.structural, d.access, d.findings.filter((f) => f.state !== 'unchanged')]).toEqual([[], [], []]);
  });

  it('finds an out-of-band role and the access it adds', () => {
    const before = model('base.yaml');
    const prod = before.roles.find((r) => r.account === 'retail-prod' && r.name === 'migrator')!;
    const { arn: _arn, ...rest } = prod;
    const role: Role = { ...rest, name: 'hand-made', trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::{{account:retail-dev}}:role/appeng' }, Action: 'sts:AssumeRole' }] } };
    const after: OrganizationModel = { ...before, roles: [...before.roles, role] };
    const d = computeDelta({ model: before, label: 'before' }, { model: after, label: 'after' });
    expect(d.structural.map((c) => [c.subject, c.change, c.name])).toEqual([['role', 'added', 'retail-prod/hand-made']]);
    expect(d.access.map((a) => [a.direction, a.principal, a.account, a.capabilities, a.path])).toEqual([
      ['gained', 'retail-prod/hand-made', 'retail-prod', ['read-data', 'write-data'], ['retail-prod/hand-made']],
    ]);
  });
});

describe('delta renderers', () => {
  const d = delta('base.yaml', 'trust.yaml');

  it('markdown: summary first, details folded in <details>', () => {
    const md = renderDeltaMarkdown(d);
    const lines = md.split('\n');
    expect(lines[0]).toMatch(/^### bulkhead diff: /);
    expect(lines[2]).toBe('**1 structural changes; access gained 1, lost 0; findings new 1, resolved 0, unchanged 0**');
    expect(md.indexOf('**Access gained**')).toBeLessThan(md.indexOf('<details>'));
    expect(md.match(/<details>/g)?.length).toBe(md.match(/<\/details>/g)?.length);
    expect(md).toContain('<details><summary>Structure (1)</summary>');
  });

  it('sarif: a 2.1.0 log with baselineState on every result, only the spec values', () => {
    const log = JSON.parse(renderDeltaSarif(d, 'trust.yaml'));
    expect(log.version).toBe('2.1.0');
    const results = log.runs[0].results as { ruleId: string; ruleIndex: number; baselineState: string }[];
    expect(results.every((r) => ['new', 'unchanged', 'updated', 'absent'].includes(r.baselineState))).toBe(true);
    expect(results.filter((r) => r.baselineState === 'new').map((r) => r.ruleId).sort()).toEqual(['boundary.assertion', 'delta.access-gained']);
    for (const r of results) expect(log.runs[0].tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
    const resolved = JSON.parse(renderDeltaSarif(delta('trust.yaml', 'tightened.yaml'), 'x'));
    expect(resolved.runs[0].results.map((r: { baselineState: string }) => r.baselineState)).toContain('absent');
  });

  it('text and html escape names from the inputs', () => {
    const hostile = { ...d, sides: { before: 'a\u001b[31m', after: '<script>' } };
    expect(renderDeltaText(hostile)).not.toContain('\u001b');
    expect(renderDeltaHtml(hostile)).not.toContain('<script>');
  });
});

describe('side references', () => {
  it('splits at the last @ and knows history references', () => {
    expect(splitSideRef('spec.yaml@main')).toEqual({ path: 'spec.yaml', at: 'main' });
    expect(splitSideRef('spec.yaml')).toEqual({ path: 'spec.yaml' });
    expect(splitSideRef('@x')).toEqual({ path: '@x' });
    expect(isHistoryRef('2026-11-01')).toBe(true);
    expect(isHistoryRef('latest')).toBe(true);
    expect(isHistoryRef('main')).toBe(false);
    expect(isHistoryRef('2026-1x-01')).toBe(false);
  });
});

describe('finding match keys', () => {
  it('tell apart aggregated findings that differ only in their capability set, and follow a rename', async () => {
    const { compareFindings, findingKey } = await import('./findings.js');
    const base = {
      rule: 'boundary.assertion',
      severity: 'critical' as const,
      principal: 'arn:aws:iam::1:role/a',
      principalName: 'dev/a',
      resource: 'arn:aws:s3:::b',
      account: 'prod',
      path: [],
      evidence: [],
      message: 'm',
    };
    const read = { ...base, capabilities: ['read-data' as const] };
    const write = { ...base, capabilities: ['write-data' as const] };
    expect(findingKey(read, (n) => n)).not.toBe(findingKey(write, (n) => n));
    const states = compareFindings([read], [write], (n) => n).map((f) => f.state);
    expect(states.sort()).toEqual(['new', 'resolved']);
    const renamed = { ...read, principalName: 'development/a' };
    expect(compareFindings([read], [renamed], (n) => (n === 'dev' ? 'development' : n)).map((f) => f.state)).toEqual(['unchanged']);
  });
});
