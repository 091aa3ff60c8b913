/**
 * Runs the CLI in a child process from the TypeScript sources (`node --import tsx test-support/cli-process.ts …`),
 * for tests that must kill it (the apply crash test).
 */
import { main } from '../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
