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
import { hostPath, type Host } from './host.js';

/** What to collect and where. */
export interface CollectRequest {
  readonly connection: AwsConnection;
  /** Snapshot directory (relative to the host's cwd). */
  readonly out: string;
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
  readonly dir: string;
  readonly snapshot: Snapshot;
  readonly calls: number;
  readonly retries: number;
  readonly seconds: number;
}

/** Diagnostic codes of collect (stable). */
export const CollectCode = { CannotRead: 'BH6101' } as const;

/** Collects the organization into a snapshot directory; accounts that could not be read are in the manifest's errors. */
export async function collectToDirectory(request: CollectRequest, host: Host): Promise<Result<CollectResult>> {
  const dir = hostPath(host, request.out);
  const guard = await host.files.prepareDir(dir, { kind: 'snapshot', label: request.out, ...(request.force ? { force: true } : {}) });
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
  const written = await host.files.commitDir(guard.value, snapshotFiles(snapshot));
  if (!written.ok) return written;
  return ok({ dir, snapshot, calls: scheduler.stats.calls, retries: scheduler.stats.retries, seconds: (Date.now() - started) / 1000 }, guard.value.diagnostics);
}
