/**
 * `bulkhead apply` of IAM Identity Center against moto: a spec with `identity: { provider: identity-center, groups }`
 * builds users, groups, memberships, permission sets (customer managed policy references, inline policy, session
 * duration), the referenced policies in each assigned account, and the assignments; collecting finds them; a second
 * apply finds no changes; a changed session duration and a dropped grant are an update and an assignment deletion.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { paginateListAccountAssignmentsForPrincipal } from '@aws-sdk/client-sso-admin';
import { GetPolicyCommand } from '@aws-sdk/client-iam';
import { motoEndpoint, resetMoto } from '../../test-support/moto-client.js';
import { cliIo } from '../../test-support/apply-cli.js';
import { main } from '../cli/main.js';
import { ClientFactory } from './clients.js';
import { Scheduler } from './scheduler.js';
import { collect } from './collector.js';
import { snapshotToModel } from '../snapshot/load.js';
import { allPages } from './scheduler.js';

const creds = { accessKeyId: 'testing', secretAccessKey: 'testing' };

function spec(devSession: string, oncallRoles: string): string {
  return `version: 1
organization:
  name: acme
  managementAccount: { name: acme-management, email: aws-management@acme.example }
  emailTemplate: "aws+{account}@acme.example"
  accountPrefix: ""
  regions: [us-east-1]
  ouLayout: phase-first
phases:
  - { name: dev }
  - { name: prod, production: true }
businessUnits:
  - { name: retail }
roles:
  appeng:
    description: application engineers
    access:
      dev:  { capabilities: [read-config, read-data, write-data], services: [s3, dynamodb] }
      prod: { capabilities: [read-config], services: [s3, dynamodb] }
    inlinePolicies:
      deny-iam: { Version: "2012-10-17", Statement: [{ Effect: Deny, Action: "iam:*", Resource: "*" }] }
identity:
  provider: identity-center
  sessionDuration: ${devSession}
  groups:
    - { name: app-engineers, members: [alice, bob], roles: [appeng@dev] }
    - { name: retail-oncall, members: [carol], roles: [${oncallRoles}] }
`;
}

describe('apply IAM Identity Center against moto', () => {
  let dir: string;
  beforeEach(async () => {
    await resetMoto();
    dir = await mkdtemp(join(tmpdir(), 'bh-apply-ic-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('creates groups, permission sets and assignments, finds no changes again, then updates exactly the difference', async () => {
    const ep = motoEndpoint();
    await writeFile(join(dir, 'org.yaml'), spec('PT4H', 'appeng@prod, appeng@dev'));
    let t = cliIo(dir);
    expect(await main(['apply', 'org.yaml', '--endpoint-url', ep], t.io)).toBe(0);
    expect(t.out()).toContain('Identity Center:');
    expect(t.out()).toContain('+ permission set dev-appeng (session PT4H; customer managed: dev-appeng; inline)');
    expect(t.out()).toContain('+ dev-appeng → group app-engineers in retail-dev');

    t = cliIo(dir);
    const code = await main(['apply', 'org.yaml', '--yes', '--endpoint-url', ep], t.io);
    expect(t.err()).toBe('');
    expect(code).toBe(0);

    // collect: permission sets, groups and members, and the referenced policies in the assigned accounts
    const aws = new ClientFactory({ region: 'us-east-1', endpoint: ep, credentials: creds });
    const s = new Scheduler({ baseDelayMs: 2 });
    const snap = await collect(aws, s, { regions: ['us-east-1'], resources: false, now: () => new Date() });
    const m = snapshotToModel(snap);
    expect(m.ok).toBe(true);
    if (!m.ok) return;
    const id = m.value.identity;
    expect(id?.groups.map((g) => [g.name, g.members])).toEqual([
      ['app-engineers', ['alice', 'bob']],
      ['retail-oncall', ['carol']],
    ]);
    expect(id?.permissionSets.map((p) => [p.name, p.sessionDuration, p.policies.map((x) => `${x.kind}:${x.name}`)])).toEqual([
      ['dev-appeng', 'PT4H', ['inline:inline', 'managed:dev-appeng']],
      ['prod-appeng', 'PT4H', ['inline:inline', 'managed:prod-appeng']],
    ]);
    const nameOf = new Map(m.value.accounts.map((a) => [a.id, a.name]));
    const idOf = new Map(m.value.accounts.map((a) => [a.name, a.id ?? '']));
    const setName = new Map((snap.organization.identity?.permissionSets ?? []).map((p) => [p.arn, p.name]));
    // the assignments, read per group (moto's ListAccountsForProvisionedPermissionSet lists the caller's account only)
    const assigned: string[] = [];
    for (const g of snap.organization.identity?.groups ?? []) {
      const pages = await allPages(
        paginateListAccountAssignmentsForPrincipal({ client: aws.ssoAdmin('us-east-1') }, { InstanceArn: snap.organization.identity?.instanceArn, PrincipalId: g.id, PrincipalType: 'GROUP' }),
      );
      for (const a of pages.flatMap((p) => p.AccountAssignments ?? [])) assigned.push(`${g.name} ${setName.get(a.PermissionSetArn ?? '')} ${nameOf.get(a.AccountId)}`);
    }
    expect(assigned.sort()).toEqual(['app-engineers dev-appeng retail-dev', 'retail-oncall dev-appeng retail-dev', 'retail-oncall prod-appeng retail-prod']);
    const devClients = await aws.assume(s, idOf.get('retail-dev') ?? '', 'OrganizationAccountAccessRole');
    const pol = await devClients.iam.send(new GetPolicyCommand({ PolicyArn: `arn:aws:iam::${idOf.get('retail-dev')}:policy/dev-appeng` }));
    expect(pol.Policy?.PolicyName).toBe('dev-appeng');
    aws.destroy();

    // again: no changes
    t = cliIo(dir);
    expect(await main(['apply', 'org.yaml', '--yes', '--endpoint-url', ep], t.io)).toBe(0);
    expect(t.out()).toBe('no changes: the live organization matches the plan\n');

    // changed spec: a longer session, and retail-oncall loses dev
    await writeFile(join(dir, 'org.yaml'), spec('PT8H', 'appeng@prod'));
    t = cliIo(dir);
    expect(await main(['apply', 'org.yaml', '--format', 'json', '--endpoint-url', ep], t.io)).toBe(0);
    const cs = JSON.parse(t.out()) as { changes: { key: string }[] };
    expect(cs.changes.map((c) => c.key)).toEqual([
      'update-permission-set:dev-appeng',
      'update-permission-set:prod-appeng',
      'delete-assignment:dev-appeng:retail-oncall:retail-dev',
    ]);
    t = cliIo(dir);
    expect(await main(['apply', 'org.yaml', '--yes', '--endpoint-url', ep], t.io)).toBe(0);
    t = cliIo(dir);
    expect(await main(['apply', 'org.yaml', '--endpoint-url', ep], t.io)).toBe(0);
    expect(t.out()).toBe('no changes: the live organization matches the plan\n');
  });
});
