import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test-support/cli.js';

const policy = (effect: 'Allow' | 'Deny', action: string) => ({ Version: '2012-10-17', Statement: [{ Effect: effect, Action: action, Resource: '*' }] });
const input = (policies: object[]) => ({
  request: { principal: 'arn:aws:iam::111122223333:role/app', action: 's3:GetObject', resource: 'arn:aws:s3:::orders/a.csv' },
  identityPolicies: policies,
});
const allowed = input([policy('Allow', 's3:GetObject')]);
const implicit = input([policy('Allow', 's3:PutObject')]);
const explicit = input([policy('Allow', 's3:*'), policy('Deny', 's3:GetObject')]);
const dir = mkdtempSync(join(tmpdir(), 'bulkhead-expect-'));

describe('simulate --expect', () => {
  it('exits 0 on the expected decision and 3 on another, naming both', async () => {
    const file = join(dir, 'one.json');
    writeFileSync(file, JSON.stringify(allowed));
    expect((await runCli(['simulate', file, '--expect', 'Allowed'])).code).toBe(0);
    const r = await runCli(['simulate', file, '--expect', 'ExplicitlyDenied']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).decision).toBe('Allowed');
    expect(r.stderr).toBe('decision `Allowed`, expected `ExplicitlyDenied`\n');
    expect((await runCli(['simulate', '-', '--expect', 'ImplicitlyDenied'], { stdin: JSON.stringify(implicit) })).code).toBe(0);
  });

  it('in a batch, exits 3 when any line differs and names each such line', async () => {
    const lines = [allowed, implicit, explicit, allowed].map((x) => JSON.stringify(x)).join('\n');
    const r = await runCli(['simulate', '--batch', '--expect', 'Allowed'], { stdin: `${lines}\n` });
    expect(r.code).toBe(3);
    expect(r.stdout.trim().split('\n')).toHaveLength(4);
    expect(r.stderr).toBe('line 2: decision `ImplicitlyDenied`, expected `Allowed`\nline 3: decision `ExplicitlyDenied`, expected `Allowed`\n');
    const same = await runCli(['simulate', '--batch', '--expect', 'Allowed'], { stdin: `${JSON.stringify(allowed)}\n${JSON.stringify(allowed)}` });
    expect(same.code).toBe(0);
  });

  it('a refused line wins (exit 1); a misspelt decision is a usage error', async () => {
    const r = await runCli(['simulate', '--batch', '--expect', 'Allowed'], { stdin: `${JSON.stringify(implicit)}\n{\n` });
    expect(r.code).toBe(1);
    const u = await runCli(['simulate', '-', '--expect', 'allowed'], { stdin: JSON.stringify(allowed) });
    expect(u.code).toBe(2);
    expect(u.stderr).toContain('allowed');
  });
});
