import { describe, expect, it } from 'vitest';
import { brownfield } from '../../test-support/brownfield.js';
import { adoptOrganization } from '../adopt/adopt.js';
import { planFromYaml } from '../plan/index.js';
import { adoptImportsTf, adoptionOptions } from './adopt-imports.js';
import { emitTerraform } from './terraform.js';

describe('emit --adopt import blocks', () => {
  const live = brownfield();
  const adopted = adoptOrganization(live);
  if (!adopted.ok) throw new Error('adopt failed');
  const planned = planFromYaml(adopted.value.yaml, 'adopted.yaml');
  if (!planned.ok) throw new Error('plan failed');
  const options = adoptionOptions(planned.value, live);
  // roles are Terraform resources (and so importable) in the provider-aliases layout only
  const emitted = emitTerraform(planned.value, { ...options, terraformLayout: 'provider-aliases' });
  if (!emitted.ok) throw new Error('emit failed');
  const imports = adoptImportsTf(planned.value, live, emitted.value.manifest.addresses);
  const text = imports.text ?? '';

  it('gives the emitter every live account id and the organization id', () => {
    expect(options.organizationId).toBe('o-abcdefghij');
    expect(Object.keys(options.accountIds).sort()).toEqual(live.accounts.map((a) => a.name).sort());
    expect(emitted.value.files.get('imports.tf')).toContain(`id = "${live.accounts.find((a) => a.name === 'payments-dev')!.id}"`);
  });

  it('imports the OUs, customer policies, their attachments and the roles that exist, and nothing that does not', () => {
    expect(text).toMatch(/import \{\n\s+to = aws_organizations_organizational_unit\.[\w]+\n\s+id = "ou-root-3"\n\}/);
    expect(text).toContain('id = "p-bbbbbbbb"');
    expect(text).toContain('id = "ou-root-3:p-bbbbbbbb"');
    expect(text).toContain('id = "r-root:p-aaaaaaaa"');
    // the role exists in three accounts, each through that account's provider
    expect(text.match(/id\s+= "deployer"/g)).toHaveLength(3);
    expect(text).toMatch(/provider = aws\.payments_dev\n\s+to\s+= aws_iam_role\.payments_dev__deployer\n/);
    // the Suspended OU exists live, and no planned object without a live twin is imported
    expect(text).toContain('id = "ou-root-5"');
    expect(imports.count).toBe(text.match(/^import \{/gm)!.length);
    expect(text).not.toContain('p-cccccccc');
    expect(text).not.toContain('FullAWSAccess:');
    for (const m of text.matchAll(/to\s+= ([\w.]+)/g)) expect(Object.values(emitted.value.manifest.addresses)).toContain(m[1]);
  });
});
