import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliIo } from '../../../test-support/apply-cli.js';
import { buildEmulatedOrg } from '../../../test-support/emulated-org.js';
import { motoEndpoint, resetMoto } from '../../../test-support/moto-client.js';
import { main } from '../main.js';

describe('bulkhead adopt against moto', () => {
  let dir: string;
  beforeEach(async () => {
    await resetMoto();
    dir = await mkdtemp(join(tmpdir(), 'bh-adopt-aws-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('collect → adopt → apply (dry run) reports only the changes the spec flags', async () => {
    await buildEmulatedOrg({ endpoint: motoEndpoint(), businessUnits: ['a', 'b'], accountsPerOu: 1, rolesPerAccount: 1, bucketsPerAccount: 0 });
    const collect = cliIo(dir);
    expect(await main(['collect', '--out', 'snap', '--no-resources', '--endpoint-url', motoEndpoint()], collect.io)).toBe(0);
    const adopt = cliIo(dir);
    expect(await main(['adopt', 'snap', '-o', 'adopted.yaml'], adopt.io)).toBe(0);
    const apply = cliIo(dir);
    const code = await main(['apply', 'adopted.yaml', '--format', 'json', '--state', '.', '--endpoint-url', motoEndpoint()], apply.io);
    expect(apply.err()).not.toMatch(/error/);
    expect(code).toBe(0);
    const cs = JSON.parse(apply.out()) as { changes: { kind: string; key: string }[] };
    // every change is one the adopted spec comments: the Suspended OU (and FullAWSAccess on it) and the roles'
    // policies. The emulated accounts are not named `{bu}-{phase}`, so both business units are written with
    // `phases: []` and their accounts as custom entries: no account, OU or attachment the organization lacks.
    const yaml = await readFile(join(dir, 'adopted.yaml'), 'utf8');
    expect(yaml).toMatch(/- name: a\n\s+phases: \[\]/);
    expect(yaml).toMatch(/- name: b\n\s+phases: \[\]/);
    expect(yaml).toMatch(/Root\/Suspended OU: apply creates it/);
    const flagged = (c: { kind: string; key: string }) => c.key.endsWith(':Root/Suspended') || c.kind === 'update-role' || c.kind === 'create-role';
    expect(cs.changes.filter((c) => !flagged(c)).map((c) => c.key)).toEqual([]);
    expect(cs.changes.filter((c) => c.key.endsWith(':Root/Suspended')).map((c) => c.kind).sort()).toEqual(['attach-policy', 'create-ou']);
    expect(cs.changes.some((c) => c.kind === 'update-role')).toBe(true);
  }, 120_000);
});
