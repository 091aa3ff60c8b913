/**
 * `verify`, `diff` and `synth` number options are checked while the command line is parsed, like collect's and apply's: a
 * bad value is a usage error (exit 2) naming the option and the value, before the command's module is loaded or
 * any file is read (the target below does not exist, and the error is commander's, not verify's BH7001).
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test-support/cli.js';

describe('number options are checked at parse time', () => {
  const cases: [string[], string][] = [
    [['verify', 'missing-target', '--threads', 'abc'], "option '--threads <n>' argument 'abc' is invalid. --threads must be `auto` or a positive integer, got `abc`"],
    [['verify', 'missing-target', '--threads', '0'], '--threads must be `auto` or a positive integer, got `0`'],
    [['verify', 'missing-target', '--threads', '1.5'], '--threads must be `auto` or a positive integer, got `1.5`'],
    [['diff', 'missing-before', 'missing-after', '--threads', '0'], "option '--threads <n>' argument '0' is invalid. --threads must be `auto` or a positive integer, got `0`"],
    [['diff', 'missing-before', 'missing-after', '--threads', 'abc'], '--threads must be `auto` or a positive integer, got `abc`'],
    [['verify', 'missing-target', '--top', '-3'], "option '--top <n>' argument '-3' is invalid. --top must be a positive integer, got `-3`"],
    [['verify', 'missing-target', '--top', ''], '--top must be a positive integer, got ``'],
    [['verify', 'missing-target', '--destroy-threshold', 'x'], '--destroy-threshold must be a positive integer, got `x`'],
    [['synth', '--accounts', '-3'], "option '--accounts <n>' argument '-3' is invalid. --accounts must be an integer from 8 to 10000, got `-3`"],
    [['synth', '--accounts', '8', '--roles', 'many'], '--roles must be an integer from 0 to 1000, got `many`'],
    [['synth', '--accounts', '8', '--resources', '1001'], '--resources must be an integer from 0 to 1000, got `1001`'],
    [['synth', '--accounts', '8', '--seed', '2147483648'], '--seed must be an integer from 0 to 2147483647, got `2147483648`'],
  ];
  for (const [args, message] of cases) {
    it(args.join(' '), async () => {
      const r = await runCli(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toContain('BH7001');
    });
  }

  it('good values and the defaults reach the command as numbers', async () => {
    const r = await runCli(['synth', '--accounts', '8', '--roles', '1', '--resources', '0', '--seed', '7']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).accounts).toHaveLength(8);
    const missing = await runCli(['verify', 'missing-target', '--threads', 'auto', '--top', '5']);
    expect(missing.stderr).toContain('BH7001');
  });
});
