/** `bulkhead migrate SNAPSHOT --spec TARGET`: prints (or writes) the migration plan. */
import { resolve } from 'node:path';
import { snapshotGapCount } from '../../operations/snapshot-input.js';
import { migrate } from '../../operations/migrate.js';
import { printDiagnostics } from '../diagnostics-output.js';
import { cliHost } from '../host.js';
import { escapedLine, ExitCode, UsageError, type CliIo } from '../io.js';
import { specInput } from '../spec-input.js';
import type { SetExit } from './registrar.js';

/** Parsed `migrate` options. */
export interface MigrateCliOptions {
  spec: string;
  format: string;
  out?: string;
  prove: boolean;
  failOnProof?: boolean;
}

/** Runs `migrate`. */
export async function runMigrate(io: CliIo, setExit: SetExit, snapshot: string, opts: MigrateCliOptions): Promise<void> {
  if (opts.out === '') throw new UsageError('--out is empty; give a file path, or - for standard output');
  if (snapshot === '' || snapshot === '-') throw new UsageError('the snapshot is read from a directory; give the directory `bulkhead collect` wrote');
  const spec = await specInput(io, opts.spec);
  if (!spec.ok) {
    printDiagnostics(io, spec.diagnostics);
    return setExit(ExitCode.InvalidInput);
  }
  const host = cliHost(io);
  const result = await migrate({ snapshot, spec: spec.value, format: opts.format, prove: opts.prove }, host);
  host.finish();
  printDiagnostics(io, result.diagnostics);
  if (!result.ok) return setExit(ExitCode.InvalidInput);
  const text = result.value.rendered ?? '';
  if (opts.out === undefined || opts.out === '-') io.stdout(text);
  else {
    const written = await host.files.writeFile(resolve(io.cwd, opts.out), text, { label: opts.out });
    printDiagnostics(io, written.diagnostics);
    if (!written.ok) return setExit(ExitCode.InvalidInput);
    const p = result.value.plan;
    io.stderr(escapedLine(`wrote ${opts.out} (${written.value}): ${p.groups.length} groups, ${p.waves.length} waves, cross-account dependencies ${p.dependencies.before} → ${p.dependencies.after}`));
  }
  const broken = result.value.plan.proof !== undefined && !result.value.plan.proof.holds;
  // accounts the snapshot lacks (BH6009) or parts not collected (BH6008) are left out of the plan: never "clean"
  const gaps = snapshotGapCount(result.diagnostics);
  if (gaps > 0) io.stderr(escapedLine(`migrate: incomplete: the snapshot lacks ${gaps} account(s) or part(s) (warnings above); the plan leaves them out`));
  setExit(opts.failOnProof && broken ? ExitCode.Findings : gaps > 0 ? ExitCode.Incomplete : ExitCode.Ok);
}
