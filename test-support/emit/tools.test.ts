import { describe, expect, it } from 'vitest';
import { run } from './tools.js';

describe('emit test tools', () => {
  it('fails with install advice when a tool is missing, instead of skipping', async () => {
    await expect(run('bulkhead-no-such-tool-xyz', ['--version'], { cwd: process.cwd(), install: 'install it with `pip install x`' })).rejects.toThrow(
      '`bulkhead-no-such-tool-xyz` is not installed or not on PATH: install it with `pip install x`',
    );
  });

  it('returns exit code and output of a tool that runs', async () => {
    const r = await run('sh', ['-c', 'echo out; echo err >&2; exit 3'], { cwd: process.cwd(), install: '' });
    expect(r).toMatchObject({ code: 3, stdout: 'out\n', stderr: 'err\n' });
  });
});
