import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../diagnostics/diagnostic.js';
import { loadSnapshot } from './load.js';
import { snapshotFiles, type Snapshot } from './format.js';
import { synthOrganization, synthSnapshot } from '../synthetic/index.js';

const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', FutureElement: 1 }], Extra: true };

function snapshot(): Snapshot {
  return {
    manifest: {
      snapshotVersion: 1,
      tool: { name: 'bulkhead', version: '0.1.0' },
      collectedAt: '2026-11-28T12:00:00.000Z',
      organization: { id: 'o-abc', managementAccountId: '111111111111', rootId: 'r-ab12', regions: ['us-east-1'], accessRoleName: 'OrganizationAccountAccessRole' },
      counts: { organizationalUnits: 0, accounts: 1, accountsCollected: 1, accountsFailed: 0, serviceControlPolicies: 0, resourceControlPolicies: 0, roles: 2, users: 0, resources: 1 },
      accountFiles: ['accounts/111111111111.json'],
      errors: [],
    },
    organization: {
      id: 'o-abc',
      managementAccountId: '111111111111',
      root: { id: 'r-ab12', name: 'Root', policyTypes: [], tags: {} },
      organizationalUnits: [],
      accounts: [{ id: '111111111111', name: 'mgmt', email: 'm@example.com', status: 'ACTIVE', parentId: 'r-ab12', tags: { nmae: 'a tag key, data' } }],
      policies: [],
    },
    accounts: [
      {
        accountId: '111111111111',
        accountName: 'mgmt',
        iam: {
          roles: ['a', 'b', 'c'].map((n) => ({ name: n, path: '/', arn: `arn:aws:iam::111111111111:role/${n}`, trustPolicy: doc, inlinePolicies: [], managedPolicyArns: [], tags: {} })),
          users: [],
          groups: [],
          managedPolicies: [],
        },
        resources: [{ arn: 'arn:aws:s3:::b', type: 's3:bucket', region: 'us-east-1', policy: doc, tags: { Description: 'x' } }],
      },
    ],
  };
}

/** The snapshot's files with `edit` applied to the parsed JSON of one file. */
function edited(rel: string, edit: (v: Record<string, any>) => void): Map<string, string> {
  const files = snapshotFiles(snapshot());
  const v = JSON.parse(files.get(rel)!) as Record<string, any>;
  edit(v);
  files.set(rel, JSON.stringify(v, null, 2));
  return files;
}

const warnings = (files: Map<string, string>) => loadSnapshot(files, 'snap').diagnostics.filter((d) => d.code === 'BH6014').map(formatDiagnostic);

describe('unknown snapshot keys', () => {
  it('a snapshot as written has none, nor has a synthetic one; keys of tags and policy documents are data', () => {
    expect(warnings(snapshotFiles(snapshot()))).toEqual([]);
    // (the document above carries `FutureElement` and `Extra`, the tags `nmae`: all kept, none reported)
    const synthetic = synthOrganization({ accounts: 12, rolesPerAccount: 3, resourcesPerAccount: 3, seed: 1, violations: true });
    expect(warnings(snapshotFiles(synthSnapshot(synthetic, new Date('2026-01-01T00:00:00Z'))))).toEqual([]);
  });

  it('a misspelt key is reported with its file and path, the keys allowed there and a did-you-mean', () => {
    const files = edited('accounts/111111111111.json', (v) => {
      v.iam.roles[1].permissionBoundryArn = 'arn:aws:iam::111111111111:policy/b';
    });
    expect(warnings(files)).toEqual([
      'snap/accounts/111111111111.json: warning BH6014: unknown key `permissionBoundryArn` in `iam.roles[1]` is ignored; did you mean `permissionBoundaryArn`?; ' +
        'the keys allowed there are `arn`, `description`, `inlinePolicies`, `managedPolicyArns`, `name`, `path`, `permissionBoundaryArn`, `tags`, `trustPolicy` (at iam.roles[1].permissionBoundryArn)',
    ]);
    expect(loadSnapshot(files, 'snap').ok).toBe(true);
  });

  it('a key of a newer format is reported once per place, with how many more objects hold it', () => {
    const files = edited('accounts/111111111111.json', (v) => {
      for (const r of v.iam.roles) r.lastUsed = '2026-11-01';
    });
    const [w, ...rest] = warnings(files);
    expect(rest).toEqual([]);
    expect(w).toContain('unknown key `lastUsed` in `iam.roles[0]` (and in 2 more like it) is ignored; the keys allowed there are `arn`,');
  });

  it('at the top level and in the manifest and organization files', () => {
    const manifest = edited('manifest.json', (v) => {
      v.snapshotVersoin = 1;
      v.counts.groups = 0;
    });
    expect(warnings(manifest)).toEqual([
      expect.stringContaining('unknown key `groups` in `counts` is ignored; the keys allowed there are `accounts`, `accountsCollected`, `accountsFailed`,'),
      expect.stringMatching(/^snap\/manifest\.json: warning BH6014: unknown key `snapshotVersoin` at the top level is ignored; did you mean `snapshotVersion`\?; the keys allowed there are `accountFiles`, .* \(at snapshotVersoin\)$/),
    ]);
    const org = edited('organization.json', (v) => {
      v.accounts[0].joinedMethd = 'INVITED';
    });
    expect(warnings(org)).toEqual([expect.stringContaining('unknown key `joinedMethd` in `accounts[0]` is ignored; did you mean `joinedMethod`?')]);
  });

  it('escapes a key holding control characters in the printed line', () => {
    const files = edited('manifest.json', (v) => {
      v['x\n\u001b[31m'] = 1;
    });
    const [w] = warnings(files);
    expect(w).toContain('unknown key `x\\n\\x1b[31m` at the top level');
    expect(w).not.toMatch(/[\n\u001b]/);
  });
});
