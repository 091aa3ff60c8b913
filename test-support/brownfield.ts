/**
 * A brownfield organization for the adopt tests: clean runtime accounts of two business units, shared accounts (one
 * named as the planner would, one not), a kitchen-sink, an unattributed and a mixed-OU account, a role common to
 * three accounts, a preset-equivalent SCP, a custom SCP and one attached nowhere.
 */
import type { Account, OrganizationModel, OrganizationPolicy, Role } from '../src/model/organization.js';
import { presetDocument } from '../src/plan/guardrails.js';
import { MGMT_ACCOUNT, policyDoc, snapshotModel } from './models.js';

let next = 200000000000;
const acct = (name: string, ouPath: string, tags: Record<string, string> = {}): Account => ({ name, email: `aws+${name}@acme.example`, id: String(next++), ouPath, purpose: 'unknown', status: 'ACTIVE', tags });
const role = (account: string, name: string, actions: string[], tags: Record<string, string> = {}): Role => ({
  account,
  name,
  path: '/',
  trustPolicy: policyDoc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'sts:AssumeRole' }),
  policies: [{ name: `${name}-policy`, kind: 'inline', document: policyDoc({ Effect: 'Allow', Action: actions, Resource: '*' }) }],
  tags,
});

/** A brownfield organization: two clean runtime accounts per unit, shared accounts, a kitchen-sink, an unattributed and a mixed-OU account. */
export function brownfield(): OrganizationModel {
  const accounts = [
    MGMT_ACCOUNT,
    acct('security', 'Root/Security'),
    acct('log-archive', 'Root/Security'),
    acct('payments-dev', 'Root/Workloads/Dev', { BusinessUnit: 'payments', Environment: 'dev' }),
    acct('payments-prod', 'Root/Workloads/Prod', { BusinessUnit: 'payments', Environment: 'prod' }),
    acct('shop-prod', 'Root/Workloads/Prod', { BusinessUnit: 'shop', Environment: 'prod' }),
    acct('legacy-prod', 'Root/Workloads/Prod', { BusinessUnit: 'shop', Environment: 'prod' }),
    acct('mystery', 'Root/Workloads'),
    acct('acme-audit', 'Root/Security'),
    acct('shop-test', 'Root/Workloads/Prod', { BusinessUnit: 'shop', Environment: 'dev' }),
  ];
  const ous = ['Root', 'Root/Security', 'Root/Workloads', 'Root/Workloads/Dev', 'Root/Workloads/Prod', 'Root/Suspended'];
  const everywhere = [...ous.map((ou) => ({ ou })), ...accounts.filter((a) => a.name !== 'mgmt').map((a) => ({ account: a.name }))];
  const scps: OrganizationPolicy[] = [
    { name: 'FullAWSAccess', id: 'p-FullAWSAccess', managedBy: 'aws', document: policyDoc({ Effect: 'Allow', Action: '*', Resource: '*' }), targets: everywhere },
    { name: 'deny-leave-organization', id: 'p-aaaaaaaa', managedBy: 'customer', document: presetDocument('deny-leave-organization', { regions: [], exemptRoles: [] }), targets: [{ ou: 'Root' }] },
    { name: 'no-ec2-in-dev', id: 'p-bbbbbbbb', managedBy: 'customer', document: policyDoc({ Effect: 'Deny', Action: 'ec2:RunInstances', Resource: '*' }), targets: [{ ou: 'Root/Workloads/Dev' }] },
    { name: 'orphan', id: 'p-cccccccc', managedBy: 'customer', document: policyDoc({ Effect: 'Deny', Action: 'ec2:*', Resource: '*' }), targets: [] },
  ];
  const roles = [
    role('payments-dev', 'deployer', ['s3:PutObject', 's3:GetObject']),
    role('payments-prod', 'deployer', ['s3:GetObject']),
    role('shop-prod', 'deployer', ['s3:GetObject']),
    role('legacy-prod', 'app-dev', ['s3:GetObject'], { Environment: 'dev', BusinessUnit: 'payments' }),
    role('legacy-prod', 'app-prod', ['s3:GetObject'], { Environment: 'prod' }),
    role('payments-prod', 'OrganizationAccountAccessRole', ['*']),
    role('shop-prod', 'OrganizationAccountAccessRole', ['*']),
  ];
  return snapshotModel({
    organization: { name: 'Acme Corp', id: 'o-abcdefghij', managementAccount: 'mgmt', regions: ['us-east-1'], accessRoleName: 'OrganizationAccountAccessRole' },
    organizationalUnits: ous.map((path, i) => ({ path, id: i === 0 ? 'r-root' : `ou-root-${i}`, tags: {} })),
    accounts: accounts.map((a) => (a.name === 'mgmt' ? { ...a, email: 'aws@acme.example' } : a)),
    serviceControlPolicies: scps,
    roles,
  });
}

