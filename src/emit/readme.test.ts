import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { OrganizationModel } from '../model/organization.js';
import { cloudFormationReadme, terraformReadme } from './readme.js';

const HOSTILE = '<script>alert(1)</script> a`b|c\n# forged\u001b[2J\u202e';
const base = JSON.parse(readFileSync(new URL('./fixtures/small.model.json', import.meta.url), 'utf8')) as OrganizationModel;
const model: OrganizationModel = { ...base, organization: { ...base.organization, name: `org${HOSTILE}` } };
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** The README without its code spans (which show `<script>` as text) and without its fenced blocks. */
function prose(md: string): string {
  return md.replace(/^```[\s\S]*?^```$/gm, '').replace(/(`+)(?!`).*?(?<!`)\1(?!`)/g, '');
}

describe('emitted README with hostile names', () => {
  it('terraform: the organization name cannot add HTML or a heading; backticks cannot end a code span', () => {
    const md = terraformReadme({ model, management: `mgmt${HOSTILE}`, members: [], accessRole: 'Role`x', adopted: false, moved: 0 });
    expect(md).not.toMatch(RAW);
    expect(md.split('\n')[0]).toBe('# org&lt;script&gt;alert(1)&lt;/script&gt; a\\`b\\|c\\n\\# forged\\x1b\\[2J\\u202e: AWS organization (Terraform)');
    expect(md.split('\n').filter((l) => l.startsWith('# forged'))).toEqual([]);
    expect(prose(md)).not.toMatch(/<script/i);
    expect(md).toContain('(``mgmt<script>alert(1)</script> a`b|c\\n# forged\\x1b[2J\\u202e``)');
    expect(md).toContain('the role ``Role`x``');
  });
  it('cloudformation: headings, code spans and shell blocks stay intact', () => {
    const md = cloudFormationReadme({
      model,
      management: 'mgmt',
      managementParameters: [],
      stackSets: [{ name: `roles${HOSTILE}`, template: 'stacksets/x.template.json', ous: [`Root/${HOSTILE}`], accounts: [`a${HOSTILE}`], filtered: true, parameters: [{ name: 'P', account: `a${HOSTILE}` }] }],
    });
    expect(md).not.toMatch(RAW);
    expect(md.split('\n').filter((l) => l.startsWith('# forged'))).toEqual([]);
    expect(prose(md)).not.toMatch(/<script/i);
    expect(md).toContain('### roles&lt;script&gt;');
    // the fenced shell blocks open and close in pairs
    expect((md.match(/^```/gm) ?? []).length % 2).toBe(0);
  });
});
