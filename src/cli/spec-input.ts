/**
 * Shared by every command that takes a SPEC argument: `-` reads standard input, anything else is a file.
 */
import { ok, type Result } from '../diagnostics/diagnostic.js';
import type { OrganizationModel } from '../model/organization.js';
import { plan, type SpecInput } from '../operations/plan.js';
import { printDiagnostics } from './diagnostics-output.js';
import { cliHost } from './host.js';
import { readStdinText, UsageError, type CliIo } from './io.js';

/**
 * The spec input a SPEC argument names (`-` is standard input, labelled `<stdin>`), or BH0003 when standard
 * input is not valid UTF-8 (a file is checked the same way when it is read).
 */
export async function specInput(io: CliIo, specArg: string): Promise<Result<SpecInput>> {
  if (specArg === '') throw new UsageError('the spec path is empty; give a spec file, or - for standard input');
  return stdinOrPath(io, specArg);
}

/** `{ text, label: '<stdin>' }` for `-` (strictly decoded), else `{ path }`. */
export async function stdinOrPath(io: CliIo, arg: string): Promise<Result<{ readonly text: string; readonly label: string } | { readonly path: string }>> {
  if (arg !== '-') return ok({ path: arg });
  const text = await readStdinText(io, '<stdin>');
  return text.ok ? ok({ text: text.value, label: '<stdin>' }) : text;
}

/** Reads and plans a spec; prints its diagnostics. Returns the model, or undefined when the spec is invalid. */
export async function loadSpecModel(io: CliIo, specArg: string): Promise<OrganizationModel | undefined> {
  const input = await specInput(io, specArg);
  const result = input.ok ? await plan(input.value, cliHost(io)) : input;
  printDiagnostics(io, result.diagnostics);
  return result.ok ? result.value : undefined;
}
