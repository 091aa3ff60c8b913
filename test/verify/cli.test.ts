import { mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test-support/cli.js';
import { REPORT_SCRIPT_TAG } from '../../src/report/html-script.js';

const VIOLATION = 'examples/violations/dev-role-trusted-by-prod.yaml';

describe('bulkhead verify: outputs and exit codes', () => {
  it('prints a terminal summary with counts and the worst findings', async () => {
    const r = await runCli(['verify', VIOLATION]);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('findings: 1 (critical 1, high 0, medium 0, low 0, info 0)');
    expect(r.stdout).toContain('boundary.assertion  1');
    // the terminal names principals by account and role name (the JSON keeps the ARNs in `path`)
    expect(r.stdout).toContain('path: retail-dev/appeng -> retail-prod/migrator');
  });
  it('exits 0 when nothing is at or above --fail-on, 3 otherwise', async () => {
    expect((await runCli(['verify', VIOLATION, '--fail-on', 'none'])).code).toBe(0);
    expect((await runCli(['verify', VIOLATION, '--fail-on', 'critical'])).code).toBe(3);
    expect((await runCli(['verify', 'examples/violations/clean.yaml', '--fail-on', 'info'])).code).toBe(0);
  });
  it('writes JSON with the documented shape, deterministically', async () => {
    const a = await runCli(['verify', VIOLATION, '-f', 'json']);
    const b = await runCli(['verify', VIOLATION, '-f', 'json']);
    expect(a.stdout).toBe(b.stdout);
    const j = JSON.parse(a.stdout);
    expect(Object.keys(j)).toEqual(['schemaVersion', 'tool', 'generatedAt', 'findings', 'summary']);
    expect(j.generatedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(Object.keys(j.findings[0])).toEqual(['rule', 'severity', 'principal', 'principalName', 'resource', 'resources', 'resourceCount', 'account', 'capabilities', 'path', 'evidence', 'message']);
    expect(j.summary.counts.bySeverity.critical).toBe(1);
    const acct = j.summary.accounts.find((x: { name: string }) => x.name === 'retail-prod');
    expect(acct).toMatchObject({ phase: 'prod', phaseSource: 'spec', idSynthetic: true, production: true });
    expect(acct.id).toMatch(/^9\d{11}$/);
  });
  it('writes SARIF 2.1.0 with rules and results', async () => {
    const j = JSON.parse((await runCli(['verify', VIOLATION, '-f', 'sarif'])).stdout);
    expect(j.version).toBe('2.1.0');
    const run = j.runs[0];
    expect(run.tool.driver.name).toBe('bulkhead');
    expect(run.results).toHaveLength(1);
    const res = run.results[0];
    expect(res.ruleId).toBe('boundary.assertion');
    expect(run.tool.driver.rules[res.ruleIndex].id).toBe('boundary.assertion');
    expect(res.level).toBe('error');
    expect(res.locations[0].physicalLocation.artifactLocation.uri).toBe(VIOLATION);
    expect(res.partialFingerprints['bulkheadFinding/v2']).toMatch(/^[0-9a-f]{16}$/);
  });
  it('writes markdown and HTML', async () => {
    const md = (await runCli(['verify', VIOLATION, '-f', 'markdown'])).stdout;
    expect(md).toContain('# bulkhead verify: acme');
    expect(md).toContain('`boundary.assertion`');
    expect(md).toContain('trust policy, statement `Trust1` (Allow)');
    const html = (await runCli(['verify', VIOLATION, '-f', 'html'])).stdout;
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('id="bu-grid"');
    // the report's own filter script only
    expect(html.split(REPORT_SCRIPT_TAG)).toHaveLength(2);
    expect(html.replace(REPORT_SCRIPT_TAG, '')).not.toMatch(/<script/i);
  });
  it('--out writes the report to a file and the summary to stderr', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bh-verify-'));
    const out = join(dir, 'sub', 'report.json');
    const r = await runCli(['verify', VIOLATION, '-f', 'json', '--out', out]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('findings: 1');
    expect(JSON.parse(readFileSync(out, 'utf8')).findings).toHaveLength(1);
  });
});

describe('bulkhead verify: bad input', () => {
  it('a missing target is invalid input (1) with a clear diagnostic', async () => {
    const r = await runCli(['verify', 'no/such/spec.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error BH7001: verify target `no/such/spec.yaml` does not exist');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
  it('an invalid spec is invalid input (1), positioned', async () => {
    const r = await runCli(['verify', '-'], { stdin: 'version: 1\norganization: 3\n' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/<stdin>:\d+:\d+: error/);
  });
  it('a broken snapshot is invalid input (1)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bh-snap-'));
    cpSync('examples/violations/prod-bucket-grants-dev', dir, { recursive: true });
    writeFileSync(join(dir, 'organization.json'), '{ not json');
    const r = await runCli(['verify', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('organization.json');
  });
  it('an empty directory is invalid input (1)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bh-empty-'));
    mkdirSync(join(dir, 'x'));
    const r = await runCli(['verify', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('manifest.json');
  });
  it('usage errors exit 2', async () => {
    expect((await runCli(['verify', VIOLATION, '--fail-on', 'severe'])).code).toBe(2);
    expect((await runCli(['verify', VIOLATION, '-f', 'pdf'])).code).toBe(2);
    const r = await runCli(['verify', VIOLATION, '--destroy-threshold', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--destroy-threshold must be a positive integer, got `0`');
    expect((await runCli(['verify'])).code).toBe(2);
    const both = await runCli(['verify', VIOLATION, '--spec', VIOLATION]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--spec applies to a snapshot directory');
  });
  it('an invalid --spec is invalid input (1)', async () => {
    const r = await runCli(['verify', 'examples/violations/prod-bucket-grants-dev', '--spec', 'missing.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('missing.yaml');
  });
});

describe('bulkhead synth', () => {
  it('writes a snapshot directory that verify reads, with the planted violations found', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bh-synth-'));
    const s = await runCli(['synth', '--accounts', '12', '--roles', '3', '--resources', '4', '--violations', '--out', 'snap'], { cwd: dir });
    expect(s.code).toBe(0);
    expect(s.stderr).toContain('wrote 12 accounts');
    const v = await runCli(['verify', 'snap', '-f', 'json', '--threads', '1'], { cwd: dir });
    expect(v.stderr).toBe('');
    expect(v.code).toBe(3);
    const out = JSON.parse(v.stdout) as { findings: { rule: string; path: string[] }[] };
    expect(out.findings.some((f) => f.rule === 'boundary.nonprod-to-prod' && f.path.length === 2)).toBe(true);
  });
  it('exits 4 and says so when the analysis had to leave a document out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bh-incomplete-'));
    expect((await runCli(['synth', '--accounts', '8', '--roles', '1', '--resources', '1', '--out', 'snap'], { cwd: dir })).code).toBe(0);
    expect((await runCli(['verify', 'snap', '--fail-on', 'none', '--threads', '1'], { cwd: dir })).code).toBe(0);
    // an Effect AWS would refuse: the engine cannot evaluate that statement
    type AccountFile = { iam: { roles: { inlinePolicies: { document: { Statement: { Effect: string }[] } }[] }[] } };
    const withInline = (f: string) => (JSON.parse(readFileSync(f, 'utf8')) as AccountFile).iam.roles.some((r) => r.inlinePolicies.length > 0);
    // the first account file with an inline policy (the management account's file has no roles)
    const file = readdirSync(join(dir, 'snap', 'accounts')).sort().map((f) => join(dir, 'snap', 'accounts', f)).find(withInline)!;
    const account = JSON.parse(readFileSync(file, 'utf8')) as AccountFile;
    const role = account.iam.roles.find((r) => r.inlinePolicies.length > 0)!;
    role.inlinePolicies[0]!.document.Statement[0]!.Effect = 'Maybe';
    writeFileSync(file, JSON.stringify(account));
    const v = await runCli(['verify', 'snap', '--fail-on', 'none', '--threads', '1'], { cwd: dir });
    expect(v.code).toBe(4);
    expect(v.stdout).toContain('analysis incomplete: 1 document left out');
    const j = JSON.parse((await runCli(['verify', 'snap', '-f', 'json', '--fail-on', 'none', '--threads', '1'], { cwd: dir })).stdout) as { summary: { incomplete: { code: string }[] } };
    expect(j.summary.incomplete.map((i) => i.code)).toEqual(['BH7101']);
  });
  it('prints the model as JSON without --out, and rejects bad sizes', async () => {
    const r = await runCli(['synth', '--accounts', '8', '--roles', '1', '--resources', '1']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).accounts).toHaveLength(8);
    const bad = await runCli(['synth', '--accounts', '3']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--accounts must be an integer from 8 to 10000, got `3`');
    expect((await runCli(['synth'])).code).toBe(2);
  });
});
