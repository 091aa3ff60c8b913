import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test-support/cli.js';

const root = join(import.meta.dirname, '..', '..');

describe('bulkhead plan: colour', () => {
  it('none when stdout is not a terminal', async () => {
    const r = await runCli(['plan', 'examples/acme.yaml'], { cwd: root });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('\u001b');
  });
  it('FORCE_COLOR colours the tree; NO_COLOR wins over it', async () => {
    const forced = await runCli(['plan', 'examples/acme.yaml'], { cwd: root, env: { FORCE_COLOR: '1' } });
    expect(forced.stdout).toContain('\u001b[34mProd/\u001b[39m');
    const plain = await runCli(['plan', 'examples/acme.yaml'], { cwd: root });
    expect(forced.stdout.replace(/\u001b\[\d+m/g, '')).toBe(plain.stdout);
    const off = await runCli(['plan', 'examples/acme.yaml'], { cwd: root, env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(off.stdout).toBe(plain.stdout);
  });
  it('JSON output is never coloured', async () => {
    const r = await runCli(['plan', 'examples/acme.yaml', '--format', 'json'], { cwd: root, env: { FORCE_COLOR: '1' } });
    expect(r.stdout).not.toContain('\u001b');
  });
});
