/**
 * Fault tests for apply: a throttling proxy (30 % TooManyRequests, fake asynchronous CreateAccount) must not
 * change the result, and killing apply at random points then running it again must converge without
 * duplicate accounts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { motoClientConfig, motoEndpoint, resetMoto } from '../../test-support/moto-client.js';
import { startThrottleProxy } from '../../test-support/throttle-proxy.js';
import { main } from '../../src/cli/main.js';
import { ClientFactory } from '../../src/aws/clients.js';
import { Scheduler } from '../../src/aws/scheduler.js';
import { collect } from '../../src/aws/collector.js';
import { snapshotToModel } from '../../src/snapshot/load.js';
import { cliIo } from '../../test-support/apply-cli.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));

/** The live organization with ids replaced by names, so two builds of the same plan compare equal. */
async function normalizedLive(): Promise<unknown> {
  const aws = new ClientFactory({ region: 'us-east-1', endpoint: motoEndpoint(), credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  const snap = await collect(aws, new Scheduler({ baseDelayMs: 2 }), { regions: ['us-east-1'], resources: false, now: () => new Date(0) });
  aws.destroy();
  const m = snapshotToModel(snap);
  if (!m.ok) throw new Error('live model does not load');
  let text = JSON.stringify({
    ous: m.value.organizationalUnits.map((o) => ({ path: o.path, tags: o.tags })),
    accounts: m.value.accounts.map((a) => ({ name: a.name, email: a.email, ou: a.ouPath, tags: a.tags, status: a.status })),
    scps: m.value.serviceControlPolicies.map((p) => ({ name: p.name, document: p.document, targets: p.targets })),
    roles: m.value.roles.map((r) => ({ account: r.account, name: r.name, trust: r.trustPolicy, policies: r.policies.map((p) => ({ name: p.name, kind: p.kind, document: p.document })), tags: r.tags })),
  });
  for (const a of m.value.accounts) if (a.id) text = text.replaceAll(a.id, `<${a.name}>`);
  return JSON.parse(text);
}

async function memberEmails(): Promise<string[]> {
  const org = new OrganizationsClient(motoClientConfig());
  const out: string[] = [];
  let token: string | undefined;
  do {
    const r = await org.send(new ListAccountsCommand({ NextToken: token }));
    out.push(...(r.Accounts ?? []).map((a) => a.Email ?? ''));
    token = r.NextToken;
  } while (token);
  org.destroy();
  return out.sort();
}


/** Environment of the child CLI: dummy credentials, fast polls and retries. */
function childEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    BULKHEAD_POLL_MS: '20',
    BULKHEAD_RETRY_BASE_MS: '5',
    BULKHEAD_MAX_ATTEMPTS: '12',
  };
}

/** Spawns `bulkhead apply acme-full.yaml --yes` as a child process that can be killed at a chosen point. */
function runner(dir: string, endpoint: string, env: NodeJS.ProcessEnv) {
  const journalPath = join(dir, 'acme-full.apply-journal.jsonl');
  const journalLines = async () => (await readFile(journalPath, 'utf8').catch(() => '')).split('\n').filter((l) => l.trim() !== '').length;
  /** Runs apply; kills it after `kill.ms`, once `kill.lines` more journal lines were written, or once a line matches `kill.match`. */
  const run = (kill?: { ms?: number; lines?: number; match?: RegExp }) =>
    new Promise<{ code: number | null; killed: boolean; out: string; err: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', pathToFileURL(join(repo, 'node_modules/tsx/dist/loader.mjs')).href, join(repo, 'test-support/cli-process.ts'), 'apply', 'acme-full.yaml', '--yes', '--endpoint-url', endpoint], { cwd: dir, env });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      let killed = false;
      const doKill = () => {
        if (child.exitCode !== null || killed) return;
        killed = true;
        child.kill('SIGKILL');
      };
      const timer = kill?.ms === undefined ? undefined : setTimeout(doKill, kill.ms);
      let watcher: NodeJS.Timeout | undefined;
      if (kill?.lines !== undefined) {
        const want = kill.lines;
        void journalLines().then((base) => {
          watcher = setInterval(() => {
            void journalLines().then((n) => {
              if (n - base >= want) doKill();
            });
          }, 10);
        });
      }
      if (kill?.match !== undefined) {
        const re = kill.match;
        watcher = setInterval(() => {
          void readFile(journalPath, 'utf8')
            .catch(() => '')
            .then((text) => {
              if (re.test(text)) doKill();
            });
        }, 10);
      }
      child.on('exit', (code) => {
        if (timer) clearTimeout(timer);
        if (watcher) clearInterval(watcher);
        resolve({ code, killed, out, err });
      });
    });
  return { run, journalLines, journalPath };
}

describe('apply under faults', () => {
  let dir: string;
  beforeEach(async () => {
    await resetMoto();
    dir = await mkdtemp(join(tmpdir(), 'bh-faults-'));
    await copyFile(join(repo, 'examples/acme-full.yaml'), join(dir, 'acme-full.yaml'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('gives the same organization through a proxy that throttles 30 % of calls and makes CreateAccount asynchronous (at most 5 in flight)', async () => {
    let t = cliIo(dir);
    expect(await main(['apply', 'acme-full.yaml', '--yes', '--endpoint-url', motoEndpoint()], t.io)).toBe(0);
    const plain = await normalizedLive();

    await resetMoto();
    await rm(join(dir, 'acme-full.apply-journal.jsonl'), { force: true });
    const proxy = await startThrottleProxy({ target: motoEndpoint(), throttleRate: 0.3, seed: 7, inProgressPolls: 20 });
    try {
      t = cliIo(dir);
      const code = await main(['apply', 'acme-full.yaml', '--yes', '--endpoint-url', proxy.url], t.io);
      expect(t.err()).toBe('');
      expect(code).toBe(0);
      expect(proxy.stats.throttled).toBeGreaterThan(50);
      // 14 CreateAccount answers rewritten + 20 IN_PROGRESS polls each
      expect(proxy.stats.fakedInProgress).toBe(14 * 21);
      // AWS allows 5 CreateAccount requests in progress; apply uses them but never more.
      expect(proxy.stats.maxCreatesInFlight).toBeGreaterThanOrEqual(2);
      expect(proxy.stats.maxCreatesInFlight).toBeLessThanOrEqual(5);
      t = cliIo(dir);
      expect(await main(['apply', 'acme-full.yaml', '--endpoint-url', proxy.url], t.io)).toBe(0);
      expect(t.out()).toBe('no changes: the live organization matches the plan\n');
    } finally {
      await proxy.close();
    }
    expect(await normalizedLive()).toEqual(plain);
  });

  it('converges with no duplicate accounts when apply is killed at random points and run again', async () => {
    const proxy = await startThrottleProxy({ target: motoEndpoint(), throttleRate: 0.1, seed: 3, inProgressPolls: 2, latencyMs: 10 });
    const env = childEnv();
    const { run, journalLines, journalPath } = runner(dir, proxy.url, env);
    try {
      // Deterministic pseudo-random kill points: by time (often while reading the organization) and by journal
      // progress (in the middle of creating OUs, policies, accounts, roles). When a run gets to the end before
      // its kill point, that episode converged: check it, then start over from an empty emulator, until 12 runs
      // were killed.
      let seed = 12345;
      const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      let kills = 0;
      let midWork = 0;
      let runStarts = 0;
      const countRunStarts = async () => (await readFile(journalPath, 'utf8').catch(() => '')).split('\n').filter((l) => l.includes('"run-start"')).length;
      for (let i = 0; i < 40 && kills < 12; i++) {
        const before = await journalLines();
        const r = await run(i % 3 === 0 ? { ms: 600 + Math.floor(rand() * 2000) } : { lines: 1 + Math.floor(rand() * 10) });
        if (process.env['BH_DEBUG_CRASH']) console.log(`run ${i}: killed=${r.killed} code=${r.code} lines ${before} → ${await journalLines()}`);
        const emails = await memberEmails();
        expect(new Set(emails).size, 'duplicate account emails').toBe(emails.length);
        if (r.killed) {
          kills++;
          // Mid-work = killed after the executor started. A run on an empty emulator first journals the organization's
          // creation (before its run-start), so a kill right after that is not mid-work.
          const added = (await readFile(journalPath, 'utf8').catch(() => '')).split('\n').filter((l) => l.trim() !== '').slice(before);
          if (added.some((l) => !l.includes('"key":"create-organization"'))) midWork++;
          continue;
        }
        expect(r.code, r.err).toBe(0);
        expect(emails).toHaveLength(15);
        runStarts += await countRunStarts();
        await resetMoto();
        proxy.reset();
        await rm(journalPath, { force: true });
      }
      expect(kills).toBeGreaterThanOrEqual(12);
      expect(midWork).toBeGreaterThanOrEqual(6);
      const final = await run();
      expect(final.code, final.err).toBe(0);
      const again = await run();
      expect(again.code).toBe(0);
      expect(again.out).toBe('no changes: the live organization matches the plan\n');
      const emails = await memberEmails();
      expect(emails).toHaveLength(15);
      expect(new Set(emails).size).toBe(15);
      const journal = await readFile(join(dir, 'acme-full.apply-journal.jsonl'), 'utf8');
      // Every run killed mid-work, and each episode's final run, started executing (runs killed while reading did not).
      runStarts += journal.split('\n').filter((l) => l.includes('"run-start"')).length;
      expect(runStarts).toBeGreaterThanOrEqual(midWork + 1);
      // How often a killed run left a CreateAccount in flight that a later run picked up by its request id.
      const entries = journal.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as { run: string; key: string; status: string });
      const resumed = entries.filter((e) => e.key.startsWith('create-account:') && e.status === 'done' && entries.some((p) => p.key === e.key && p.status === 'pending' && p.run !== e.run)).length;
      console.log(`crash test: ${kills} kills (${midWork} mid-work), ${resumed} in-flight CreateAccount requests resumed by a later run`);
    } finally {
      await proxy.close();
    }
  }, 300_000);

  it('resumes a CreateAccount that was in flight when apply was killed, by its journaled request id', async () => {
    // Each account stays IN_PROGRESS (and unlisted) for 25 polls, so a kill lands while requests are in flight.
    const proxy = await startThrottleProxy({ target: motoEndpoint(), inProgressPolls: 25 });
    const { run, journalPath } = runner(dir, proxy.url, childEnv());
    try {
      const first = await run({ match: /"key":"create-account:[^"]+","status":"pending"/ });
      expect(first.killed).toBe(true);
      const second = await run();
      expect(second.code, second.err).toBe(0);
      const emails = await memberEmails();
      expect(emails).toHaveLength(15);
      expect(new Set(emails).size).toBe(15);
      const entries = (await readFile(journalPath, 'utf8')).split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as { run: string; key: string; status: string });
      const runs = entries.filter((e) => e.status === 'run-start').map((e) => e.run);
      expect(runs).toHaveLength(2);
      const pendingInFirst = entries.filter((e) => e.status === 'pending' && e.run === runs[0]).map((e) => e.key);
      expect(pendingInFirst.length).toBeGreaterThan(0);
      // The second run did not create those accounts again: it has no `pending` entry of its own for them.
      const secondRun = runs[1];
      for (const key of pendingInFirst) {
        expect(entries.some((e) => e.key === key && e.run === secondRun && e.status === 'done')).toBe(true);
        expect(entries.some((e) => e.key === key && e.run === secondRun && e.status === 'pending')).toBe(false);
      }
    } finally {
      await proxy.close();
    }
  }, 120_000);
});
