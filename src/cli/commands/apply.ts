/**
 * `bulkhead apply SPEC [--yes]`: reads the live organization, prints the changes that make it match the plan,
 * and with --yes carries them out, journaling each step so a killed run can be resumed by running it again.
 */
import { basename, dirname, extname, join, resolve } from 'node:path';
import { addAwsOptions, connectionFrom, progressLine, type AwsCliOptions } from '../aws-options.js';
import { ClientFactory } from '../../aws/clients.js';
import { LiveCodes } from '../../aws/diagnostics.js';
import { errorName } from '../../aws/errors.js';
import { CreateOrganizationCommand } from '@aws-sdk/client-organizations';
import type { ChangeSet } from '../../changes/changes.js';
import { Scheduler } from '../../aws/scheduler.js';
import { diffModels } from '../../changes/diff.js';
import { Executor } from '../../aws/executor.js';
import { Journal } from '../../io/journal.js';
import { emptyLiveModel, liveFacts, readLiveState } from '../../aws/live.js';
import { renderChangeSet } from '../../changes/render.js';
import { printDiagnostics } from '../diagnostics-output.js';
import { ExitCode, UsageError } from '../io.js';
import { loadSpecModel } from '../spec-input.js';
import type { CommandRegistrar } from './registrar.js';

interface ApplyCliOptions extends AwsCliOptions {
  yes?: boolean;
  allowClose?: boolean;
  state?: string;
  format: string;
}

/** Diagnostic codes of apply (stable). */
export const ApplyCodes = {
  CannotRead: LiveCodes.CannotRead,
  AccountsUnreadable: LiveCodes.AccountsUnreadable,
  StepFailed: LiveCodes.StepFailed,
} as const;

function envNumber(v: string | undefined, fallback: number): number {
  const n = v === undefined ? NaN : Number(v);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

/** Registers `apply`. */
export const registerApply: CommandRegistrar = (program, io, setExit) => {
  addAwsOptions(
    program
      .command('apply')
      .description('make the live organization match a spec: prints the changes, and makes them with --yes (resumable)')
      .argument('<spec>', 'spec file (YAML)')
      .option('-y, --yes', 'make the changes (without it apply only prints them)')
      .option('--allow-close', 'close accounts the plan no longer has (after moving them to Root/Suspended), within AWS quota')
      .option('--state <dir>', 'directory for the apply journal (default: next to the spec)')
      .option('--format <format>', 'change-set output: text or json', 'text'),
  ).action(async (spec: string, opts: ApplyCliOptions) => {
    if (opts.format !== 'text' && opts.format !== 'json') throw new UsageError(`--format \`${opts.format}\` is not one of \`text\`, \`json\``);
    const planned = await loadSpecModel(io, spec);
    if (!planned) return setExit(ExitCode.InvalidInput);
    const conn = connectionFrom(io, opts);
    const aws = new ClientFactory(conn);
    // Test hooks: fast retries and polls against an emulator.
    const scheduler = new Scheduler({ baseDelayMs: envNumber(io.env['BULKHEAD_RETRY_BASE_MS'], 100), maxAttempts: envNumber(io.env['BULKHEAD_MAX_ATTEMPTS'], 12) });
    const stateDir = resolve(io.cwd, opts.state ?? (spec === '-' ? '.' : dirname(spec)));
    const journalPath = join(stateDir, `${spec === '-' ? 'stdin' : basename(spec, extname(spec))}.apply-journal.jsonl`);
    const accessRoleName = planned.organization.accessRoleName;
    let journal: Journal | undefined;
    try {
      let read = await readLiveState(aws, scheduler, planned, { accessRoleName, now: io.now });
      if (read.kind === 'no-organization') {
        // No organization yet: show everything; with --yes create it, then go on as usual.
        const cs = diffModels(planned, emptyLiveModel(planned), { enabledPolicyTypes: [], closedInLast30Days: 0 }, { allowClose: false });
        const withOrg: ChangeSet = { ...cs, changes: [{ kind: 'create-organization', key: 'create-organization' }, ...cs.changes] };
        if (!opts.yes) {
          io.stdout(opts.format === 'json' ? `${JSON.stringify(withOrg, null, 2)}\n` : renderChangeSet(withOrg));
          if (opts.format === 'text') io.stdout('nothing changed: run again with --yes to make these changes\n');
          return setExit(ExitCode.Ok);
        }
        if (opts.format === 'text') io.stdout('+ creating the organization (all features)\n');
        // (In JSON mode the organization's creation shows in the journal; the output is the change set applied after it.)
        const j = Journal.open(journalPath, io.now);
        try {
          j.record('create-organization', 'start');
          try {
            await scheduler.orgWrite(() => aws.organizations().send(new CreateOrganizationCommand({ FeatureSet: 'ALL' })));
          } catch (e) {
            if (errorName(e) !== 'AlreadyInOrganizationException') throw e;
          }
          j.record('create-organization', 'done');
        } finally {
          j.close();
        }
        read = await readLiveState(aws, scheduler, planned, { accessRoleName, now: io.now });
      }
      // Organizations unreadable (BH6201, also when there is still no organization) or an account's IAM (BH6202).
      if (read.kind !== 'live') {
        printDiagnostics(io, read.diagnostics);
        return setExit(ExitCode.InvalidInput);
      }
      const state = read.state;
      const since = new Date(io.now().getTime() - 30 * 24 * 3600 * 1000);
      journal = Journal.open(journalPath, io.now);
      const cs = diffModels(planned, state.model, liveFacts(state, journal.closedSince(since)), { allowClose: Boolean(opts.allowClose) });
      const json = opts.format === 'json';
      // JSON: one document — the change set, plus `result` when changes were made.
      if (!json) io.stdout(renderChangeSet(cs));
      if (cs.changes.length === 0 || !opts.yes) {
        if (json) io.stdout(`${JSON.stringify(cs, null, 2)}\n`);
        else if (cs.changes.length > 0) io.stdout('nothing changed: run again with --yes to make these changes\n');
        return setExit(ExitCode.Ok);
      }
      const progress = progressLine(io);
      const ex = new Executor(aws, scheduler, journal, state.ids, {
        accessRoleName,
        pollIntervalMs: envNumber(io.env['BULKHEAD_POLL_MS'], 5000),
        onProgress: (done, total, s) => progress.update(`apply: ${done}/${total} changes, ${s.stats.calls} calls, ${s.stats.retries} retries`),
      });
      const result = await ex.execute(cs);
      progress.done();
      if (result.diagnostics.length > 0) printDiagnostics(io, result.diagnostics);
      const summary = { applied: result.applied, failures: result.failures, calls: scheduler.stats.calls, retries: scheduler.stats.retries };
      if (json) io.stdout(`${JSON.stringify({ ...cs, result: summary }, null, 2)}\n`);
      else if (result.failures.length > 0) io.stdout(`applied ${result.applied} of ${cs.changes.length} changes\n`);
      else io.stdout(`applied ${result.applied} change${result.applied === 1 ? '' : 's'} (${scheduler.stats.calls} calls, ${scheduler.stats.retries} retries)\n`);
      setExit(result.failures.length > 0 ? ExitCode.InvalidInput : ExitCode.Ok);
    } finally {
      journal?.close();
      aws.destroy();
    }
  });
};
