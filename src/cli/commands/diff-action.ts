/**
 * `bulkhead diff`: call the operation, render, exit 3 when a new finding or gained access
 * reaches `--fail-on`. Loaded when one of them runs.
 */
import { relative, resolve } from 'node:path';
import { failingChanges } from '../../delta/delta.js';
import { renderDelta, renderDeltaText, type DeltaFormat } from '../../delta/render.js';
import type { Delta } from '../../delta/types.js';
import type { Result } from '../../diagnostics/diagnostic.js';
import { diff } from '../../operations/diff.js';
import type { FindingSeverity } from '../../verify/finding.js';
import { printDiagnostics } from '../diagnostics-output.js';
import { cliHost } from '../host.js';
import { escapedLine, ExitCode, UsageError, type CliIo } from '../io.js';
import type { SetExit } from './registrar.js';


/** Parsed options of `diff` and `drift`. */
export interface DeltaCliOptions {
  format: DeltaFormat;
  out?: string;
  failOn: FindingSeverity | 'none';
  destroyThreshold: number;
  defaultBoundaries?: boolean;
  /** `diff` only: threads for the before side (checked while parsing: a positive integer or `auto`). */
  threads?: number | 'auto';
}

/** Prints the delta as text (the renderer escapes every line) on stderr. */
function printText(io: CliIo, delta: Delta): void {
  const text = renderDeltaText(delta);
  io.stderr(text);
}

/** Prints the diagnostics and the rendered delta (to --out or stdout) and sets the exit code. */
export async function finishDelta(io: CliIo, setExit: SetExit, result: Result<Delta>, artifact: string, opts: DeltaCliOptions, host: ReturnType<typeof cliHost>): Promise<void> {
  host.finish();
  printDiagnostics(io, result.diagnostics);
  if (!result.ok) return setExit(ExitCode.InvalidInput);
  const delta = result.value;
  for (const w of delta.summary.warnings.slice(0, 20)) io.stderr(escapedLine(`warning ${w}`));
  const text = renderDelta(delta, opts.format, (relative(io.cwd, resolve(io.cwd, artifact)) || '.').split('\\').join('/'));
  if (opts.out === undefined || opts.out === '-') io.stdout(text);
  else {
    const written = await host.files.writeFile(resolve(io.cwd, opts.out), text, { label: opts.out });
    printDiagnostics(io, written.diagnostics);
    if (!written.ok) return setExit(ExitCode.InvalidInput);
    // keep CI logs useful: the text summary goes to stderr when the report goes to a file
    if (opts.format !== 'text') printText(io, delta);
  }
  const failing = failingChanges(delta, opts.failOn);
  // as verify: failing changes (3) win over an incomplete analysis (4), which fails too (a clean delta proves nothing)
  setExit(failing.findings.length + failing.access.length > 0 ? ExitCode.Findings : delta.summary.incomplete.length > 0 ? ExitCode.Incomplete : ExitCode.Ok);
}

/** Usage checks shared by `diff` and `drift`. */
export function checkDeltaArgs(opts: DeltaCliOptions, args: readonly string[]): void {
  if (opts.out === '') throw new UsageError('--out is empty; give a file path, or - for stdout');
  if (args.some((a) => a === '' || a === '-')) throw new UsageError('both sides are needed as paths: a spec file, a snapshot directory, or `spec.yaml@REV` (standard input is not read)');
}

/** Runs `diff`. */
export async function runDiff(io: CliIo, setExit: SetExit, before: string, after: string, opts: DeltaCliOptions): Promise<void> {
  checkDeltaArgs(opts, [before, after]);
  const host = cliHost(io);
  const result = await diff(
    { before, after, destroyAccountThreshold: opts.destroyThreshold, ...(opts.defaultBoundaries ? { defaultBoundaries: true } : {}), ...(opts.threads !== undefined ? { threads: opts.threads } : {}) },
    host,
  );
  // SARIF results point at the after side (the change under review)
  await finishDelta(io, setExit, result, after.includes('@') ? after.slice(0, after.lastIndexOf('@')) : after, opts, host);
}
