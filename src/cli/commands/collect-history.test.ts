import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test-support/cli.js';

describe('bulkhead collect: outputs', () => {
  it('needs --out, --history or both', async () => {
    const r = await runCli(['collect', '--endpoint-url', 'http://127.0.0.1:9']);
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('collect needs `--out DIR` (a snapshot directory), `--history DIR` (a snapshot history), or both')]);
  });
});
