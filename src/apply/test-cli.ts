/** Test helper: an in-memory CliIo for running `main` in-process against moto with fast polls and retries. */
import type { CliIo } from '../cli/io.js';

/** A CliIo capturing output, with dummy credentials and fast emulator timings. */
export function cliIo(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    readStdin: async () => '',
    isTty: false,
    cwd,
    now: () => new Date(),
    env: { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', BULKHEAD_POLL_MS: '5', BULKHEAD_RETRY_BASE_MS: '2', BULKHEAD_MAX_ATTEMPTS: '12' },
  };
  return { io, out: () => out.join(''), err: () => err.join('') };
}
