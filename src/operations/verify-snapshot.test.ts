/**
 * verify over a snapshot that lacks accounts the organization lists: an incomplete analysis (exit 4), never a
 * clean report. The example violation's critical finding comes from a role in `retail-dev` (222222222222).
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test-support/cli.js';
import { nodeHost } from './host.js';
import { verifyTarget } from './verify.js';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples/violations/prod-bucket-grants-dev');

/** A copy of the example snapshot, edited: `edit` gets the parsed manifest and organization to change in place. */
function editedCopy(edit: (manifest: { accountFiles: string[] }, organization: { accounts: { id: string; status: string }[] }) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'bh-snap-gap-'));
  cpSync(EXAMPLE, dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { accountFiles: string[] };
  const organization = JSON.parse(readFileSync(join(dir, 'organization.json'), 'utf8')) as { accounts: { id: string; status: string }[] };
  edit(manifest, organization);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(dir, 'organization.json'), JSON.stringify(organization, null, 2));
  return dir;
}

const unlist = (id: string) => (m: { accountFiles: string[] }) => {
  m.accountFiles = m.accountFiles.filter((f) => f !== `accounts/${id}.json`);
};

describe('verify on a snapshot that lacks accounts', () => {
  it('the complete example has its critical finding and nothing incomplete', async () => {
    const r = await runCli(['verify', EXAMPLE, '-f', 'json']);
    expect(r.code).toBe(3);
    expect((JSON.parse(r.stdout) as { summary: { incomplete: unknown[] } }).summary.incomplete).toEqual([]);
  });

  it('an ACTIVE account left out of accountFiles (its file still on disk) is incomplete: exit 4, named by id and name', async () => {
    const dir = editedCopy(unlist('222222222222'));
    const r = await runCli(['verify', dir, '-f', 'json']);
    const report = JSON.parse(r.stdout) as { findings: { severity: string }[]; summary: { incomplete: { code: string; source: string; reason: string }[] } };
    expect(report.findings.filter((f) => f.severity === 'critical')).toEqual([]);
    expect(report.summary.incomplete).toEqual([
      { code: 'BH6009', source: '222222222222', reason: expect.stringContaining('account `retail-dev` (222222222222) is ACTIVE') as string },
    ]);
    expect(r.code).toBe(4);
    // the file on disk the manifest does not list is named in a warning
    expect(r.stderr).toContain('BH6010');
    expect(r.stderr).toContain('accounts/222222222222.json');
  });

  it('verifyTarget carries the reason and the loader warnings', async () => {
    const dir = editedCopy(unlist('333333333333'));
    const r = await verifyTarget({ target: { path: dir } }, nodeHost());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.summary.incomplete.map((i) => [i.code, i.source])).toEqual([['BH6009', '333333333333']]);
    expect(r.diagnostics.map((d) => d.code).sort()).toEqual(['BH6009', 'BH6010']);
    expect(r.diagnostics.find((d) => d.code === 'BH6009')).toMatchObject({ file: `${dir}/organization.json`, path: 'accounts[2]' });
  });

  it('a SUSPENDED account without a file is not collected by design: a warning, not an incomplete analysis', async () => {
    const dir = editedCopy((m, o) => {
      unlist('333333333333')(m);
      for (const a of o.accounts) if (a.id === '333333333333') a.status = 'SUSPENDED';
    });
    const r = await verifyTarget({ target: { path: dir } }, nodeHost());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.summary.incomplete).toEqual([]);
    expect(r.diagnostics.find((d) => d.code === 'BH6013')?.message).toContain('(333333333333, SUSPENDED)');
  });
});
