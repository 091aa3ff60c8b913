/** `bulkhead synth --accounts N --out DIR`: writes a synthetic organization as a snapshot directory (for benches and demos). */
import { synthesizeSnapshot } from '../../operations/synth.js';
import { printDiagnostics } from '../diagnostics-output.js';
import { cliHost } from '../host.js';
import { escapedLine, ExitCode, jsonLine, UsageError, type CliIo } from '../io.js';
import type { SetExit } from './registrar.js';

/** Parsed `synth` options. */
export interface SynthCliOptions {
  /** Checked while parsing (8 to 10,000), as are the sizes and the seed. */
  accounts: number;
  roles: number;
  resources: number;
  seed: number;
  violations?: boolean;
  out?: string;
  force?: boolean;
}

/** Runs `synth`: checks the sizes and writes the synthetic organization. */
export async function runSynth(io: CliIo, setExit: SetExit, opts: SynthCliOptions): Promise<void> {
  if (opts.out === '') throw new UsageError('--out is empty; give a snapshot directory');
  const options = {
    accounts: opts.accounts,
    rolesPerAccount: opts.roles,
    resourcesPerAccount: opts.resources,
    seed: opts.seed,
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
