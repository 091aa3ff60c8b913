/** `bulkhead simulate`: evaluates one request, or JSON Lines with --batch. Loaded when `simulate` runs. */
import { formatDiagnostic } from '../../diagnostics/diagnostic.js';
import { fileKind, readTextFile, readTextFilePieces } from '../../io/files.js';
import { fileTextPieces, type StrictTextPieces } from '../../io/utf8-stream.js';
import { MAX_BATCH_LINE } from '../../operations/simulate-limits.js';
import type { BatchRun, SimulateOptions } from '../../operations/simulate.js';
import type { SimulateOutput } from '../../policy/simulate.js';
import { escapedLine, ExitCode, jsonLine, readStdinText, stdinTextPieces, UsageError, type CliIo } from '../io.js';
import { escapeJson } from '../../util/escape.js';
import type { SetExit } from './registrar.js';

/** Parsed `simulate` options. */
export interface SimulateCliOptions {
  batch?: boolean;
  explain?: boolean;
  /** The decision every request should get; another one exits 3. */
  expect?: SimulateOutput['decision'];
  /** With --batch: threads that evaluate lines (1: the main thread alone; `auto`: one thread). */
  threads?: number | 'auto';
}

/** The stderr text (escape it) for a decision other than the expected one (`line` in a batch). */
function unexpectedLine(decision: string, expected: string, line?: number): string {
  return `${line === undefined ? '' : `line ${line}: `}decision \`${decision}\`, expected \`${expected}\``;
}

/** The operations and the policy engine behind them: loaded once the input is being read (see runSimulate). */
type Engine = typeof import('../../operations/simulate.js');

function loadEngine(): Promise<Engine> {
  return import('../../operations/simulate.js');
}

/**
 * Runs `simulate` on FILE (or stdin): one result, or with --batch one result line per input line. A FILE's read
 * starts before the engine's modules load, so reading and loading overlap (the read waits on the disk, loading on
 * the main thread).
 */
export async function runSimulate(io: CliIo, setExit: SetExit, file: string | undefined, opts: SimulateCliOptions): Promise<void> {
  const explain = opts.explain === true;
  const expect = opts.expect;
  if (!opts.batch && file === undefined) throw new UsageError('give an input FILE (or - for stdin), or use --batch');
  const name = file ?? '-';
  const batchOptions: SimulateOptions = { explain, label: name, ...(expect ? { expect } : {}) };
  if (opts.batch && name === '-') return runStreamed(io, setExit, stdinTextPieces(io, '-', MAX_BATCH_LINE), batchOptions, opts.threads);
  if (opts.batch) {
    // a FIFO, /dev/stdin or a process substitution is read as it arrives, like standard input
    const kind = await fileKind(name);
    if (!kind.ok) {
      for (const d of kind.diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
      return setExit(ExitCode.InvalidInput);
    }
    if (kind.value === 'stream') return runStreamed(io, setExit, fileTextPieces(name, name, MAX_BATCH_LINE), batchOptions, opts.threads);
    // a FILE in pieces of whole lines, decoded as they are taken (most are plain ASCII: no UTF-8 decoder)
    const [r, engine] = await Promise.all([readTextFilePieces(name, PIECE), loadEngine()]);
    if (!r.ok) {
      for (const d of r.diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
      return setExit(ExitCode.InvalidInput);
    }
    return runBatch(io, setExit, engine, r.value, batchOptions, opts.threads);
  }
  const [r, { simulateText }] = await Promise.all([name === '-' ? readStdinText(io, '-') : readTextFile(name), loadEngine()]);
  if (!r.ok) {
    for (const d of r.diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
    return setExit(ExitCode.InvalidInput);
  }
  const text = r.value;
  const res = simulateText(text, { explain, label: name });
  for (const d of res.diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
  if (!res.ok) return setExit(ExitCode.InvalidInput);
  io.stdout(jsonLine(res.value));
  if (opts.expect !== undefined && res.value.decision !== opts.expect) {
    io.stderr(escapedLine(unexpectedLine(res.value.decision, opts.expect)));
    return setExit(ExitCode.Findings);
  }
  return setExit(ExitCode.Ok);
}

/** A batch read as it arrives (strict: invalid UTF-8 ends it before the line holding it, BH0003, exit 1). */
async function runStreamed(io: CliIo, setExit: SetExit, input: StrictTextPieces, options: SimulateOptions, threads: number | 'auto' | undefined): Promise<void> {
  await runBatch(io, setExit, await loadEngine(), input.pieces, options, threads);
  const decoded = input.outcome();
  if (!decoded.ok) {
    for (const d of decoded.diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
    setExit(ExitCode.InvalidInput);
  }
}

/**
 * About this many bytes of a FILE are taken as one piece (whole lines), so its output goes out in pieces too. 32 KiB,
 * not 64: on the 60,000-line bench file the whole run took 0.59 s wall instead of 0.64 (9 alternating runs; 16 KiB
 * 0.60, 48 KiB in between); with 64 KiB pieces decoding them took 18 ms of sampled time instead of 1, and the
 * per-line work was slower throughout (docs/benchmarks.md, simulate).
 */
const PIECE = 32_768;

/** Output is written when this much is buffered, before a line that may be slow, and at the end of each piece. */
const FLUSH_CHARS = 32_768;

/** Starts from the first piece; a sync iterable (a file's pieces) is walked the same way. */
function iterate(input: AsyncIterable<string> | Iterable<string>): AsyncIterator<string> {
  if (Symbol.asyncIterator in input) return input[Symbol.asyncIterator]();
  const it = input[Symbol.iterator]();
  return { next: async () => it.next() };
}

/**
 * JSON Lines: one result line per input line, in order; blank lines get an error so output stays aligned. Each
 * result is written as soon as it is computed, coalesced up to FLUSH_CHARS while lines are quick: the buffer goes
 * out before any line whose policy documents are new (validation and compilation can take a while), and at the end
 * of every piece of input, so a slow line never holds back the results of earlier lines and a pipe that stays open
 * sees results before it closes. The next line is computed only when stdout has taken the last output
 * (backpressure), so memory stays bounded. With `--threads N` (N ≥ 2) the input is evaluated on worker threads
 * (operations/simulate-threads.ts), with the same output; `auto` is one thread (see batchThreads).
 */
async function runBatch(io: CliIo, setExit: SetExit, engine: Engine, input: AsyncIterable<string> | Iterable<string>, options: SimulateOptions, threads: number | 'auto' | undefined): Promise<void> {
  const run = new engine.BatchRun(options);
  // result lines are JSON: escapeJson writes the characters JSON.stringify leaves raw (U+2028/9, bidi controls) as
  // \u escapes, so an echoed value cannot reorder or split what a terminal shows
  const write = async (t: string): Promise<void> => (io.writeStdout ? io.writeStdout(escapeJson(t)) : io.stdout(`${escapeJson(t)}`));
  const pieces = engine.limitLineLength(iterate(input), MAX_BATCH_LINE); // an endless line cannot fill memory
  if (batchThreadsWanted(threads)) {
    const { batchThreads, runBatchThreads } = await import('../../operations/simulate-threads.js');
    const report = await runBatchThreads(run, pieces, options, { threads: batchThreads(threads), write });
    for (const d of report.notes) io.stderr(`${formatDiagnostic(d)}\n`);
    return finishBatch(io, setExit, run, options);
  }
  for (let next = await pieces.next(); next.done !== true; next = await pieces.next()) await writePiece(run, next.value, write, engine.SLOW_NEXT);
  const last = run.last();
  if (last !== undefined) await write(`${last}\n`);
  return finishBatch(io, setExit, run, options);
}

/** Whether `--threads` asks for worker threads (an explicit count of 2 or more; `auto` is one thread). */
function batchThreadsWanted(threads: number | 'auto' | undefined): boolean {
  return typeof threads === 'number' && threads >= 2;
}

/** The results of the lines `piece` completes, written as runBatch says. */
async function writePiece(run: BatchRun, piece: string, write: (t: string) => Promise<void>, slowNext: string): Promise<void> {
  let buf = '';
  for (const r of run.results(piece)) {
    if (r === slowNext) {
      if (buf !== '') await write(buf);
      buf = '';
      continue;
    }
    buf += `${r}\n`;
    if (buf.length >= FLUSH_CHARS) {
      await write(buf);
      buf = '';
    }
  }
  if (buf !== '') await write(buf);
}

/** The `--expect` report and the exit code of a batch. */
function finishBatch(io: CliIo, setExit: SetExit, run: BatchRun, options: SimulateOptions): void {
  for (const u of run.unexpected) io.stderr(escapedLine(unexpectedLine(u.decision, options.expect ?? '', u.line)));
  // a refused line (1) wins over a differing decision (3): the batch did not run as written
  setExit(run.bad ? ExitCode.InvalidInput : run.unexpected.length > 0 ? ExitCode.Findings : ExitCode.Ok);
}
