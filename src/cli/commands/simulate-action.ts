/** `bulkhead simulate`: evaluates one request, or JSON Lines with --batch. Loaded when `simulate` runs. */
import { formatDiagnostic } from '../../diagnostics/diagnostic.js';
import { readTextFile } from '../../io/files.js';
import { batchLines, simulateLine, simulateText } from '../../operations/simulate.js';
import { ExitCode, UsageError, type CliIo } from '../io.js';
import type { SetExit } from './registrar.js';

/** Parsed `simulate` options. */
export interface SimulateCliOptions {
  batch?: boolean;
  explain?: boolean;
}

/** Runs `simulate` on FILE (or stdin): one result, or with --batch one result line per input line. */
export async function runSimulate(io: CliIo, setExit: SetExit, file: string | undefined, opts: SimulateCliOptions): Promise<void> {
  const explain = opts.explain === true;
  if (!opts.batch && file === undefined) throw new UsageError('give an input FILE (or - for stdin), or use --batch');
  const name = file ?? '-';
  let text: string;
  if (name === '-') text = await io.readStdin();
  else {
    const r = await readTextFile(name);
    if (!r.ok) {
      for (const d of r.diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
      return setExit(ExitCode.InvalidInput);
    }
    text = r.value;
  }
  if (!opts.batch) {
    const res = simulateText(text, { explain, label: name });
    for (const d of res.diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
    if (!res.ok) return setExit(ExitCode.InvalidInput);
    io.stdout(`${JSON.stringify(res.value, null, 2)}\n`);
    return setExit(ExitCode.Ok);
  }
  // JSON Lines: one result line per input line, in order; blank lines get an error so output stays aligned
  let bad = false;
  const out: string[] = [];
  batchLines(text).forEach((raw, i) => {
    const res = simulateLine(raw, i + 1, { explain, label: name });
    if (!res.ok) bad = true;
    out.push(res.ok ? JSON.stringify(res.value) : JSON.stringify({ line: i + 1, errors: res.diagnostics }));
    if (out.length >= 1000) io.stdout(`${out.splice(0).join('\n')}\n`); // stream in chunks
  });
  if (out.length) io.stdout(`${out.join('\n')}\n`);
  setExit(bad ? ExitCode.InvalidInput : ExitCode.Ok);
}
