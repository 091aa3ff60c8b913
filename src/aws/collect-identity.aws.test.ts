/**
 * Identity Center collection against moto: a permission set with an inline and an AWS managed policy, a group with
 * a member, an assignment → the snapshot's `identity`, and loading it gives `model.identity`.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { motoEndpoint, resetMoto } from '../../test-support/moto-client.js';
import { buildEmulatedOrg } from '../../test-support/emulated-org.js';
import { ClientFactory } from './clients.js';
import { JsonCommand } from './collect-identity-client.js';
import { Scheduler } from './scheduler.js';
import { collect } from './collector.js';
import { snapshotToModel } from '../snapshot/load.js';

const creds = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const now = () => new Date('2026-11-28T12:00:00Z');

describe('collect Identity Center against moto', () => {
  beforeEach(() => resetMoto());

  it('reads permission sets, groups, members and assignments and loads them into model.identity', async () => {
    const built = await buildEmulatedOrg({ endpoint: motoEndpoint(), businessUnits: ['payments'], accountsPerOu: 1, rolesPerAccount: 1, bucketsPerAccount: 0 });
    const aws = new ClientFactory({ region: 'us-east-1', endpoint: motoEndpoint(), credentials: creds });
    const sso = aws.ssoAdmin('us-east-1');
    const ids = aws.identityStore('us-east-1');
    const send = (c: typeof sso, operation: string, params: Record<string, unknown>) => c.send(new JsonCommand({ operation, params }));
    // setup (moto has one instance per account and region already)
    const inst = ((await send(sso, 'ListInstances', {}))['Instances'] as { InstanceArn: string; IdentityStoreId: string }[])[0]!;
    const ps = (await send(sso, 'CreatePermissionSet', { InstanceArn: inst.InstanceArn, Name: 'dev-engineer', SessionDuration: 'PT4H', Description: 'engineers' }))['PermissionSet'] as { PermissionSetArn: string };
    const inline = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] };
    await send(sso, 'PutInlinePolicyToPermissionSet', { InstanceArn: inst.InstanceArn, PermissionSetArn: ps.PermissionSetArn, InlinePolicy: JSON.stringify(inline) });
    await send(sso, 'AttachManagedPolicyToPermissionSet', { InstanceArn: inst.InstanceArn, PermissionSetArn: ps.PermissionSetArn, ManagedPolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
    const user = (await send(ids, 'CreateUser', { IdentityStoreId: inst.IdentityStoreId, UserName: 'ada', DisplayName: 'Ada L', Name: { GivenName: 'Ada', FamilyName: 'L' }, Emails: [{ Value: 'ada@example.com', Primary: true }] }))['UserId'] as string;
    const group = (await send(ids, 'CreateGroup', { IdentityStoreId: inst.IdentityStoreId, DisplayName: 'engineers' }))['GroupId'] as string;
    await send(ids, 'CreateGroupMembership', { IdentityStoreId: inst.IdentityStoreId, GroupId: group, MemberId: { UserId: user } });
    // moto's ListAccountsForProvisionedPermissionSet answers only the caller's own account, and only after
    // ProvisionPermissionSet (AWS provisions on CreateAccountAssignment): assign in the management account.
    const target = { id: built.managementAccountId };
    await send(sso, 'CreateAccountAssignment', { InstanceArn: inst.InstanceArn, TargetId: target.id, TargetType: 'AWS_ACCOUNT', PermissionSetArn: ps.PermissionSetArn, PrincipalType: 'GROUP', PrincipalId: group });
    await send(sso, 'ProvisionPermissionSet', { InstanceArn: inst.InstanceArn, PermissionSetArn: ps.PermissionSetArn, TargetType: 'ALL_PROVISIONED_ACCOUNTS' });

    const snap = await collect(aws, new Scheduler({ baseDelayMs: 2, maxDelayMs: 20 }), { regions: ['us-east-1'], resources: false, now });
    aws.destroy();
    expect(snap.manifest.errors).toEqual([]);
    const id = snap.organization.identity;
    expect(id?.instanceArn).toBe(inst.InstanceArn);
    expect(id?.users).toEqual([{ id: user, name: 'ada' }]);
    expect(JSON.stringify(id)).not.toMatch(/example\.com|Ada L/);
    expect(id?.groups).toEqual([{ id: group, name: 'engineers', memberIds: [user] }]);
    expect(id?.permissionSets).toEqual([
      { arn: ps.PermissionSetArn, name: 'dev-engineer', description: 'engineers', sessionDuration: 'PT4H', inlinePolicy: inline, managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'], customerManagedPolicies: [] },
    ]);
    expect(id?.assignments).toEqual([{ accountId: target.id, permissionSetArn: ps.PermissionSetArn, principalType: 'GROUP', principalId: group }]);

    const m = snapshotToModel(snap);
    expect(m.ok).toBe(true);
    if (!m.ok) return;
    const mi = m.value.identity;
    expect(mi?.provider).toBe('identity-center');
    expect(mi?.groups).toEqual([{ name: 'engineers', id: group, members: ['ada'] }]);
    expect(mi?.permissionSets.map((p) => [p.name, p.policies.map((x) => `${x.kind}:${x.name}`)])).toEqual([['dev-engineer', ['inline:inline', 'managed:ReadOnlyAccess']]]);
    const acctName = m.value.accounts.find((a) => a.id === target.id)?.name;
    expect(mi?.assignments).toEqual([{ group: 'engineers', account: acctName, role: 'AWSReservedSSO_dev-engineer', permissionSet: 'dev-engineer' }]);
  });
});
