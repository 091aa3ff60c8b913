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

  /** `done`, or a `hang` rejection after `ms`: a worker that never answers must not make its caller wait forever. */
  const within = <T>(done: Promise<T>, ms = 3000) =>
    Promise.race([done, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('hang')), ms).unref())]);

  it('rejects `done` when the worker exits with code 0 without posting an answer', async () => {
    const silent = runWorker<never, unknown>(new URL('data:text/javascript,'), 'silent worker');
    await expect(within(silent.done)).rejects.toThrow('silent worker exited without an answer');
  });

  it('resolves with the answer of a worker that posts it and exits', async () => {
    const answering = runWorker<never, number>(new URL(`data:text/javascript,${encodeURIComponent("import { parentPort } from 'node:worker_threads'; parentPort.postMessage(42);")}`), 'answering worker');
    await expect(within(answering.done)).resolves.toBe(42);
  });

  it('falls back to the main thread for a worker that exits without an answer', async () => {
    const silent = runWorker<never, { share: string; diagnostics: [] }>(new URL('data:text/javascript,'), 'test worker');
    const r = await within(collectShares([silent.done], 'test worker', 'BH7103', (share) => `local ${share}`));
    expect(r.shares).toEqual(['local 1']);
    expect(r.notes.map((n) => n.message)).toEqual(['test worker 1 failed (test worker exited without an answer); its share ran on the main thread']);
  });
});
