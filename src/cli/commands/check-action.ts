/** `bulkhead check new-access|not-granted`: calls the check operations, prints the grants, sets the exit code. */
import { checkNewAccess, checkNotGranted, type CheckPolicyType } from '../../operations/check.js';
import type { CheckAnswer, Grant } from '../../policy/new-access.js';
import type { Result } from '../../diagnostics/diagnostic.js';
import { printDiagnostics } from '../diagnostics-output.js';
import { cliHost } from '../host.js';
import { escapedLine, ExitCode, jsonLine, type CliIo } from '../io.js';
import type { SetExit } from './registrar.js';

/** Parsed `check` options (both subcommands). */
export interface CheckCliOptions {
  policy: string;
  baseline?: string;
  type: CheckPolicyType;
  format: 'text' | 'json';
  actions?: string[];
  capabilities?: string[];
  resources?: string[];
}

/** Text output lists at most this many grants (JSON lists all). */
const TEXT_LIMIT = 200;

function grantLine(g: Grant): string {
  const who = g.principal === '-' ? '' : ` to ${g.principal}`;
  const when = g.conditions.length > 0 ? ` when ${g.conditions.join(' and ')}` : '';
  const approx = g.approximate ? ` (approximate: ${g.note ?? 'see docs/check.md'})` : '';
  return `  ${g.action} on ${g.resource}${who}${when} — statement ${g.statement}${approx}`;
}

function report(io: CliIo, setExit: SetExit, r: Result<CheckAnswer>, opts: CheckCliOptions, headline: string): void {
  printDiagnostics(io, r.diagnostics);
  if (!r.ok) return setExit(ExitCode.InvalidInput);
  const { grants, approximate } = r.value;
  if (opts.format === 'json') io.stdout(jsonLine({ holds: grants.length === 0, approximate, grants }, 2));
  else if (grants.length === 0) io.stdout(escapedLine(`ok: ${headline} none`));
  else {
    io.stdout(escapedLine(`${headline} ${grants.length} grant${grants.length === 1 ? '' : 's'}${approximate ? ' (some approximate: the engine leaned to reporting; see docs/check.md)' : ''}:`));
    for (const g of grants.slice(0, TEXT_LIMIT)) io.stdout(escapedLine(grantLine(g)));
    if (grants.length > TEXT_LIMIT) io.stdout(escapedLine(`  … ${grants.length - TEXT_LIMIT} more (use --format json)`));
  }
  setExit(grants.length === 0 ? ExitCode.Ok : ExitCode.Findings);
}

/** Runs `check new-access`: exit 0 no new access, 3 new access, 1 invalid input. */
export async function runCheckNewAccess(io: CliIo, setExit: SetExit, opts: CheckCliOptions): Promise<void> {
  const r = await checkNewAccess({ policy: opts.policy, baseline: opts.baseline ?? '', type: opts.type }, cliHost(io));
  report(io, setExit, r, opts, 'new access:');
}

/** Runs `check not-granted`: exit 0 none of the asked access granted, 3 some granted, 1 invalid input. */
export async function runCheckNotGranted(io: CliIo, setExit: SetExit, opts: CheckCliOptions): Promise<void> {
  const r = await checkNotGranted(
    {
      policy: opts.policy,
      type: opts.type,
      actions: opts.actions ?? [],
      capabilities: opts.capabilities ?? [],
      ...(opts.resources && opts.resources.length > 0 ? { resources: opts.resources } : {}),
    },
    cliHost(io),
  );
  report(io, setExit, r, opts, 'granted:');
}
