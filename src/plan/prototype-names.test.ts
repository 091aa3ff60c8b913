import { describe, expect, it } from 'vitest';
import { planFromYaml } from './index.js';

// Phase, business unit and role names are user keys; names that every JavaScript object has must not be found
// on Object.prototype (the lowercase-name rule leaves `constructor` and `tostring` for phases and business units;
// role names may be anything IAM accepts).
const SPEC = `version: 1
organization:
  name: proto
  managementAccount: { name: proto-management, email: root@proto.example }
  emailTemplate: "aws+{account}@proto.example"
  regions: [eu-west-1]
  accountQuota: 100
phases:
  - { name: constructor }
  - { name: tostring, production: true }
businessUnits:
  - { name: constructor }
  - { name: tostring, extraAccounts: [sandbox] }
roles:
  hasownproperty:
    assumedFrom: { account: management }
    access:
      tostring: { capabilities: [read-data], services: [s3] }
  toString:
    assumedFrom: { account: management }
    access:
      constructor: { capabilities: [read-data], services: [s3] }
  constructor:
    assumedFrom: { account: management }
    access:
      "*": { capabilities: [read-config], services: [s3] }
guardrails:
  - { preset: deny-leave-organization, attach: [{ phase: constructor }, { businessUnit: tostring }] }
boundaries:
  - { name: split, from: { phase: constructor }, to: { businessUnit: tostring }, deny: [read-data], except: [hasOwnProperty, __proto__] }
auditScopes:
  - { name: scope, accounts: { businessUnit: constructor } }
`;

describe('names that are also Object.prototype keys', () => {
  it('plans phases, business units and roles called constructor, tostring, toString and hasownproperty', () => {
    const r = planFromYaml(SPEC, 'proto.yaml');
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.ok).toBe(true);
    const model = r.ok ? r.value : undefined;
    expect(model?.accounts.map((a) => a.name)).toEqual([
      'constructor-constructor',
      'constructor-tostring',
      'proto-management',
      'tostring-constructor',
      'tostring-sandbox',
      'tostring-tostring',
    ]);
    expect(model?.roles.map((x) => `${x.account}/${x.name}`)).toEqual([
      'constructor-constructor/constructor',
      'constructor-constructor/toString',
      'constructor-tostring/constructor',
      'constructor-tostring/hasownproperty',
      'tostring-constructor/constructor',
      'tostring-constructor/toString',
      'tostring-tostring/constructor',
      'tostring-tostring/hasownproperty',
    ]);
    // `except` names that are no role of the spec are reported even when every object has them as keys
    expect(r.diagnostics.filter((d) => d.code === 'BH1054').map((d) => d.path)).toEqual(['boundaries[0].except[0]', 'boundaries[0].except[1]']);
  });
});
