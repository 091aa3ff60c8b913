/** Every CLI command, in help order. Add a command: write `commands/<name>.ts` exporting a `CommandRegistrar`, list it here. */
import type { CommandRegistrar } from './registrar.js';

export const COMMANDS: readonly CommandRegistrar[] = [];
