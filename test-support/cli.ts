/** Runs the CLI in-process with captured output, for command tests. */
import { main } from '../src/cli/main.js';
import type { CliIo } from '../src/cli/io.js';

/** What a CLI run printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Dummy credentials for moto; the SDK's credential chain reads them from the injected environment. */
export const MOTO_ENV: Readonly<Record<string, string>> = { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' };

/** An in-memory CliIo whose output chunks are collected in `out` and `err`. */
export function memoryIo(opts: { cwd?: string; stdin?: string | Uint8Array; now?: Date | (() => Date); env?: Record<string, string> } = {}): {
  io: CliIo;
  out: string[];
  err: string[];
} {
  const out: string[] = [];
  const err: string[] = [];
  const now = opts.now;
  const io: CliIo = {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    readStdin: async () => (typeof opts.stdin === 'string' || opts.stdin === undefined ? new TextEncoder().encode(opts.stdin ?? '') : opts.stdin),
    isTty: false,
    cwd: opts.cwd ?? process.cwd(),
    now: typeof now === 'function' ? now : () => now ?? new Date('2026-01-01T00:00:00Z'),
    env: opts.env ?? {},
  };
  return { io, out, err };
}

/** Runs `bulkhead ...args` with an in-memory IO; `stdin` (text is encoded as UTF-8, bytes are given as they are) feeds `-` arguments. */
export async function runCli(args: readonly string[], opts: { stdin?: string | Uint8Array; cwd?: string; now?: Date; env?: Record<string, string> } = {}): Promise<CliRun> {
  const m = memoryIo(opts);
  const code = await main(args, m.io);
  return { code, stdout: m.out.join(''), stderr: m.err.join('') };
}
