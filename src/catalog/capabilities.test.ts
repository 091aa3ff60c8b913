import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import cases from './data/capability-cases.json' with { type: 'json' };
import rulesFile from './data/capability-rules.json' with { type: 'json' };
import {
  actionsWithCapability,
  allActions,
  CAPABILITIES,
  capabilitiesOf,
  capabilityRules,
  explainCapabilities,
  expandActionPattern,
  lookupAction,
  sortCapabilities,
} from './index.js';
import { buildTable, capabilityTable, loadRules } from './capabilities.js';

// One runner for the pinned corpus in data/capability-cases.json: one `describe` per curated service.
describe('pinned capabilities (data/capability-cases.json)', () => {
  for (const [group, entries] of Object.entries(cases.cases)) {
    describe(group, () => {
      for (const [action, expected] of Object.entries(entries as Record<string, string[]>)) {
        it(`${action} → ${expected.join(' + ')}`, () => {
          expect(lookupAction(action), `${action} is not in the catalogue`).toBeDefined();
          expect(capabilitiesOf(action)).toEqual(expected);
        });
      }
    });
  }
  it('lists capabilities in CAPABILITIES order so the corpus reads the same as the output', () => {
    for (const entries of Object.values(cases.cases)) {
      for (const expected of Object.values(entries as Record<string, string[]>)) {
        expect(sortCapabilities(expected as never)).toEqual(expected);
      }
    }
  });
});

describe('the capability table', () => {
  it('gives every catalogue action at least one capability', () => {
    const missing = allActions().filter((a) => capabilitiesOf(a).length === 0);
    expect(missing).toEqual([]);
  });
  it('has no dead rule patterns: each matches at least one real action', () => {
    const dead = capabilityRules().flatMap((r) => r.actions.filter((p) => expandActionPattern(p).length === 0));
    expect(dead).toEqual([]);
  });
  it('has no two equally specific rules that disagree about an action', () => {
    const conflicts = [...capabilityTable().byAction.values()].filter((e) => e.conflicts.length > 0);
    expect(conflicts.map((e) => e.action)).toEqual([]);
  });
  it('has no rule that merely restates the access-level default for an action it names', () => {
    const { defaults, rules } = loadRules();
    const noOps = rules.flatMap((r) =>
      r.actions
        .filter((p) => !p.includes('*') && !p.includes('?'))
        .filter((p) => {
          const info = lookupAction(p)!;
          return JSON.stringify(defaults[info.accessLevel]) === JSON.stringify(r.capabilities);
        }),
    );
    expect(noOps).toEqual([]);
  });
  it('names each action in at most one rule', () => {
    const seen = new Map<string, number>();
    const dupes: string[] = [];
    capabilityRules().forEach((r, i) => {
      for (const p of r.actions) {
        const k = p.toLowerCase();
        if (seen.has(k)) dupes.push(`${p} in rules ${seen.get(k)} and ${i}`);
        seen.set(k, i);
      }
    });
    expect(dupes).toEqual([]);
  });
  it('applies the access-level defaults outside the rules', () => {
    expect(explainCapabilities('ec2:DescribeInstances')?.source).toEqual({ kind: 'default', accessLevel: 'List' });
    expect(capabilitiesOf('iam:PutRolePolicy')).toEqual(['administer-resource']); // Permissions management
    expect(capabilitiesOf('sqs:TagQueue')).toEqual(['administer-resource']); // Tagging
  });
  it('explains rule-based capabilities with the matching pattern and reason', () => {
    const e = explainCapabilities('STS:assumerolewithsaml');
    expect(e?.action).toBe('sts:AssumeRoleWithSAML');
    expect(e?.source).toMatchObject({ kind: 'rule', pattern: 'sts:AssumeRole*' });
    expect(e?.source.kind === 'rule' && e.source.why.length > 0).toBe(true);
  });
  it('returns nothing for unknown actions', () => {
    expect(capabilitiesOf('s3:GetObjekt')).toEqual([]);
    expect(explainCapabilities('s3:Get*')).toBeUndefined();
  });
  it('inverts consistently: actionsWithCapability ⇔ capabilitiesOf', () => {
    for (const cap of CAPABILITIES) {
      const list = actionsWithCapability(cap);
      expect(list).toEqual([...list].sort());
      for (const a of list.slice(0, 500)) expect(capabilitiesOf(a)).toContain(cap);
    }
    const s3read = actionsWithCapability('read-data', 'S3');
    expect(s3read).toContain('s3:GetObject');
    expect(s3read.every((a) => a.startsWith('s3:'))).toBe(true);
    expect(actionsWithCapability('use-resource', 'nosuchservice')).toEqual([]);
  });
  it('agrees with itself on random actions (property)', () => {
    const all = allActions();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: all.length - 1 }), (i) => {
        const a = all[i]!;
        const caps = capabilitiesOf(a);
        expect(caps.length).toBeGreaterThan(0);
        for (const c of CAPABILITIES) expect(actionsWithCapability(c).includes(a)).toBe(caps.includes(c));
      }),
      { numRuns: 200 },
    );
  });
});

describe('rule specificity', () => {
  it('lets an exact name beat a pattern, and a longer pattern beat a shorter one', () => {
    const t = buildTable(
      loadRules({
        defaults: rulesFile.defaults,
        rules: [
          { actions: ['s3:Get*'], capabilities: ['read-data'], why: 'broad' },
          { actions: ['s3:GetObject*'], capabilities: ['write-data'], why: 'narrower' },
          { actions: ['s3:GetObjectAcl'], capabilities: ['use-resource'], why: 'exact' },
        ],
      }),
    );
    expect(t.byAction.get('s3:getbucketpolicy')?.capabilities).toEqual(['read-data']);
    expect(t.byAction.get('s3:getobjecttagging')?.capabilities).toEqual(['write-data']);
    expect(t.byAction.get('s3:getobjectacl')?.capabilities).toEqual(['use-resource']);
    expect(t.byAction.get('s3:putobject')?.source.kind).toBe('default');
  });
  it('merges and reports equally specific rules that disagree', () => {
    const t = buildTable(
      loadRules({
        defaults: rulesFile.defaults,
        rules: [
          { actions: ['s3:Get*'], capabilities: ['read-data'], why: 'a' },
          { actions: ['s3:*Get'], capabilities: ['use-resource'], why: 'b' },
          { actions: ['s3:Put*'], capabilities: ['write-data'], why: 'c' },
        ],
      }),
    );
    // `s3:Get*` and `s3:*Get` tie, but no action matches both; `s3:Put*` is alone.
    expect([...t.byAction.values()].some((e) => e.conflicts.length > 0)).toBe(false);
    const t2 = buildTable(
      loadRules({
        defaults: rulesFile.defaults,
        rules: [
          { actions: ['s3:GetObj*'], capabilities: ['read-data'], why: 'a' }, // 9 literal characters each
          { actions: ['s3:*Object'], capabilities: ['use-resource'], why: 'b' },
        ],
      }),
    );
    const e = t2.byAction.get('s3:getobject')!;
    expect(e.capabilities).toEqual(['read-data', 'use-resource']);
    expect(e.conflicts).toEqual([1]);
  });
});

describe('loadRules error paths', () => {
  const base = { defaults: rulesFile.defaults };
  it('rejects unknown capabilities', () => {
    expect(() => loadRules({ ...base, rules: [{ actions: ['s3:GetObject'], capabilities: ['read-everything'], why: 'x' }] })).toThrow(
      /rules\[0\]\.capabilities/,
    );
  });
  it('rejects rules without a reason', () => {
    expect(() => loadRules({ ...base, rules: [{ actions: ['s3:GetObject'], capabilities: ['read-data'] }] })).toThrow(/rules\[0\]\.why/);
  });
  it('rejects patterns without a literal service prefix', () => {
    expect(() => loadRules({ ...base, rules: [{ actions: ['*:GetObject'], capabilities: ['read-data'], why: 'x' }] })).toThrow(
      /literal service prefix/,
    );
    expect(() => loadRules({ ...base, rules: [{ actions: ['GetObject'], capabilities: ['read-data'], why: 'x' }] })).toThrow(
      /literal service prefix/,
    );
  });
  it('rejects empty action lists and missing defaults', () => {
    expect(() => loadRules({ ...base, rules: [{ actions: [], capabilities: ['read-data'], why: 'x' }] })).toThrow(/actions/);
    expect(() => loadRules({ defaults: { List: ['read-config'] }, rules: [] })).toThrow(/defaults\.Read/);
    expect(() => loadRules({ ...base })).toThrow(/`rules` must be a list/);
  });
});

// Decisions made while comparing the table with k9 Security's published mapping (docs/capabilities.md,
// "Comparison with k9"). Each row is bulkhead's own judgement of what the action does.
describe('data-service curation', () => {
  const decided: Record<string, Record<string, string[]>> = {
    redshift: {
      'redshift:GetClusterCredentials': ['use-resource'],
      'redshift:GetClusterCredentialsWithIAM': ['use-resource'],
      'redshift:DeleteCluster': ['administer-resource', 'delete-data'],
      'redshift:DeleteClusterSnapshot': ['administer-resource', 'delete-data'],
      'redshift:BatchDeleteClusterSnapshots': ['administer-resource', 'delete-data'],
      'redshift:FetchResults': ['read-data'],
      'redshift:ExecuteQuery': ['read-data', 'write-data', 'delete-data'],
      'redshift:CreateSavedQuery': ['write-data'],
      'redshift:DeleteSavedQueries': ['delete-data'],
      'redshift:RestoreFromClusterSnapshot': ['administer-resource', 'read-data'],
      'redshift:CreateClusterSnapshot': ['administer-resource'],
      'redshift-data:CancelStatement': ['write-data'],
    },
    'rds restores': {
      'rds:RestoreDBInstanceFromDBSnapshot': ['administer-resource', 'read-data'],
      'rds:RestoreDBClusterFromSnapshot': ['administer-resource', 'read-data'],
      'rds:RestoreDBClusterToPointInTime': ['administer-resource', 'read-data'],
      'rds:RestoreDBInstanceFromS3': ['administer-resource'],
      'rds:CrossRegionCommunication': ['read-data', 'write-data'],
      'rds-data:CommitTransaction': ['write-data'],
      'dynamodb:RestoreTableFromBackup': ['administer-resource', 'read-data'],
    },
    sts: {
      'sts:GetAccessKeyInfo': ['read-data'],
      'sts:GetFederationToken': ['read-data'],
      'sts:GetServiceBearerToken': ['read-data'],
      'sts:GetWebIdentityToken': ['read-data'],
      'sts:GetDelegatedAccessToken': ['use-resource'],
    },
    'athena, glue, events, iam': {
      'athena:StartCalculationExecution': ['write-data'],
      'athena:CreateNamedQuery': ['write-data'],
      'athena:DeleteNamedQuery': ['delete-data'],
      'athena:DeleteWorkGroup': ['administer-resource', 'delete-data'],
      'athena:ExportNotebook': ['read-data'],
      'glue:GetConnection': ['read-data'],
      'glue:GetColumnStatisticsForTable': ['read-data'],
      'glue:GetTable': ['read-config'],
      'glue:DeleteTable': ['administer-resource'],
      'events:PutEvents': ['write-data'],
      'iam:GetCredentialReport': ['read-data'],
      'iam:GenerateServiceLastAccessedDetails': ['read-data'],
      'iam:GetAccessKeyLastUsed': ['read-data'],
      'iam:SimulatePrincipalPolicy': ['read-config'],
    },
    'opensearch, efs, backup, logs': {
      'aoss:DeleteCollection': ['administer-resource', 'delete-data'],
      'aoss:DeleteIndex': ['administer-resource', 'delete-data'],
      'elasticfilesystem:ReplicationRead': ['read-data'],
      'elasticfilesystem:ReplicationWrite': ['write-data'],
      'elasticfilesystem:CreateReplicationConfiguration': ['administer-resource', 'read-data'],
      'elasticfilesystem:Restore': ['administer-resource', 'write-data'],
      'backup:UpdateRecoveryPointLifecycle': ['administer-resource', 'delete-data'],
      'backup:CopyFromBackupVault': ['administer-resource', 'read-data'],
      'backup:CopyIntoBackupVault': ['administer-resource', 'write-data'],
      'logs:PutAccountPolicy': ['administer-resource', 'read-data'],
    },
  };
  for (const [group, entries] of Object.entries(decided)) {
    describe(group, () => {
      for (const [action, expected] of Object.entries(entries)) {
        it(`${action} → ${expected.join(' + ')}`, () => {
          expect(lookupAction(action), `${action} is not in the catalogue`).toBeDefined();
          expect(capabilitiesOf(action)).toEqual(expected);
        });
      }
    });
  }
});
