/**
 * `bulkhead verify TARGET [--spec SPEC]`: checks a designed (spec file) or collected (snapshot directory)
 * organization against its intended boundaries and renders the findings. The work is the `verifyTarget`
 * operation; this module parses options, renders and sets the exit code. Loaded when `verify` runs.
 */
import { relative, resolve } from 'node:path';
import { ok, type Result } from '../../diagnostics/diagnostic.js';
import type { VerifyReport } from '../../verify/verify.js';
import { atOrAbove, type FindingSeverity } from '../../verify/finding.js';
import { VerifyInputCode, verifyTarget, type VerifySource } from '../../operations/verify.js';
import { renderReport, type ReportFormat } from '../../report/render.js';
import { renderTerminal } from '../../report/terminal.js';
import { printDiagnostics } from '../diagnostics-output.js';
import { cliHost } from '../host.js';
import type { Host } from '../../operations/host.js';
import { escapedLine, ExitCode, UsageError, type CliIo } from '../io.js';
import { specInput, stdinOrPath } from '../spec-input.js';
import type { SetExit } from './registrar.js';



/** Parsed `verify` options. */
export interface VerifyCliOptions {
  spec?: string;
  format: ReportFormat;
  out?: string;
  failOn: FindingSeverity | 'none';
  /** Checked while parsing (a positive integer), as are `top` and `threads`. */
  destroyThreshold: number;
  defaultBoundaries?: boolean;
  top: number;
  threads: number | 'auto';
  baseline?: string;
  exclusions?: string;
}

async function targetSource(io: CliIo, target: string): Promise<Result<VerifySource>> {
  if (target === '') throw new UsageError('the verify target is empty; give a spec file or a snapshot directory');
  return stdinOrPath(io, target);
}

/** Writes the rendered report to --out (a file, a device, `-` for stdout) or stdout; false when it could not. */
async function writeReport(io: CliIo, host: Host, report: VerifyReport, text: string, opts: VerifyCliOptions, top: number): Promise<boolean> {
  if (opts.out === undefined || opts.out === '-') {
    io.stdout(text);
    return true;
  }
  const written = await host.files.writeFile(resolve(io.cwd, opts.out), text, { label: opts.out });
  printDiagnostics(io, written.diagnostics);
  if (!written.ok) return false;
  // keep CI logs useful: the terminal summary still goes to stderr when the report goes to a file
  io.stderr(renderTerminal(report, { top }));
  return true;
}

/** Prints the first 20 report warnings to stderr, one escaped line each (they echo names from the target). */
export function printWarnings(io: CliIo, warnings: readonly string[]): void {
  for (const w of warnings.slice(0, 20)) io.stderr(escapedLine(`warning ${w}`));
  if (warnings.length > 20) io.stderr(escapedLine(`… ${warnings.length - 20} more warnings (see the JSON report)`));
}

/** Runs `verify`: checks the target, renders the report, exits 3 when a finding reaches --fail-on. */
export async function runVerify(io: CliIo, setExit: SetExit, target: string, opts: VerifyCliOptions): Promise<void> {
  const { destroyThreshold: destroyAccountThreshold, top, threads } = opts;
  if (opts.out === '') throw new UsageError('--out is empty; give a file path, or - for stdout');
  const source = await targetSource(io, target);
  const spec = opts.spec !== undefined ? await specInput(io, opts.spec) : ok(undefined);
  if (!source.ok || !spec.ok) {
    printDiagnostics(io, [...source.diagnostics, ...spec.diagnostics]);
    return setExit(ExitCode.InvalidInput);
  }
  const host = cliHost(io);
  const result = await verifyTarget(
    {
      target: source.value,
      ...(spec.value !== undefined ? { spec: spec.value } : {}),
      destroyAccountThreshold,
      ...(opts.defaultBoundaries ? { defaultBoundaries: true } : {}),
      threads,
      ...(opts.baseline !== undefined ? { baseline: opts.baseline } : {}),
      ...(opts.exclusions !== undefined ? { exclusions: opts.exclusions } : {}),
    },
    host,
  );
  host.finish(); // clear the progress line before anything else is printed
  const misuse = result.diagnostics.find((d) => d.code === VerifyInputCode.SpecWithSpec);
  if (misuse) throw new UsageError(misuse.message);
  printDiagnostics(io, result.diagnostics);
  if (!result.ok) return setExit(ExitCode.InvalidInput);
  const report = result.value;
  printWarnings(io, report.summary.warnings);
  const text = renderReport(report, opts.format, {
    now: io.now(),
    top,
    // code scanning wants a file: a snapshot's results point at its manifest
    artifactUri: (relative(io.cwd, resolve(io.cwd, target)) || '.') + (report.summary.source === 'snapshot' ? '/manifest.json' : ''),
  });
  if (!(await writeReport(io, host, report, text, opts, top))) return setExit(ExitCode.InvalidInput);
  const failing = opts.failOn === 'none' ? [] : report.findings.filter((f) => atOrAbove(f.severity, opts.failOn as FindingSeverity));
  // failing findings (3) win over an incomplete analysis (4): both fail a pipeline, 3 names what to fix first
  setExit(failing.length > 0 ? ExitCode.Findings : report.summary.incomplete.length > 0 ? ExitCode.Incomplete : ExitCode.Ok);
}
