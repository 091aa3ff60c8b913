/**
 * `bulkhead apply SPEC [--yes]`: reads the live organization, prints the changes that make it match the plan,
 * and with --yes carries them out, journaling each step so a killed run can be resumed by running it again.
 * The work is the `applyPlan` operation; this module parses options and prints. Loaded when `apply` runs.
 */
import { basename, dirname, extname, join } from 'node:path';
import { connectionFrom, type AwsCliOptions } from '../aws-options.js';
import { LiveCodes } from '../../aws/diagnostics.js';
import { JournalCode } from '../../io/journal.js';
import type { ChangeSet } from '../../changes/changes.js';
import { renderChangeSet } from '../../changes/render.js';
import { applyPlan, type ApplyOutcome } from '../../operations/apply.js';
import { printDiagnostics } from '../diagnostics-output.js';
import { cliHost } from '../host.js';
import { escapedLine, ExitCode, jsonLine, UsageError, type CliIo } from '../io.js';
import { specInput } from '../spec-input.js';
import type { SetExit } from './registrar.js';

/** Parsed `apply` options. */
export interface ApplyCliOptions extends AwsCliOptions {
  yes?: boolean;
  allowClose?: boolean;
  state?: string;
  journal?: string;
  format: string;
}

/** Diagnostic codes of apply (stable). */
export const ApplyCodes = {
  CannotRead: LiveCodes.CannotRead,
  AccountsUnreadable: LiveCodes.AccountsUnreadable,
  StepFailed: LiveCodes.StepFailed,
  Unreachable: LiveCodes.Unreachable,
  JournalUnusable: JournalCode.Unusable,
  JournalLocked: JournalCode.Locked,
} as const;

function envNumber(v: string | undefined, fallback: number): number {
  const n = v === undefined ? NaN : Number(v);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

/** Prints the outcome: the change set (JSON: one document, with `result` when changes were made) and the summary. */
function printOutcome(io: CliIo, outcome: ApplyOutcome, json: boolean): void {
  const cs = outcome.changeSet;
  const e = outcome.execution;
  if (!e) {
    if (json) io.stdout(jsonLine(cs));
    else if (cs.changes.length > 0) io.stdout('nothing changed: run again with --yes to make these changes\n');
    return;
  }
  const summary = { applied: e.applied, failures: e.failures, calls: e.calls, retries: e.retries };
  if (json) io.stdout(jsonLine({ ...cs, result: summary }));
  else if (e.failures.length > 0) io.stdout(escapedLine(`applied ${e.applied} of ${cs.changes.length} changes`));
  else io.stdout(escapedLine(`applied ${e.applied} change${e.applied === 1 ? '' : 's'} (${e.calls} calls, ${e.retries} retries)`));
}

/**
 * Where the journal goes: `--journal FILE`; else `<spec name>.apply-journal.jsonl` in `--state DIR` or next to the
 * spec. A spec from standard input has no name and no place: it needs `--journal` or `--state`.
 */
function journalPath(spec: string, opts: ApplyCliOptions): string {
  if (opts.journal !== undefined && opts.state !== undefined) throw new UsageError('give --journal FILE or --state DIR, not both');
  if (opts.journal !== undefined) {
    if (opts.journal === '' || opts.journal === '-') throw new UsageError(`--journal \`${opts.journal}\` must be a file path`);
    return opts.journal;
  }
  if (spec === '-') {
    if (opts.state === undefined) throw new UsageError('`apply -` reads the spec from standard input, so its journal has no default place: pass --journal FILE (or --state DIR)');
    return join(opts.state, 'stdin.apply-journal.jsonl');
  }
  return join(opts.state ?? dirname(spec), `${basename(spec, extname(spec))}.apply-journal.jsonl`);
}

/** Runs `apply`: plans, reads the live organization, prints the changes and with --yes makes them. */
export async function runApply(io: CliIo, setExit: SetExit, spec: string, opts: ApplyCliOptions): Promise<void> {
  if (opts.format !== 'text' && opts.format !== 'json') throw new UsageError(`--format \`${opts.format}\` is not one of \`text\`, \`json\``);
  const json = opts.format === 'json';
  const journal = journalPath(spec, opts);
  const host = cliHost(io);
  const onChangeSet = (cs: ChangeSet, stage: 'create-organization' | 'changes'): void => {
    if (json) return; // (in JSON mode the organization's creation shows in the journal)
    io.stdout(stage === 'create-organization' ? '+ creating the organization (all features)\n' : renderChangeSet(cs));
  };
  const source = await specInput(io, spec);
  if (!source.ok) {
    printDiagnostics(io, source.diagnostics);
    return setExit(ExitCode.InvalidInput);
  }
  const result = await applyPlan(
    {
      source: source.value,
      connection: connectionFrom(io, opts),
      ...(opts.yes ? { yes: true } : {}),
      ...(opts.allowClose ? { allowClose: true } : {}),
      journal,
      // Test hooks: fast retries and polls against an emulator.
      scheduler: { baseDelayMs: envNumber(io.env['BULKHEAD_RETRY_BASE_MS'], 100), maxAttempts: envNumber(io.env['BULKHEAD_MAX_ATTEMPTS'], 12) },
      pollIntervalMs: envNumber(io.env['BULKHEAD_POLL_MS'], 5000),
      onChangeSet,
    },
    host,
  );
  host.finish();
  printDiagnostics(io, result.diagnostics);
  if (!result.ok) return setExit(ExitCode.InvalidInput);
  const outcome = result.value;
  printOutcome(io, outcome, json);
  setExit(outcome.execution && outcome.execution.failures.length > 0 ? ExitCode.InvalidInput : ExitCode.Ok);
}
