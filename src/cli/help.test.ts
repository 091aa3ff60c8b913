/** Help: where it goes and with what exit code, the exit-code table, and the marks on what must be given. */
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test-support/cli.js';
import { EXIT_CODES } from './exit-codes.js';

describe('help', () => {
  it('bare `bulkhead` is a usage error: help on standard error, exit 2', async () => {
    const r = await runCli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Usage: bulkhead [options] [command]');
    expect(r.stderr).toContain('Exit codes:');
  });

  it('`bulkhead help` and `bulkhead --help` print help on standard output with exit 0', async () => {
    for (const args of [['help'], ['--help']]) {
      const r = await runCli(args);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain('Usage: bulkhead [options] [command]');
      for (const row of EXIT_CODES) expect(r.stdout).toContain(`  ${String(row.code).padEnd(4)}${row.meaning}`);
    }
  });

  it("lists each command's own exit codes and marks required options and arguments", async () => {
    const apply = await runCli(['apply', '--help']);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toMatch(/\n  spec\s+\(required\) spec file/);
    expect(apply.stdout).toMatch(/Exit codes:\n {2}0 {3}success[^\n]*\n {2}1 {3}[^\n]*\n {2}2 {3}[^\n]*\n {2}70 {2}internal error/);
    const collect = await runCli(['help', 'collect']);
    // --out or --history (or both): neither is required on its own
    expect(collect.stdout).toMatch(/-o, --out <dir>\s+snapshot directory/);
    expect(collect.stdout).toMatch(/--history <dir>\s+also \(or instead\) add a dated entry/);
    expect(collect.stdout).toMatch(/\n {2}4 {3}incomplete/);
    expect(collect.stdout).not.toMatch(/\n {2}3 {3}/);
    const verify = await runCli(['verify', '--help']);
    expect(verify.stdout).toMatch(/\n {2}3 {3}findings at or above --fail-on \(verify, diff, drift\); the check does not hold[^\n]*\n {2}4 {3}incomplete/);
    const emit = await runCli(['emit', '--help']);
    expect(emit.stdout).toMatch(/-f, --format <format>\s+\(required\) output format/);
    expect((await runCli(['capabilities', '--help'])).stdout).not.toContain('(required)');
  });
});
