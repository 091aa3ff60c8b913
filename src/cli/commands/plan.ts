/** `bulkhead plan SPEC [--format text|json]`: the command's options; the work is in ./plan-action.ts, loaded when it runs. */
import { Option } from 'commander';
import type { PlanCliOptions } from './plan-action.js';
import type { CommandRegistrar } from './registrar.js';

/** Registers `plan`: design the organization and explain its size. */
export const registerPlan: CommandRegistrar = (program, io, setExit) => {
  program
    .command('plan')
    .description('design the organization from a spec: OUs, accounts, roles, policies, SCPs, and how many accounts and why')
    .argument('<spec>', 'spec file (YAML), or - for stdin')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (spec: string, opts: PlanCliOptions) => (await import('./plan-action.js')).runPlan(io, setExit, spec, opts));
};
