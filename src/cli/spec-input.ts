/**
 * Shared by every command that takes a SPEC argument: `-` reads standard input, anything else is a file.
 */
import type { OrganizationModel } from '../model/organization.js';
import { plan, type SpecInput } from '../operations/plan.js';
import { printDiagnostics } from './diagnostics-output.js';
import { cliHost } from './host.js';
import { UsageError, type CliIo } from './io.js';

/** The spec input a SPEC argument names (`-` is standard input, labelled `<stdin>`). */
export async function specInput(io: CliIo, specArg: string): Promise<SpecInput> {
  if (specArg === '') throw new UsageError('the spec path is empty; give a spec file, or - for standard input');
  return specArg === '-' ? { text: await io.readStdin(), label: '<stdin>' } : { path: specArg };
}

/** Reads and plans a spec; prints its diagnostics. Returns the model, or undefined when the spec is invalid. */
export async function loadSpecModel(io: CliIo, specArg: string): Promise<OrganizationModel | undefined> {
  const result = await plan(await specInput(io, specArg), cliHost(io));
  printDiagnostics(io, result.diagnostics);
  return result.ok ? result.value : undefined;
}
