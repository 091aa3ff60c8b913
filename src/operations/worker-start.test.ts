import { describe, expect, it } from 'vitest';
import { collectShares, runWorker } from './worker-start.js';

describe('collectShares', () => {
  it('keeps the workers order and runs a failed worker share on the main thread with a warning', async () => {
    const done = (share: string) => Promise.resolve({ share, diagnostics: [] });
    const failed = Promise.reject(new Error('no loader'));
    const local: number[] = [];
    const r = await collectShares([done('one'), failed, done('three')], 'test worker', 'BH7103', (share) => {
      local.push(share);
      return `local ${share}`;
    });
    expect(r.shares).toEqual(['one', 'local 2', 'three']);
    expect(local).toEqual([2]);
    expect(r.notes).toEqual([expect.objectContaining({ code: 'BH7103', severity: 'warning', message: 'test worker 2 failed (no loader); its share ran on the main thread' })]);
  });
});

describe('runWorker', () => {
  it('rejects `done` when the worker module does not exist, without an unhandled rejection before it is awaited', async () => {
    const w = runWorker<never, unknown>(new URL('./no-such-worker.js', import.meta.url), 'test worker');
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expect(w.done).rejects.toThrow();
  });
});
