/**
 * The exit codes of every command, in one table: `--help` prints it (the whole table at the top level, each
 * command's own rows under its help), and README.md's command table and docs/live.md say the same.
 * Loaded on every run (the help text is built with the command table): keep it free of imports.
 */

/** One exit code, what it means, and the commands that use it (`*`: every command). */
export interface ExitCodeRow {
  readonly code: number;
  readonly meaning: string;
  readonly commands: readonly string[] | '*';
}

/** Every exit code bulkhead uses. */
export const EXIT_CODES: readonly ExitCodeRow[] = [
  { code: 0, meaning: 'success (warnings allowed)', commands: '*' },
  { code: 1, meaning: 'invalid input, a refused output, or an AWS failure (unreadable, unreachable, failed step)', commands: '*' },
  { code: 2, meaning: 'usage error: no command, unknown command or option, bad option value, missing argument', commands: '*' },
  { code: 3, meaning: 'findings at or above --fail-on (verify, diff, drift); the check does not hold (check: new access or a granted action; simulate: a decision other than --expect)', commands: ['verify', 'diff', 'drift', 'check', 'simulate'] },
  { code: 4, meaning: 'incomplete: collect could not read some accounts; verify, diff or drift left a document or an account out (see summary.incomplete); migrate planned, or adopt wrote a spec, without accounts or parts the snapshot lacks', commands: ['adopt', 'collect', 'verify', 'diff', 'drift', 'migrate'] },
  { code: 5, meaning: 'out of memory at the heap budget (BULKHEAD_MAX_HEAP_MB, default 1800 MB; see docs/verify.md "Size and memory")', commands: ['adopt', 'diff', 'drift', 'migrate', 'verify'] },
  { code: 70, meaning: 'internal error, always a bug (BULKHEAD_DEBUG=1 prints the stack trace)', commands: '*' },
];

/** The `Exit codes:` help section for `command`, or for the whole program when undefined. */
export function exitCodesHelp(command?: string): string {
  const rows = EXIT_CODES.filter((r) => command === undefined || r.commands === '*' || r.commands.includes(command));
  const lines = rows.map((r) => {
    const only = command === undefined && r.commands !== '*' ? ` (${r.commands.join(', ')})` : '';
    return `  ${String(r.code).padEnd(4)}${r.meaning}${only}`;
  });
  return `\nExit codes:\n${lines.join('\n')}\n`;
}
