import { describe, expect, it } from 'vitest';
import { diffModels } from '../changes/diff.js';
import { planFromYaml } from '../plan/index.js';
import { presetDocument } from '../plan/guardrails.js';
import { parseSpec } from '../spec/parse.js';
import { brownfield } from '../../test-support/brownfield.js';
import { policyDoc } from '../../test-support/models.js';
import { adoptOrganization } from './adopt.js';
import { inferEmailTemplate } from './build.js';
import { matchPreset } from './guardrails.js';

describe('adopt', () => {
  const live = brownfield();
  const adopted = adoptOrganization(live, { source: 'snap' });
  if (!adopted.ok) throw new Error('adopt failed');
  const { yaml, ids, flags } = adopted.value;

  it('writes a spec that parses and plans without errors', () => {
    const parsed = parseSpec(yaml, 'adopted.yaml');
    expect(parsed.ok).toBe(true);
    const planned = planFromYaml(yaml, 'adopted.yaml');
    expect(planned.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(planned.ok).toBe(true);
  });

  it('infers phases, business units, shared accounts and the email template', () => {
    const spec = adopted.value.spec as Record<string, unknown>;
    expect(spec['phases']).toEqual([{ name: 'dev' }, { name: 'prod', production: true }]);
    expect(spec['businessUnits']).toEqual([
      { name: 'payments', phases: ['dev', 'prod'] },
      { name: 'shop', phases: ['prod'] },
    ]);
    expect(spec['sharedAccounts']).toEqual(['security', 'log-archive']);
    expect(inferEmailTemplate(live)).toBe('aws+{account}@acme.example');
  });

  it('comments every account that does not fit, and why', () => {
    expect(yaml).toMatch(/# kitchen-sink: .*phases `dev`, `prod` and business units `payments`, `shop`[^\n]*\n\s*- name: legacy-prod/);
    expect(yaml).toMatch(/# shared security account \(recognised by name `acme-audit`\)\n\s*# apply tags it `Purpose=security`[^\n]*\n\s*- name: acme-audit\n\s*ou: Security\n\s*purpose: security/);
    expect(yaml).toMatch(/# unattributed: [^\n]*\n\s*- name: mystery/);
    expect(yaml).toMatch(/# mixed OU: tagged phase `dev` but its OU `Root\/Workloads\/Prod` is for `prod`[^\n]*\n\s*- name: shop-test/);
    expect(flags.map((f) => f.subject)).toEqual(expect.arrayContaining(['account acme-audit', 'account legacy-prod', 'account mystery', 'account shop-test', 'role deployer', 'scp orphan']));
    expect(adopted.diagnostics.map((d) => d.code).sort()).toEqual(['BH9200', 'BH9200', 'BH9200', 'BH9201']);
  });

  it('turns SCPs into a preset where the document is the preset, else the custom document', () => {
    const guardrails = (adopted.value.spec as { guardrails: unknown[] }).guardrails;
    expect(guardrails).toEqual([
      { preset: 'deny-leave-organization', attach: ['root'], exemptRoles: [] },
      { name: 'no-ec2-in-dev', attach: [{ ou: 'Workloads/Dev' }], policy: policyDoc({ Effect: 'Deny', Action: 'ec2:RunInstances', Resource: '*' }) },
    ]);
    const region = presetDocument('region-restriction', { regions: ['eu-west-1', 'eu-central-1'], exemptRoles: ['Admin'] });
    expect(matchPreset(region, 'scp', ['us-east-1'])).toEqual({ preset: 'region-restriction', options: { regions: ['eu-west-1', 'eu-central-1'], exemptRoles: ['Admin'] } });
    expect(matchPreset(policyDoc({ Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*', Sid: 'Other' }), 'scp', [])).toBeUndefined();
  });

  it('a data-perimeter RCP naming the organization\'s own id is adopted without `organizationId`; another id is kept', () => {
    const orgId = 'o-abcdefghij';
    const rcp = (name: string, id: string) => ({
      name,
      description: '',
      managedBy: 'customer' as const,
      document: presetDocument('data-perimeter-identity', { regions: [], exemptRoles: [], organizationId: id }),
      targets: [{ ou: 'Root' }],
    });
    const withRcps = { ...live, organization: { ...live.organization, id: orgId }, resourceControlPolicies: [rcp('own', orgId), rcp('partner', 'o-zyxwvutsrq')] };
    const a = adoptOrganization(withRcps, { source: 'snap' });
    if (!a.ok) throw new Error('adopt failed');
    const entries = (a.value.spec as { guardrails: { name?: string }[] }).guardrails.filter((g) => g.name === 'own' || g.name === 'partner');
    expect(entries).toEqual([
      { preset: 'data-perimeter-identity', name: 'own', attach: ['root'], exemptRoles: [] },
      { preset: 'data-perimeter-identity', name: 'partner', attach: ['root'], exemptRoles: [], organizationId: 'o-zyxwvutsrq' },
    ]);
    // the adopted spec plans `{{organization:id}}`, which the diff resolves to the live id: no change for `own`
    const planned = planFromYaml(a.value.yaml, 'adopted.yaml');
    if (!planned.ok) throw new Error(JSON.stringify(planned.diagnostics));
    const changes = diffModels(planned.value, withRcps, { enabledPolicyTypes: ['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY'], closedInLast30Days: 0 }, { allowClose: false }).changes.filter((c) => c.key.includes(':own'));
    expect(changes).toEqual([]);
    // (the filter sees the policy: against an organization whose `own` names another id, it is a change)
    const moved = { ...withRcps, resourceControlPolicies: [rcp('own', 'o-0000000000'), rcp('partner', 'o-zyxwvutsrq')] };
    expect(diffModels(planned.value, moved, { enabledPolicyTypes: ['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY'], closedInLast30Days: 0 }, { allowClose: false }).changes.filter((c) => c.key.includes(':own')).length).toBeGreaterThan(0);
  });

  it('a custom RCP becomes a custom guardrail with `type: rcp` that plans back to the same policy (no change)', () => {
    const doc = policyDoc({ Sid: 'DenyInsecureS3', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { BoolIfExists: { 'aws:SecureTransport': 'false' } } });
    const rcp = { name: 'deny-insecure-s3', id: 'p-rrrrrrrr', description: 'TLS only', managedBy: 'customer' as const, document: doc, targets: [{ ou: 'Root/Workloads/Prod' }] };
    const withRcp = { ...live, resourceControlPolicies: [rcp] };
    const a = adoptOrganization(withRcp, { source: 'snap' });
    if (!a.ok) throw new Error('adopt failed');
    expect(a.diagnostics.filter((d) => d.message.includes('deny-insecure-s3'))).toEqual([]);
    const entry = (a.value.spec as { guardrails: { name?: string }[] }).guardrails.find((g) => g.name === 'deny-insecure-s3');
    expect(entry).toEqual({ name: 'deny-insecure-s3', type: 'rcp', description: 'TLS only', attach: [{ ou: 'Workloads/Prod' }], policy: doc });
    expect(a.value.yaml).toMatch(/- name: deny-insecure-s3\n\s+type: rcp\n/);
    const planned = planFromYaml(a.value.yaml, 'adopted.yaml');
    if (!planned.ok) throw new Error(JSON.stringify(planned.diagnostics));
    expect(planned.value.resourceControlPolicies.find((p) => p.name === 'deny-insecure-s3')).toMatchObject({ document: doc, targets: [{ ou: 'Root/Workloads/Prod' }] });
    const facts = { enabledPolicyTypes: ['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY'], closedInLast30Days: 0 };
    expect(diffModels(planned.value, withRcp, facts, { allowClose: false }).changes.filter((c) => c.key.includes('deny-insecure-s3'))).toEqual([]);
    expect(a.value.ids.resourceControlPolicies['deny-insecure-s3']).toBe('p-rrrrrrrr');
  });

  it('turns a role common to several accounts into a spec role with per-phase capabilities', () => {
    const roles = (adopted.value.spec as { roles: Record<string, unknown> }).roles;
    expect(Object.keys(roles)).toEqual(['deployer']);
    expect(roles['deployer']).toEqual({
      access: { dev: { capabilities: ['read-data', 'write-data'], services: ['s3'] }, prod: { capabilities: ['read-data'], services: ['s3'] } },
      assumedFrom: [{ account: 'mgmt' }],
    });
  });

  it('maps spec names to live ids', () => {
    expect(ids.accounts['payments-dev']).toBe(live.accounts.find((a) => a.name === 'payments-dev')!.id);
    expect(ids.organizationalUnits['Root']).toBe('r-root');
    expect(ids.serviceControlPolicies['no-ec2-in-dev']).toBe('p-bbbbbbbb');
    expect(ids.organizationId).toBe('o-abcdefghij');
  });

  it('plans an organization that apply would leave alone except for the flagged roles', () => {
    const planned = planFromYaml(yaml, 'adopted.yaml');
    if (!planned.ok) throw new Error('plan failed');
    const changes = diffModels(planned.value, live, { enabledPolicyTypes: ['SERVICE_CONTROL_POLICY'], closedInLast30Days: 0 }, { allowClose: false }).changes;
    // the flagged ones: the role's policies, and the Purpose tag of the shared account the planner cannot name so
    const unexpected = changes.filter((c) => !(c.kind === 'update-role' && c.name === 'deployer') && !(c.kind === 'tag-account' && c.name === 'acme-audit'));
    expect(unexpected.map((c) => c.key)).toEqual([]);
    expect(changes.find((c) => c.kind === 'tag-account')).toMatchObject({ name: 'acme-audit', tags: { Purpose: 'security' } });
    expect(changes.filter((c) => c.kind === 'update-role').map((c) => c.key).length).toBe(3);
  });
});
