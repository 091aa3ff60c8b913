import type { Command } from 'commander';
import type { CliIo } from '../io.js';

/** Records a command's exit code (0 ok, 1 invalid input, 2 usage, 3 findings) instead of exiting the process. */
export type SetExit = (code: number) => void;

/**
 * A command module registers itself on the program: name, description, arguments and options only, so that
 * building the command table costs nothing but commander. Its action imports the command's implementation
 * (`./<name>-action.js`) when it runs, and that implementation must call `setExit` with its exit code.
 */
export type CommandRegistrar = (program: Command, io: CliIo, setExit: SetExit) => void;
