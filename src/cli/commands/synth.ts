/** `bulkhead synth --accounts N --out DIR`: writes a synthetic organization as a snapshot directory (for benches and demos). */
import { resolve } from 'node:path';
import { writeDirAtomic } from '../../io/files.js';
import { synthOrganization, synthSnapshot } from '../../synthetic/index.js';
import { snapshotFiles } from '../../snapshot/format.js';
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
    .option('-o, --out <dir>', 'write a snapshot directory that `bulkhead verify` reads (default: model JSON on stdout)')
    .action(async (opts: { accounts: string; roles: string; resources: string; seed: string; violations?: boolean; out?: string }) => {
      const model = synthOrganization({
        accounts: intOption(opts.accounts, '--accounts', 8, 10_000),
        rolesPerAccount: intOption(opts.roles, '--roles', 0, 1000),
        resourcesPerAccount: intOption(opts.resources, '--resources', 0, 1000),
        seed: intOption(opts.seed, '--seed', 0, 2 ** 31 - 1),
        violations: opts.violations === true,
      });
      if (opts.out === undefined) {
        io.stdout(`${JSON.stringify(model, null, 2)}\n`);
      } else {
        const dir = resolve(io.cwd, opts.out);
        await writeDirAtomic(dir, snapshotFiles(synthSnapshot(model, io.now())));
        io.stderr(`wrote ${model.accounts.length} accounts, ${model.roles.length} roles, ${model.resources.length} resources to ${opts.out}\n`);
      }
      setExit(ExitCode.Ok);
    });
};
