import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test-support/cli.js';

/*
 * The hang report: `verify` on a snapshot whose role policy holds `arn:aws:s3:::*a*a*a*a*a*a*a*a*a*ab` ran past
 * 60 s, because the pattern became a backtracking regular expression and every near miss against a bucket named
 * with many `a`s took exponential time. The test timeout (30 s) is the bound; the matcher now does O(n·m) work.
 */
describe('bulkhead verify: adversarial wildcard patterns', () => {
  it('completes on a snapshot whose role policy holds an exponential-backtracking pattern', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'bh-pattern-')), 'snap');
    cpSync('examples/violations/prod-bucket-grants-dev', dir, { recursive: true });
    const file = join(dir, 'accounts', '333333333333.json');
    const account = JSON.parse(readFileSync(file, 'utf8'));
    const bucket = 'arn:aws:s3:::' + 'a'.repeat(40);
    account.resources.push({ arn: bucket, type: 's3:bucket', region: 'us-east-1', tags: {} });
    account.iam.roles[0].inlinePolicies[0].document.Statement.push(
      { Sid: 'Adversarial', Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::*a*a*a*a*a*a*a*a*a*ab' },
      { Sid: 'AdversarialLike', Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { StringLike: { 'aws:PrincipalArn': '*a'.repeat(30) + 'b' } } },
    );
    writeFileSync(file, JSON.stringify(account));
    const r = await runCli(['verify', dir, '-f', 'json', '--fail-on', 'none']);
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    const findings = JSON.parse(r.stdout).findings as { resource: string }[];
    expect(findings.length).toBeGreaterThan(0); // the planted finding is still reported
    expect(findings.some((f) => f.resource === bucket)).toBe(false); // the near miss grants nothing
  });
});
