import { Option } from 'commander';
import { threadsValue } from '../option-values.js';
import type { DecisionKind } from '../../policy/types.js';
import type { SimulateCliOptions } from './simulate-action.js';
import type { CommandRegistrar } from './registrar.js';

/**
 * The most worker threads `simulate --batch --threads` starts: each is its own V8 heap and warms up on its own
 * (docs/benchmarks.md), so a count far above the cores only costs memory; without a bound a mistyped huge count
 * would try to start that many workers and never get to the input.
 */
const MAX_BATCH_THREADS = 64;

/** The `--expect` choices: every `DecisionKind` (spelled out so `--help` loads no engine code). */
export const SIMULATE_DECISIONS = ['Allowed', 'ImplicitlyDenied', 'ExplicitlyDenied'] as const satisfies readonly DecisionKind[];

/**
 * `bulkhead simulate FILE|-` evaluates one request; `bulkhead simulate --batch [FILE]` reads JSON Lines
 * (default stdin) and writes one result line per input line, in order. Exit 0 ran, 1 invalid input, 2 usage, 3 a decision other than `--expect`.
 * The work is in ./simulate-action.ts, loaded when the command runs.
 */
export const registerSimulate: CommandRegistrar = (program, io, setExit) => {
  program
    .command('simulate')
    .description('evaluate one IAM request against identity, resource, boundary, session, SCP and RCP policies')
    .argument('[file]', 'JSON input file, or - for stdin (with --batch: JSON Lines, default stdin)')
    .option('--batch', 'read JSON Lines, one input object per line; write one result per line')
    .option(
      '--threads <n>',
      'with --batch: threads that evaluate lines, output in input order (1 or `auto`, the default: one thread; N from 2 to 64: N worker threads)',
      threadsValue('--threads', MAX_BATCH_THREADS),
    )
    .option('--explain', 'add notes on the rules that applied and validation warnings to the output')
    .addOption(
      new Option('--expect <decision>', 'exit 3 when the decision (with --batch: any line\'s) is another one; each is named on stderr').choices([...SIMULATE_DECISIONS]),
    )
    .action(async (file: string | undefined, opts: SimulateCliOptions) =>
      (await import('./simulate-action.js')).runSimulate(io, setExit, file, opts),
    );
};
