// A simulate worker that loads, then fails on its first chunk (for the threaded batch's fallback test).
import { parentPort } from 'node:worker_threads';
parentPort.on('message', () => {
  throw new Error('this worker fails on purpose');
});
parentPort.postMessage({ kind: 'ready' });
