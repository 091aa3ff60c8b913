/**
 * Every CLI command, in help order. Add a command: write `commands/<name>.ts` exporting a `CommandRegistrar`
 * (options only, importing nothing heavier than commander) whose action imports `./<name>-action.js`, and list
 * it here. This table is loaded on every run, `--version` included: keep its imports cheap (src/cli/startup.test.ts).
 */
import type { CommandRegistrar } from './registrar.js';
import { registerInit } from './init.js';
import { registerPlan } from './plan.js';
import { registerCollect } from './collect.js';
import { registerApply } from './apply.js';
import { registerVerify } from './verify.js';
import { registerDiff } from './diff.js';
import { registerDrift } from './drift.js';
import { registerSynth } from './synth.js';
import { registerSimulate } from './simulate.js';
import { registerEmit } from './emit.js';
import { registerCapabilities } from './capabilities.js';
import { registerCheck } from './check.js';
import { registerAdopt } from './adopt.js';
import { registerMigrate } from './migrate.js';

export const COMMANDS: readonly CommandRegistrar[] = [
  registerInit,
  registerPlan,
  registerCollect,
  registerApply,
  registerVerify,
  registerDiff,
  registerDrift,
  registerSynth,
  registerEmit,
  registerSimulate,
  registerCapabilities,
  registerCheck,
  registerAdopt,
  registerMigrate,
];
