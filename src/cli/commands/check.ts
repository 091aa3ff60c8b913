/**
 * `bulkhead check new-access|not-granted`: policy-change checks for pipelines. Options only; the work is in
 * ./check-action.ts, loaded when a subcommand runs.
 */
import { Option } from 'commander';
import type { CheckCliOptions } from './check-action.js';
import type { CommandRegistrar } from './registrar.js';

/** The `--type` choices: `CHECK_POLICY_TYPES` of src/operations/check.ts (spelled out so `--help` loads nothing). */
export const CHECK_TYPES = ['identity', 'resource', 'scp', 'rcp', 'trust'] as const;

/** Collects a repeatable, comma-separable option. */
function collect(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').map((v) => v.trim()).filter((v) => v !== '')];
}

/** Registers `check` and its subcommands. */
export const registerCheck: CommandRegistrar = (program, io, setExit) => {
  const check = program.command('check').description('policy-change checks for pipelines: exit 0 when the check holds, 3 when it does not, 1 on invalid input');
  const common = (c: typeof check) =>
    c
      .requiredOption('--policy <file>', 'the policy document (JSON)')
      .addOption(new Option('--type <type>', 'what kind of policy it is').choices([...CHECK_TYPES]).default('identity'))
      .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'));
  common(check.command('new-access').description('does --policy grant anything --baseline does not? (like IAM Access Analyzer CheckNoNewAccess; see docs/check.md)'))
    .requiredOption('--baseline <file>', 'the policy it replaces (JSON)')
    .action(async (opts: CheckCliOptions) => (await import('./check-action.js')).runCheckNewAccess(io, setExit, opts));
  common(check.command('not-granted').description('does --policy grant none of --actions / --capabilities (on --resources)?'))
    .option('--actions <list>', 'actions or patterns, comma-separated (repeatable)', collect, [])
    .option('--capabilities <list>', 'capabilities, comma-separated (repeatable): administer-resource, read-config, read-data, write-data, delete-data, use-resource', collect, [])
    .option('--resources <list>', 'resource ARNs or patterns, comma-separated (repeatable; default any resource)', collect, [])
    .action(async (opts: CheckCliOptions) => (await import('./check-action.js')).runCheckNotGranted(io, setExit, opts));
};
