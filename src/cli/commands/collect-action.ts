/**
 * `bulkhead collect --out DIR` / `--history DIR`: reads the live organization (Organizations, IAM, resource policies) into a
 * snapshot directory that `verify` and `apply` load into the organization model. The work is the
 * `collectToDirectory` operation; this module parses options and prints. Loaded when `collect` runs.
 */
import { connectionFrom, type AwsCliOptions } from '../aws-options.js';
import { collectToDirectory } from '../../operations/collect.js';
import { printDiagnostics } from '../diagnostics-output.js';
import { cliHost } from '../host.js';
import { escapedLine, ExitCode, jsonLine, UsageError, type CliIo } from '../io.js';
import type { SetExit } from './registrar.js';

/** Exit code when the snapshot was written but some accounts could not be read. */
export const EXIT_PARTIAL = 4;

/** Parsed `collect` options. */
export interface CollectCliOptions extends AwsCliOptions {
  out?: string;
  history?: string;
  regions?: string;
  accessRole: string;
  resources: boolean;
  /** Checked while parsing (1 to 64). */
  concurrency: number;
  force?: boolean;
  /** Continue the unfinished collect of --out. */
  resume?: boolean;
}

/** Runs `collect`: checks the options, collects, prints a summary (a line on a terminal, JSON otherwise). */
export async function runCollect(io: CliIo, setExit: SetExit, opts: CollectCliOptions): Promise<void> {
  if (opts.out === undefined && opts.history === undefined) throw new UsageError('collect needs `--out DIR` (a snapshot directory), `--history DIR` (a snapshot history), or both');
  const conn = connectionFrom(io, opts);
  const regions = (opts.regions ?? conn.region).split(',').map((r) => r.trim()).filter((r) => r !== '');
  const bad = regions.find((r) => !/^[a-z]{2}(-[a-z]+)+-\d$/.test(r));
  if (bad !== undefined) throw new UsageError(`\`${bad}\` is not an AWS region name; use names like \`us-east-1\``);
  const concurrency = opts.concurrency;
  const host = cliHost(io);
  const result = await collectToDirectory(
    { connection: conn, ...(opts.out !== undefined ? { out: opts.out } : {}), ...(opts.history !== undefined ? { history: opts.history } : {}), regions, accessRoleName: opts.accessRole, resources: opts.resources, accountConcurrency: concurrency, ...(opts.force ? { force: true } : {}), ...(opts.resume ? { resume: true } : {}) },
    host,
  );
  host.finish();
  printDiagnostics(io, result.diagnostics);
  if (!result.ok) return setExit(ExitCode.InvalidInput);
  printCollectSummary(io, opts.out ?? opts.history ?? '', result.value);
  setExit(result.value.snapshot.manifest.counts.accountsFailed > 0 ? EXIT_PARTIAL : ExitCode.Ok);
}

/** What `collectToDirectory` returns, as far as the summary shows it. */
type CollectOutcome = Extract<Awaited<ReturnType<typeof collectToDirectory>>, { ok: true }>['value'];

/**
 * Prints what `collect` read: on a terminal a summary line on stdout and a warning line on stderr per account that
 * could not be read (names and AWS messages escaped, one line each); otherwise one JSON line.
 */
export function printCollectSummary(io: CliIo, out: string, outcome: CollectOutcome): void {
  const { snapshot, calls, retries, seconds, history } = outcome;
  const m = snapshot.manifest;
  const entry = history ? { history: { entry: history.entry, objectsWritten: history.objectsWritten, objectsReused: history.objectsReused } } : {};
  if (io.isTty) {
    io.stdout(
      escapedLine(
        `collected ${m.counts.accountsCollected}/${m.counts.accounts} accounts of ${m.organization.id} into ${out} ` +
          `(${m.counts.roles} roles, ${m.counts.users} users, ${m.counts.resources} resources; ${calls} calls, ${retries} retries, ${seconds.toFixed(1)} s)`,
      ),
    );
    if (history) io.stdout(escapedLine(`history entry ${history.entry}: ${history.objectsWritten} files stored, ${history.objectsReused} unchanged and shared with earlier entries`));
    for (const e of m.errors) io.stderr(escapedLine(`warning: account ${e.accountName ?? ''} (${e.accountId}) ${e.stage}: ${e.message}`));
  } else {
    io.stdout(jsonLine({ out, organizationId: m.organization.id, ...m.counts, calls, retries, errors: m.errors, ...entry }, 0));
  }
}
