import { describe, expect, it } from 'vitest';
import type { IdentityModel, PermissionSet, PolicyDocument } from '../model/organization.js';
import { canonicalJson } from './diff.js';
import { diffIdentity, type IdentityDiffInput } from './diff-identity.js';
import { renderChangeSet } from './render.js';

const doc = (action: string): PolicyDocument => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });

const set = (name: string, extra: Partial<PermissionSet> = {}): PermissionSet => ({
  name,
  description: `${name} set`,
  sessionDuration: 'PT1H',
  policies: [
    { name, kind: 'managed', document: doc('s3:GetObject') },
    { name: `${name}-inline`, kind: 'inline', document: doc('sqs:SendMessage') },
  ],
  tags: {},
  ...extra,
});

const planned: IdentityModel = {
  provider: 'identity-center',
  groups: [{ name: 'devs', members: ['ada', 'bob'] }],
  users: [{ name: 'ada' }, { name: 'bob' }],
  permissionSets: [set('dev-app')],
  assignments: [{ group: 'devs', account: 'dev', role: 'AWSReservedSSO_dev-app_0', permissionSet: 'dev-app' }],
};

/** The live form of `planned` as the collector gives it (inline policy named `inline`, ids set). */
const liveOf = (p: IdentityModel): IdentityModel => ({
  ...p,
  instanceArn: 'arn:aws:sso:::instance/ssoins-1',
  identityStoreId: 'd-1',
  permissionSets: p.permissionSets.map((s) => ({ ...s, arn: `arn:${s.name}`, policies: s.policies.map((x) => (x.kind === 'inline' ? { ...x, name: 'inline' } : x)) })),
  assignments: p.assignments.map((a) => ({ ...a, account: `live-${a.account}` })),
});

function input(live: IdentityModel | undefined, policies: Record<string, PolicyDocument> = { 'dev-app': doc('s3:GetObject') }, p: IdentityModel = planned): IdentityDiffInput {
  return {
    planned: p,
    live,
    liveAccountName: (n) => (n === 'dev' || n === 'prod' ? `live-${n}` : undefined),
    plannedAccountName: (n) => (n === 'live-dev' || n === 'live-prod' ? n.slice(5) : undefined),
    accountPolicy: (acct, name) => (acct === 'live-dev' ? policies[name] : undefined),
    resolve: (d) => d,
    sameDoc: (a, b) => canonicalJson(a) === canonicalJson(b),
  };
}

describe('diffIdentity', () => {
  it('without an instance yet plans everything in order: policies, users, groups, members, sets, assignments', () => {
    const d = diffIdentity(input(undefined, {}));
    expect(d.changes.map((c) => c.key)).toEqual([
      'put-account-policy:dev:dev-app',
      'create-user:ada',
      'create-user:bob',
      'create-group:devs',
      'add-group-member:devs:ada',
      'add-group-member:devs:bob',
      'create-permission-set:dev-app',
      'create-assignment:dev-app:devs:dev',
    ]);
    expect(d.changes.find((c) => c.kind === 'create-permission-set')).toMatchObject({ policies: { customerManaged: ['dev-app'], managedArns: [], inline: doc('sqs:SendMessage') } });
    const text = renderChangeSet({ changes: d.changes, notes: [] });
    expect(text).toContain('Identity Center:\n  + policy dev-app in dev (referenced by permission sets)\n');
    expect(text).toContain('  + permission set dev-app (session PT1H; customer managed: dev-app; inline)\n');
    expect(text).toContain('  + dev-app → group devs in dev\n');
  });

  it('finds no changes when live matches, and leaves what the plan does not describe', () => {
    const live = liveOf(planned);
    const extra: IdentityModel = {
      ...live,
      // a group and a member the plan does not have
      groups: [{ name: 'admins', members: ['root'] }, { name: 'devs', members: ['ada', 'bob', 'eve'] }],
      users: [...live.users, { name: 'eve' }, { name: 'root' }],
      permissionSets: [...live.permissionSets, set('admin', { arn: 'arn:admin' })],
      assignments: [
        ...live.assignments,
        { group: 'admins', account: 'live-dev', role: 'x', permissionSet: 'admin' }, // group not planned
        { group: 'devs', account: 'live-dev', role: 'x', permissionSet: 'admin' }, // set not planned
        { group: 'devs', account: 'live-other', role: 'x', permissionSet: 'dev-app' }, // account not planned
      ],
    };
    expect(diffIdentity(input(live)).changes).toEqual([]);
    expect(diffIdentity(input(extra)).changes).toEqual([]);
  });

  it('updates a set in place and deletes an assignment the plan describes but no longer wants', () => {
    const live = liveOf({
      ...planned,
      permissionSets: [
        set('dev-app', {
          sessionDuration: 'PT8H',
          policies: [
            { name: 'dev-app', kind: 'managed', document: doc('s3:GetObject') },
            { name: 'ReadOnlyAccess', kind: 'managed', arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', document: doc('*') },
            { name: 'old-ref', kind: 'managed', document: doc('s3:*') },
          ],
        }),
      ],
      assignments: [...planned.assignments, { group: 'devs', account: 'prod', role: 'x', permissionSet: 'dev-app' }], // liveOf names it live-prod
    });
    const d = diffIdentity(input(live, { 'dev-app': doc('s3:PutObject') }));
    expect(d.changes).toEqual([
      { kind: 'put-account-policy', key: 'put-account-policy:dev:dev-app', account: 'dev', name: 'dev-app', document: doc('s3:GetObject'), exists: true },
      {
        kind: 'update-permission-set',
        key: 'update-permission-set:dev-app',
        name: 'dev-app',
        update: {
          sessionDuration: 'PT1H',
          planned: { description: 'dev-app set', sessionDuration: 'PT1H' },
          inline: doc('sqs:SendMessage'),
          deleteInline: false,
          attachManaged: [],
          detachManaged: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
          attachCustomer: [],
          detachCustomer: ['old-ref'],
        },
      },
      { kind: 'delete-assignment', key: 'delete-assignment:dev-app:devs:prod', group: 'devs', account: 'prod', permissionSet: 'dev-app' },
    ]);
    expect(renderChangeSet({ changes: d.changes, notes: [] })).toContain(
      '  ~ permission set dev-app: session PT1H, inline policy, detach old-ref, detach ReadOnlyAccess\n  - dev-app ✕ group devs in prod (not in the plan)\n',
    );
  });

  it('deletes the inline policy of a set the plan gives none', () => {
    const noInline = { ...planned, permissionSets: [set('dev-app', { policies: [{ name: 'dev-app', kind: 'managed' as const, document: doc('s3:GetObject') }] })] };
    const d = diffIdentity(input(liveOf(planned), undefined, noInline));
    expect(d.changes).toMatchObject([{ kind: 'update-permission-set', update: { deleteInline: true } }]);
  });
});
