/**
 * diff over two moto-collected snapshots of one organization: collect, change it with the SDK (a new trust edge that
 * opens a dev → prod path, an out-of-band role), collect again, diff. Each change is found exactly, nothing else.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import { motoClientConfig, motoEndpoint, resetMoto } from '../../test-support/moto-client.js';
import { buildEmulatedOrg } from '../../test-support/emulated-org.js';
import { memoryIo, MOTO_ENV } from '../../test-support/cli.js';
import { main } from '../cli/main.js';
import { diff } from './diff.js';
import { nodeHost } from './host.js';

/** An IAM client acting in `accountId` (moto's header; the collector itself uses AssumeRole). */
function iamIn(accountId: string): IAMClient {
  const client = new IAMClient(motoClientConfig());
  client.middlewareStack.add(
    (next) => async (args) => {
      (args.request as { headers: Record<string, string> }).headers['x-moto-account-id'] = accountId;
      return next(args);
    },
    { step: 'build' },
  );
  return client;
}

const doc = (o: unknown) => JSON.stringify(o);

describe('diff of two collected snapshots', () => {
  let dir: string;
  beforeEach(async () => {
    await resetMoto();
    dir = await mkdtemp(join(tmpdir(), 'bh-diff-moto-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  async function collect(out: string): Promise<void> {
    const t = memoryIo({ cwd: dir, now: new Date('2026-12-01T12:00:00Z'), env: { ...MOTO_ENV } });
    expect(await main(['collect', '--out', out, '--endpoint-url', motoEndpoint()], t.io)).toBe(0);
  }

  it('finds the new dev → prod trust edge and the out-of-band role, and nothing else', async () => {
    const org = await buildEmulatedOrg({ endpoint: motoEndpoint(), businessUnits: ['a'], accountsPerOu: 1, rolesPerAccount: 1, bucketsPerAccount: 1 });
    const dev = org.accounts.find((a) => a.name === 'a-dev-0')!;
    const prod = org.accounts.find((a) => a.name === 'a-prod-0')!;
    await collect('before');

    const devRole = `arn:aws:iam::${dev.id}:role/app/app-role-0`;
    const prodRole = `arn:aws:iam::${prod.id}:role/app/app-role-0`;
    const devIam = iamIn(dev.id);
    const prodIam = iamIn(prod.id);
    try {
      // the trust edge: prod's role trusts dev's, which may call sts:AssumeRole on it
      await devIam.send(new PutRolePolicyCommand({ RoleName: 'app-role-0', PolicyName: 'assume-prod', PolicyDocument: doc({ Version: '2012-10-17', Statement: [{ Sid: 'AssumeProd', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: prodRole }] }) }));
      await prodIam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'app-role-0', PolicyDocument: doc({ Version: '2012-10-17', Statement: [{ Sid: 'FromDev', Effect: 'Allow', Principal: { AWS: devRole }, Action: 'sts:AssumeRole' }] }) }));
      // an out-of-band role with no permissions: structure only
      await prodIam.send(new CreateRoleCommand({ RoleName: 'hand-made', AssumeRolePolicyDocument: doc({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${prod.id}:root` }, Action: 'sts:AssumeRole' }] }) }));
    } finally {
      devIam.destroy();
      prodIam.destroy();
    }
    await collect('after');

    const r = await diff({ before: join(dir, 'before'), after: join(dir, 'after') }, nodeHost({ report: () => {} }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const d = r.value;
    expect(d.structural.map((c) => [c.subject, c.change, c.name, c.details])).toEqual(STRUCTURAL);
    expect(d.access.map((a) => [a.direction, a.principal, a.account, a.capabilities, a.path, a.resources])).toEqual(ACCESS);
    expect(d.findings.filter((f) => f.state !== 'unchanged').map((f) => [f.state, f.finding.rule, f.finding.principalName, f.finding.account])).toEqual(FINDINGS);
    expect(d.summary.incomplete).toEqual([]);
  });
});

const STRUCTURAL: unknown[] = [
  ['role', 'changed', 'a-dev-0/app-role-0', ['policy `inline:assume-prod` added']],
  ['role', 'changed', 'a-prod-0/app-role-0', ['trust policy: statement #0 removed', 'trust policy: statement `FromDev` added']],
  ['role', 'added', 'a-prod-0/hand-made', []],
];
// dev's role reaches prod's bucket through prod's role (which may read `a-prod-0-*/*`)
const ACCESS: unknown[] = [['gained', 'a-dev-0/app-role-0', 'a-prod-0', ['read-data'], ['a-dev-0/app-role-0', 'a-prod-0/app-role-0'], ['arn:aws:s3:::a-prod-0-data-0']]];
// the new path is a non-production → production finding; prod's role no longer trusts a whole account (the
// management root), the out-of-band role does (its own account's root)
const FINDINGS: unknown[] = [
  ['new', 'boundary.nonprod-to-prod', 'a-dev-0/app-role-0', 'a-prod-0'],
  ['new', 'hygiene.trust-whole-account', 'a-prod-0/hand-made', 'a-prod-0'],
  ['resolved', 'hygiene.trust-whole-account', 'a-prod-0/app-role-0', 'a-prod-0'],
];
