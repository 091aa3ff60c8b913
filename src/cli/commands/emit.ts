/** `bulkhead emit SPEC --format terraform|cloudformation --out DIR`: the command's options; the work is in ./emit-action.ts, loaded when it runs. */
import { Option } from 'commander';
import type { EmitCliOptions } from './emit-action.js';
import type { CommandRegistrar } from './registrar.js';

/** Collects a repeatable option's values. */
function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Registers `bulkhead emit`. */
export const registerEmit: CommandRegistrar = (program, io, setExit) => {
  program
    .command('emit')
    .description('write Terraform or CloudFormation for the organization a spec designs')
    .argument('<spec>', 'spec file (YAML), or - for stdin')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['terraform', 'cloudformation']).makeOptionMandatory())
    .requiredOption('-o, --out <dir>', 'output directory (written atomically; only an empty or bulkhead-written directory is replaced)')
    .option('--force', 'replace a directory holding another kind of bulkhead output (never files bulkhead did not write)')
    .option('--access-role-name <name>', 'role the management account assumes in member accounts (default: from the spec)')
    .option('--organization-id <id>', 'adopt this existing organization (Terraform: writes an import block)')
    .option('--account-id <name=id>', 'adopt an existing account (Terraform: import block); repeatable', collect, [])
    .option('--adopt <snapshot>', 'adopt the organization of this snapshot directory (from `bulkhead collect`): Terraform import blocks for what exists')
    .option('--rename-account <old=new>', 'an account was renamed since the last emit (Terraform: moved blocks); repeatable', collect, [])
    .option('--rename-ou <old=new>', 'an OU path was renamed since the last emit (Terraform: moved blocks); repeatable', collect, [])
    .addOption(
      new Option('--terraform-layout <layout>', 'Terraform: how member accounts get their IAM roles: StackSets from one provider (scales), or one provider alias per account (small organizations)')
        .choices(['stacksets', 'provider-aliases'])
        .default('stacksets'),
    )
    .action(async (spec: string, opts: EmitCliOptions) => (await import('./emit-action.js')).runEmit(io, setExit, spec, opts));
};
