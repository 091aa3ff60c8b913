/**
 * `bulkhead apply SPEC [--yes]`: the command's options; the work is in ./apply-action.ts, loaded when it runs
 * (with it, the AWS SDK).
 */
import { addAwsOptions } from '../aws-options.js';
import type { ApplyCliOptions } from './apply-action.js';
import type { CommandRegistrar } from './registrar.js';

/** Registers `apply`. */
export const registerApply: CommandRegistrar = (program, io, setExit) => {
  addAwsOptions(
    program
      .command('apply')
      .description('make the live organization match a spec: prints the changes, and makes them with --yes (resumable)')
      .argument('<spec>', 'spec file (YAML), or - for stdin (then --journal or --state is required)')
      .option('-y, --yes', 'make the changes (without it apply only prints them)')
      .option('--allow-close', 'close accounts the plan no longer has (after moving them to Root/Suspended), within AWS quota')
      .option('--state <dir>', 'directory for the apply journal `<spec name>.apply-journal.jsonl` (default: next to the spec)')
      .option('--journal <file>', 'the apply journal file itself (instead of --state)')
      .option('--format <format>', 'change-set output: text or json', 'text'),
  ).action(async (spec: string, opts: ApplyCliOptions) => (await import('./apply-action.js')).runApply(io, setExit, spec, opts));
};
