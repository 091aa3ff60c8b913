/**
 * `bulkhead emit SPEC --format terraform|cloudformation --out DIR`: plan the spec and write Terraform or
 * CloudFormation into DIR. The work is the `emitToDirectory` operation; this module parses options and prints. Loaded when `emit` runs.
 */
import { emitToDirectory, type EmitFormat } from '../../operations/emit.js';
import { printDiagnostics } from '../diagnostics-output.js';
import { cliHost } from '../host.js';
import { escapedLine, ExitCode, UsageError, type CliIo } from '../io.js';
import { specInput } from '../spec-input.js';
import type { SetExit } from './registrar.js';
import type { TerraformLayout } from '../../emit/terraform.js';

/** Parsed `emit` options. */
export interface EmitCliOptions {
  format: EmitFormat;
  out: string;
  force?: boolean;
  accessRoleName?: string;
  organizationId?: string;
  adopt?: string;
  accountId: string[];
  renameAccount: string[];
  renameOu: string[];
  terraformLayout?: TerraformLayout;
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

/** Runs `emit`: plans the spec and writes the Terraform or CloudFormation directory. */
export async function runEmit(io: CliIo, setExit: SetExit, spec: string, opts: EmitCliOptions): Promise<void> {
  if (opts.out === '') throw new UsageError('--out is empty; give an output directory');
  const options = {
    accountIds: pairs(opts.accountId, '--account-id'),
    renamedAccounts: pairs(opts.renameAccount, '--rename-account'),
    renamedOus: pairs(opts.renameOu, '--rename-ou'),
    ...(opts.accessRoleName !== undefined ? { accessRoleName: opts.accessRoleName } : {}),
    ...(opts.organizationId !== undefined ? { organizationId: opts.organizationId } : {}),
    ...(opts.terraformLayout !== undefined ? { terraformLayout: opts.terraformLayout } : {}),
  };
  const source = await specInput(io, spec);
  if (!source.ok) {
    printDiagnostics(io, source.diagnostics);
    return setExit(ExitCode.InvalidInput);
  }
  const request = { source: source.value, format: opts.format, out: opts.out, options, ...(opts.adopt !== undefined ? { adopt: opts.adopt } : {}), ...(opts.force ? { force: true } : {}) };
  const result = await emitToDirectory(request, cliHost(io));
  printDiagnostics(io, result.diagnostics);
  if (!result.ok) return setExit(ExitCode.InvalidInput);
  const { files, kept, moved } = result.value;
  io.stdout(
    escapedLine(
      `wrote ${files} files (${opts.format}) to ${opts.out}` + (kept.length ? `; kept ${kept.join(', ')}` : '') + (moved ? `; ${moved} moved block(s) in moved.tf` : ''),
    ),
  );
  setExit(ExitCode.Ok);
}
