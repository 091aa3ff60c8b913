/** Runs the CLI in-process with captured output, for command tests. */
import { main } from '../cli/main.js';
import type { CliIo } from '../cli/io.js';

/** What a CLI run printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `bulkhead ...args` with an in-memory IO; `stdin` feeds `-` arguments. */
export async function runCli(args: readonly string[], opts: { stdin?: string; cwd?: string; now?: Date; env?: Record<string, string> } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    readStdin: async () => opts.stdin ?? '',
    isTty: false,
    cwd: opts.cwd ?? process.cwd(),
    now: () => opts.now ?? new Date('2026-01-01T00:00:00Z'),
    env: opts.env ?? {},
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}
