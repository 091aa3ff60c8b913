/** `bulkhead synth --accounts N --out DIR`: writes a synthetic organization as a snapshot directory (for benches and demos). */
import { synthesizeSnapshot } from '../../operations/synth.js';
import { printDiagnostics } from '../diagnostics-output.js';
import { cliHost } from '../host.js';
import { ExitCode, UsageError } from '../io.js';
import type { CommandRegistrar } from './registrar.js';

function intOption(value: string, flag: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag} must be an integer from ${min} to ${max}, got \`${value}\``);
  return n;
}

/** Registers `synth`. */
export const registerSynth: CommandRegistrar = (program, io, setExit) => {
  program
    .command('synth')
    .description('generate a realistic synthetic organization (snapshot directory, or model JSON) for benchmarks and demos')
    .requiredOption('--accounts <n>', 'number of accounts (8 to 10000)')
    .option('--roles <n>', 'roles per account', '20')
    .option('--resources <n>', 'resources per account', '50')
    .option('--seed <n>', 'random seed', '42')
    .option('--violations', 'plant a dev→prod trust chain and a prod bucket granting a dev account')
    .option('-o, --out <dir>', 'write a snapshot directory that `bulkhead verify` reads (default: model JSON on stdout); only an empty or bulkhead-written directory is replaced')
    .option('--force', 'replace a directory holding another kind of bulkhead output (never files bulkhead did not write)')
    .action(async (opts: { accounts: string; roles: string; resources: string; seed: string; violations?: boolean; out?: string; force?: boolean }) => {
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
      if (opts.out === undefined) io.stdout(`${JSON.stringify(model, null, 2)}\n`);
      else io.stderr(`wrote ${model.accounts.length} accounts, ${model.roles.length} roles, ${model.resources.length} resources to ${opts.out}\n`);
      setExit(ExitCode.Ok);
    });
};
