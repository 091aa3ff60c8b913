/** `bulkhead drift SPEC SNAPSHOT`: the command's options; the work is in ./drift-action.ts, loaded when it runs. */
import type { DeltaCliOptions } from './diff-action.js';
import { deltaCommandOptions } from './diff.js';
import type { CommandRegistrar } from './registrar.js';

/** Registers `drift`. */
export const registerDrift: CommandRegistrar = (program, io, setExit) => {
  deltaCommandOptions(
    program
      .command('drift')
      .description('how live differs from the design: out-of-band accounts and roles, moved accounts, hand-edited policies, and the access each adds or removes')
      .argument('<spec>', 'the design: a spec file, or `spec.yaml@REV`')
      .argument('<snapshot>', 'live: a snapshot directory from `bulkhead collect`, or `DIR@YYYY-MM-DD` / `DIR@latest` of a snapshot history'),
  ).action(async (spec: string, snapshot: string, opts: DeltaCliOptions) => (await import('./drift-action.js')).runDrift(io, setExit, spec, snapshot, opts));
};
