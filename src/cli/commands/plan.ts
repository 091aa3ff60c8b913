import { Option } from 'commander';
import { renderPlanText } from '../../report/plan-text.js';
import { ExitCode } from '../io.js';
import { loadSpecModel } from '../spec-input.js';
import type { CommandRegistrar } from './registrar.js';

/** `bulkhead plan SPEC [--format text|json]`: design the organization and explain its size. */
export const registerPlan: CommandRegistrar = (program, io, setExit) => {
  program
    .command('plan')
    .description('design the organization from a spec: OUs, accounts, roles, policies, SCPs, and how many accounts and why')
    .argument('<spec>', 'spec file (YAML), or - for stdin')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (spec: string, opts: { format: 'text' | 'json' }) => {
      const model = await loadSpecModel(io, spec);
      if (!model) return setExit(ExitCode.InvalidInput);
      io.stdout(opts.format === 'json' ? `${JSON.stringify(model, null, 2)}\n` : renderPlanText(model));
      setExit(ExitCode.Ok);
    });
};
