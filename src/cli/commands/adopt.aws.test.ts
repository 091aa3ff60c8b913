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
    // every change is one the adopted spec comments. The emulated accounts are not named `{bu}-{phase}`, so each
    // business unit brings the account the planner would name so (commented: "apply would create `a-dev`"), with its
    // OU and FullAWSAccess on both; the rest is the Suspended OU and the role policies.
    const yaml = await readFile(join(dir, 'adopted.yaml'), 'utf8');
    const phantoms = [...yaml.matchAll(/apply would create `([\w-]+)`/g)].map((m) => m[1]!);
    const flagged = (c: { kind: string; key: string }) =>
      c.key.includes('Root/Suspended') || c.kind === 'update-role' || c.kind === 'create-role' || phantoms.some((p) => c.key.endsWith(`:${p}`) || c.key.includes(`:${p}@`));
    const unflagged = cs.changes.filter((c) => !flagged(c));
    expect(unflagged.map((c) => c.key)).toEqual(['create-ou:Root/Workloads/Dev', 'attach-policy:SERVICE_CONTROL_POLICY:FullAWSAccess:Root/Workloads/Dev']);
    expect(phantoms.sort()).toEqual(['a-dev', 'b-dev']);
  }, 120_000);
});
