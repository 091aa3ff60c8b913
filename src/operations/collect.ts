/**
 * The `collectToDirectory` operation: read the live organization through the SDK into a snapshot directory.
 * The output directory is checked before anything is read, so a refused directory costs no AWS calls.
 */
import { error, fail, ok, type Result } from '../diagnostics/diagnostic.js';
import type { AwsConnection } from '../aws/clients.js';
import { CollectAbortedError, collectStreaming, OrganizationMismatchError, type StreamedSnapshot } from '../aws/collector.js';
import { collectUnreachable } from '../aws/diagnostics.js';
import { describeError, isBug, NetworkError } from '../aws/errors.js';
import { Scheduler, type SchedulerOptions } from '../aws/scheduler.js';
import { prepareHistoryDir, writeHistoryEntryFromDir, type HistoryWriteResult } from '../io/history.js';
import type { OutputDirPlan } from '../io/output.js';
import { openStaging, otherOrganization, type CollectStaging } from '../io/snapshot-staging.js';
import { hostPath, type Host } from './host.js';
import { DEFAULT_ACCESS_ROLE } from '../model/organization.js';

/** What to collect and where. */
export interface CollectRequest {
  readonly connection: AwsConnection;
  /** Snapshot directory (relative to the host's cwd); `out`, `history` or both. */
  readonly out?: string;
  /**
   * A snapshot history (relative to the host's cwd) to add this collection to as a dated entry: content-addressed
   * and deduplicated, so an account unchanged since an earlier entry costs nothing new (src/io/history.ts).
   */
  readonly history?: string;
  /** Regions to read regional resources from (default: the connection's region). */
  readonly regions?: readonly string[];
  /** Role assumed in member accounts. */
  readonly accessRoleName?: string;
  /** Read resources (S3, KMS, SQS, SNS, Lambda, Secrets Manager); default true. */
  readonly resources?: boolean;
  /** Accounts read in parallel (default 8). */
  readonly accountConcurrency?: number;
  /** Replace a directory holding another kind of bulkhead output (never foreign files). */
  readonly force?: boolean;
  readonly scheduler?: SchedulerOptions;
  /**
   * Continue the unfinished collect of this output directory (its staging area, `.<out>.bulkhead-collect/`, or
   * `.<history>.bulkhead-collect/` when only a history is written): accounts
   * already complete are not read again. Refused when it was started with other options or on another organization.
   * Without it, an unfinished collect found there is discarded (warning BH6244) and the collect starts over.
   */
  readonly resume?: boolean;
  /** Stops starting new accounts; those in flight are written to the staging area, then the result is BH6245. */
  readonly signal?: AbortSignal;
}

/** What was collected. */
export interface CollectResult {
  /** The snapshot directory written (absent when only a history was asked for). */
  readonly dir?: string;
  /** The history entry written, when `history` was given. */
  readonly history?: HistoryWriteResult;
  /** The manifest and organization written (account files are streamed to disk, not held in memory). */
  readonly snapshot: StreamedSnapshot;
  readonly calls: number;
  readonly retries: number;
  readonly seconds: number;
}

/** Diagnostic codes of collect (stable). */
export const CollectCode = { CannotRead: 'BH6101', Stopped: 'BH6245', NoOutput: 'BH9176' } as const;

/** The option set a resumed collect must share with the one it continues. */
function stagingOptions(request: CollectRequest, regions: readonly string[]) {
  return { regions: [...regions], accessRoleName: request.accessRoleName ?? DEFAULT_ACCESS_ROLE, resources: request.resources ?? true };
}

/**
 * Collects the organization into a snapshot directory; accounts that could not be read are in the manifest's errors.
 * Each account is written to the staging area as soon as it is read, so memory stays bounded and a killed collect
 * can be resumed (`resume`); the finished staging area is swapped in through the output guard.
 */
export async function collectToDirectory(request: CollectRequest, host: Host): Promise<Result<CollectResult>> {
  const guard = await guardOutputs(request, host);
  if (!guard.ok) return guard;
  const regions = request.regions ?? [request.connection.region];
  const staging = await openStaging({
    outDir: guard.value.plan?.dir ?? guard.value.history!,
    label: outputLabel(request),
    options: stagingOptions(request, regions),
    resume: request.resume === true,
    now: host.now(),
  });
  if (!staging.ok) return staging;
  const concurrency = request.accountConcurrency ?? 8;
  const aws = await host.aws(request.connection);
  const scheduler = new Scheduler({ readConcurrency: Math.max(4, concurrency), ...request.scheduler });
  const started = Date.now();
  const read = await runCollect(request, host, staging.value, { aws, scheduler, regions, concurrency });
  if (!read.ok) {
    await staging.value.discardIfEmpty();
    return read;
  }
  await staging.value.finish(read.value);
  const written = await writeOutputs(request, guard.value, staging.value, read.value, host);
  if (!written.ok) return written;
  const diagnostics = [...(guard.value.plan?.diagnostics ?? []), ...staging.value.diagnostics];
  return ok({ ...written.value, snapshot: read.value, calls: scheduler.stats.calls, retries: scheduler.stats.retries, seconds: (Date.now() - started) / 1000 }, diagnostics);
}

/** How the output is named to the user (`--out`, else `--history`). */
function outputLabel(request: CollectRequest): string {
  return request.out ?? request.history ?? '';
}

/** The outputs as checked before anything is read. */
interface GuardedOutputs {
  readonly plan?: OutputDirPlan;
  readonly history?: string;
}

/** Checks the snapshot directory and the history before any AWS call; a refused output costs nothing. */
async function guardOutputs(request: CollectRequest, host: Host): Promise<Result<GuardedOutputs>> {
  if (request.out === undefined && request.history === undefined) {
    return fail([error(CollectCode.NoOutput, 'collect needs somewhere to write: give `out` (a snapshot directory), `history` (a snapshot history) or both')]);
  }
  const guards: { plan?: OutputDirPlan; history?: string } = {};
  if (request.out !== undefined) {
    const plan = await host.files.prepareDir(hostPath(host, request.out), { kind: 'snapshot', label: request.out, ...(request.force ? { force: true } : {}) });
    if (!plan.ok) return plan;
    guards.plan = plan.value;
  }
  if (request.history !== undefined) {
    const history = hostPath(host, request.history);
    const checked = await prepareHistoryDir(history, request.history, host.files);
    if (!checked.ok) return checked;
    guards.history = history;
  }
  return ok(guards);
}

/**
 * Swaps the finished staging area in as the snapshot directory, and adds the snapshot to the history as an entry
 * dated by its `collectedAt` (the host's clock); with a history only, the staging area is removed afterwards.
 */
async function writeOutputs(
  request: CollectRequest,
  guards: GuardedOutputs,
  staging: CollectStaging,
  snapshot: StreamedSnapshot,
  host: Host,
): Promise<Result<Pick<CollectResult, 'dir' | 'history'>>> {
  if (guards.plan) {
    const written = await host.files.commitDir(guards.plan, new Map(), staging.dir);
    if (!written.ok) return written;
  }
  const dir = guards.plan ? { dir: guards.plan.dir } : {};
  if (guards.history === undefined) return ok(dir);
  const source = guards.plan?.dir ?? staging.dir;
  const entry = await writeHistoryEntryFromDir(guards.history, source, snapshot.manifest.accountFiles, new Date(snapshot.manifest.collectedAt), request.history, host.files);
  if (!guards.plan && entry.ok) await staging.remove();
  if (!entry.ok) return entry;
  return ok({ ...dir, history: entry.value });
}

interface CollectRun {
  readonly aws: Awaited<ReturnType<Host['aws']>>;
  readonly scheduler: Scheduler;
  readonly regions: readonly string[];
  readonly concurrency: number;
}

/** The collect itself, streamed into the staging area; AWS failures become diagnostics. */
async function runCollect(request: CollectRequest, host: Host, staging: CollectStaging, run: CollectRun): Promise<Result<StreamedSnapshot>> {
  const startedAt = new Date(staging.header.startedAt);
  try {
    return ok(
      await collectStreaming(
        run.aws,
        run.scheduler,
        {
          regions: run.regions,
          ...(request.accessRoleName !== undefined ? { accessRoleName: request.accessRoleName } : {}),
          ...(request.resources !== undefined ? { resources: request.resources } : {}),
          accountConcurrency: run.concurrency,
          // a resumed collect is the one it continues: it carries that one's start time
          now: () => startedAt,
          ...(request.signal ? { signal: request.signal } : {}),
          onProgress: (p) =>
            host.report({ kind: 'progress', operation: 'collect', message: `collect: ${p.accountsDone}/${p.accountsTotal} accounts, ${p.calls} calls, ${p.retries} retries`, done: p.accountsDone, total: p.accountsTotal }),
        },
        staging,
      ),
    );
  } catch (e) {
    if (isBug(e)) throw e;
    if (e instanceof OrganizationMismatchError) return fail([otherOrganization(outputLabel(request), e.staged, e.live)]);
    if (e instanceof CollectAbortedError) {
      return fail([error(CollectCode.Stopped, `collect stopped after ${e.accountsDone} accounts; they are kept in the staging area: run \`bulkhead collect ${request.out !== undefined ? `--out ${request.out}` : `--history ${request.history ?? ''}`} --resume\` with the same options to continue`)]);
    }
    if (e instanceof NetworkError) return fail([collectUnreachable(e, request.connection.endpoint)]);
    return fail([error(CollectCode.CannotRead, `cannot read the organization (${describeError(e)}); check credentials (--profile), that you run in the management account, and --endpoint-url`)]);
  } finally {
    run.aws.destroy();
  }
}
