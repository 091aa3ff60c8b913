import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test-support/cli.js';

const root = join(import.meta.dirname, '..', '..', '..');

describe('bulkhead plan', () => {
  it('prints the tree and the sizing for the article example', async () => {
    const r = await runCli(['plan', 'examples/acme.yaml'], { cwd: root });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Why 10 accounts');
    expect(r.stdout).toContain('3 business units × 3 phases (dev, stage, prod) = 9 runtime accounts');
    expect(r.stdout).toContain('1 management account');
    expect(r.stdout).toContain('= 10 accounts (within the account quota of 10)');
    expect(r.stdout).toMatch(/Prod\/\n.*acquisition-prod/);
    expect(r.stderr).toBe('');
  });

  it('prints stable JSON with the documented fields', async () => {
    const a = await runCli(['plan', 'examples/acme-full.yaml', '--format', 'json'], { cwd: root });
    const b = await runCli(['plan', 'examples/acme-full.yaml', '--format', 'json'], { cwd: root });
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const m = JSON.parse(a.stdout);
    expect(m.accounts.find((x: { name: string }) => x.name === 'retail-dev')).toMatchObject({
      email: 'aws+retail-dev@acme.example',
      ouPath: 'Root/Workloads/Dev',
      purpose: 'runtime',
      businessUnit: 'retail',
      phase: 'dev',
    });
    expect(m.accounts.find((x: { name: string }) => x.name === 'acme-management').purpose).toBe('management');
    expect(m.accounts.find((x: { name: string }) => x.name === 'log-archive').purpose).toBe('log-archive');
    expect(m.organizationalUnits.map((o: { path: string }) => o.path)).toContain('Root/Workloads/Prod');
    const role = m.roles.find((r: { account: string; name: string }) => r.account === 'retail-dev' && r.name === 'appeng');
    expect(role.policies.map((p: { name: string }) => p.name)).toEqual(['dev-appeng']);
    expect(role.trustPolicy.Statement[0].Principal.AWS).toBe('arn:aws:iam::{{account:identity}}:root');
    const prodDeletes = m.serviceControlPolicies.find((p: { name: string }) => p.name === 'deny-prod-deletes');
    expect(prodDeletes.targets).toEqual([{ ou: 'Root/Workloads/Prod' }]);
    expect(m.sizing.total).toBe(m.accounts.length);
  });

  it('reads the spec from stdin with -', async () => {
    const text = readFileSync(join(root, 'examples/acme.yaml'), 'utf8');
    const r = await runCli(['plan', '-'], { stdin: text });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('acme: 10 accounts');
  });

  it('exits 1 with positioned diagnostics for an invalid spec, printing no plan', async () => {
    const r = await runCli(['plan', '-'], { stdin: 'version: 1\norganization: {}\nphases: []\n' });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^<stdin>:\d+:\d+: error BH100\d: /m);
    expect(r.stderr).toMatch(/\d+ errors?, \d+ warnings?\n$/);
  });

  it('exits 1 when the file is missing, naming it', async () => {
    const r = await runCli(['plan', 'nope.yaml'], { cwd: root });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('nope.yaml: error BH0001: file `nope.yaml` does not exist; check the path');
  });

  it('exits 2 on usage errors', async () => {
    expect((await runCli(['plan'])).code).toBe(2);
    expect((await runCli(['plan', 'x.yaml', '--format', 'xml'])).code).toBe(2);
    expect((await runCli(['nosuchcommand'])).code).toBe(2);
  });

  it('shows warnings but still plans (exit 0)', async () => {
    const text = readFileSync(join(root, 'examples/acme.yaml'), 'utf8').replace('  - { name: acquisition, displayName: New Acquisition }', '  - { name: acquisition }\n  - { name: logistics }');
    const r = await runCli(['plan', '-'], { stdin: text });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning BH1040: the plan has 13 accounts but the organization account quota is 10; request an increase to at least 13');
  });
});

describe('bulkhead init', () => {
  it('writes a starter spec that plans, and refuses to overwrite it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulkhead-init-'));
    const r = await runCli(['init', '--business-units', 'retail,bi,acquisition', '--phases', 'dev,stage,prod', '--email-domain', 'acme.example'], { cwd: dir });
    expect(r.code).toBe(0);
    const plan = await runCli(['plan', 'bulkhead.yaml'], { cwd: dir });
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('3 business units × 3 phases (dev, stage, prod) = 9 runtime accounts');
    const again = await runCli(['init'], { cwd: dir });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists; pass --force');
  });

  it('rejects bad names as usage errors', async () => {
    const r = await runCli(['init', '--business-units', 'Retail,bi']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('`Retail` must be lowercase');
  });
});
