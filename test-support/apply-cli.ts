/** Test helper: an in-memory CliIo for running `main` in-process against moto with fast polls and retries. */
import { memoryIo, MOTO_ENV } from './cli.js';

/** A CliIo capturing output, with dummy credentials and fast emulator timings. */
export function cliIo(cwd: string) {
  const m = memoryIo({
    cwd,
    now: () => new Date(),
    env: { ...MOTO_ENV, BULKHEAD_POLL_MS: '5', BULKHEAD_RETRY_BASE_MS: '2', BULKHEAD_MAX_ATTEMPTS: '12' },
  });
  return { io: m.io, out: () => m.out.join(''), err: () => m.err.join('') };
}
