/** `bulkhead adopt SNAPSHOT`: writes the adopted spec (and the id mapping) and lists what does not fit on stderr. */
import { adopt } from '../../operations/adopt.js';
import { printDiagnostics } from '../diagnostics-output.js';
import { cliHost } from '../host.js';
import { escapedLine, ExitCode, UsageError, type CliIo } from '../io.js';
import type { SetExit } from './registrar.js';

/** Parsed `adopt` options. */
export interface AdoptCliOptions {
  out?: string;
  ids?: string;
  minRoleAccounts: number;
  force?: boolean;
}

/** Runs `adopt`: reads the snapshot, writes the spec to `--out` or standard output. */
export async function runAdopt(io: CliIo, setExit: SetExit, snapshot: string, opts: AdoptCliOptions): Promise<void> {
  if (opts.out === '') throw new UsageError('--out is empty; give a spec file, e.g. `--out adopted.yaml`');
  if (opts.ids === '') throw new UsageError('--ids is empty; give a JSON file, e.g. `--ids adopted.ids.json`');
  const toStdout = opts.out === undefined || opts.out === '-';
  const result = await adopt(
    {
      snapshot,
      ...(toStdout ? {} : { out: opts.out! }),
      ...(opts.ids !== undefined ? { idsOut: opts.ids } : {}),
      overwrite: opts.force === true,
      minRoleAccounts: opts.minRoleAccounts,
    },
    cliHost(io),
  );
  printDiagnostics(io, result.diagnostics);
  if (!result.ok) return setExit(ExitCode.InvalidInput);
  const { adopted } = result.value;
  // the spec text is terminal-safe already: adopt quotes and escapes every control, separator and bidi character
  const text = adopted.yaml;
  if (toStdout) io.stdout(text);
  else io.stderr(escapedLine(`wrote ${opts.out} (${result.value.specWritten}): ${adopted.flags.length} thing${adopted.flags.length === 1 ? '' : 's'} flagged`));
  if (opts.ids !== undefined) io.stderr(escapedLine(`wrote the id mapping to ${opts.ids}`));
  const gaps = result.value.incomplete;
  if (gaps > 0) io.stderr(escapedLine(`adopt: incomplete: the snapshot lacks ${gaps} account(s) or part(s) (warnings above); the spec lacks them too`));
  setExit(gaps > 0 ? ExitCode.Incomplete : ExitCode.Ok);
}
