import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { motoEndpoint, resetMoto } from '../../test-support/moto-client.js';
import { main } from '../../src/cli/main.js';
import { cliIo } from '../../test-support/apply-cli.js';
import { startThrottleProxy } from '../../test-support/throttle-proxy.js';
import { ClientFactory } from '../../src/aws/clients.js';
import { Scheduler } from '../../src/aws/scheduler.js';
import { collect } from '../../src/aws/collector.js';
import { snapshotToModel } from '../../src/snapshot/load.js';
import type { OrganizationModel } from '../../src/model/organization.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const creds = { accessKeyId: 'testing', secretAccessKey: 'testing' };

async function liveModel(endpoint: string): Promise<OrganizationModel> {
  const aws = new ClientFactory({ region: 'us-east-1', endpoint, credentials: creds });
  const snap = await collect(aws, new Scheduler({ baseDelayMs: 2 }), { regions: ['us-east-1'], resources: false, now: () => new Date() });
  aws.destroy();
  const m = snapshotToModel(snap);
  if (!m.ok) throw new Error(JSON.stringify(m.diagnostics));
  return m.value;
}

describe('bulkhead apply against moto', () => {
  let dir: string;
  beforeEach(async () => {
    await resetMoto();
    dir = await mkdtemp(join(tmpdir(), 'bh-apply-'));
    await copyFile(join(repo, 'examples/acme-full.yaml'), join(dir, 'acme-full.yaml'));
    await copyFile(join(repo, 'test/apply/fixtures/acme-full-v2.yaml'), join(dir, 'acme-full-v2.yaml'));
    await copyFile(join(repo, 'test/apply/fixtures/acme-full-no-acquisition.yaml'), join(dir, 'acme-full-no-acquisition.yaml'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('builds acme-full from an empty emulator, then finds no changes, then applies exactly a changed spec', async () => {
    const ep = motoEndpoint();
    // 1. without --yes: prints the change set and changes nothing
    let t = cliIo(dir);
    expect(await main(['apply', 'acme-full.yaml', '--endpoint-url', ep], t.io)).toBe(0);
    expect(t.out()).toContain('+ organization with all features');
    expect(t.out()).toContain('+ account retail-prod <aws+retail-prod@acme.example> in Root/Workloads/Prod');
    expect(t.out()).toContain('nothing changed: run again with --yes');
    await expect(liveModel(ep)).rejects.toThrow(/not a member of an organization/);
    await expect(readFile(join(dir, 'acme-full.apply-journal.jsonl'), 'utf8')).rejects.toThrow(/ENOENT/);

    // 2. --yes: builds it
    t = cliIo(dir);
    const code = await main(['apply', 'acme-full.yaml', '--yes', '--endpoint-url', ep], t.io);
    expect(t.err()).toBe('');
    expect(code).toBe(0);
    expect(t.out()).toMatch(/applied \d+ changes/);
    const live = await liveModel(ep);
    const members = live.accounts.filter((a) => a.purpose !== 'management');
    expect(members).toHaveLength(14);
    expect(new Set(members.map((a) => a.email)).size).toBe(14);
    expect(live.accounts.find((a) => a.name === 'retail-prod')).toMatchObject({ ouPath: 'Root/Workloads/Prod', tags: { BusinessUnit: 'retail', Environment: 'prod' } });
    expect(live.accounts.find((a) => a.name === 'acquisition-sandbox')?.ouPath).toBe('Root/Sandbox');
    const identityId = live.accounts.find((a) => a.name === 'identity')?.id;
    const appeng = live.roles.find((r) => r.account === 'retail-dev' && r.name === 'appeng');
    expect(JSON.stringify(appeng?.trustPolicy)).toContain(`arn:aws:iam::${identityId}:role/appeng`);
    expect(appeng?.policies.map((p) => `${p.kind}:${p.name}`)).toEqual(['managed:dev-appeng']);
    expect(live.serviceControlPolicies.find((p) => p.name === 'deny-prod-deletes')?.targets).toEqual([{ ou: 'Root/Workloads/Prod' }]);
    expect(live.serviceControlPolicies.find((p) => p.name === 'deny-root-user')?.targets).toEqual([{ ou: 'Root' }]);
    const journal = await readFile(join(dir, 'acme-full.apply-journal.jsonl'), 'utf8');
    expect(journal).toContain('"key":"create-account:aws+retail-prod@acme.example","status":"done"');
    expect(journal).not.toMatch(/testing|secretAccessKey|sessionToken/i);

    // 3. again: no changes
    t = cliIo(dir);
    expect(await main(['apply', 'acme-full.yaml', '--yes', '--endpoint-url', ep], t.io)).toBe(0);
    expect(t.out()).toBe('no changes: the live organization matches the plan\n');

    // 4. changed spec: exactly the difference
    t = cliIo(dir);
    expect(await main(['apply', 'acme-full-v2.yaml', '--format', 'json', '--endpoint-url', ep], t.io)).toBe(0);
    const cs = JSON.parse(t.out()) as { changes: { key: string }[] };
    expect(cs.changes.map((c) => c.key)).toEqual([
      'update-policy:SERVICE_CONTROL_POLICY:deny-prod-deletes',
      'create-account:aws+logistics-dev@acme.example',
      'create-account:aws+logistics-prod@acme.example',
      'move-account:identity:Root/Security',
      'tag-account:identity',
      'attach-policy:SERVICE_CONTROL_POLICY:FullAWSAccess:account:logistics-dev',
      'attach-policy:SERVICE_CONTROL_POLICY:FullAWSAccess:account:logistics-prod',
      'create-role:logistics-dev:appeng',
      'create-role:logistics-dev:deployer',
      'create-role:logistics-prod:appeng',
      'create-role:logistics-prod:deployer',
    ]);
    t = cliIo(dir);
    expect(await main(['apply', 'acme-full-v2.yaml', '--yes', '--endpoint-url', ep], t.io)).toBe(0);
    expect(t.out()).toContain('applied 11 changes');
    const after = await liveModel(ep);
    expect(after.accounts.filter((a) => a.purpose !== 'management')).toHaveLength(16);
    expect(after.accounts.find((a) => a.name === 'identity')).toMatchObject({ ouPath: 'Root/Security', id: identityId });
    expect(JSON.stringify(after.serviceControlPolicies.find((p) => p.name === 'deny-prod-deletes')?.document)).toContain('kms:ScheduleKeyDeletion');
    t = cliIo(dir);
    expect(await main(['apply', 'acme-full-v2.yaml', '--endpoint-url', ep], t.io)).toBe(0);
    expect(t.out()).toBe('no changes: the live organization matches the plan\n');
  });

  it('suspends accounts removed from the spec, and closes them only with --allow-close', async () => {
    const ep = motoEndpoint();
    let t = cliIo(dir);
    expect(await main(['apply', 'acme-full.yaml', '--yes', '--endpoint-url', ep], t.io)).toBe(0);
    // The journal is per spec name; share it so closures are counted across specs.
    const state = ['--state', 'state'];
    t = cliIo(dir);
    expect(await main(['apply', 'acme-full-no-acquisition.yaml', '--yes', ...state, '--endpoint-url', ep], t.io)).toBe(0);
    expect(t.out()).toContain('- account acquisition-dev: not in the plan; move Root/Workloads/Dev → Root/Suspended');
    expect(t.out()).toContain('closes nothing without --allow-close');
    let live = await liveModel(ep);
    const gone = live.accounts.filter((a) => a.name.startsWith('acquisition-'));
    expect(gone.map((a) => [a.ouPath, a.status])).toEqual([
      ['Root/Suspended', 'ACTIVE'],
      ['Root/Suspended', 'ACTIVE'],
      ['Root/Suspended', 'ACTIVE'],
    ]);
    t = cliIo(dir);
    expect(await main(['apply', 'acme-full-no-acquisition.yaml', '--yes', '--allow-close', ...state, '--format', 'json', '--endpoint-url', ep], t.io)).toBe(0);
    const cs = JSON.parse(t.out()) as { changes: { key: string }[]; result: { applied: number; failures: unknown[] } };
    expect(cs.changes.map((c) => c.key)).toEqual(['close-account:acquisition-dev', 'close-account:acquisition-prod', 'close-account:acquisition-sandbox']);
    expect(cs.result).toMatchObject({ applied: 3, failures: [] });
    live = await liveModel(ep);
    expect(live.accounts.filter((a) => a.name.startsWith('acquisition-')).every((a) => a.status !== 'ACTIVE')).toBe(true);
    t = cliIo(dir);
    expect(await main(['apply', 'acme-full-no-acquisition.yaml', '--allow-close', ...state, '--endpoint-url', ep], t.io)).toBe(0);
    expect(t.out()).toBe('no changes: the live organization matches the plan\n');
  });

  it('stops on a failed step with a diagnostic, resumes on the next run, and refuses to diff an unreadable account', async () => {
    const ep = motoEndpoint();
    const denyCreatePolicy = await startThrottleProxy({ target: ep, deny: ({ target }) => target === 'AWSOrganizationsV20161128.CreatePolicy' });
    try {
      const t = cliIo(dir);
      expect(await main(['apply', 'acme-full.yaml', '--yes', '--endpoint-url', denyCreatePolicy.url], t.io)).toBe(1);
      expect(t.err()).toMatch(/error BH6203: step `create-policy:SERVICE_CONTROL_POLICY:[a-z-]+` failed: AccessDeniedException: Access denied \(proxy\); fix the cause and run apply again/);
    } finally {
      await denyCreatePolicy.close();
    }
    let t = cliIo(dir);
    expect(await main(['apply', 'acme-full.yaml', '--yes', '--endpoint-url', ep], t.io)).toBe(0);
    t = cliIo(dir);
    expect(await main(['apply', 'acme-full.yaml', '--endpoint-url', ep], t.io)).toBe(0);
    expect(t.out()).toBe('no changes: the live organization matches the plan\n');

    const retailDev = (await liveModel(ep)).accounts.find((a) => a.name === 'retail-dev')?.id ?? 'none';
    const denyAssume = await startThrottleProxy({ target: ep, deny: ({ body }) => body.includes('Action=AssumeRole') && body.includes(retailDev) });
    try {
      t = cliIo(dir);
      expect(await main(['apply', 'acme-full.yaml', '--endpoint-url', denyAssume.url], t.io)).toBe(1);
      expect(t.err()).toContain('error BH6202: cannot read IAM in account `retail-dev` (assume-role: AccessDenied');
    } finally {
      await denyAssume.close();
    }
  });
});
