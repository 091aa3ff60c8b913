/** `bulkhead init`: the command's options; the work is in ./init-action.ts, loaded when it runs. */
import type { InitCliOptions } from './init-action.js';
import type { CommandRegistrar } from './registrar.js';

/** Registers `init`: writes a starter spec. */
export const registerInit: CommandRegistrar = (program, io, setExit) => {
  program
    .command('init')
    .description('write a starter spec (business units × phases)')
    .option('--name <org>', 'organization name', 'example')
    .option('--business-units <list>', 'comma-separated business units', 'retail,bi')
    .option('--phases <list>', 'comma-separated phases, least to most critical', 'dev,stage,prod')
    .option('--email-domain <domain>', 'domain for account emails', 'example.com')
    .option('-o, --out <file>', 'where to write the spec', 'bulkhead.yaml')
    .option('--force', 'overwrite an existing file')
    .action(async (opts: InitCliOptions) => (await import('./init-action.js')).runInit(io, setExit, opts));
};
