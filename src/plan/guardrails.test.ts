import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emitCloudFormation } from '../emit/cloudformation.js';
import { prepareModel } from '../emit/prepare.js';
import { emitTerraform } from '../emit/terraform.js';
import { isCidr, presetDocument } from './guardrails.js';
import { planFromYaml } from './index.js';

const acme = readFileSync(join(import.meta.dirname, 'corpus', 'golden', 'acme.yaml'), 'utf8');
const withGuardrails = (extra: string) => acme.replace(/guardrails:\n/, `guardrails:\n${extra}`);
const ORG = 'o-abcdefghij';

const PERIMETER = [
  `  - { preset: data-perimeter-identity, organizationId: ${ORG} }`,
  `  - { preset: data-perimeter-confused-deputy, organizationId: ${ORG} }`,
  '  - { preset: data-perimeter-network, sourceIps: [203.0.113.0/24, "2001:db8::/32"], sourceVpcs: [vpc-0123456789abcdef0] }',
  '',
].join('\n');

describe('data-perimeter presets', () => {
  it('plans the two RCPs (with RCPFullAWSAccess everywhere) and the network SCP, and records the organization id', () => {
    const r = planFromYaml(withGuardrails(PERIMETER), 'acme.yaml');
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    if (!r.ok) throw new Error('plan failed');
    const m = r.value;
    expect(m.organization.id).toBe(ORG);
    expect(m.resourceControlPolicies.map((p) => p.name).sort()).toEqual(['RCPFullAWSAccess', 'data-perimeter-confused-deputy', 'data-perimeter-identity']);
    expect(m.serviceControlPolicies.map((p) => p.name)).toContain('data-perimeter-network');
    const identity = m.resourceControlPolicies.find((p) => p.name === 'data-perimeter-identity')!;
    expect(identity.targets).toEqual([{ ou: 'Root' }]);
    expect(identity.document).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'EnforceOrgIdentities',
          Effect: 'Deny',
          Principal: '*',
          Action: ['kms:*', 's3:*', 'secretsmanager:*', 'sqs:*', 'sts:*'],
          Resource: '*',
          Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': ORG }, BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } },
        },
      ],
    });
    const network = m.serviceControlPolicies.find((p) => p.name === 'data-perimeter-network')!;
    expect(network.document).toMatchObject({
      Statement: [
        {
          Effect: 'Deny',
          Condition: {
            BoolIfExists: { 'aws:ViaAWSService': 'false' },
            NotIpAddressIfExists: { 'aws:SourceIp': ['203.0.113.0/24', '2001:db8::/32'] },
            StringNotEqualsIfExists: { 'aws:SourceVpc': 'vpc-0123456789abcdef0' },
            ArnNotLikeIfExists: { 'aws:PrincipalARN': 'arn:aws:iam::*:role/OrganizationAccountAccessRole' },
          },
        },
      ],
    });
  });

  it('emits: the RCPs pass the RCP checks and need the RESOURCE_CONTROL_POLICY type', () => {
    const r = planFromYaml(withGuardrails(PERIMETER), 'acme.yaml');
    if (!r.ok) throw new Error('plan failed');
    const p = prepareModel(r.value);
    expect(p.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(p.ok).toBe(true);
    expect(JSON.stringify(p.ok ? p.value : null)).toContain('RESOURCE_CONTROL_POLICY');
  });

  it('without organizationId, the RCPs name `{{organization:id}}` and emit resolves it (Terraform: the managed organization; CloudFormation: a parameter)', () => {
    const r = planFromYaml(withGuardrails('  - preset: data-perimeter-identity\n  - preset: data-perimeter-confused-deputy\n'), 'acme.yaml');
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    if (!r.ok) throw new Error('plan failed');
    expect(r.value.organization.id).toBeUndefined();
    const identity = r.value.resourceControlPolicies.find((p) => p.name === 'data-perimeter-identity')!;
    expect(JSON.stringify(identity.document)).toContain('"aws:PrincipalOrgID":"{{organization:id}}"');
    const deputy = r.value.resourceControlPolicies.find((p) => p.name === 'data-perimeter-confused-deputy')!;
    expect(JSON.stringify(deputy.document)).toContain('"aws:SourceOrgID":"{{organization:id}}"');

    const tf = emitTerraform(r.value);
    if (!tf.ok) throw new Error(JSON.stringify(tf.diagnostics));
    const policies = tf.value.files.get('policies.tf')!;
    expect(policies).toContain('"aws:PrincipalOrgID" = "${aws_organizations_organization.this.id}"');
    expect(policies).toContain('"aws:SourceOrgID" = "${aws_organizations_organization.this.id}"');
    for (const [file, text] of tf.value.files) expect(text.includes('{{organization:'), file).toBe(false);

    const cfn = emitCloudFormation(r.value);
    if (!cfn.ok) throw new Error(JSON.stringify(cfn.diagnostics));
    const management = JSON.parse(cfn.value.files.get('management.template.json')!) as { Parameters: Record<string, { AllowedPattern: string }>; Resources: Record<string, { Properties: { Content: unknown } }> };
    expect(management.Parameters['OrganizationId']!.AllowedPattern).toBe('^o-[a-z0-9]{10,32}$');
    expect(JSON.stringify(management.Resources['RcpDataPerimeterIdentity']!.Properties.Content)).toContain('"aws:PrincipalOrgID":{"Fn::Sub":"${OrganizationId}"}');
    expect(cfn.value.files.get('README.md')).toContain('OrganizationId=$ORGANIZATION_ID');
    for (const [file, text] of cfn.value.files) expect(text.includes('{{organization:'), file).toBe(false);
    // a spec with the id given writes it, and the template takes no OrganizationId parameter
    const given = planFromYaml(withGuardrails(PERIMETER), 'acme.yaml');
    if (!given.ok) throw new Error('plan failed');
    const givenCfn = emitCloudFormation(given.value);
    if (!givenCfn.ok) throw new Error('emit failed');
    expect(givenCfn.value.files.get('management.template.json')).not.toContain('OrganizationId');
    expect(givenCfn.value.files.get('README.md')).not.toContain('ORGANIZATION_ID');
  });

  it('refuses a malformed organization id and bad network parameters', () => {
    const codes = (extra: string) => {
      const r = planFromYaml(withGuardrails(extra), 'acme.yaml');
      return r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.path} ${d.message}`);
    };
    expect(codes('  - { preset: data-perimeter-confused-deputy, organizationId: org-1 }\n')).toEqual([expect.stringMatching(/^BH1057 guardrails\[0\]\.organizationId organization id `org-1`/)]);
    expect(codes('  - preset: data-perimeter-network\n')).toEqual([expect.stringMatching(/^BH1058 guardrails\[0\] preset `data-perimeter-network` needs/)]);
    expect(codes('  - { preset: data-perimeter-network, sourceIps: [10.0.0.0/33], sourceVpcs: [vpc-xyz] }\n')).toEqual([
      expect.stringMatching(/^BH1058 guardrails\[0\]\.sourceIps\[0\] `10\.0\.0\.0\/33` is not a CIDR range/),
      expect.stringMatching(/^BH1058 guardrails\[0\]\.sourceVpcs\[0\] `vpc-xyz` is not a VPC id/),
    ]);
  });

  it('fits the RCP size quota', () => {
    for (const preset of ['data-perimeter-identity', 'data-perimeter-confused-deputy'] as const) {
      expect(JSON.stringify(presetDocument(preset, { regions: [], exemptRoles: [], organizationId: ORG })).length).toBeLessThan(5120);
    }
  });

  it('checks CIDR ranges', () => {
    for (const good of ['0.0.0.0/0', '10.1.2.0/24', '2001:db8::/32', '::/0', '1:2:3:4:5:6:7:8/128']) expect(isCidr(good), good).toBe(true);
    for (const bad of ['10.0.0.0', '10.0.0.256/24', '10.0.0.0/33', '01.0.0.0/8', '2001:db8:::/32', '1:2:3:4:5:6:7:8:9/64', 'x/1', '::/129']) expect(isCidr(bad), bad).toBe(false);
  });
});
