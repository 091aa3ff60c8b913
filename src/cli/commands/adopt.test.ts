import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test-support/cli.js';
import { diffModels } from '../../changes/diff.js';
import { loadSnapshotDir } from '../../io/snapshot-files.js';
import { planFromYaml } from '../../plan/index.js';
import { UNSAFE_CHARACTERS } from '../../util/escape.js';

const dir = mkdtempSync(join(tmpdir(), 'bulkhead-adopt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bulkhead adopt', () => {
  it('adopts a synthetic snapshot: the spec on stdout plans, the files with -o and --ids', async () => {
    const snap = join(dir, 'snap');
    expect((await runCli(['synth', '--accounts', '12', '--roles', '3', '--resources', '2', '-o', snap])).code).toBe(0);
    const run = await runCli(['adopt', snap]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^# adopted by bulkhead from snapshot/);
    const planned = planFromYaml(run.stdout, 'adopted.yaml');
    expect(planned.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    // apply against the same organization: only what the spec comments (the Suspended OU, the app role's policies)
    const live = await loadSnapshotDir(snap);
    if (!planned.ok || !live.ok) throw new Error('plan or snapshot failed');
    const changes = diffModels(planned.value, live.value, { enabledPolicyTypes: ['SERVICE_CONTROL_POLICY'], closedInLast30Days: 0 }, { allowClose: false }).changes;
    // FullAWSAccess goes on the new Suspended OU with it
    expect(changes.filter((c) => c.kind === 'attach-policy').map((c) => c.kind === 'attach-policy' && c.target)).toEqual([{ ou: 'Root/Suspended' }]);
    expect([...new Set(changes.filter((c) => c.kind !== 'attach-policy').map((c) => `${c.kind}:${'name' in c ? c.name : 'path' in c ? c.path : ''}`))].sort()).toEqual(['create-ou:Root/Suspended', 'update-role:app']);
    expect(run.stdout).toContain('apply creates it');
    expect(run.stderr).toContain('BH9204');
    expect(run.stdout).not.toMatch(new RegExp(UNSAFE_CHARACTERS.source.replace('\\u0000-\\u001f', '\\u0000-\\u0009\\u000b-\\u001f')));
    const out = join(dir, 'adopted.yaml');
    const ids = join(dir, 'ids.json');
    const written = await runCli(['adopt', snap, '-o', out, '--ids', ids]);
    expect(written.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(run.stdout);
    expect(Object.keys(JSON.parse(readFileSync(ids, 'utf8')).accounts).length).toBe(12);
    // an existing spec is not overwritten without --force
    const again = await runCli(['adopt', snap, '-o', out]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('--force');
    expect((await runCli(['adopt', snap, '-o', out, '--force'])).code).toBe(0);

    // emit --adopt: import blocks for what the organization has, listed in the manifest
    const tf = join(dir, 'tf');
    const emitted = await runCli(['emit', out, '--format', 'terraform', '--terraform-layout', 'provider-aliases', '-o', tf, '--adopt', snap]);
    // the synthetic organization id (`o-synth0000`) is too short for AWS, so it is not imported, and said so
    expect(emitted.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^warning BH9205: /)]);
    expect(emitted.code).toBe(0);
    const imports = readFileSync(join(tf, 'adopt-imports.tf'), 'utf8');
    expect(imports).toMatch(/to\s+= aws_iam_role\./);
    expect(imports).toMatch(/to\s+= aws_organizations_organizational_unit\./);
    expect(imports).toMatch(/to\s+= aws_organizations_policy_attachment\./);
    expect(readFileSync(join(tf, 'imports.tf'), 'utf8').match(/to\s+= aws_organizations_account\./g)).toHaveLength(11);
    expect(JSON.parse(readFileSync(join(tf, '.bulkhead-emit.json'), 'utf8')).files).toContain('adopt-imports.tf');
    // a second emit replaces its own directory, adopt-imports.tf included; in the StackSets layout the member roles
    // that exist already cannot be imported, and emit says which
    const stacksets = await runCli(['emit', out, '--format', 'terraform', '-o', tf, '--adopt', snap]);
    expect(stacksets.code).toBe(0);
    expect(stacksets.stderr).toMatch(/^warning BH9206: \d+ planned member-account role\(s\) exist already \(`/m);
    expect(readFileSync(join(tf, 'adopt-imports.tf'), 'utf8')).not.toMatch(/aws_iam_role\./);
    const cfn = await runCli(['emit', out, '--format', 'cloudformation', '-o', join(dir, 'cfn'), '--adopt', snap]);
    expect(cfn.code).toBe(1);
    expect(cfn.stderr).toContain('BH9203');
    expect(cfn.stderr).toContain('resource-import change set');
  });

  it('refuses a path that is no snapshot directory, naming it', async () => {
    const file = join(dir, 'not-a-dir.yaml');
    writeFileSync(file, 'x: 1\n');
    const run = await runCli(['adopt', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('BH9202');
    expect(run.stderr).toContain('is not a directory');
    const missing = await runCli(['adopt', join(dir, 'nope')]);
    expect(missing.stderr).toContain('does not exist');
  });

  it('says the spec is incomplete on stderr and in the spec, and exits 4, when the snapshot lacks an account', async () => {
    const snap = join(dir, 'snap-full');
    expect((await runCli(['synth', '--accounts', '12', '--roles', '3', '--resources', '2', '-o', snap])).code).toBe(0);
    const complete = await runCli(['adopt', snap]);
    expect(complete.code).toBe(0);
    expect(complete.stdout).not.toContain('INCOMPLETE');
    const partial = join(dir, 'snap-partial');
    cpSync(snap, partial, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(partial, 'manifest.json'), 'utf8')) as { accountFiles: string[] };
    // the account was not collected: neither its file nor its manifest entry is there (collect's own record of a gap)
    rmSync(join(partial, manifest.accountFiles[0]!));
    writeFileSync(join(partial, 'manifest.json'), JSON.stringify({ ...manifest, accountFiles: manifest.accountFiles.slice(1) }));
    const run = await runCli(['adopt', partial]);
    expect(run.stderr).toContain('BH6009');
    expect(run.stderr).toContain('BH9208');
    expect(run.stderr).toMatch(/adopt: incomplete: the snapshot lacks 1 account\(s\) or part\(s\)/);
    expect(run.stdout).toMatch(/^# INCOMPLETE: the snapshot lacks 1 account\(s\) or part\(s\)/m);
    expect(planFromYaml(run.stdout, 'adopted.yaml').diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(run.code).toBe(4);
  });
});
