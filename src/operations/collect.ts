/**
 * The `collectToDirectory` operation: read the live organization through the SDK into a snapshot directory.
 * The output directory is checked before anything is read, so a refused directory costs no AWS calls.
 */
import { error, fail, ok, type Result } from '../diagnostics/diagnostic.js';
import type { AwsConnection } from '../aws/clients.js';
import { collect } from '../aws/collector.js';
import { collectUnreachable } from '../aws/diagnostics.js';
import { describeError, isBug, NetworkError } from '../aws/errors.js';
import { Scheduler, type SchedulerOptions } from '../aws/scheduler.js';
import { snapshotFiles, type Snapshot } from '../snapshot/format.js';
import { prepareHistoryDir, writeHistoryEntry, type HistoryWriteResult } from '../io/history.js';
import type { OutputDirPlan } from '../io/output.js';
import { hostPath, type Host } from './host.js';

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
}

/** What was collected. */
export interface CollectResult {
  /** The snapshot directory written (absent when only a history was asked for). */
  readonly dir?: string;
  /** The history entry written, when `history` was given. */
  readonly history?: HistoryWriteResult;
  readonly snapshot: Snapshot;
  readonly calls: number;
  readonly retries: number;
  readonly seconds: number;
}

/** Diagnostic codes of collect (stable). */
export const CollectCode = { CannotRead: 'BH6101', NoOutput: 'BH9176' } as const;

/** Collects the organization into a snapshot directory; accounts that could not be read are in the manifest's errors. */
export async function collectToDirectory(request: CollectRequest, host: Host): Promise<Result<CollectResult>> {
  const guard = await guardOutputs(request, host);
  if (!guard.ok) return guard;
  const concurrency = request.accountConcurrency ?? 8;
  const aws = await host.aws(request.connection);
  const scheduler = new Scheduler({ readConcurrency: Math.max(4, concurrency), ...request.scheduler });
  const started = Date.now();
  let snapshot: Snapshot;
  try {
    snapshot = await collect(aws, scheduler, {
      regions: request.regions ?? [request.connection.region],
      ...(request.accessRoleName !== undefined ? { accessRoleName: request.accessRoleName } : {}),
      ...(request.resources !== undefined ? { resources: request.resources } : {}),
      accountConcurrency: concurrency,
      now: host.now,
      onProgress: (p) =>
        host.report({ kind: 'progress', operation: 'collect', message: `collect: ${p.accountsDone}/${p.accountsTotal} accounts, ${p.calls} calls, ${p.retries} retries`, done: p.accountsDone, total: p.accountsTotal }),
    });
  } catch (e) {
    if (isBug(e)) throw e;
    if (e instanceof NetworkError) return fail([collectUnreachable(e, request.connection.endpoint)]);
    return fail([error(CollectCode.CannotRead, `cannot read the organization (${describeError(e)}); check credentials (--profile), that you run in the management account, and --endpoint-url`)]);
  } finally {
    aws.destroy();
  }
  const written = await writeOutputs(request, guard.value, snapshot, host);
  if (!written.ok) return written;
  return ok({ ...written.value, snapshot, calls: scheduler.stats.calls, retries: scheduler.stats.retries, seconds: (Date.now() - started) / 1000 }, guard.value.plan?.diagnostics ?? []);
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
  const guards: GuardedOutputs = {};
  if (request.out !== undefined) {
    const plan = await host.files.prepareDir(hostPath(host, request.out), { kind: 'snapshot', label: request.out, ...(request.force ? { force: true } : {}) });
    if (!plan.ok) return plan;
    Object.assign(guards, { plan: plan.value });
  }
  if (request.history !== undefined) {
    const history = hostPath(host, request.history);
    const checked = await prepareHistoryDir(history, request.history);
    if (!checked.ok) return checked;
    Object.assign(guards, { history });
  }
  return ok(guards);
}

/** Writes the snapshot directory and the history entry (dated by the snapshot's `collectedAt`, the host's clock). */
async function writeOutputs(request: CollectRequest, guards: GuardedOutputs, snapshot: Snapshot, host: Host): Promise<Result<Pick<CollectResult, 'dir' | 'history'>>> {
  const files = snapshotFiles(snapshot);
  if (guards.plan) {
    const written = await host.files.commitDir(guards.plan, files);
    if (!written.ok) return written;
  }
  if (guards.history === undefined) return ok(guards.plan ? { dir: guards.plan.dir } : {});
  const entry = await writeHistoryEntry(guards.history, files, new Date(snapshot.manifest.collectedAt), request.history);
  if (!entry.ok) return entry;
  return ok({ ...(guards.plan ? { dir: guards.plan.dir } : {}), history: entry.value });
}
