import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffModels } from '../changes/diff.js';
import { emitCloudFormation } from '../emit/cloudformation.js';
import { emitTerraform } from '../emit/terraform.js';
import type { OrganizationModel } from '../model/organization.js';
import { planFromYaml } from './index.js';

const acme = readFileSync(join(import.meta.dirname, 'corpus', 'golden', 'acme.yaml'), 'utf8');
const withGuardrails = (extra: string) => acme.replace(/guardrails:\n/, `guardrails:\n${extra}`);

const RCP = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'DenyInsecureS3', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { BoolIfExists: { 'aws:SecureTransport': 'false' } } }],
};
const custom = (doc: unknown, extra = '') => `  - { name: deny-insecure-s3, type: rcp${extra}, attach: [{ phase: prod }], policy: ${JSON.stringify(doc)} }\n`;
const errors = (extra: string) => {
  const r = planFromYaml(withGuardrails(extra), 'acme.yaml');
  return r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.path} ${d.message}`);
};

describe('custom RCP guardrails (`type: rcp`)', () => {
  it('plans the document as a resource control policy with its targets, and RCPFullAWSAccess everywhere', () => {
    const r = planFromYaml(withGuardrails(custom(RCP)), 'acme.yaml');
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    if (!r.ok) throw new Error('plan failed');
    const rcp = r.value.resourceControlPolicies.find((p) => p.name === 'deny-insecure-s3');
    expect(rcp).toMatchObject({ managedBy: 'customer', document: RCP, description: 'bulkhead guardrail deny-insecure-s3' });
    expect(rcp!.targets.length).toBeGreaterThan(0);
    expect(r.value.serviceControlPolicies.map((p) => p.name)).not.toContain('deny-insecure-s3');
    expect(r.value.resourceControlPolicies.map((p) => p.name)).toContain('RCPFullAWSAccess');
  });

  it('a custom guardrail without `type` (or `type: scp`) stays an SCP', () => {
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' }] };
    for (const extra of [`  - { name: g, policy: ${JSON.stringify(doc)} }\n`, `  - { name: g, type: scp, policy: ${JSON.stringify(doc)} }\n`]) {
      const r = planFromYaml(withGuardrails(extra), 'acme.yaml');
      if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
      expect(r.value.serviceControlPolicies.map((p) => p.name)).toContain('g');
      expect(r.value.resourceControlPolicies).toEqual([]);
    }
  });

  it('validates the document by the RCP rules: Deny only, Principal "*", no NotAction, Version 2012-10-17', () => {
    const allow = { ...RCP, Statement: [{ ...RCP.Statement[0], Effect: 'Allow' }] };
    expect(errors(custom(allow))).toEqual([expect.stringMatching(/^BH3022 guardrails\[0\]\.policy\.Statement\[0\]\.Effect /)]);
    const principal = { ...RCP, Statement: [{ ...RCP.Statement[0], Principal: { AWS: 'arn:aws:iam::111122223333:root' } }] };
    expect(errors(custom(principal)).map((e) => e.split(' ').slice(0, 2).join(' '))).toEqual([expect.stringMatching(/^BH30\d\d guardrails\[0\]\.policy\.Statement\[0\]\.Principal/)]);
    const { Action: _a, ...rest } = RCP.Statement[0]!;
    const notAction = { ...RCP, Statement: [{ ...rest, NotAction: 's3:GetObject' }] };
    expect(errors(custom(notAction))).toContainEqual(expect.stringMatching(/^BH3019 guardrails\[0\]\.policy\.Statement\[0\]\.NotAction /));
    const { Version: _v, ...noVersion } = RCP;
    expect(errors(custom(noVersion))).toContainEqual(expect.stringMatching(/^BH3005 guardrails\[0\]\.policy/));
    // the same document as an SCP is refused for its Principal (SCPs take none), so the kind decides the rules
    expect(errors(`  - { name: deny-insecure-s3, policy: ${JSON.stringify(RCP)} }\n`)).not.toEqual([]);
  });

  it('refuses a policy that is no document, an unknown type, and an RCP over 5,120 characters', () => {
    expect(errors('  - { name: r, type: rcp, policy: nope }\n')).toEqual([expect.stringMatching(/^BH1041 guardrails\[0\]\.policy the guardrail `policy` must be an RCP document/)]);
    expect(errors(`  - { name: r, type: rpc, policy: ${JSON.stringify(RCP)} }\n`)).toEqual([expect.stringMatching(/^BH1066 guardrails\[0\]\.type unknown guardrail type `rpc`; use one of `scp`, `rcp`/)]);
    expect(errors(`  - { name: r, type: ${'t'.repeat(200)}, policy: ${JSON.stringify(RCP)} }\n`)).toEqual([expect.stringContaining(`unknown guardrail type \`${'t'.repeat(40)}…(200 characters)\`;`)]);
    const big = { Version: '2012-10-17', Statement: Array.from({ length: 60 }, (_, i) => ({ ...RCP.Statement[0], Sid: `DenyInsecureS3Number${String(i).padStart(4, '0')}` })) };
    expect(JSON.stringify(big).length).toBeGreaterThan(5120);
    expect(errors(custom(big))).toEqual([expect.stringMatching(/^BH1046 guardrails\[0\] RCP `deny-insecure-s3` is \d+ characters once minified; AWS allows 5120/)]);
  });

  it('is emitted as a RESOURCE_CONTROL_POLICY in Terraform and CloudFormation, which enable the RCP type', () => {
    const r = planFromYaml(withGuardrails(custom(RCP)), 'acme.yaml');
    if (!r.ok) throw new Error('plan failed');
    const tf = emitTerraform(r.value);
    if (!tf.ok) throw new Error(JSON.stringify(tf.diagnostics));
    const policies = tf.value.files.get('policies.tf')!;
    const start = policies.indexOf('resource "aws_organizations_policy" "deny_insecure_s3" {');
    expect(start).toBeGreaterThanOrEqual(0);
    const block = policies.slice(start, policies.indexOf('\n}\n', start));
    expect(block).toMatch(/type\s*=\s*"RESOURCE_CONTROL_POLICY"/);
    expect(block).toContain('aws:SecureTransport');
    expect([...tf.value.files.values()].join('\n')).toMatch(/enabled_policy_types\s*=\s*\[[^\]]*"RESOURCE_CONTROL_POLICY"/);
    const cfn = emitCloudFormation(r.value);
    if (!cfn.ok) throw new Error(JSON.stringify(cfn.diagnostics));
    const template = JSON.parse(cfn.value.files.get('management.template.json')!) as { Resources: Record<string, { Type: string; Properties: { Name?: string; Type?: string; Content?: unknown } }> };
    const res = Object.values(template.Resources).find((x) => x.Type === 'AWS::Organizations::Policy' && x.Properties.Name === 'deny-insecure-s3');
    expect(res?.Properties.Type).toBe('RESOURCE_CONTROL_POLICY');
    expect(res?.Properties.Content).toEqual(RCP);
  });

  it('apply creates it as an RCP (enabling the type) and attaches it', () => {
    const r = planFromYaml(withGuardrails(custom(RCP)), 'acme.yaml');
    if (!r.ok) throw new Error('plan failed');
    const planned = r.value;
    const live: OrganizationModel = { ...planned, source: 'snapshot', serviceControlPolicies: [], resourceControlPolicies: [], roles: [] };
    const changes = diffModels(planned, live, { enabledPolicyTypes: ['SERVICE_CONTROL_POLICY'], closedInLast30Days: 0 }, { allowClose: false }).changes;
    const keys = changes.map((c) => c.key);
    expect(keys).toContain('enable-policy-type:RESOURCE_CONTROL_POLICY');
    expect(keys).toContain('create-policy:RESOURCE_CONTROL_POLICY:deny-insecure-s3');
    expect(keys.some((k) => k.startsWith('attach-policy:RESOURCE_CONTROL_POLICY:deny-insecure-s3'))).toBe(true);
  });
});
