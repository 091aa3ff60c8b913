/**
 * Shared by every command that takes a SPEC argument: read the file (or stdin for `-`), plan it, print diagnostics.
 */
import { resolve } from 'node:path';
import type { OrganizationModel } from '../model/organization.js';
import { planFromYaml } from '../plan/index.js';
import { readTextFile } from '../io/files.js';
import { printDiagnostics } from './diagnostics-output.js';
import type { CliIo } from './io.js';

/** Reads and plans a spec; prints its diagnostics. Returns the model, or undefined when the spec is invalid. */
export async function loadSpecModel(io: CliIo, specArg: string): Promise<OrganizationModel | undefined> {
  let text: string;
  let label = specArg;
  if (specArg === '-') {
    text = await io.readStdin();
    label = '<stdin>';
  } else {
    const r = await readTextFile(resolve(io.cwd, specArg), specArg);
    if ('diagnostic' in r) {
      printDiagnostics(io, [r.diagnostic]);
      return undefined;
    }
    text = r.text;
  }
  const result = planFromYaml(text, label);
  printDiagnostics(io, result.diagnostics);
  return result.ok ? result.value : undefined;
}
