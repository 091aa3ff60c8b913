import { describe, expect, it } from 'vitest';
import type { OrganizationModel } from './organization.js';
import { accountMatches, orgPolicyLevels, ouChain, ouDepth, parentPath, sortModel } from './query.js';
import { NO_TAGS, sharedTags } from './organization.js';

const doc = (sid: string) => ({ Version: '2012-10-17', Statement: [{ Sid: sid, Effect: 'Allow', Action: '*', Resource: '*' }] });
const model: OrganizationModel = {
  modelVersion: 1,
  source: 'plan',
  organization: { name: 'x', managementAccount: 'mgmt', regions: ['us-east-1'], accessRoleName: 'OrganizationAccountAccessRole' },
  phases: [{ name: 'prod', production: true }],
  businessUnits: [{ name: 'retail' }],
  organizationalUnits: [{ path: 'Root', tags: {} }, { path: 'Root/Workloads', tags: {} }, { path: 'Root/Workloads/Prod', tags: {} }],
  accounts: [
    { name: 'retail-prod', email: 'p@x.example', ouPath: 'Root/Workloads/Prod', purpose: 'runtime', businessUnit: 'retail', phase: 'prod', tags: { b: '2', a: '1' } },
    { name: 'mgmt', email: 'm@x.example', ouPath: 'Root', purpose: 'management', tags: {} },
  ],
  roles: [],
  users: [],
  serviceControlPolicies: [
    { name: 'root', document: doc('Root'), targets: [{ ou: 'Root' }] },
    { name: 'prod', document: doc('Prod'), targets: [{ ou: 'Root/Workloads/Prod' }, { account: 'retail-prod' }] },
  ],
  resourceControlPolicies: [],
  resources: [],
  boundaries: [],
  auditScopes: [],
};

describe('model queries', () => {
  it('walks OU paths', () => {
    expect(ouChain('Root/Workloads/Prod')).toEqual(['Root', 'Root/Workloads', 'Root/Workloads/Prod']);
    expect(parentPath('Root/Workloads')).toBe('Root');
    expect(parentPath('Root')).toBeUndefined();
    expect(ouDepth('Root')).toBe(0);
    expect(ouDepth('Root/Workloads/Prod')).toBe(2);
  });
  it('lists SCPs per level from the root to the account, and none for the management account', () => {
    const levels = orgPolicyLevels(model, 'retail-prod', 'scp')!;
    expect(levels.map((l) => l.length)).toEqual([1, 0, 1, 1]);
    expect(orgPolicyLevels(model, 'mgmt', 'scp')).toBeUndefined();
    expect(orgPolicyLevels(model, 'nope', 'scp')).toBeUndefined();
  });
  it('matches selectors: every key, any value, OU subtrees', () => {
    const a = model.accounts[0]!;
    expect(accountMatches(a, { phase: ['prod'], businessUnit: ['retail'] })).toBe(true);
    expect(accountMatches(a, { phase: ['prod'], businessUnit: ['bi'] })).toBe(false);
    expect(accountMatches(a, { ou: ['Root/Workloads'] })).toBe(true);
    expect(accountMatches(a, { ou: ['Root/Work'] })).toBe(false);
    expect(accountMatches(model.accounts[1]!, { phase: ['prod'] })).toBe(false);
  });
  it('sorts collections and tags but keeps documents as given', () => {
    const sorted = sortModel(model);
    expect(sorted.accounts.map((a) => a.name)).toEqual(['mgmt', 'retail-prod']);
    expect(Object.keys(sorted.accounts[1]!.tags)).toEqual(['a', 'b']);
    expect(sorted.serviceControlPolicies[0]!.targets).toEqual([{ ou: 'Root/Workloads/Prod' }, { account: 'retail-prod' }]);
    expect(sorted.serviceControlPolicies.map((p) => p.document)).toEqual([doc('Prod'), doc('Root')]);
  });
  it('gives every entity without tags the one shared, frozen empty tags object', () => {
    const sorted = sortModel(model);
    expect(sorted.accounts[0]!.tags).toBe(NO_TAGS);
    expect(sorted.accounts[1]!.tags).not.toBe(NO_TAGS); // tagged: its own sorted copy
    expect(Object.isFrozen(NO_TAGS)).toBe(true);
    expect(() => {
      (sorted.accounts[0]!.tags as Record<string, string>)['x'] = 'y';
    }).toThrow(TypeError);
    expect(NO_TAGS).toEqual({});
    expect(sharedTags({})).toBe(NO_TAGS);
    const own = { team: 'a' };
    expect(sharedTags(own)).toBe(own);
  });
});
