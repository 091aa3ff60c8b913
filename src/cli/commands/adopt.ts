/** `bulkhead adopt SNAPSHOT [-o spec.yaml]`: the command's options; the work is in ./adopt-action.ts, loaded when it runs. */
import { integerFrom } from '../option-values.js';
import type { AdoptCliOptions } from './adopt-action.js';
import type { CommandRegistrar } from './registrar.js';

/** Registers `adopt`. */
export const registerAdopt: CommandRegistrar = (program, io, setExit) => {
  program
    .command('adopt')
    .description('turn a collected organization (a snapshot directory from `bulkhead collect`) into a spec, with comments on every account that does not fit')
    .argument('<snapshot>', 'snapshot directory written by `bulkhead collect`')
    .option('-o, --out <file>', 'write the spec to this file (default: standard output)')
    .option('--ids <file>', 'also write the id mapping (spec names → live account, OU and policy ids) as JSON')
    .option('--min-role-accounts <n>', 'a role becomes a spec role when found in at least this many accounts (1 to 10000)', integerFrom('--min-role-accounts', 1, 10_000), 2)
    .option('--force', 'replace existing files at --out and --ids')
    .action(async (snapshot: string, opts: AdoptCliOptions) => (await import('./adopt-action.js')).runAdopt(io, setExit, snapshot, opts));
};
