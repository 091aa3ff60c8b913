/** `bulkhead synth --accounts N --out DIR`: the command's options; the work is in ./synth-action.ts, loaded when it runs. */
import { integerFrom } from '../option-values.js';
import type { SynthCliOptions } from './synth-action.js';
import type { CommandRegistrar } from './registrar.js';

/** Registers `synth`. */
export const registerSynth: CommandRegistrar = (program, io, setExit) => {
  program
    .command('synth')
    .description('generate a realistic synthetic organization (snapshot directory, or model JSON) for benchmarks and demos')
    .requiredOption('--accounts <n>', 'number of accounts (8 to 10000)', integerFrom('--accounts', 8, 10_000))
    .option('--roles <n>', 'roles per account (0 to 1000)', integerFrom('--roles', 0, 1000), 20)
    .option('--resources <n>', 'resources per account (0 to 1000)', integerFrom('--resources', 0, 1000), 50)
    .option('--seed <n>', 'random seed (0 to 2147483647)', integerFrom('--seed', 0, 2 ** 31 - 1), 42)
    .option('--violations', 'plant a dev→prod trust chain and a prod bucket granting a dev account')
    .option('-o, --out <dir>', 'write a snapshot directory that `bulkhead verify` reads (default: model JSON on stdout); only an empty or bulkhead-written directory is replaced')
    .option('--force', 'replace a directory holding another kind of bulkhead output (never files bulkhead did not write)')
    .action(async (opts: SynthCliOptions) => (await import('./synth-action.js')).runSynth(io, setExit, opts));
};
