/**
 * Two applies of one spec at once, against moto (which, unlike AWS, accepts a second OU of the same name and a
 * second account with the same email): on one journal the second run is refused with the lock's holder; and a
 * run whose change set went stale (another run built the organization meanwhile, with another journal) adopts
 * what it finds by email and OU name instead of creating everything twice.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { CreateOrganizationCommand, ListAccountsCommand, ListOrganizationalUnitsForParentCommand, ListRootsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { motoClientConfig, motoEndpoint, resetMoto } from '../../test-support/moto-client.js';
import { cliIo } from '../../test-support/apply-cli.js';
import { main } from '../../src/cli/main.js';
import { ClientFactory } from '../../src/aws/clients.js';
import { Scheduler } from '../../src/aws/scheduler.js';
import { liveFacts, readLiveState } from '../../src/aws/live.js';
import { Executor } from '../../src/aws/executor.js';
import { diffModels } from '../../src/changes/diff.js';
import { Journal } from '../../src/io/journal.js';
import { plan } from '../../src/operations/plan.js';
import { nodeHost } from '../../src/operations/host.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));

async function liveCounts(): Promise<{ emails: string[]; ous: string[] }> {
  const org = new OrganizationsClient(motoClientConfig());
  const emails: string[] = [];
  let token: string | undefined;
  do {
    const r = await org.send(new ListAccountsCommand({ NextToken: token }));
    emails.push(...(r.Accounts ?? []).map((a) => a.Email ?? ''));
    token = r.NextToken;
  } while (token);
  const rootId = (await org.send(new ListRootsCommand({}))).Roots?.[0]?.Id ?? '';
  const ous: string[] = [];
  const walk = async (parent: string, path: string): Promise<void> => {
    const r = await org.send(new ListOrganizationalUnitsForParentCommand({ ParentId: parent }));
    for (const o of r.OrganizationalUnits ?? []) {
      ous.push(`${path}/${o.Name}`);
      await walk(o.Id ?? '', `${path}/${o.Name}`);
    }
  };
  await walk(rootId, 'Root');
  org.destroy();
  return { emails: emails.sort(), ous: ous.sort() };
}

describe('concurrent apply against moto', () => {
  let dir: string;
  beforeEach(async () => {
    await resetMoto();
    dir = await mkdtemp(join(tmpdir(), 'bh-apply-conc-'));
    await copyFile(join(repo, 'examples/acme.yaml'), join(dir, 'acme.yaml'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('refuses a second apply on the same journal, naming the holder, and builds the organization once', async () => {
    const a = cliIo(dir);
    const b = cliIo(dir);
    const args = ['apply', 'acme.yaml', '--yes', '--endpoint-url', motoEndpoint()];
    const [ca, cb] = await Promise.all([main(args, a.io), main(args, b.io)]);
    const [winner, loser] = ca === 0 ? [a, b] : [b, a];
    expect([ca, cb].sort()).toEqual([0, 1]);
    expect(winner.err()).toBe('');
    expect(loser.err()).toContain(`error BH6206: the apply journal \`acme.apply-journal.jsonl\` is locked: another apply holds it (pid ${process.pid} on host \`${hostname()}\``);
    expect(loser.out()).toBe('');
    const live = await liveCounts();
    expect(live.emails).toHaveLength(10);
    expect(new Set(live.emails).size).toBe(10);
    expect(new Set(live.ous).size).toBe(live.ous.length);
    await expect(readFile(join(dir, 'acme.apply-journal.jsonl.lock'), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('a run with a stale change set and no journal adopts the accounts and OUs another run created', async () => {
    const creds = { accessKeyId: 'testing', secretAccessKey: 'testing' };
    const org = new OrganizationsClient(motoClientConfig());
    await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    org.destroy();
    const planned = await plan({ path: join(dir, 'acme.yaml') }, nodeHost());
    if (!planned.ok) throw new Error(JSON.stringify(planned.diagnostics));
    const aws = new ClientFactory({ region: 'us-east-1', endpoint: motoEndpoint(), credentials: creds });
    const s = new Scheduler({ baseDelayMs: 2 });
    try {
      // The stale run reads the organization (empty) and computes its change set…
      const live = await readLiveState(aws, s, planned.value, { accessRoleName: planned.value.organization.accessRoleName, now: () => new Date() });
      if (live.kind !== 'live') throw new Error(JSON.stringify(live.diagnostics));
      const stale = diffModels(planned.value, live.state.model, liveFacts(live.state, 0), { allowClose: false });
      expect(stale.changes.filter((c) => c.kind === 'create-account')).toHaveLength(9);
      // …then another run, with its own journal, builds the whole organization…
      const other = cliIo(dir);
      expect(await main(['apply', 'acme.yaml', '--yes', '--journal', 'other.jsonl', '--endpoint-url', motoEndpoint()], other.io)).toBe(0);
      const built = await liveCounts();
      // …and the stale change set runs with a fresh journal: nothing is created twice.
      const opened = Journal.open(join(dir, 'stale.jsonl'), () => new Date());
      if (!opened.ok) throw new Error('journal');
      const result = await new Executor(aws, s, opened.value, live.state.ids, { accessRoleName: planned.value.organization.accessRoleName, pollIntervalMs: 5 }).execute(stale);
      opened.value.close();
      expect(result.failures).toEqual([]);
      expect(await liveCounts()).toEqual(built);
      expect(built.emails).toHaveLength(10);
      const journal = await readFile(join(dir, 'stale.jsonl'), 'utf8');
      expect(journal.split('\n').filter((l) => l.includes('"adopted":"found by email"'))).toHaveLength(9);
    } finally {
      aws.destroy();
    }
  });
});
