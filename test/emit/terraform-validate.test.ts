/**
 * Real Terraform over the emitted output of every example and golden spec (and the hand-built fixtures):
 * `terraform fmt -check` and `terraform validate` must pass. To keep the run short (validate spends ~5 s starting
 * the AWS provider), every emission is validated in ONE init + validate: the root module is acme-full emitted
 * with adoption ids and a rename (so `import` and `moved` blocks are validated too; both are root-module only
 * or root-module typical), and every other emission is a child module of it. Emissions use the default `stacksets`
 * layout, plus one small fixture in the `provider-aliases` layout.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emitTerraform } from '../../src/emit/terraform.js';
import type { EmitManifest } from '../../src/emit/manifest.js';
import { h, renderBlocks } from '../../src/emit/hcl.js';
import type { OrganizationModel } from '../../src/model/organization.js';
import { allModels } from '../../test-support/emit/models.js';
import { expectExit, terraform, writeFiles } from '../../test-support/emit/tools.js';

const work = mkdtempSync(join(tmpdir(), 'bulkhead-tf-validate-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const models = allModels();
const slugOf = (name: string) => name.replace(/\.(model\.json|yaml)$/, '').replace(/[^A-Za-z0-9]+/g, '_').toLowerCase();

function mustOk<T>(r: { ok: true; value: T } | { ok: false; diagnostics: readonly unknown[] }): T {
  if (!r.ok) throw new Error(`emit failed: ${JSON.stringify(r.diagnostics, null, 2)}`);
  return r.value;
}

/** A module block for one emission (written as `terraform fmt` writes it), with the variables that have no default. */
function moduleBlock(slug: string, model: OrganizationModel): string {
  // identity_center_users has no default (the spec lacks the users' names and emails): a module must be given it
  const users = model.identity?.provider === 'identity-center' ? model.identity.users.map((u) => u.name) : [];
  const someone = h.obj([['display_name', h.str('Test User')], ['given_name', h.str('Test')], ['family_name', h.str('User')], ['email', h.str('test@example.com')]]);
  return renderBlocks([
    h.block('module', [slug], [
      h.attr('source', h.str(`./specs/${slug}`)),
      ...(users.length ? [h.attr('identity_center_users', h.obj(users.map((u) => [u, someone] as const)))] : []),
    ]),
  ]);
}

describe('terraform fmt and validate on every emitted spec', () => {
  it('emits, formats and validates', { timeout: 240_000 }, async () => {
    const rootEntry = models.find((m) => m.name === 'examples/acme-full.yaml');
    expect(rootEntry, 'examples/acme-full.yaml must plan').toBeDefined();
    const root = rootEntry!.model;

    // Root: adopt the organization and two accounts, and pretend one account had another address last time.
    const first = mustOk(emitTerraform(root));
    const renamedAccount = root.accounts.find((a) => a.name !== root.organization.managementAccount)!.name;
    const previous: EmitManifest = {
      ...first.manifest,
      addresses: { ...first.manifest.addresses, [`account:${renamedAccount}`]: 'aws_organizations_account.old_name' },
    };
    const members = root.accounts.filter((a) => a.name !== root.organization.managementAccount).slice(0, 2);
    const adopted = mustOk(
      emitTerraform(root, {
        previous,
        organizationId: 'o-abcdefghij',
        accountIds: Object.fromEntries(members.map((a, i) => [a.name, String(111111111111 * (i + 1))])),
      }),
    );
    expect(adopted.files.has('imports.tf')).toBe(true);
    // acme-full uses IAM Identity Center, so its groups, permission sets and assignments are validated too
    expect(adopted.files.get('identity-center.tf')).toContain('resource "aws_ssoadmin_account_assignment"');
    expect(adopted.files.get('moved.tf')).toContain('from = aws_organizations_account.old_name');
    writeFiles(work, adopted.files);

    // Specs whose emission is identical to one already in the configuration (a golden copy of an example, and
    // acme-full itself, which the root covers) add nothing but provider start-ups, so they are validated once.
    const key = (files: ReadonlyMap<string, string>) => JSON.stringify([...files].filter(([f]) => f.endsWith('.tf')));
    const seen = new Map<string, string>([[key(first.files), rootEntry!.name]]);
    const moduleBlocks: string[] = [];
    for (const { name, model } of models) {
      const files = mustOk(emitTerraform(model)).files;
      if (seen.has(key(files))) continue;
      seen.set(key(files), name);
      const slug = slugOf(name);
      writeFiles(join(work, 'specs', slug), files);
      moduleBlocks.push(moduleBlock(slug, model));
    }
    // The default layout is `stacksets`; the `provider-aliases` layout (one provider alias per member account with
    // roles, `iam-<account>.tf` through it) is validated on one small fixture, so its aliases add few provider start-ups.
    const aliased = models.find((m) => m.name === 'src/emit/fixtures/small.model.json');
    expect(aliased, 'src/emit/fixtures/small.model.json must load').toBeDefined();
    const aliasFiles = mustOk(emitTerraform(aliased!.model, { terraformLayout: 'provider-aliases' })).files;
    expect(aliasFiles.get('providers.tf')).toMatch(/alias\s+=/);
    expect(aliasFiles.has('stacksets.tf')).toBe(false);
    writeFiles(join(work, 'specs', 'small_provider_aliases'), aliasFiles);
    moduleBlocks.push(moduleBlock('small_provider_aliases', aliased!.model));
    writeFileSync(join(work, 'all_specs.tf'), moduleBlocks.join('\n'));

    const fmt = await terraform(['fmt', '-check', '-recursive', '-diff'], work);
    expectExit(fmt, 0, 'terraform fmt -check (the emitted HCL is not formatted as terraform fmt writes it)');

    const init = await terraform(['init', '-input=false', '-backend=false', '-no-color'], work);
    expectExit(init, 0, 'terraform init');
    const validate = await terraform(['validate', '-json', '-no-color'], work);
    const result = JSON.parse(validate.stdout) as { valid: boolean; error_count: number; warning_count: number; diagnostics: unknown[] };
    expect(result.diagnostics, validate.stdout).toEqual([]);
    expect(result).toMatchObject({ valid: true, error_count: 0, warning_count: 0 });
    // Terraform really loaded every child module (a module it did not see would not have been validated).
    const installed = JSON.parse(readFileSync(join(work, '.terraform/modules/modules.json'), 'utf8')) as { Modules: { Key: string }[] };
    expect(installed.Modules.map((m) => m.Key).filter((k) => k !== '').sort()).toEqual(
      moduleBlocks.map((b) => /module "([^"]+)"/.exec(b)![1]!).sort(),
    );
  });
});
