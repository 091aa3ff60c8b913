/**
 * Hand-built organization models for tests: an empty collected organization with a management account, to which a
 * test adds the accounts, roles and resources it is about.
 */
import type { Account, OrganizationModel, PolicyDocument } from '../src/model/organization.js';

/** A policy document of these statements (Version 2012-10-17). */
export function policyDoc(...Statement: Record<string, unknown>[]): PolicyDocument {
  return { Version: '2012-10-17', Statement } as PolicyDocument;
}

/** The management account every test model has: `mgmt`, 111111111111, at the root. */
export const MGMT_ACCOUNT: Account = { name: 'mgmt', email: 'm@x.example', id: '111111111111', ouPath: 'Root', purpose: 'management', tags: {} };

/** A collected (`snapshot`) model with only the management account and the root OU, then `parts` over it. */
export function snapshotModel(parts: Partial<OrganizationModel> = {}): OrganizationModel {
  return {
    modelVersion: 1,
    source: 'snapshot',
    organization: { name: 'o', managementAccount: 'mgmt', regions: ['us-east-1'], accessRoleName: 'OrganizationAccountAccessRole' },
    phases: [],
    businessUnits: [],
    organizationalUnits: [{ path: 'Root', tags: {} }],
    accounts: [MGMT_ACCOUNT],
    roles: [],
    users: [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resources: [],
    boundaries: [],
    auditScopes: [],
    ...parts,
  };
}
