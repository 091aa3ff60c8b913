import type { SimulateCliOptions } from './simulate-action.js';
import type { CommandRegistrar } from './registrar.js';

/**
 * `bulkhead simulate FILE|-` evaluates one request; `bulkhead simulate --batch [FILE]` reads JSON Lines
 * (default stdin) and writes one result line per input line, in order. Exit 0 ran, 1 invalid input, 2 usage.
 * The work is in ./simulate-action.ts, loaded when the command runs.
 */
export const registerSimulate: CommandRegistrar = (program, io, setExit) => {
  program
    .command('simulate')
    .description('evaluate one IAM request against identity, resource, boundary, session, SCP and RCP policies')
    .argument('[file]', 'JSON input file, or - for stdin (with --batch: JSON Lines, default stdin)')
    .option('--batch', 'read JSON Lines, one input object per line; write one result per line')
    .option('--explain', 'add notes on the rules that applied and validation warnings to the output')
    .action(async (file: string | undefined, opts: SimulateCliOptions) =>
      (await import('./simulate-action.js')).runSimulate(io, setExit, file, opts),
    );
};
