import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test-support/cli.js';

const SPEC = 'examples/violations/dev-role-trusted-by-prod.yaml';
const dir = mkdtempSync(join(tmpdir(), 'bulkhead-gate-'));

describe('verify --baseline and --exclusions', () => {
  it('a report is its own baseline: nothing new, exit 0, the summary says how many were suppressed', async () => {
    const first = await runCli(['verify', SPEC, '--format', 'json']);
    expect(first.code).toBe(3);
    const baseline = join(dir, 'baseline.json');
    writeFileSync(baseline, first.stdout);
    const again = await runCli(['verify', SPEC, '--format', 'json', '--baseline', baseline]);
    expect(again.code).toBe(0);
    const report = JSON.parse(again.stdout) as { findings: unknown[]; summary: { counts: { total: number }; gate: { baseline: { suppressed: number } } } };
    expect(report.findings).toEqual([]);
    expect(report.summary.counts.total).toBe(0);
    expect(report.summary.gate.baseline.suppressed).toBe(JSON.parse(first.stdout).findings.length);
    const terminal = await runCli(['verify', SPEC, '--baseline', baseline]);
    expect(terminal.stdout).toContain(`baseline ${baseline} suppressed 1 finding(s)`);
  });

  it('an empty baseline suppresses nothing', async () => {
    const baseline = join(dir, 'empty.json');
    writeFileSync(baseline, JSON.stringify({ schemaVersion: 1, findings: [] }));
    expect((await runCli(['verify', SPEC, '--baseline', baseline])).code).toBe(3);
  });

  it('a bad baseline is an error with file:line:col and the JSON path', async () => {
    const baseline = join(dir, 'bad.json');
    writeFileSync(baseline, '{\n  "schemaVersion": 1,\n  "findings": [\n    {"rule": 7}\n  ]\n}\n');
    const r = await runCli(['verify', SPEC, '--baseline', baseline]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${baseline}:4:6`);
    expect(r.stderr).toContain('BH9141');
    expect(r.stderr).toContain('findings[0].rule');
  });

  it('a live exclusion suppresses; an expired one does not and becomes a finding', async () => {
    const ex = join(dir, 'ex.yaml');
    writeFileSync(ex, 'exclusions:\n  - rule: boundary.*\n    principal: "*appeng"\n    reason: accepted for the migration\n    owner: platform\n    expires: 2026-06-30\n');
    const live = await runCli(['verify', SPEC, '--format', 'json', '--exclusions', ex], { now: new Date('2026-06-30T12:00:00Z') });
    expect(live.code).toBe(0);
    expect(JSON.parse(live.stdout).summary.gate.exclusions).toEqual({ file: ex, entries: 1, suppressed: 1, expired: [] });
    const late = await runCli(['verify', SPEC, '--format', 'json', '--exclusions', ex, '--fail-on', 'critical'], { now: new Date('2026-07-01T00:00:00Z') });
    expect(late.code).toBe(3);
    const rules = (JSON.parse(late.stdout) as { findings: { rule: string; message: string }[] }).findings.map((f) => f.rule);
    expect(rules).toEqual(['boundary.assertion', 'gate.exclusion-expired']);
    expect(late.stdout).toContain(`${ex}:2`);
  });

  it('a bad exclusions file is an error with file:line:col before anything is verified', async () => {
    const ex = join(dir, 'bad.yaml');
    writeFileSync(ex, 'exclusions:\n  - rule: x\n    reason: r\n    owner: o\n    expires: next week\n');
    const r = await runCli(['verify', SPEC, '--exclusions', ex]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${ex}:5:14`);
    expect(r.stderr).toContain('BH9144');
  });
});
