/**
 * `bulkhead emit SPEC --format terraform|cloudformation --out DIR`: plan the spec and write Terraform or
 * CloudFormation into DIR. The work is the `emitToDirectory` operation; this module parses options and prints.
 */
import { Option } from 'commander';
import { emitToDirectory, type EmitFormat } from '../../operations/emit.js';
import { printDiagnostics } from '../diagnostics-output.js';
import { cliHost } from '../host.js';
import { ExitCode, UsageError } from '../io.js';
import { specInput } from '../spec-input.js';
import type { CommandRegistrar } from './registrar.js';

interface Opts {
  format: EmitFormat;
  out: string;
  force?: boolean;
  accessRoleName?: string;
  organizationId?: string;
  accountId: string[];
  renameAccount: string[];
  renameOu: string[];
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function pairs(values: readonly string[], option: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const v of values) {
    const i = v.indexOf('=');
    if (i <= 0 || i === v.length - 1) throw new UsageError(`${option} takes NAME=VALUE, got \`${v}\``);
    out[v.slice(0, i)] = v.slice(i + 1);
  }
  return out;
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
    .option('--rename-account <old=new>', 'an account was renamed since the last emit (Terraform: moved blocks); repeatable', collect, [])
    .option('--rename-ou <old=new>', 'an OU path was renamed since the last emit (Terraform: moved blocks); repeatable', collect, [])
    .action(async (spec: string, opts: Opts) => {
      if (opts.out === '') throw new UsageError('--out is empty; give an output directory');
      const options = {
        accountIds: pairs(opts.accountId, '--account-id'),
        renamedAccounts: pairs(opts.renameAccount, '--rename-account'),
        renamedOus: pairs(opts.renameOu, '--rename-ou'),
        ...(opts.accessRoleName !== undefined ? { accessRoleName: opts.accessRoleName } : {}),
        ...(opts.organizationId !== undefined ? { organizationId: opts.organizationId } : {}),
      };
      const request = { source: await specInput(io, spec), format: opts.format, out: opts.out, options, ...(opts.force ? { force: true } : {}) };
      const result = await emitToDirectory(request, cliHost(io));
      printDiagnostics(io, result.diagnostics);
      if (!result.ok) return setExit(ExitCode.InvalidInput);
      const { files, kept, moved } = result.value;
      io.stdout(
        `wrote ${files} files (${opts.format}) to ${opts.out}` +
          (kept.length ? `; kept ${kept.join(', ')}` : '') +
          (moved ? `; ${moved} moved block(s) in moved.tf` : '') +
          '\n',
      );
      setExit(ExitCode.Ok);
    });
};
