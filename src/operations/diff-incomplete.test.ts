/**
 * diff with a snapshot side that lacks accounts its organization lists (BH6009): the delta says so in
 * `summary.incomplete` and the CLI exits 4, as verify does; a clean-looking delta over missing accounts proves nothing.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test-support/cli.js';
import { diff } from './diff.js';
import { nodeHost } from './host.js';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples/violations/prod-bucket-grants-dev');

/** A copy of the example snapshot whose manifest no longer lists account `id`'s file. */
function withoutAccount(id: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'bh-diff-gap-'));
  cpSync(EXAMPLE, dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { accountFiles: string[] };
  manifest.accountFiles = manifest.accountFiles.filter((f) => f !== `accounts/${id}.json`);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return dir;
}

describe('diff over a snapshot that lacks accounts', () => {
  it('carries the after side\'s uncollected account into summary.incomplete', async () => {
    const r = await diff({ before: EXAMPLE, after: withoutAccount('333333333333') }, nodeHost({ report: () => {} }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.summary.incomplete).toEqual([expect.stringMatching(/^after: account `[^`]+` \(333333333333\) is ACTIVE/)]);
  });

  it('exits 4 when nothing fails the gate', async () => {
    const r = await runCli(['diff', EXAMPLE, withoutAccount('333333333333'), '-f', 'json']);
    expect((JSON.parse(r.stdout) as { summary: { incomplete: string[] } }).summary.incomplete).toHaveLength(1);
    expect(r.code).toBe(4);
  });

  it('names the before side too; failing changes (3) win over an incomplete analysis (4)', async () => {
    // the account's roles come back on the after side: gained access that fails the gate
    const r = await runCli(['diff', withoutAccount('333333333333'), EXAMPLE, '-f', 'json', '--fail-on', 'info']);
    const delta = JSON.parse(r.stdout) as { summary: { incomplete: string[] } };
    expect(delta.summary.incomplete).toEqual([expect.stringMatching(/^before: account `[^`]+` \(333333333333\) is ACTIVE/)]);
    expect(r.code).toBe(3);
  });

  it('a complete pair exits 0', async () => {
    const r = await runCli(['diff', EXAMPLE, EXAMPLE, '-f', 'json']);
    expect((JSON.parse(r.stdout) as { summary: { incomplete: string[] } }).summary.incomplete).toEqual([]);
    expect(r.code).toBe(0);
  });
});
