import { describe, expect, it } from 'vitest';
import { decodePolicyDocument } from './decode.js';
import { loadSnapshot, parseSnapshot } from './load.js';
import { snapshotFiles, type InventorySnapshot, type Snapshot } from './format.js';


const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] };

function minimal(): Snapshot {
  return {
    manifest: {
      snapshotVersion: 1,
      tool: { name: 'bulkhead', version: '0.1.0' },
      collectedAt: '2026-11-28T12:00:00.000Z',
      organization: { id: 'o-abc', managementAccountId: '111111111111', rootId: 'r-ab12', regions: ['us-east-1'], accessRoleName: 'OrganizationAccountAccessRole' },
      counts: { organizationalUnits: 1, accounts: 2, accountsCollected: 2, accountsFailed: 0, serviceControlPolicies: 1, resourceControlPolicies: 0, roles: 1, users: 0, resources: 0 },
      accountFiles: ['accounts/111111111111.json', 'accounts/222222222222.json'],
      errors: [],
    },
    organization: {
      id: 'o-abc',
      managementAccountId: '111111111111',
      root: { id: 'r-ab12', name: 'Root', policyTypes: ['SERVICE_CONTROL_POLICY'], tags: {} },
      organizationalUnits: [{ id: 'ou-ab12-11111111', name: 'Prod', parentId: 'r-ab12', tags: {} }],
      accounts: [
        { id: '111111111111', name: 'mgmt', email: 'm@example.com', status: 'ACTIVE', parentId: 'r-ab12', tags: {} },
        { id: '222222222222', name: 'app', email: 'a@example.com', status: 'ACTIVE', parentId: 'ou-ab12-11111111', tags: { Environment: 'prod', BusinessUnit: 'pay' } },
      ],
      policies: [{ id: 'p-FullAWSAccess', name: 'FullAWSAccess', type: 'SERVICE_CONTROL_POLICY', awsManaged: true, document: doc, targets: ['r-ab12', 'ou-ab12-11111111', '222222222222'] }],
    },
    accounts: [
      { accountId: '111111111111', accountName: 'mgmt', iam: { roles: [], users: [], groups: [], managedPolicies: [] }, resources: [] },
      {
        accountId: '222222222222',
        accountName: 'app',
        iam: {
          roles: [{ name: 'r', path: '/', arn: 'arn:aws:iam::222222222222:role/r', trustPolicy: doc, inlinePolicies: [], managedPolicyArns: ['arn:aws:iam::aws:policy/Gone'], tags: {} }],
          users: [],
          groups: [],
          managedPolicies: [],
        },
        resources: [],
      },
    ],
  };
}

describe('snapshot loader', () => {
  it('loads a minimal snapshot with attribution from tags', () => {
    const r = loadSnapshot(snapshotFiles(minimal()), 'snap');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const app = r.value.accounts.find((a) => a.name === 'app');
    expect(app).toMatchObject({ ouPath: 'Root/Prod', phase: 'prod', businessUnit: 'pay', id: '222222222222' });
    expect(r.value.organization.managementAccount).toBe('mgmt');
    expect(r.value.phases).toEqual([{ name: 'prod', production: true }]);
    expect(r.value.serviceControlPolicies[0]?.targets).toEqual([{ ou: 'Root' }, { ou: 'Root/Prod' }, { account: 'app' }]);
    // a managed policy without a document: warned, treated as empty
    expect(r.diagnostics.map((d) => d.code)).toEqual(['BH6007']);
    expect(r.value.roles[0]?.policies[0]).toMatchObject({ name: 'Gone', kind: 'managed', arn: 'arn:aws:iam::aws:policy/Gone' });
  });

  it('reports a missing manifest', () => {
    const files = snapshotFiles(minimal());
    files.delete('manifest.json');
    const r = parseSnapshot(files, 'snap');
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]).toMatchObject({ code: 'BH6001', file: 'snap/manifest.json' });
  });

  it('reports broken JSON with a position', () => {
    const files = snapshotFiles(minimal());
    files.set('organization.json', '{\n  "id": 1 "x"\n}');
    const r = parseSnapshot(files, 'snap');
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]).toMatchObject({ code: 'BH6002', file: 'snap/organization.json', position: { line: 2 } });
  });

  it('refuses an account file nested 100,000 levels deep, at the bracket past the limit (the schema overflowed the stack)', () => {
    const s = minimal();
    const files = snapshotFiles(s);
    const rel = 'accounts/222222222222.json';
    const deep = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    files.set(rel, files.get(rel)!.replace('"roles": [', `"deep": ${deep},\n  "roles": [`));
    const r = parseSnapshot(files, 'snap');
    expect(r.ok).toBe(false);
    expect(r.diagnostics).toHaveLength(1);
    const d = r.diagnostics[0]!;
    expect(d).toMatchObject({ code: 'BH6020', file: `snap/${rel}`, path: 'iam.deep.a.a.a.a.a.a.a.a.a.a…' });
    expect(d.position?.line).toBeGreaterThan(1);
    expect(d.message).toContain('nests deeper than 100 levels (objects and lists');
  });

  it('reads a file nested exactly to the limit, and refuses one level more', () => {
    const codes = (levels: number) => {
      const files = snapshotFiles(minimal());
      const rel = 'accounts/222222222222.json';
      // the file's root and \`iam\` are 2 levels
      files.set(rel, files.get(rel)!.replace('"roles": [', `"deep": ${'['.repeat(levels)}${']'.repeat(levels)},\n  "roles": [`));
      return parseSnapshot(files, 'snap').diagnostics.map((d) => d.code);
    };
    expect(codes(98)).not.toContain('BH6020');
    expect(codes(99)).toContain('BH6020');
  });

  it('rejects an unknown format version', () => {
    const s = minimal();
    const files = snapshotFiles({ ...s, manifest: { ...s.manifest, snapshotVersion: 9 as 1 } });
    const r = parseSnapshot(files, 'snap');
    expect(r.diagnostics[0]?.code).toBe('BH6004');
    expect(r.diagnostics[0]?.message).toContain('`9`');
  });

  it('loads a version 1 snapshot (no inventory) without an inventory in the model', () => {
    const r = loadSnapshot(snapshotFiles(minimal()), 'snap');
    expect(r.ok && r.value.inventory).toBe(undefined);
  });

  it('loads a version 2 inventory into the model, attributed to the account name and sorted', () => {
    const s = minimal();
    const table = 'arn:aws:dynamodb:us-east-1:222222222222:table/orders';
    const fn = 'arn:aws:lambda:us-east-1:222222222222:function:api';
    const inventory: InventorySnapshot = {
      resources: [
        { arn: table, type: 'dynamodb:table', region: 'us-east-1', name: 'orders', tags: { Phase: 'dev' }, policy: doc },
        { arn: fn, type: 'lambda:function', region: 'us-east-1', name: 'api', tags: {}, lambda: { runtime: 'nodejs20.x', environment: [{ name: 'SECRET' }, { name: 'TABLE', value: 'orders' }] } },
      ],
      references: [{ kind: 'lambda-env', from: fn, to: table, evidence: 'TABLE' }],
    };
    const v2: Snapshot = { ...s, manifest: { ...s.manifest, snapshotVersion: 2 }, accounts: [s.accounts[0]!, { ...s.accounts[1]!, inventory }] };
    const r = loadSnapshot(snapshotFiles(v2), 'snap');
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    expect(r.value.inventory?.resources.map((x) => [x.account, x.arn])).toEqual([['app', table], ['app', fn]]);
    expect(r.value.inventory?.references).toEqual(inventory.references);
  });

  it('refuses an inventory reference of an unknown kind at its JSON path', () => {
    const s = minimal();
    const bad = { resources: [], references: [{ kind: 'telepathy', from: 'a', to: 'b', evidence: '' }] } as unknown as InventorySnapshot;
    const v2: Snapshot = { ...s, manifest: { ...s.manifest, snapshotVersion: 2 }, accounts: [s.accounts[0]!, { ...s.accounts[1]!, inventory: bad }] };
    const r = parseSnapshot(snapshotFiles(v2), 'snap');
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]).toMatchObject({ file: 'snap/accounts/222222222222.json', path: 'inventory.references[0].kind' });
  });

  it('an inventory not read at collection is a BH6008 warning that keeps the account', () => {
    const s = minimal();
    const withError: Snapshot = { ...s, manifest: { ...s.manifest, errors: [{ accountId: '222222222222', accountName: 'app', stage: 'inventory', message: 'AccessDenied: tag:GetResources' }] } };
    const r = loadSnapshot(snapshotFiles(withError), 'snap');
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    const w = r.diagnostics.find((d) => d.code === 'BH6008');
    expect(w?.message).toContain('workload inventory of account `app`');
    expect(r.value.roles.map((x) => x.account)).toEqual(['app']);
  });

  it('reports a bad field with its JSON path', () => {
    const s = minimal();
    const bad = { ...s, organization: { ...s.organization, accounts: [{ ...s.organization.accounts[0]!, id: '12' }] } };
    const r = parseSnapshot(snapshotFiles(bad), 'snap');
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]).toMatchObject({ code: 'BH6003', path: 'accounts[0].id', file: 'snap/organization.json' });
  });

  it('reports an account whose parent is missing', () => {
    const s = minimal();
    const bad = { ...s, organization: { ...s.organization, organizationalUnits: [] } };
    const r = loadSnapshot(snapshotFiles(bad), 'snap');
    expect(r.ok).toBe(false);
    expect(r.diagnostics.find((d) => d.severity === 'error')).toMatchObject({ code: 'BH6005', path: 'accounts[1].parentId' });
  });

  it('renames duplicate account names with a warning', () => {
    const s = minimal();
    const accts = [...s.organization.accounts, { id: '333333333333', name: 'app', email: 'b@example.com', status: 'ACTIVE', parentId: 'r-ab12', tags: {} }];
    const r = loadSnapshot(snapshotFiles({ ...s, organization: { ...s.organization, accounts: accts } }), 'snap');
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.accounts.map((a) => a.name)).toEqual(['app (222222222222)', 'app (333333333333)', 'mgmt']);
    expect(r.diagnostics.filter((d) => d.code === 'BH6006')).toHaveLength(2);
  });
});

describe('Identity Center collection errors', () => {
  const identity = { instanceArn: 'arn:aws:sso:::instance/ssoins-1', identityStoreId: 'd-1', homeRegion: 'us-east-1', users: [], groups: [], permissionSets: [], assignments: [] };
  const boundaryGap = { accountId: 'organization', stage: 'identity', message: 'permissions boundary of permission set `dev` not read (GetPermissionsBoundaryForPermissionSet: SyntaxError: x)' };

  it('a part not read (the snapshot has identity) is a BH6008 warning that people and permission sets may be incomplete', () => {
    const s = minimal();
    const snap: Snapshot = { ...s, manifest: { ...s.manifest, errors: [boundaryGap] }, organization: { ...s.organization, identity } };
    const r = loadSnapshot(snapshotFiles(snap), 'snap');
    expect(r.ok).toBe(true);
    const w = r.diagnostics.find((d) => d.code === 'BH6008');
    expect(w?.severity).toBe('warning');
    expect(w?.message).toMatch(/^IAM Identity Center was read only in part at collection \(permissions boundary of permission set `dev` not read .*may be incomplete/);
  });

  it('nothing read (no identity) says it is missing from the model', () => {
    const s = minimal();
    const snap: Snapshot = { ...s, manifest: { ...s.manifest, errors: [{ ...boundaryGap, message: 'access denied: AccessDeniedException: no' }] } };
    const r = loadSnapshot(snapshotFiles(snap), 'snap');
    expect(r.diagnostics.find((d) => d.code === 'BH6008')?.message).toMatch(/^IAM Identity Center could not be read at collection .*missing from the model/);
  });
});

describe('decodePolicyDocument', () => {
  it('accepts URL-encoded and plain JSON', () => {
    const plain = JSON.stringify(doc);
    expect(decodePolicyDocument(plain)).toEqual({ ok: true, value: doc, diagnostics: [] });
    expect(decodePolicyDocument(encodeURIComponent(plain))).toEqual({ ok: true, value: doc, diagnostics: [] });
  });
  it('explains what is wrong', () => {
    expect(decodePolicyDocument('%E0%A4%A')).toMatchObject({ ok: false, diagnostics: [{ message: expect.stringContaining('URL-encoded') as string }] });
    expect(decodePolicyDocument('{nope')).toMatchObject({ ok: false });
    expect(decodePolicyDocument(undefined)).toMatchObject({ ok: false, diagnostics: [{ message: 'empty policy document' }] });
  });
});

describe('names that are also Object.prototype keys', () => {
  it('loads accounts, OUs, roles, groups and tags called `constructor`, `__proto__` and `toString`', () => {
    const s = minimal();
    const org = s.organization;
    const snap: Snapshot = {
      ...s,
      organization: {
        ...org,
        organizationalUnits: [...org.organizationalUnits, { id: 'ou-ab12-22222222', name: 'constructor', parentId: 'r-ab12', tags: {} }],
        accounts: [
          ...org.accounts,
          { id: '333333333333', name: '__proto__', email: 'p@example.com', status: 'ACTIVE', parentId: 'ou-ab12-22222222', tags: { constructor: 'c', toString: 'prod' } },
          { id: '444444444444', name: 'constructor', email: 'c1@example.com', status: 'ACTIVE', parentId: 'r-ab12', tags: {} },
          { id: '555555555555', name: 'constructor', email: 'c2@example.com', status: 'ACTIVE', parentId: 'r-ab12', tags: {} },
          { id: '666666666666', name: 'toString', email: 't@example.com', status: 'ACTIVE', parentId: 'r-ab12', tags: { Environment: 'hasOwnProperty' } },
        ],
        policies: [{ ...org.policies[0]!, targets: ['ou-ab12-22222222', '333333333333', '666666666666', 'constructor'] }],
      },
      accounts: [
        ...s.accounts,
        {
          accountId: '333333333333',
          accountName: '__proto__',
          iam: {
            roles: [{ name: 'toString', path: '/', arn: 'arn:aws:iam::333333333333:role/toString', trustPolicy: doc, inlinePolicies: [], managedPolicyArns: [], tags: { toString: 'x' } }],
            users: [{ name: 'constructor', path: '/', arn: 'arn:aws:iam::333333333333:user/constructor', inlinePolicies: [], managedPolicyArns: [], groups: ['__proto__', 'toString'], tags: {} }],
            groups: [{ name: '__proto__', path: '/', arn: 'arn:aws:iam::333333333333:group/__proto__', inlinePolicies: [{ name: 'read', document: doc }], managedPolicyArns: [] }],
            managedPolicies: [],
          },
          resources: [],
        },
      ],
      manifest: { ...s.manifest, accountFiles: [...s.manifest.accountFiles, 'accounts/333333333333.json'] },
    };
    const r = loadSnapshot(snapshotFiles(snap), 'snap');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.accounts.map((a) => a.name)).toEqual(['__proto__', 'app', 'constructor (444444444444)', 'constructor (555555555555)', 'mgmt', 'toString']);
    expect(r.value.accounts.find((a) => a.name === '__proto__')).toMatchObject({ ouPath: 'Root/constructor', tags: { constructor: 'c', toString: 'prod' } });
    expect(r.value.accounts.find((a) => a.name === 'toString')?.phase).toBe('hasOwnProperty');
    expect(r.value.serviceControlPolicies[0]?.targets).toEqual([{ ou: 'Root/constructor' }, { account: '__proto__' }, { account: 'toString' }]);
    // `constructor` is no OU or account id: a dangling target, not Object's constructor
    expect(r.diagnostics.filter((d) => d.code === 'BH6005').map((d) => d.path)).toEqual(['policies[0].targets[3]']);
    expect(r.value.roles.find((x) => x.name === 'toString')?.account).toBe('__proto__');
    const user = r.value.users.find((u) => u.name === 'constructor');
    expect(user?.groups).toEqual(['__proto__', 'toString']);
    expect(user?.policies.map((p) => p.name)).toEqual(['group:__proto__/read']);
  });
});

/** The minimal snapshot's files with one file's JSON text replaced. */
function withText(rel: string, text: string): Map<string, string> {
  const files = snapshotFiles(minimal());
  files.set(rel, text);
  return files;
}

/** The minimal snapshot's files with one file's parsed JSON edited in place. */
function edited(rel: string, edit: (v: Record<string, unknown>) => void): Map<string, string> {
  const files = snapshotFiles(minimal());
  const v = JSON.parse(files.get(rel)!) as Record<string, unknown>;
  edit(v);
  files.set(rel, JSON.stringify(v, null, 2));
  return files;
}

const APP = 'accounts/222222222222.json';

describe('`__proto__` keys in snapshot JSON', () => {
  it('are data in tags and policy documents: kept as own keys', () => {
    const files = snapshotFiles(minimal());
    files.set('organization.json', files.get('organization.json')!.replace('"Environment": "prod",', '"__proto__": "tag value", "Environment": "prod",'));
    files.set(APP, files.get(APP)!.replace('"tags": {}', '"tags": { "__proto__": "role tag" }').replace('"Version": "2012-10-17",', '"Version": "2012-10-17", "__proto__": { "kept": true },'));
    const r = loadSnapshot(files, 'snap');
    expect(r.ok, JSON.stringify(r.diagnostics)).toBe(true);
    if (!r.ok) return;
    const app = r.value.accounts.find((a) => a.name === 'app')!;
    expect(Object.hasOwn(app.tags, '__proto__')).toBe(true);
    expect(Object.entries(app.tags)).toContainEqual(['__proto__', 'tag value']);
    expect(app.phase).toBe('prod');
    const role = r.value.roles[0]!;
    expect(Object.entries(role.tags)).toEqual([['__proto__', 'role tag']]);
    expect(Object.getPrototypeOf(role.tags)).toBe(Object.prototype);
    expect(Object.hasOwn(role.trustPolicy as object, '__proto__')).toBe(true);
  });

  it('are refused with their JSON path where the format has fields', () => {
    const cases: [string, string, string, string][] = [
      ['top of an account file', APP, '{\n  "__proto__": {},\n  "accountId": "222222222222",', '__proto__'],
      ['a role', APP, '"name": "r",', 'iam.roles[0].__proto__'],
      ['an organization account', 'organization.json', '"name": "mgmt",', 'accounts[0].__proto__'],
      ['the manifest', 'manifest.json', '"collectedAt":', 'organization.__proto__'],
    ];
    for (const [what, rel, anchor, path] of cases) {
      const files = snapshotFiles(minimal());
      const text = files.get(rel)!;
      let next: string;
      if (anchor.startsWith('{')) next = text.replace('{\n  "accountId": "222222222222",', anchor);
      else if (rel === 'manifest.json') next = text.replace('"organization": {', '"organization": {\n    "__proto__": { "id": "x" },');
      else next = text.replace(anchor, `"__proto__": { "x": 1 }, ${anchor}`);
      expect(next, what).not.toBe(text);
      files.set(rel, next);
      const r = parseSnapshot(files, 'snap');
      expect(r.ok, what).toBe(false);
      expect(r.diagnostics.find((d) => d.code === 'BH6012'), what).toMatchObject({ path, file: `snap/${rel}`, message: expect.stringContaining(`\`${path}\``) as string });
    }
  });
});

describe('corrupt snapshots: a positioned error each, never a crash or a silent drop', () => {
  it('a truncated file is bad JSON positioned at its end', () => {
    const text = snapshotFiles(minimal()).get(APP)!;
    const cut = text.slice(0, 40);
    const r = parseSnapshot(withText(APP, cut), 'snap');
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]).toMatchObject({ code: 'BH6002', file: `snap/${APP}`, position: { line: expect.any(Number) as number } });
    const empty = parseSnapshot(withText('organization.json', ''), 'snap');
    expect(empty.diagnostics[0]).toMatchObject({ code: 'BH6002', file: 'snap/organization.json', position: { line: 1, col: 1 } });
  });

  it('wrong types are reported with their path, a tag value too', () => {
    const r = parseSnapshot(
      edited(APP, (v) => {
        ((v['iam'] as { roles: Record<string, unknown>[] }).roles[0]!)['tags'] = { team: 7 };
        (v['resources'] as unknown) = 'none';
      }),
      'snap',
    );
    expect(r.ok).toBe(false);
    expect(r.diagnostics.filter((d) => d.code === 'BH6003').map((d) => d.path).sort()).toEqual(['iam.roles[0].tags.team', 'resources']);
    const doc = parseSnapshot(edited(APP, (v) => delete (v['iam'] as { roles: Record<string, unknown>[] }).roles[0]!['trustPolicy']), 'snap');
    expect(doc.diagnostics[0]).toMatchObject({ code: 'BH6003', path: 'iam.roles[0].trustPolicy' });
    const top = parseSnapshot(withText(APP, '[]'), 'snap');
    expect(top.diagnostics[0]).toMatchObject({ code: 'BH6003', file: `snap/${APP}` });
  });

  it('an account file whose id is not its file name', () => {
    const r = parseSnapshot(edited(APP, (v) => (v['accountId'] = '111111111111')), 'snap');
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]).toMatchObject({ code: 'BH6011', file: `snap/${APP}`, path: 'accountId', message: expect.stringContaining('`111111111111`') as string });
  });

  it('an account id twice in organization.json, or a file listed twice', () => {
    const twice = parseSnapshot(
      edited('organization.json', (v) => {
        const accounts = v['accounts'] as Record<string, unknown>[];
        accounts.push({ ...accounts[1]!, name: 'again' });
      }),
      'snap',
    );
    expect(twice.ok).toBe(false);
    expect(twice.diagnostics[0]).toMatchObject({ code: 'BH6011', file: 'snap/organization.json', path: 'accounts[2].id', message: expect.stringContaining('`222222222222`') as string });
    const listed = parseSnapshot(edited('manifest.json', (v) => (v['accountFiles'] as string[]).push(APP)), 'snap');
    expect(listed.ok).toBe(false);
    expect(listed.diagnostics[0]).toMatchObject({ code: 'BH6011', file: 'snap/manifest.json', path: 'accountFiles[2]' });
  });

  it('an account file for an account organization.json does not list', () => {
    const files = edited('organization.json', (v) => (v['accounts'] as unknown[]).splice(1, 1));
    const r = parseSnapshot(files, 'snap');
    expect(r.ok).toBe(false);
    expect(r.diagnostics.find((d) => d.code === 'BH6011')).toMatchObject({ file: `snap/${APP}`, path: 'accountId' });
  });

  it('a manifest entry that is not an account file name', () => {
    const r = parseSnapshot(edited('manifest.json', (v) => (v['accountFiles'] = ['../organization.json'])), 'snap');
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]).toMatchObject({ code: 'BH6003', path: 'accountFiles[0]', file: 'snap/manifest.json' });
  });

  it('a listed account file that is missing', () => {
    const files = snapshotFiles(minimal());
    files.delete(APP);
    const r = parseSnapshot(files, 'snap');
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]).toMatchObject({ code: 'BH6001', file: `snap/${APP}` });
  });
});
