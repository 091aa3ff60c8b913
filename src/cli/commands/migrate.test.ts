import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test-support/cli.js';
import { writeSnapshot } from '../../io/snapshot-files.js';
import { MIGRATE_FORMATS } from '../../migrate/render.js';
import { kitchenSink, snapshotWithInventory, TARGET_SPEC } from '../../migrate/testdata/kitchen-sink.js';
import { synthSnapshot } from '../../synthetic/snapshot.js';
import { UNSAFE_CHARACTERS } from '../../util/escape.js';
import { MIGRATE_CLI_FORMATS } from './migrate.js';

const dir = mkdtempSync(join(tmpdir(), 'bulkhead-migrate-'));
const snap = join(dir, 'snap');
const spec = join(dir, 'target.yaml');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  const model = kitchenSink();
  const written = await writeSnapshot(snap, snapshotWithInventory(model, new Date('2026-01-01T00:00:00Z')));
  if (!written.ok) throw new Error('snapshot not written');
  writeFileSync(spec, TARGET_SPEC);
  // a snapshot without inventory
  const old = await writeSnapshot(join(dir, 'v1'), synthSnapshot({ ...model, inventory: undefined } as typeof model, new Date('2026-01-01T00:00:00Z')));
  if (!old.ok) throw new Error('snapshot not written');
});

describe('bulkhead migrate', () => {
  it('offers exactly the formats the renderer knows', () => {
    expect([...MIGRATE_CLI_FORMATS]).toEqual([...MIGRATE_FORMATS]);
  });
  it('prints the plan as text: groups, waves, dependencies, proof', async () => {
    const run = await runCli(['migrate', snap, '--spec', spec]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('cross-account dependencies: 0 before → 2 after (2 new, 0 resolved)');
    expect(run.stdout).toMatch(/wave 1 · dev: 2 moves, 0 new grants[\s\S]*wave 2 · stage[\s\S]*wave 3 · prod \(production\): 2 moves, 1 new grant/);
    expect(run.stdout).toContain('g7 shop-reports: mixed-phase');
    expect(run.stdout).toContain('does not hold');
    expect(run.stderr).toContain('BH9233');
    expect(run.stdout).not.toMatch(new RegExp(UNSAFE_CHARACTERS.source.replace('\\u0000-\\u001f', '\\u0000-\\u0009\\u000b-\\u001f')));
  });

  it('says the plan is incomplete, and exits 4, when the snapshot lacks an account', async () => {
    const partial = join(dir, 'partial');
    cpSync(snap, partial, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(partial, 'manifest.json'), 'utf8')) as { accountFiles: string[] };
    // the account was not collected: neither its file nor its manifest entry is there (collect's own record of a gap)
    rmSync(join(partial, manifest.accountFiles[0]!));
    writeFileSync(join(partial, 'manifest.json'), JSON.stringify({ ...manifest, accountFiles: manifest.accountFiles.slice(1) }));
    const run = await runCli(['migrate', partial, '--spec', spec]);
    expect(run.stderr).toContain('BH6009');
    expect(run.stderr).toMatch(/migrate: incomplete: the snapshot lacks 1 account\(s\) or part\(s\)/);
    expect(run.code).toBe(4);
  });

  it('writes json, markdown and a self-contained html page', async () => {
    const json = await runCli(['migrate', snap, '--spec', spec, '--format', 'json']);
    const plan = JSON.parse(json.stdout);
    expect(plan.groups).toHaveLength(7);
    expect(plan.waves.map((w: { phase: string }) => w.phase)).toEqual(['dev', 'stage', 'prod']);
    const md = await runCli(['migrate', snap, '--spec', spec, '--format', 'markdown']);
    expect(md.stdout).toContain('## Wave 3: prod (production)');
    const out = join(dir, 'plan.html');
    const html = await runCli(['migrate', snap, '--spec', spec, '--format', 'html', '-o', out]);
    expect(html.code).toBe(0);
    const page = readFileSync(out, 'utf8');
    expect(page).toContain('<svg');
    expect(page).toContain('legacy-prod (kitchen-sink)');
    expect(page).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    expect(html.stderr).toContain('7 groups, 3 waves, cross-account dependencies 0 → 2');
  });

  it('exits 3 with --fail-on-proof when the projection breaks a boundary', async () => {
    expect((await runCli(['migrate', snap, '--spec', spec, '--fail-on-proof'])).code).toBe(3);
  });

  it('explains bad input', async () => {
    const missing = await runCli(['migrate', join(dir, 'nope'), '--spec', spec]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('BH9230');
    const noInventory = await runCli(['migrate', join(dir, 'v1'), '--spec', spec]);
    expect(noInventory.code).toBe(1);
    expect(noInventory.stderr).toContain('BH9231');
    expect((await runCli(['migrate', snap, '--spec', spec, '--format', 'pdf'])).code).toBe(2);
  });
});
