import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test-support/cli.js';
import type { Finding } from '../verify/finding.js';
import { findingFingerprint } from './fingerprint.js';

const SPEC = 'examples/violations/dev-role-trusted-by-prod.yaml';
const dir = mkdtempSync(join(tmpdir(), 'bulkhead-gate-report-'));
const ex = join(dir, 'ex.yaml');
// one live entry (suppresses the boundary finding) and one expired entry (becomes a gate.exclusion-expired finding)
writeFileSync(
  ex,
  'exclusions:\n  - rule: boundary.*\n    principal: "*appeng"\n    reason: accepted for the migration\n    owner: platform\n    expires: 2026-12-31\n' +
    '  - rule: escalation.*\n    reason: old\n    owner: platform\n    expires: 2026-01-31\n',
);
const now = new Date('2026-07-01T00:00:00Z');

describe('gate counts in the verify reports', () => {
  it('markdown has a gate table and names the expired entry', async () => {
    const r = await runCli(['verify', SPEC, '--format', 'markdown', '--exclusions', ex], { now });
    expect(r.stdout).toContain(`| exclusions | \`${ex}\` | 2 | 1 | 1 |`);
    expect(r.stdout).toContain(`Expired exclusion entries (each reported as a \`gate.exclusion-expired\` finding): \`${ex}:7\`.`);
    expect(r.stdout).toContain('gate.exclusion-expired');
  });

  it('html has a gate line', async () => {
    const r = await runCli(['verify', SPEC, '--format', 'html', '--exclusions', ex], { now });
    expect(r.stdout).toContain(`<p id="gate">Gate: exclusions ${ex} suppressed 1 finding(s), 1 entry expired (expired: ${ex}:7).</p>`);
  });

  it('sarif carries summary.gate in the run properties, and the expired entry as a result', async () => {
    const r = await runCli(['verify', SPEC, '--format', 'sarif', '--exclusions', ex], { now });
    const run = (JSON.parse(r.stdout) as { runs: { properties?: { gate: unknown }; results: { ruleId: string }[] }[] }).runs[0]!;
    expect(run.properties?.gate).toEqual({ exclusions: { file: ex, entries: 2, suppressed: 1, expired: [`${ex}:7`] } });
    expect(run.results.map((x) => x.ruleId)).toEqual(['gate.exclusion-expired']);
  });

  it('without a gate the reports say nothing about one', async () => {
    const r = await runCli(['verify', SPEC, '--format', 'sarif']);
    expect((JSON.parse(r.stdout) as { runs: { properties?: unknown }[] }).runs[0]!.properties).toBeUndefined();
  });
});

describe('finding fingerprints', () => {
  const base = { rule: 'boundary.assertion', principal: 'arn:aws:iam::111111111111:role/a', resource: 'arn:aws:s3:::one', account: 'prod', capabilities: ['read-data'] } as unknown as Finding;
  it('two aggregated findings that share rule, principal, first resource and account no longer collide', () => {
    const more = { ...base, resources: ['arn:aws:s3:::one', 'arn:aws:s3:::two'] } as unknown as Finding;
    const wider = { ...base, capabilities: ['read-data', 'write-data'] } as unknown as Finding;
    expect(new Set([findingFingerprint(base), findingFingerprint(more), findingFingerprint(wider)]).size).toBe(3);
  });
  it('is stable under reordering and rewording', () => {
    const a = { ...base, capabilities: ['write-data', 'read-data'], message: 'x' } as unknown as Finding;
    const b = { ...base, capabilities: ['read-data', 'write-data'], message: 'y' } as unknown as Finding;
    expect(findingFingerprint(a)).toBe(findingFingerprint(b));
  });
});
