import { error, fail, type Result } from '../diagnostics/diagnostic.js';
import { bytesUpTo, decodeUtf8, MAX_WHOLE_FILE, tooLargeInput } from '../io/files.js';
import { strictTextPieces, type StrictTextPieces } from '../io/utf8-stream.js';
import { escapeJson, escapeText } from '../util/escape.js';
import { launchedChild } from './heap-launch.js';

/** The CLI's window on the world, injectable so commands can be tested in-process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /**
   * Reads standard input's bytes fully (for `-` arguments); commands decode them with `readStdinText`. Undefined
   * when there are more than a file may hold (2 GiB, files.ts MAX_WHOLE_FILE): reading stops there.
   */
  readonly readStdin: () => Promise<Uint8Array | undefined>;
  /** Standard input's bytes as they arrive, for commands that stream (`simulate --batch`); absent: they use readStdin. */
  readonly stdinChunks?: () => AsyncIterable<Uint8Array>;
  /** Writes to stdout and resolves when the stream can take more (backpressure); absent: stdout is used. */
  readonly writeStdout?: (text: string) => Promise<void>;
  /** Whether stdout/stderr is an interactive terminal (progress output only then). */
  readonly isTty: boolean;
  /** Whether stdout is an interactive terminal (colour only then, unless `NO_COLOR`/`FORCE_COLOR` say otherwise). */
  readonly stdoutIsTty?: boolean;
  readonly cwd: string;
  /** Injected clock so output with times is reproducible in tests. */
  readonly now: () => Date;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Exit codes shared by every command. Commands may add their own above these (verify uses 3). */
export const ExitCode = {
  Ok: 0,
  InvalidInput: 1,
  Usage: 2,
  Findings: 3,
  /** The analysis left something out (see `summary.incomplete` or the warnings). */
  Incomplete: 4,
} as const;

/** The real process's IO. */
export function processIo(): CliIo {
  // A reader that goes away (`bulkhead plan … | head`) is not an error: stop quietly, as Unix tools do.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
  // In the child the launcher re-executed with a heap budget (./heap-launch.ts) stderr is a pipe to the launcher,
  // which passes it on to the terminal the launcher was given: the launcher says whether that is one.
  const launched = launchedChild(process.env, process.ppid);
  const stderrIsTty = launched?.stderrIsTty ?? Boolean(process.stderr.isTTY);
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    readStdin: () => bytesUpTo(process.stdin as AsyncIterable<Buffer>, MAX_WHOLE_FILE), // `cat /dev/zero | bulkhead plan -` stops at 2 GiB
    stdinChunks: () => process.stdin as AsyncIterable<Buffer>,
    writeStdout: (t) =>
      new Promise<void>((resolve) => {
        if (process.stdout.write(t)) resolve();
        else process.stdout.once('drain', resolve);
      }),
    isTty: stderrIsTty,
    stdoutIsTty: Boolean(process.stdout.isTTY),
    cwd: process.cwd(),
    now: () => new Date(),
    env: process.env,
  };
}

/**
 * Standard input as text, decoded strictly as a file is: invalid UTF-8 is BH0003 with the first bad byte's
 * offset and line:col (`label` names it), and a leading byte-order mark is dropped.
 */
export async function readStdinText(io: CliIo, label: string): Promise<Result<string>> {
  const bytes = await io.readStdin();
  return bytes === undefined ? fail([{ ...error('BH0001', tooLargeInput()), file: label }]) : decodeUtf8(bytes, label);
}

/** Standard input as it arrives, decoded strictly into pieces of whole lines (see strictTextPieces). */
export function stdinTextPieces(io: CliIo, label: string, holdAtMost?: number): StrictTextPieces {
  return strictTextPieces(io.stdinChunks?.() ?? oneChunk(io.readStdin()), label, holdAtMost);
}

async function* oneChunk(bytes: Promise<Uint8Array | undefined>): AsyncIterable<Uint8Array> {
  yield (await bytes) ?? new Uint8Array(0); // a host without stdinChunks: over 2 GiB reads as nothing
}

/** Thrown by command code for a usage problem the option parser could not catch (exit code 2). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * One line of terminal text: `text` through `escapeText` (a newline, an ESC sequence or a bidi override in an
 * echoed value shows as a visible escape) and then a newline. Every CLI write of text holding a value from a
 * spec, a snapshot, AWS or the command line goes through this or `jsonLine` (a test scans the sources).
 */
export function escapedLine(text: string): string {
  return `${escapeText(text)}\n`;
}

/** `value` as JSON (indented by `indent` spaces, 0 for one line) through `escapeJson`, and a newline. */
export function jsonLine(value: unknown, indent = 2): string {
  return `${escapeJson(JSON.stringify(value, null, indent === 0 ? undefined : indent))}\n`;
}
