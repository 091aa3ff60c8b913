/** `bulkhead init`: writes a starter spec (the `initSpec` operation). Loaded when `init` runs. */
import { initSpec } from '../../operations/init.js';
import { printDiagnostics } from '../diagnostics-output.js';
import { cliHost } from '../host.js';
import { escapedLine, ExitCode, UsageError, type CliIo } from '../io.js';
import type { SetExit } from './registrar.js';

const NAME = /^[a-z0-9][a-z0-9-]*$/;

/** Parsed `init` options. */
export interface InitCliOptions {
  name: string;
  businessUnits: string;
  phases: string;
  emailDomain: string;
  out: string;
  force?: boolean;
}

function names(flag: string, value: string): string[] {
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new UsageError(`${flag} needs at least one name, e.g. \`${flag} retail,bi\``);
  for (const n of items) {
    if (!NAME.test(n)) throw new UsageError(`${flag}: \`${n}\` must be lowercase letters, digits and hyphens`);
  }
  if (new Set(items).size !== items.length) throw new UsageError(`${flag}: names must be unique`);
  return items;
}

/** Runs `init`: checks the names and writes the starter spec. */
export async function runInit(io: CliIo, setExit: SetExit, o: InitCliOptions): Promise<void> {
  if (!NAME.test(o.name)) throw new UsageError(`--name: \`${o.name}\` must be lowercase letters, digits and hyphens`);
  if (!/^[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}$/.test(o.emailDomain)) throw new UsageError(`--email-domain: \`${o.emailDomain}\` is not a domain name like \`example.com\``);
  if (o.out === '') throw new UsageError('--out is empty; give a file path');
  const starter = {
    organization: o.name,
    businessUnits: names('--business-units', o.businessUnits),
    phases: names('--phases', o.phases),
    emailDomain: o.emailDomain,
  };
  const written = await initSpec({ starter, out: o.out, overwrite: o.force === true }, cliHost(io));
  printDiagnostics(io, written.diagnostics);
  if (!written.ok) return setExit(ExitCode.InvalidInput);
  io.stdout(escapedLine(`wrote ${o.out}; next: bulkhead plan ${o.out}`));
  setExit(ExitCode.Ok);
}
