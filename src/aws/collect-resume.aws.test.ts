/**
 * A streamed collect stopped after some accounts and resumed gives the same snapshot as a one-shot collect, without
 * reading the complete accounts again (AssumeRole calls seen by the proxy); a resume never mixes option sets or
 * organizations; an unfinished collect is discarded without --resume.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { motoEndpoint, resetMoto } from '../../test-support/moto-client.js';
import { startThrottleProxy, type ThrottleProxy } from '../../test-support/throttle-proxy.js';
import { buildEmulatedOrg } from '../../test-support/emulated-org.js';
import { collectToDirectory, type CollectRequest } from '../operations/collect.js';
import { nodeHost, type HostEvent } from '../operations/host.js';
import { stagingDirOf } from '../io/snapshot-staging.js';
import { pathKind } from '../io/output.js';

const creds = { accessKeyId: 'testing', secretAccessKey: 'testing' };

/** Every file of a snapshot directory, relative path → text. */
async function filesOf(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!name.isFile()) continue;
    const rel = join(name.parentPath, name.name).slice(dir.length + 1);
    out.set(rel, await readFile(join(dir, rel), 'utf8'));
  }
  return out;
}

/** The manifest without its collection time (the one thing two collects differ in). */
function timeless(files: Map<string, string>): Map<string, string> {
  const m = JSON.parse(files.get('manifest.json') ?? '{}') as { collectedAt?: string };
  delete m.collectedAt;
  return new Map([...files, ['manifest.json', JSON.stringify(m)]]);
}

describe('resumable collect against moto (through a proxy throttling 30 % of calls)', () => {
  let work: string;
  let proxy: ThrottleProxy;
  const assumed: string[] = [];
  beforeEach(async () => {
    await resetMoto();
    work = await mkdtemp(join(tmpdir(), 'bh-resume-'));
    assumed.length = 0;
    proxy = await startThrottleProxy({
      target: motoEndpoint(),
      throttleRate: 0.3,
      seed: 7,
      // observer only: records the account of every AssumeRole that reaches moto
      deny: ({ body }) => {
        const m = /Action=AssumeRole&.*RoleArn=arn%3Aaws%3Aiam%3A%3A(\d{12})/.exec(body);
        if (m?.[1]) assumed.push(m[1]);
        return false;
      },
    });
  });
  afterEach(async () => {
    await proxy.close();
    await rm(work, { recursive: true, force: true });
  });

  const request = (out: string, extra: Partial<CollectRequest> = {}): CollectRequest => ({
    connection: { region: 'us-east-1', endpoint: proxy.url, credentials: creds },
    out: join(work, out),
    accountConcurrency: 2,
    scheduler: { baseDelayMs: 2, maxDelayMs: 20 },
    ...extra,
  });

  it('stops after some accounts, resumes without re-reading them, and equals a one-shot collect', async () => {
    const built = await buildEmulatedOrg({ endpoint: motoEndpoint(), businessUnits: ['pay', 'ops'], accountsPerOu: 2, rolesPerAccount: 1, bucketsPerAccount: 1 });
    const members = built.accounts.map((a) => a.id).sort();
    expect(members.length).toBe(8);

    const oneShot = await collectToDirectory(request('one'), nodeHost());
    expect(oneShot.ok).toBe(true);
    const oneShotCalls = oneShot.ok ? oneShot.value.calls : 0;

    // stopped once 3 accounts are done (those in flight finish and are kept)
    const stop = new AbortController();
    const report = (e: HostEvent) => {
      if (e.kind === 'progress' && (e.done ?? 0) >= 3) stop.abort();
    };
    const first = await collectToDirectory(request('snap', { signal: stop.signal }), nodeHost({ report }));
    expect(first.ok).toBe(false);
    expect(first.diagnostics.map((d) => d.code)).toEqual(['BH6245']);
    expect(await pathKind(join(work, 'snap'))).toBe('missing');
    const staging = stagingDirOf(join(work, 'snap'));
    const progress = (await readFile(join(staging, 'progress.jsonl'), 'utf8')).trim().split('\n').map((l) => (JSON.parse(l) as { accountId: string }).accountId);
    const completeMembers = progress.filter((id) => members.includes(id));
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress.length).toBeLessThan(9);

    // other options: refused, the staging area kept
    const other = await collectToDirectory(request('snap', { resume: true, resources: false }), nodeHost());
    expect(other.ok).toBe(false);
    expect(other.diagnostics.map((d) => d.code)).toEqual(['BH6242']);
    expect(other.diagnostics[0]?.message).toContain('resources: `true` then, `false` now');

    assumed.length = 0;
    const resumed = await collectToDirectory(request('snap', { resume: true }), nodeHost());
    expect(resumed.ok).toBe(true);
    if (!resumed.ok) return;
    expect(resumed.diagnostics.map((d) => d.code)).toEqual(['BH6240']);
    // the complete accounts were not read again; every other member was
    expect(assumed.filter((id) => completeMembers.includes(id))).toEqual([]);
    expect([...new Set(assumed)].sort()).toEqual(members.filter((id) => !completeMembers.includes(id)));
    expect(resumed.value.calls).toBeLessThan(oneShotCalls);
    expect(await pathKind(staging)).toBe('missing');
    expect(timeless(await filesOf(join(work, 'snap')))).toEqual(timeless(await filesOf(join(work, 'one'))));
  });

  it('never resumes onto another organization, and discards an unfinished collect without --resume', async () => {
    await buildEmulatedOrg({ endpoint: motoEndpoint(), businessUnits: ['pay'], accountsPerOu: 1, rolesPerAccount: 1, bucketsPerAccount: 0 });
    const stop = new AbortController();
    stop.abort();
    const first = await collectToDirectory(request('snap', { signal: stop.signal }), nodeHost());
    expect(first.diagnostics.map((d) => d.code)).toEqual(['BH6245']);
    const staging = stagingDirOf(join(work, 'snap'));
    // the staged organization is another one's (as if the credentials had changed between the runs)
    const stagedPath = join(staging, 'organization.staged.json');
    const staged = JSON.parse(await readFile(stagedPath, 'utf8')) as { organization: { id: string } };
    const liveId = staged.organization.id;
    staged.organization.id = 'o-someother1';
    await writeFile(stagedPath, JSON.stringify(staged));
    const mixed = await collectToDirectory(request('snap', { resume: true }), nodeHost());
    expect(mixed.ok).toBe(false);
    expect(mixed.diagnostics.map((d) => d.code)).toEqual(['BH6241']);
    expect(mixed.diagnostics[0]?.message).toContain(`organization \`${liveId}\``);

    const fresh = await collectToDirectory(request('snap'), nodeHost());
    expect(fresh.ok).toBe(true);
    expect(fresh.diagnostics.map((d) => d.code)).toEqual(['BH6244']);
    expect(await pathKind(staging)).toBe('missing');

    // a directory there that bulkhead did not make is never removed
    const foreign = stagingDirOf(join(work, 'other'));
    await rm(foreign, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(foreign));
    await writeFile(join(foreign, 'notes.txt'), 'mine');
    const refused = await collectToDirectory(request('other'), nodeHost());
    expect(refused.diagnostics.map((d) => d.code)).toEqual(['BH6243']);
    expect(await readFile(join(foreign, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('a stopped collect into a history alone says how to resume it with `--history`', async () => {
    await buildEmulatedOrg({ endpoint: motoEndpoint(), businessUnits: ['pay'], accountsPerOu: 2, rolesPerAccount: 1, bucketsPerAccount: 0 });
    const stop = new AbortController();
    const report = (e: HostEvent) => {
      if (e.kind === 'progress' && (e.done ?? 0) >= 1) stop.abort();
    };
    const { out: _out, ...historyOnly } = request('unused', { signal: stop.signal });
    const stopped = await collectToDirectory({ ...historyOnly, history: join(work, 'hist') }, nodeHost({ report }));
    expect(stopped.diagnostics.map((d) => d.code)).toEqual(['BH6245']);
    expect(stopped.diagnostics[0]?.message).toContain(`\`bulkhead collect --history ${join(work, 'hist')} --resume\``);
  });
});
