/** `bulkhead simulate`: evaluates one request, or JSON Lines with --batch. Loaded when `simulate` runs. */
import { formatDiagnostic, sortDiagnostics, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { readTextFile } from '../../io/files.js';
import { parseJsonText } from '../../policy/parse.js';
import { locateDiagnostics } from '../../policy/json-locate.js';
import { simulate } from '../../policy/simulate.js';
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
    const j = parseJsonText(text);
    if (!j.ok) {
      io.stderr(`${formatDiagnostic({ ...j.diagnostics[0]!, file: name })}\n`);
      return setExit(ExitCode.InvalidInput);
    }
    const res = simulate(j.value, explain);
    if ('diagnostics' in res) {
      for (const d of sortDiagnostics(locateDiagnostics(res.diagnostics, text))) io.stderr(`${formatDiagnostic({ ...d, file: name })}\n`);
      return setExit(ExitCode.InvalidInput);
    }
    for (const w of locateDiagnostics(res.warnings, text)) io.stderr(`${formatDiagnostic({ ...w, file: name })}\n`);
    io.stdout(`${JSON.stringify(res.output, null, 2)}\n`);
    return setExit(ExitCode.Ok);
  }
  // JSON Lines: a trailing newline does not start another line; blank lines get an error so output stays aligned
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  let bad = false;
  const out: string[] = [];
  lines.forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const errors = (ds: readonly Diagnostic[]): string => {
      bad = true;
      // positions inside the line, reported on the input's line number
      const located = line.length <= 1_000_000 ? locateDiagnostics(ds, line) : [...ds];
      return JSON.stringify({ line: i + 1, errors: sortDiagnostics(located).map((d) => ({ ...d, file: name, position: { line: i + 1, col: d.position?.col ?? 1 } })) });
    };
    if (line.trim() === '') {
      out.push(errors([{ code: 'BH3100', severity: 'error', message: 'empty line; each line must hold one JSON input object' }]));
      return;
    }
    const j = parseJsonText(line);
    if (!j.ok) {
      out.push(errors(j.diagnostics));
      return;
    }
    const res = simulate(j.value, explain);
    out.push('diagnostics' in res ? errors(res.diagnostics) : JSON.stringify(res.output));
    if (out.length >= 1000) io.stdout(`${out.splice(0).join('\n')}\n`); // stream in chunks
  });
  if (out.length) io.stdout(`${out.join('\n')}\n`);
  setExit(bad ? ExitCode.InvalidInput : ExitCode.Ok);
}
