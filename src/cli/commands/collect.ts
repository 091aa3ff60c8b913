/**
 * `bulkhead collect --out DIR`: reads the live organization (Organizations, IAM, resource policies) into a
 * snapshot directory that `verify` and `apply` load into the organization model.
 */
import { resolve } from 'node:path';
import { error } from '../../diagnostics/diagnostic.js';
import { addAwsOptions, connectionFrom, progressLine, type AwsCliOptions } from '../aws-options.js';
import { ClientFactory } from '../../aws/clients.js';
import { describeError } from '../../aws/errors.js';
import { Scheduler } from '../../aws/scheduler.js';
import { collect } from '../../aws/collector.js';
import { writeSnapshot } from '../../io/snapshot-files.js';
import { DEFAULT_ACCESS_ROLE } from '../../model/organization.js';
import { printDiagnostics } from '../diagnostics-output.js';
import { ExitCode, UsageError } from '../io.js';
import type { CommandRegistrar } from './registrar.js';

/** Exit code when the snapshot was written but some accounts could not be read. */
export const EXIT_PARTIAL = 4;

interface CollectCliOptions extends AwsCliOptions {
  out: string;
  regions?: string;
  accessRole: string;
  resources: boolean;
  concurrency: string;
  force?: boolean;
}

/** Registers `collect`. */
export const registerCollect: CommandRegistrar = (program, io, setExit) => {
  addAwsOptions(
    program
      .command('collect')
      .description('read the live organization (OUs, accounts, SCPs/RCPs, IAM, resource policies) into a snapshot directory')
      .requiredOption('-o, --out <dir>', 'snapshot directory to write (replaced as a whole; only an empty or bulkhead-written directory)')
      .option('--force', 'replace a directory holding another kind of bulkhead output (never files bulkhead did not write)')
      .option('--regions <list>', 'comma-separated regions to read resources from (default: --region)')
      .option('--access-role <name>', 'role to assume in member accounts', DEFAULT_ACCESS_ROLE)
      .option('--no-resources', 'skip S3, KMS, SQS, SNS, Lambda and Secrets Manager resources')
      .option('--concurrency <n>', 'accounts read in parallel', '8'),
  ).action(async (opts: CollectCliOptions) => {
    const conn = connectionFrom(io, opts);
    const regions = (opts.regions ?? conn.region).split(',').map((r) => r.trim()).filter((r) => r !== '');
    const bad = regions.find((r) => !/^[a-z]{2}(-[a-z]+)+-\d$/.test(r));
    if (bad !== undefined) throw new UsageError(`\`${bad}\` is not an AWS region name; use names like \`us-east-1\``);
    const concurrency = Number(opts.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
      throw new UsageError(`--concurrency \`${opts.concurrency}\` must be a whole number from 1 to 64`);
    }
    const aws = new ClientFactory(conn);
    const scheduler = new Scheduler({ readConcurrency: Math.max(4, concurrency) });
    const progress = progressLine(io);
    const started = Date.now();
    try {
      const snapshot = await collect(aws, scheduler, {
        regions,
        accessRoleName: opts.accessRole,
        resources: opts.resources,
        accountConcurrency: concurrency,
        now: io.now,
        onProgress: (p) => progress.update(`collect: ${p.accountsDone}/${p.accountsTotal} accounts, ${p.calls} calls, ${p.retries} retries`),
      });
      progress.done();
      const out = resolve(io.cwd, opts.out);
      const written = await writeSnapshot(out, snapshot, { label: opts.out, ...(opts.force ? { force: true } : {}) });
      if (!written.ok) {
        printDiagnostics(io, written.diagnostics);
        return setExit(ExitCode.InvalidInput);
      }
      const m = snapshot.manifest;
      const seconds = (Date.now() - started) / 1000;
      const summary = {
        out: opts.out,
        organizationId: m.organization.id,
        ...m.counts,
        calls: scheduler.stats.calls,
        retries: scheduler.stats.retries,
        errors: m.errors,
      };
      if (io.isTty) {
        io.stdout(
          `collected ${m.counts.accountsCollected}/${m.counts.accounts} accounts of ${m.organization.id} into ${opts.out} ` +
            `(${m.counts.roles} roles, ${m.counts.users} users, ${m.counts.resources} resources; ${scheduler.stats.calls} calls, ${scheduler.stats.retries} retries, ${seconds.toFixed(1)} s)\n`,
        );
        for (const e of m.errors) io.stderr(`warning: account ${e.accountName ?? ''} (${e.accountId}) ${e.stage}: ${e.message}\n`);
      } else {
        io.stdout(`${JSON.stringify(summary)}\n`);
      }
      setExit(m.counts.accountsFailed > 0 ? EXIT_PARTIAL : ExitCode.Ok);
    } catch (e) {
      progress.done();
      printDiagnostics(io, [
        error(
          'BH6101',
          `cannot read the organization (${describeError(e)}); check credentials (--profile), that you run in the management account, and --endpoint-url`,
        ),
      ]);
      setExit(ExitCode.InvalidInput);
    } finally {
      aws.destroy();
    }
  });
};
