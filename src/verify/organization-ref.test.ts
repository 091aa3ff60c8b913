import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ORGANIZATION_REF } from '../model/account-ref.js';
import type { OrganizationModel, PolicyDocument, Resource } from '../model/organization.js';
import { presetDocument } from '../plan/guardrails.js';
import { createEngineEvaluator } from './engine-adapter.js';
import { DESIGN_ORGANIZATION_ID, verifyEngineOptions, verifyModel, verifyOrganizationId } from './verify.js';

const base = JSON.parse(readFileSync(new URL('./testdata/small-org.json', import.meta.url), 'utf8')) as OrganizationModel;
const designed = { ...base, organization: { name: base.organization.name, managementAccount: base.organization.managementAccount, regions: base.organization.regions, accessRoleName: base.organization.accessRoleName } };

/** small-org at design time (no organization id), with one bucket and the identity RCP naming `{{organization:id}}`. */
function model(resources: readonly Resource[], rcp: boolean): OrganizationModel {
  const document = presetDocument('data-perimeter-identity', { regions: [], exemptRoles: [] });
  return {
    ...designed,
    resources,
    resourceControlPolicies: rcp ? [{ name: 'data-perimeter-identity', description: '', managedBy: 'customer', document, targets: [{ ou: 'Root' }] }] : [],
  };
}

const bucket = (statement: Record<string, unknown>): Resource => ({
  account: 'retail-prod',
  arn: 'arn:aws:s3:::shared',
  type: 's3:bucket',
  tags: {},
  policy: { Version: '2012-10-17', Statement: [{ Resource: 'arn:aws:s3:::shared/*', Effect: 'Allow', ...statement }] } as PolicyDocument,
});

const run = (m: OrganizationModel) => {
  const organizationId = verifyOrganizationId(m);
  return verifyModel(m, { target: 't', evaluator: createEngineEvaluator(organizationId !== undefined ? { organizationId } : {}) });
};

describe('`{{organization:id}}` at design time', () => {
  it('is the organization being designed: the planned preset names it, verify gives it a stand-in id', () => {
    expect(designed.organization).not.toHaveProperty('id');
    expect(JSON.stringify(model([], true).resourceControlPolicies[0]!.document)).toContain(ORGANIZATION_REF);
    expect(verifyOrganizationId(model([], true))).toBe(DESIGN_ORGANIZATION_ID);
    expect(verifyOrganizationId(model([], false))).toBeUndefined();
    expect(verifyOrganizationId({ ...model([], true), organization: { ...designed.organization, id: 'o-abcdefghij' } })).toBe('o-abcdefghij');
    // the engine options verify and diff both evaluate with carry the same id
    expect(verifyEngineOptions(model([], true)).organizationId).toBe(DESIGN_ORGANIZATION_ID);
    expect(verifyEngineOptions(model([], false))).not.toHaveProperty('organizationId');
  });

  it('the identity RCP keeps the organization\'s own principals and closes the public path', () => {
    const orgRead = bucket({ Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: 's3:GetObject' });
    const before = run(model([orgRead], false));
    const after = run(model([orgRead], true));
    expect(before.view.matrix.length).toBeGreaterThan(0);
    expect(after.view.matrix).toEqual(before.view.matrix);
    const open = run(model([bucket({ Sid: 'PublicRead', Principal: '*', Action: 's3:GetObject' })], true));
    expect(open.findings.filter((f) => f.rule.startsWith('perimeter.')).map((f) => [f.rule, f.principal])).toEqual([['perimeter.closed', '*']]);
  });
});
