/**
 * Runs the CLI in a child process from the TypeScript sources (`node --import tsx src/test-support/cli-process.ts …`),
 * for tests that must kill it (the apply crash test).
 */
import { main } from '../cli/main.js';

process.exitCode = await main(process.argv.slice(2));
