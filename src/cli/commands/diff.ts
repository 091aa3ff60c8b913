/**
 * `bulkhead diff BEFORE AFTER`: the command's options; the work is in ./diff-action.ts, loaded when it runs.
 */
import { Option, type Command } from 'commander';
import { positiveInteger, threadsValue } from '../option-values.js';
import type { DeltaCliOptions } from './diff-action.js';
import type { CommandRegistrar } from './registrar.js';
import { VERIFY_SEVERITIES } from './verify.js';

/** The `--format` choices: `DELTA_FORMATS` of src/delta/render.ts (spelled out so `--help` loads no renderer). */
export const DELTA_CLI_FORMATS = ['text', 'json', 'markdown', 'sarif', 'html'] as const;

/** The options `diff` and `drift` share. */
export function deltaCommandOptions(c: Command): Command {
  return c
    .addOption(new Option('-f, --format <format>', 'output format').choices([...DELTA_CLI_FORMATS]).default('text'))
    .option('-o, --out <file>', 'write the report to this file instead of stdout (- for stdout)')
    .addOption(
      new Option('--fail-on <severity>', 'exit 3 when a new finding, or gained access carrying one, is at or above this severity').choices([...VERIFY_SEVERITIES, 'none']).default('high'),
    )
    .option('--destroy-threshold <n>', 'accounts a principal may destroy in before blast radius is a finding', positiveInteger('--destroy-threshold'), 3)
    .option('--default-boundaries', 'apply the default boundaries even when the spec declares its own');
}

/** Registers `diff`. */
export const registerDiff: CommandRegistrar = (program, io, setExit) => {
  deltaCommandOptions(
    program
      .command('diff')
      .description('what changed between two organizations: structure, who can do what (access gained and lost, with the path and statements), findings new / resolved / unchanged')
      .argument('<before>', 'spec file, snapshot directory, `spec.yaml@REV` (a spec at a git revision), or `DIR@YYYY-MM-DD` / `DIR@latest` (a snapshot history)')
      .argument('<after>', 'spec file, snapshot directory, `spec.yaml@REV`, or `DIR@YYYY-MM-DD` / `DIR@latest`'),
  )
    .option(
      '--threads <n>',
      "threads for the before side's engine questions, at most the cores (`auto`, the default: 1)",
      threadsValue('--threads'),
      'auto',
    )
    .action(async (before: string, after: string, opts: DeltaCliOptions) => (await import('./diff-action.js')).runDiff(io, setExit, before, after, opts));
};
