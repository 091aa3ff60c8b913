/**
 * CLI entry: parses arguments with commander and dispatches to one module per command in ./commands, whose
 * implementation is imported only when that command runs.
 * Commands return their exit code; nothing here calls process.exit, so tests can run commands in-process.
 */
import { Command, CommanderError, Help, type Argument, type Option } from 'commander';
import { escapedLine, ExitCode, processIo, UsageError, type CliIo } from './io.js';
import { escapeText } from '../util/escape.js';
import { COMMANDS } from './commands/index.js';
import { VERSION } from '../version.js';
import { exitCodesHelp } from './exit-codes.js';

/** Help that marks what must be given: `(required)` on mandatory options and required arguments. */
const HELP_CONFIG = {
  optionDescription(this: Help, o: Option): string {
    const text = Help.prototype.optionDescription.call(this, o);
    return o.mandatory ? `(required) ${text}` : text;
  },
  argumentDescription(this: Help, a: Argument): string {
    const text = Help.prototype.argumentDescription.call(this, a);
    return a.required ? `(required) ${text}` : text;
  },
};

/**
 * A commander error message made safe for a terminal: it echoes the argument or option value given, so the text
 * goes through `escapeText`; the only line breaks kept are commander's own, before `(Did you mean …?)` and at the end.
 */
export function commanderError(text: string): string {
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  return `${escapeText(body).replaceAll('\\n(Did you mean ', '\n(Did you mean ')}\n`;
}

/** Runs the CLI with the given arguments (without `node` and the script) and returns the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let exitCode: number = ExitCode.Ok;
  const program = new Command('bulkhead')
    .description('plan, build, read and verify AWS multi-account organizations')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: (text, write) => write(commanderError(text)) })
    .configureHelp(HELP_CONFIG)
    .showHelpAfterError('(run `bulkhead help` for usage)')
    .addHelpText('after', exitCodesHelp());
  for (const register of COMMANDS) {
    register(program, io, (code) => {
      exitCode = code;
    });
  }
  for (const cmd of program.commands) cmd.addHelpText('after', exitCodesHelp(cmd.name()));
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version asked for are "errors" to commander but a success to the user. Help shown because no
      // command was given (`bulkhead` alone: commander prints it to stderr with exit code 1) is a usage error.
      const asked = e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || (e.code === 'commander.help' && e.exitCode === 0);
      return asked ? ExitCode.Ok : ExitCode.Usage;
    }
    if (e instanceof UsageError) {
      io.stderr(escapedLine(`error: ${e.message}`));
      return ExitCode.Usage;
    }
    // A bug: say so plainly, without a stack trace unless asked for.
    io.stderr(escapedLine(`internal error: ${e instanceof Error ? e.message : String(e)}`));
    // the stack keeps its lines; each is escaped, as the message in its first line may echo a value
    const stack = (e instanceof Error ? (e.stack ?? '') : '').split('\n');
    if (io.env['BULKHEAD_DEBUG']) io.stderr(stack.map(escapedLine).join(''));
    return 70;
  }
  return exitCode;
}
