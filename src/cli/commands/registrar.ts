import type { Command } from 'commander';
import type { CliIo } from '../io.js';

/**
 * A command module registers itself on the program. Its action must call `setExit` with its exit code
 * (0 ok, 1 invalid input, 2 usage, 3 findings) instead of exiting the process.
 */
export type CommandRegistrar = (program: Command, io: CliIo, setExit: (code: number) => void) => void;
