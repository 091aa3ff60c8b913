/** `bulkhead synth --accounts N --out DIR`: writes a synthetic organization as a snapshot directory (for benches and demos). */
import { synthesizeSnapshot } from '../../operations/synth.js';
import { printDiagnostics } from '../diagnostics-output.js';
import { cliHost } from '../host.js';
import { escapedLine, ExitCode, jsonLine, UsageError, type CliIo } from '../io.js';
import type { SetExit } from './registrar.js';

function intOption(value: string, flag: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag} must be an integer from ${min} to ${max}, got \`${value}\``);
  return n;
}

/** Parsed `synth` options. */
export interface SynthCliOptions {
  accounts: string;
  roles: string;
  resources: string;
  seed: string;
  violations?: boolean;
  out?: string;
  force?: boolean;
}

/** Runs `synth`: checks the sizes and writes the synthetic organization. */
export async function runSynth(io: CliIo, setExit: SetExit, opts: SynthCliOptions): Promise<void> {
  if (opts.out === '') throw new UsageError('--out is empty; give a snapshot directory');
  const options = {
    accounts: intOption(opts.accounts, '--accounts', 8, 10_000),
    rolesPerAccount: intOption(opts.roles, '--roles', 0, 1000),
    resourcesPerAccount: intOption(opts.resources, '--resources', 0, 1000),
    seed: intOption(opts.seed, '--seed', 0, 2 ** 31 - 1),
    violations: opts.violations === true,
  };
  const result = await synthesizeSnapshot({ options, ...(opts.out !== undefined ? { out: opts.out } : {}), ...(opts.force ? { force: true } : {}) }, cliHost(io));
  printDiagnostics(io, result.diagnostics);
  if (!result.ok) return setExit(ExitCode.InvalidInput);
  const model = result.value;
  if (opts.out === undefined) io.stdout(jsonLine(model));
  else io.stderr(escapedLine(`wrote ${model.accounts.length} accounts, ${model.roles.length} roles, ${model.resources.length} resources to ${opts.out}`));
  setExit(ExitCode.Ok);
}
