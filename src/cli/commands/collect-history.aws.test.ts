import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { motoClientConfig, motoEndpoint, resetMoto, inAccount } from '../../../test-support/moto-client.js';
import { buildEmulatedOrg } from '../../../test-support/emulated-org.js';
import { main } from '../main.js';
import { memoryIo, MOTO_ENV } from '../../../test-support/cli.js';

function testIo(cwd: string, now: string) {
  return memoryIo({ cwd, now: new Date(now), env: { ...MOTO_ENV } });
}

interface Summary {
  accounts: number;
  history: { entry: string; objectsWritten: number; objectsReused: number };
}

describe('bulkhead collect --history (CLI)', () => {
  let dir: string;
  beforeEach(async () => {
    await resetMoto();
    dir = await mkdtemp(join(tmpdir(), 'bh-cli-history-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('keeps two dated entries, shares the unchanged accounts, and diff DIR@date DIR@latest finds exactly the change', async () => {
    const built = await buildEmulatedOrg({ endpoint: motoEndpoint(), businessUnits: ['a'], accountsPerOu: 1, rolesPerAccount: 1, bucketsPerAccount: 0 });
    const first = testIo(dir, '2026-11-01T06:00:00Z');
    expect(await main(['collect', '--history', 'hist', '--no-resources', '--endpoint-url', motoEndpoint()], first.io)).toBe(0);
    const one = JSON.parse(first.out.join('')) as Summary;
    // manifest + organization + one file per account, all new
    expect(one.history).toEqual({ entry: 'snapshots/20261101T060000.000Z.json', objectsWritten: one.accounts + 2, objectsReused: 0 });

    const dev = built.accounts.find((a) => a.name === 'a-dev-0')!;
    const iam = inAccount(new IAMClient(motoClientConfig()), dev.id);
    await iam.send(new CreateRoleCommand({ RoleName: 'out-of-band', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) }));
    iam.destroy();

    const second = testIo(dir, '2026-11-02T06:00:00Z');
    expect(await main(['collect', '--history', 'hist', '--no-resources', '--endpoint-url', motoEndpoint()], second.io)).toBe(0);
    const two = JSON.parse(second.out.join('')) as Summary;
    // a new manifest (new time) and the changed account; organization and the other accounts are shared
    expect(two.history).toEqual({ entry: 'snapshots/20261102T060000.000Z.json', objectsWritten: 2, objectsReused: one.accounts });
    expect((await readdir(join(dir, 'hist', 'objects'))).length).toBe(one.accounts + 2 + 2);
    expect((await readdir(join(dir, 'hist', 'snapshots'))).sort()).toEqual(['20261101T060000.000Z.json', '20261102T060000.000Z.json']);

    const d = testIo(dir, '2026-11-03T00:00:00Z');
    expect(await main(['diff', 'hist@2026-11-01', 'hist@latest', '--format', 'json'], d.io)).toBe(0);
    const delta = JSON.parse(d.out.join('')) as { structural: { subject: string; change: string; name: string }[] };
    expect(delta.structural.map((s) => `${s.change} ${s.subject} ${s.name}`)).toEqual([expect.stringMatching(/^added role .*out-of-band/)]);

    // the same entry through verify, and a date before any entry
    const v = testIo(dir, '2026-11-03T00:00:00Z');
    expect(await main(['verify', 'hist@2026-11-01', '--format', 'json'], v.io)).not.toBe(1);
    const early = testIo(dir, '2026-11-03T00:00:00Z');
    expect(await main(['diff', 'hist@2026-10-31', 'hist@latest'], early.io)).toBe(1);
    expect(early.err.join('')).toContain('BH9172');
  }, 120_000);

  it('refuses a directory that is not a history before reading anything', async () => {
    await mkdir(join(dir, 'notes'));
    await writeFile(join(dir, 'notes', 'todo.txt'), 'mine');
    const t = testIo(dir, '2026-11-01T06:00:00Z');
    expect(await main(['collect', '--history', 'notes', '--endpoint-url', 'http://127.0.0.1:9'], t.io)).toBe(1);
    expect(t.err.join('')).toContain('error BH9170: `notes` is not a snapshot history (it holds `todo.txt` and no `history.json`)');
  });
});
