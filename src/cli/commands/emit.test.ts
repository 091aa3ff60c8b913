import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test-support/cli.js';

const root = join(import.meta.dirname, '..', '..', '..');
const acme = join(root, 'examples/acme.yaml');
const acmeFull = join(root, 'examples/acme-full.yaml');

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'bulkhead-emit-cli-'));
}

/** Every file under dir (relative paths, sorted) with its content. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    const full = join(dir, rel);
    if (statSync(full).isDirectory()) for (const n of readdirSync(full)) walk(rel ? `${rel}/${n}` : n);
    else out[rel] = readFileSync(full, 'utf8');
  };
  walk('');
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

describe('bulkhead emit', () => {
  it('writes Terraform into a new directory, deterministically, as an ordinary directory', async () => {
    const w = scratch();
    const a = await runCli(['emit', acmeFull, '--format', 'terraform', '--out', 'a'], { cwd: w });
    const b = await runCli(['emit', acmeFull, '--format', 'terraform', '--out', 'b'], { cwd: w });
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(a.stdout).toMatch(/^wrote \d+ files \(terraform\) to a\n$/);
    const files = tree(join(w, 'a'));
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['versions.tf', 'providers.tf', 'organization.tf', 'policies.tf', 'outputs.tf', 'README.md', '.bulkhead-emit.json']));
    expect(Object.keys(files)).toContain('stacksets.tf');
    expect(files).toEqual(tree(join(w, 'b')));
    expect(statSync(join(w, 'a')).mode & 0o777).toBe(0o755);
    // No temporary directories left beside the output.
    expect(readdirSync(w).sort()).toEqual(['a', 'b']);
  });

  it('--terraform-layout provider-aliases writes one provider alias and iam file per account; a bad layout is a usage error', async () => {
    const w = scratch();
    const r = await runCli(['emit', acmeFull, '--format', 'terraform', '--out', 'a', '--terraform-layout', 'provider-aliases'], { cwd: w });
    expect(r.code).toBe(0);
    const files = tree(join(w, 'a'));
    expect(Object.keys(files)).not.toContain('stacksets.tf');
    expect(Object.keys(files).some((f) => f.startsWith('iam-'))).toBe(true);
    expect(files['providers.tf']).toContain('assume_role');
    const bad = await runCli(['emit', acmeFull, '--format', 'terraform', '--out', 'b', '--terraform-layout', 'sideways'], { cwd: w });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('sideways');
  });

  it('writes CloudFormation templates, the StackSet plan and the README', async () => {
    const w = scratch();
    const r = await runCli(['emit', acmeFull, '--format', 'cloudformation', '--out', 'cfn'], { cwd: w });
    expect(r.code).toBe(0);
    const files = Object.keys(tree(join(w, 'cfn')));
    expect(files).toContain('management.template.json');
    expect(files).toContain('stacksets.json');
    expect(files.some((f) => /^stacksets\/roles-.+\.template\.json$/.test(f))).toBe(true);
    expect(readFileSync(join(w, 'cfn/README.md'), 'utf8')).toContain('StackSet');
  });

  it('re-emits over its own output, keeping Terraform state, working directory and backend', async () => {
    const w = scratch();
    expect((await runCli(['emit', acme, '-f', 'terraform', '-o', 'tf'], { cwd: w })).code).toBe(0);
    mkdirSync(join(w, 'tf/.terraform/providers'), { recursive: true });
    writeFileSync(join(w, 'tf/terraform.tfstate'), '{"version":4}');
    writeFileSync(join(w, 'tf/backend.tf'), 'terraform {\n  backend "s3" {}\n}\n');
    const r = await runCli(['emit', acmeFull, '-f', 'terraform', '-o', 'tf'], { cwd: w });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('kept .terraform, backend.tf, terraform.tfstate');
    expect(readFileSync(join(w, 'tf/terraform.tfstate'), 'utf8')).toBe('{"version":4}');
    expect(existsSync(join(w, 'tf/.terraform/providers'))).toBe(true);
    expect(existsSync(join(w, 'tf/backend.tf'))).toBe(true);
    // acme-full has roles; acme has none: the new files are there.
    expect(readdirSync(join(w, 'tf'))).toContain('stacksets.tf');
  });

  it('refuses a directory with foreign files, even with --force, and leaves it untouched', async () => {
    const w = scratch();
    mkdirSync(join(w, 'out'));
    writeFileSync(join(w, 'out/notes.txt'), 'mine');
    const before = tree(join(w, 'out'));
    const r = await runCli(['emit', acme, '-f', 'terraform', '-o', 'out'], { cwd: w });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('BH8120');
    expect(r.stderr).toContain('`notes.txt`');
    expect(r.stderr).toContain('--force');
    expect(tree(join(w, 'out'))).toEqual(before);

    // Outputs never destroy what the user had: --force replaces only what bulkhead wrote (issue: the house).
    const forced = await runCli(['emit', acme, '-f', 'terraform', '-o', 'out', '--force'], { cwd: w });
    expect(forced.code).toBe(1);
    expect(forced.stderr).toContain('BH8120');
    expect(tree(join(w, 'out'))).toEqual(before);
  });

  it('never replaces a directory holding the spec or a git repository, even with --force', async () => {
    const w = scratch();
    writeFileSync(join(w, 'spec.yaml'), readFileSync(acme, 'utf8'));
    const r = await runCli(['emit', 'spec.yaml', '-f', 'terraform', '-o', '.', '--force'], { cwd: w });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('BH8124');
    expect(r.stderr).toContain('the spec `spec.yaml`');
    expect(readdirSync(w)).toEqual(['spec.yaml']);

    mkdirSync(join(w, 'repo/.git'), { recursive: true });
    writeFileSync(join(w, 'repo/.git/HEAD'), 'ref: refs/heads/main\n');
    const g = await runCli(['emit', 'spec.yaml', '-f', 'terraform', '-o', 'repo', '--force'], { cwd: w });
    expect(g.code).toBe(1);
    expect(g.stderr).toContain('a `.git` repository');
    expect(readFileSync(join(w, 'repo/.git/HEAD'), 'utf8')).toBe('ref: refs/heads/main\n');
  });

  it('counts a file dropped into an emitted subdirectory as foreign', async () => {
    const w = scratch();
    expect((await runCli(['emit', acmeFull, '-f', 'cloudformation', '-o', 'cfn'], { cwd: w })).code).toBe(0);
    writeFileSync(join(w, 'cfn/stacksets/extra.template.json'), '{}');
    const r = await runCli(['emit', acmeFull, '-f', 'cloudformation', '-o', 'cfn'], { cwd: w });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('`stacksets/extra.template.json`');
  });

  it('writes nothing for an invalid spec', async () => {
    const w = scratch();
    writeFileSync(join(w, 'bad.yaml'), 'version: 1\norganization:\n  name: x\nphases: nope\n');
    const r = await runCli(['emit', 'bad.yaml', '-f', 'terraform', '-o', 'out'], { cwd: w });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.yaml:\d+:\d+: error/);
    expect(existsSync(join(w, 'out'))).toBe(false);
    expect(readdirSync(w)).toEqual(['bad.yaml']);
  });

  it('keeps the previous output when emission fails, and says why', async () => {
    const w = scratch();
    expect((await runCli(['emit', acme, '-f', 'terraform', '-o', 'tf'], { cwd: w })).code).toBe(0);
    const before = tree(join(w, 'tf'));
    const r = await runCli(['emit', acme, '-f', 'terraform', '-o', 'tf', '--account-id', 'retail-dev=12345'], { cwd: w });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('BH8107');
    expect(r.stderr).toContain('`12345`');
    expect(tree(join(w, 'tf'))).toEqual(before);
    const unknown = await runCli(['emit', acme, '-f', 'terraform', '-o', 'tf', '--account-id', 'retial-dev=111122223333'], { cwd: w });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('`retial-dev`');
  });

  it('writes import blocks for adopted ids and moved blocks for renames', async () => {
    const w = scratch();
    const adopt = await runCli(['emit', acme, '-f', 'terraform', '-o', 'tf', '--organization-id', 'o-abcdefghij', '--account-id', 'retail-dev=111122223333'], { cwd: w });
    expect(adopt.code).toBe(0);
    const imports = readFileSync(join(w, 'tf/imports.tf'), 'utf8');
    expect(imports).toContain('to = aws_organizations_organization.this\n  id = "o-abcdefghij"');
    expect(imports).toContain('to = aws_organizations_account.retail_dev\n  id = "111122223333"');

    // Rename the business unit retail → shop: accounts retail-dev… become shop-dev….
    writeFileSync(join(w, 'renamed.yaml'), readFileSync(acme, 'utf8').replace('- { name: retail,', '- { name: shop,'));
    const r = await runCli(
      ['emit', 'renamed.yaml', '-f', 'terraform', '-o', 'tf', '--rename-account', 'retail-dev=shop-dev', '--rename-account', 'retail-prod=shop-prod'],
      { cwd: w },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const moved = readFileSync(join(w, 'tf/moved.tf'), 'utf8');
    expect(moved).toContain('moved {\n  from = aws_organizations_account.retail_dev\n  to   = aws_organizations_account.shop_dev\n}');
    expect(moved).toContain('from = aws_organizations_account.retail_prod');
    // retail-stage was neither renamed explicitly nor recognisable (its email changed too): no guess.
    expect(moved).not.toContain('retail_stage');
  });

  it('rejects malformed NAME=VALUE options as usage errors', async () => {
    const w = scratch();
    const r = await runCli(['emit', acme, '-f', 'terraform', '-o', 'tf', '--account-id', 'retail-dev'], { cwd: w });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--account-id takes NAME=VALUE, got `retail-dev`');
    expect(existsSync(join(w, 'tf'))).toBe(false);
    const bad = await runCli(['emit', acme, '-f', 'yaml', '-o', 'tf'], { cwd: w });
    expect(bad.code).toBe(2);
  });

  it('reports a policy warning once (from the planner, with its file position), not again from the emitter', async () => {
    const w = scratch();
    const spec = readFileSync(join(root, 'test/emit/e2e.yaml'), 'utf8').replace('Action: iam:ListRoleTags', 'Action: s3:GetObjekt');
    expect(spec).toContain('s3:GetObjekt');
    writeFileSync(join(w, 'warn.yaml'), spec);
    const r = await runCli(['emit', 'warn.yaml', '-f', 'terraform', '-o', 'tf'], { cwd: w });
    expect(r.code).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => l.includes('s3:GetObjekt'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^warn\.yaml:\d+:\d+: warning BH3013/);
  });

  it('refuses an output path that is a file', async () => {
    const w = scratch();
    writeFileSync(join(w, 'tf'), 'x');
    const r = await runCli(['emit', acme, '-f', 'terraform', '-o', 'tf'], { cwd: w });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('BH8121');
    expect(readFileSync(join(w, 'tf'), 'utf8')).toBe('x');
  });
});
