import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { runCli } from '../../../test-support/cli.js';
import { resolveAccountRefs } from '../../model/account-ref.js';
import type { OrganizationModel, Role } from '../../model/organization.js';
import { synthSnapshot } from '../../synthetic/index.js';
import { writeSnapshot } from '../../io/snapshot-files.js';
import { planSpecText } from '../../delta/testdata/plan-fixture.js';

const data = join(import.meta.dirname, '../../delta/testdata');
const tmp = mkdtempSync(join(tmpdir(), 'bulkhead-diff-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('bulkhead diff', () => {
  it('exits 3 on a new critical finding and 0 with --fail-on none; markdown goes to stdout', async () => {
    const r = await runCli(['diff', join(data, 'base.yaml'), join(data, 'trust.yaml'), '--format', 'markdown']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('**Access gained**');
    const none = await runCli(['diff', join(data, 'base.yaml'), join(data, 'trust.yaml'), '--fail-on', 'none']);
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('+ retail-dev/appeng gained read-data, write-data on retail-prod any s3:bucket in retail-prod [critical]');
  });

  it('takes --threads N or auto (the same delta), and rejects another value', async () => {
    const one = await runCli(['diff', join(data, 'base.yaml'), join(data, 'trust.yaml'), '--format', 'json', '--threads', '1']);
    const two = await runCli(['diff', join(data, 'base.yaml'), join(data, 'trust.yaml'), '--format', 'json', '--threads', '2']);
    expect(one.code).toBe(3);
    expect(two.stdout).toBe(one.stdout);
    const bad = await runCli(['diff', join(data, 'base.yaml'), join(data, 'trust.yaml'), '--threads', 'many']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--threads must be `auto` or a positive integer, got `many`');
  }, 60_000);

  it('exits 0 when the change only closes access', async () => {
    const r = await runCli(['diff', join(data, 'trust.yaml'), join(data, 'tightened.yaml'), '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).summary.access).toEqual({ gained: 0, lost: 1 });
  });

  it('reads a spec at a git revision, with clear errors for a bad revision, a missing path and no repository', async () => {
    const repo = join(tmp, 'repo');
    execFileSync('git', ['init', '-q', '-b', 'main', repo]);
    const git = (...args: string[]) => execFileSync('git', ['-C', repo, '-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args]);
    copyFileSync(join(data, 'base.yaml'), join(repo, 'spec.yaml'));
    git('add', 'spec.yaml');
    git('commit', '-qm', 'base');
    copyFileSync(join(data, 'trust.yaml'), join(repo, 'spec.yaml'));
    const r = await runCli(['diff', 'spec.yaml@main', 'spec.yaml', '--format', 'json'], { cwd: repo });
    expect(r.code).toBe(3);
    const d = JSON.parse(r.stdout);
    expect(d.sides).toEqual({ before: 'spec.yaml@main', after: 'spec.yaml' });
    expect(d.structural.map((c: { name: string }) => c.name)).toEqual(['retail-prod/migrator']);
    const badRev = await runCli(['diff', 'spec.yaml@nope', 'spec.yaml'], { cwd: repo });
    expect([badRev.code, badRev.stderr]).toEqual([1, expect.stringContaining('BH9102')]);
    const badPath = await runCli(['diff', 'other.yaml@main', 'spec.yaml'], { cwd: repo });
    expect([badPath.code, badPath.stderr]).toEqual([1, expect.stringContaining('BH9103')]);
    const outside = join(tmp, 'plain');
    execFileSync('mkdir', ['-p', outside]);
    writeFileSync(join(outside, 'x.yaml'), readFileSync(join(data, 'base.yaml')));
    // the temporary directory is outside every repository (git looks upwards from it)
    const noRepo = await runCli(['diff', 'x.yaml@main', 'x.yaml'], { cwd: outside });
    expect([noRepo.code, noRepo.stderr]).toEqual([1, expect.stringContaining('BH9101')]);
  });

  it('refuses a history reference to a directory that is no history, and a missing side', async () => {
    const h = await runCli(['diff', `${data}@latest`, join(data, 'base.yaml')]);
    expect([h.code, h.stderr]).toEqual([1, expect.stringContaining('BH9170')]);
    const m = await runCli(['diff', join(tmp, 'missing.yaml'), join(data, 'base.yaml')]);
    expect([m.code, m.stderr]).toEqual([1, expect.stringContaining('BH9100')]);
  });
});

/** The design as collected: ids given, references resolved, then `edit` applied. */
function live(design: OrganizationModel, edit: (m: OrganizationModel) => OrganizationModel): OrganizationModel {
  const ids = new Map(design.accounts.map((a, i) => [a.name, String(100000000000 + i)]));
  const r = (d: Role['trustPolicy']) => resolveAccountRefs(d, (n) => ids.get(n)!);
  return edit({
    ...design,
    source: 'snapshot',
    organization: { ...design.organization, id: 'o-test000001' },
    accounts: design.accounts.map((a) => ({ ...a, id: ids.get(a.name)! })),
    roles: design.roles.map((x) => ({ ...x, trustPolicy: r(x.trustPolicy), policies: x.policies.map((p) => ({ ...p, document: r(p.document) })) })),
    serviceControlPolicies: design.serviceControlPolicies.map((p) => ({ ...p, document: r(p.document) })),
  });
}

describe('bulkhead drift', () => {
  it('finds an out-of-band role and a moved account in a snapshot, with the access the role adds', async () => {
    const design = planSpecText(readFileSync(join(data, 'base.yaml'), 'utf8'), 'base.yaml');
    const m = live(design, (x) => {
      const prod = x.roles.find((r) => r.account === 'retail-prod' && r.name === 'migrator')!;
      const dev = x.accounts.find((a) => a.name === 'retail-dev')!;
      const extra: Role = { ...prod, name: 'hand-made', trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${dev.id}:role/appeng` }, Action: 'sts:AssumeRole' }] } };
      return { ...x, roles: [...x.roles, extra], accounts: x.accounts.map((a) => (a.name === 'data-lake' ? { ...a, ouPath: 'Root/Workloads' } : a)) };
    });
    const dir = join(tmp, 'snap');
    const w = await writeSnapshot(dir, synthSnapshot(m, new Date('2026-12-01T00:00:00Z')));
    expect(w.ok).toBe(true);
    const r = await runCli(['drift', join(data, 'base.yaml'), dir, '--format', 'json']);
    const d = JSON.parse(r.stdout);
    expect(d.mode).toBe("drift");
    expect(d.structural.map((c: { subject: string; change: string; name: string }) => `${c.subject} ${c.change} ${c.name}`)).toEqual([
      'account moved data-lake',
      'role added retail-prod/hand-made',
    ]);
    expect(d.access.map((a: { direction: string; principal: string; capabilities: string[] }) => `${a.direction} ${a.principal} ${a.capabilities.join(',')}`)).toEqual([
      'gained retail-prod/hand-made read-data,write-data',
    ]);
    const text = await runCli(['drift', join(data, 'base.yaml'), dir, '--fail-on', 'none']);
    expect(text.stdout).toContain('only live (out of band)');
    const wrong = await runCli(['drift', dir, join(data, 'base.yaml')]);
    expect([wrong.code, wrong.stderr]).toEqual([1, expect.stringContaining('BH9106')]);
  });
});
