import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { motoEndpoint, resetMoto } from '../../../test-support/moto-client.js';
import { buildEmulatedOrg } from '../../../test-support/emulated-org.js';
import { main } from '../main.js';
import { startThrottleProxy } from '../../../test-support/throttle-proxy.js';
import { memoryIo, MOTO_ENV } from '../../../test-support/cli.js';

function testIo(cwd: string, env: Record<string, string> = {}) {
  return memoryIo({ cwd, now: new Date('2026-11-28T12:00:00Z'), env: { ...MOTO_ENV, ...env } });
}

describe('bulkhead collect (CLI)', () => {
  let dir: string;
  beforeEach(async () => {
    await resetMoto();
    dir = await mkdtemp(join(tmpdir(), 'bh-cli-collect-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('writes a snapshot and prints a machine-readable summary off a terminal', async () => {
    await buildEmulatedOrg({ endpoint: motoEndpoint(), businessUnits: ['a'], accountsPerOu: 1, rolesPerAccount: 1, bucketsPerAccount: 1 });
    const t = testIo(dir);
    const code = await main(['collect', '--out', 'snap', '--endpoint-url', motoEndpoint()], t.io);
    expect(t.err.join('')).toBe('');
    expect(code).toBe(0);
    const summary = JSON.parse(t.out.join('')) as { accounts: number; accountsFailed: number; resources: number; errors: unknown[] };
    expect(summary).toMatchObject({ accounts: 3, accountsFailed: 0, resources: 2, errors: [] });
    const manifest = JSON.parse(await readFile(join(dir, 'snap', 'manifest.json'), 'utf8')) as { collectedAt: string; tool: { name: string } };
    expect(manifest.collectedAt).toBe('2026-11-28T12:00:00.000Z');
    expect(manifest.tool.name).toBe('bulkhead');
  });

  it('rejects a bad region name as a usage error', async () => {
    const t = testIo(dir);
    const code = await main(['collect', '--out', 'snap', '--regions', 'us-east-1,mars', '--endpoint-url', motoEndpoint()], t.io);
    expect(code).toBe(2);
    expect(t.err.join('')).toContain('`mars` is not an AWS region name');
  });

  it('explains when there is no organization to read', async () => {
    const t = testIo(dir);
    const code = await main(['collect', '--out', 'snap', '--endpoint-url', motoEndpoint()], t.io);
    expect(code).toBe(1);
    expect(t.err.join('')).toMatch(/error BH6101: cannot read the organization \(AWSOrganizationsNotInUseException/);
  });

  it('exits 4 when some accounts could not be read, and says which', async () => {
    const built = await buildEmulatedOrg({ endpoint: motoEndpoint(), businessUnits: ['a'], accountsPerOu: 1, rolesPerAccount: 0, bucketsPerAccount: 0 });
    const victim = built.accounts[1]!;
    const proxy = await startThrottleProxy({ target: motoEndpoint(), deny: ({ body }) => body.includes('Action=AssumeRole') && body.includes(victim.id) });
    try {
      const t = testIo(dir);
      const code = await main(['collect', '--out', 'snap', '--no-resources', '--endpoint-url', proxy.url], t.io);
      expect(code).toBe(4);
      const summary = JSON.parse(t.out.join('')) as { accountsFailed: number; errors: { accountName: string; stage: string }[] };
      expect(summary.accountsFailed).toBe(1);
      expect(summary.errors).toMatchObject([{ accountName: victim.name, stage: 'assume-role' }]);
      const manifest = JSON.parse(await readFile(join(dir, 'snap', 'manifest.json'), 'utf8')) as { errors: unknown[] };
      expect(manifest.errors).toHaveLength(1);
    } finally {
      await proxy.close();
    }
  });
});
