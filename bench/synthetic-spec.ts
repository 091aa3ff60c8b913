/**
 * The synthetic spec the plan and emit benchmarks share: N business units × 5 phases, 5 shared accounts, two roles
 * with per-phase access and three guardrail presets.
 */
import { stringify } from 'yaml';

const PHASES = ['dev', 'test', 'qa', 'stage', 'prod'];

/** YAML text of a spec with `businessUnits` business units (5 runtime accounts each, plus 6 more). */
export function benchSpec(businessUnits: number): string {
  return stringify({
    version: 1,
    organization: {
      name: 'bench',
      managementAccount: { name: 'bench-management', email: 'root@bench.example' },
      emailTemplate: 'aws+{account}@bench.example',
      regions: ['us-east-1', 'eu-west-1'],
      accountQuota: 10000,
    },
    phases: PHASES.map((name) => ({ name, ...(name === 'prod' ? { production: true } : {}) })),
    businessUnits: Array.from({ length: businessUnits }, (_, i) => ({ name: `bu${String(i).padStart(4, '0')}` })),
    sharedAccounts: ['security', 'log-archive', 'shared-services', 'delivery', 'identity'],
    roles: {
      appeng: {
        assumedFrom: { account: 'identity' },
        access: {
          dev: { capabilities: ['administer-resource', 'read-config', 'read-data', 'write-data', 'delete-data'], services: ['s3', 'dynamodb', 'sqs'] },
          prod: { capabilities: ['read-config'], services: ['s3', 'dynamodb', 'sqs'] },
        },
      },
      deployer: { assumedFrom: { account: 'delivery' }, access: { '*': { capabilities: ['administer-resource', 'read-config', 'write-data'], services: ['s3', 'lambda'] } } },
    },
    guardrails: [{ preset: 'deny-leave-organization' }, { preset: 'deny-root-user' }, { preset: 'region-restriction' }],
  });
}
