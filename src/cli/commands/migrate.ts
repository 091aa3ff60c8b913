/** `bulkhead migrate SNAPSHOT --spec TARGET`: the command's options; the work is in ./migrate-action.ts, loaded when it runs. */
import { Option } from 'commander';
import type { MigrateCliOptions } from './migrate-action.js';
import type { CommandRegistrar } from './registrar.js';

/** The `--format` choices: `MIGRATE_FORMATS` of src/migrate/render.ts (spelled out so start-up loads no renderer). */
export const MIGRATE_CLI_FORMATS = ['text', 'json', 'markdown', 'html'] as const;

/** Registers `migrate`. */
export const registerMigrate: CommandRegistrar = (program, io, setExit) => {
  program
    .command('migrate')
    .description('plan the way out of kitchen-sink accounts: workloads, couplings, groups that move together, cross-account grants, waves, and the target verified')
    .argument('<snapshot>', 'snapshot directory written by `bulkhead collect` (with its workload inventory)')
    .requiredOption('--spec <file>', 'the target design (a spec file, or - for standard input)')
    .addOption(new Option('-f, --format <format>', 'output format').choices([...MIGRATE_CLI_FORMATS]).default('text'))
    .option('-o, --out <file>', 'write the plan to this file (default: standard output)')
    .option('--no-prove', 'do not verify the projected organization')
    .option('--fail-on-proof', 'exit 3 when the projected organization still breaks a boundary')
    .action(async (snapshot: string, opts: MigrateCliOptions) => (await import('./migrate-action.js')).runMigrate(io, setExit, snapshot, opts));
};
