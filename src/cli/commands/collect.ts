/**
 * `bulkhead collect --out DIR` / `--history DIR`: the command's options; the work is in ./collect-action.ts, loaded when it runs
 * (with it, the AWS SDK).
 */
import { addAwsOptions } from '../aws-options.js';
import { wholeNumber } from '../option-values.js';
import { DEFAULT_ACCESS_ROLE } from '../../model/organization.js';
import type { CollectCliOptions } from './collect-action.js';
import type { CommandRegistrar } from './registrar.js';

/** Registers `collect`. */
export const registerCollect: CommandRegistrar = (program, io, setExit) => {
  addAwsOptions(
    program
      .command('collect')
      .description('read the live organization (OUs, accounts, SCPs/RCPs, IAM, resource policies) into a snapshot directory')
      .option('-o, --out <dir>', 'snapshot directory to write (replaced as a whole; only an empty or bulkhead-written directory)')
      .option('--history <dir>', 'also (or instead) add a dated entry to this snapshot history; unchanged accounts are stored once (see docs/ci.md)')
      .option('--resume', 'continue the unfinished collect of --out (or --history) with the same organization and options: accounts already complete are not read again')
      .option('--force', 'replace a directory holding another kind of bulkhead output (never files bulkhead did not write)')
      .option('--regions <list>', 'comma-separated regions to read resources from (default: --region)')
      .option('--access-role <name>', 'role to assume in member accounts', DEFAULT_ACCESS_ROLE)
      .option('--no-resources', 'skip S3, KMS, SQS, SNS, Lambda and Secrets Manager resources')
      .option('--concurrency <n>', 'accounts read in parallel, 1 to 64', wholeNumber('--concurrency', 1, 64), 8),
  ).action(async (opts: CollectCliOptions) => (await import('./collect-action.js')).runCollect(io, setExit, opts));
};
