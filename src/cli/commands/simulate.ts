import { formatDiagnostic, sortDiagnostics, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { readTextFile } from '../../io/files.js';
import { parseJsonText } from '../../policy/parse.js';
import { locateDiagnostics } from '../../policy/json-locate.js';
import { simulate } from '../../policy/simulate.js';
import { ExitCode, UsageError } from '../io.js';
import type { CommandRegistrar } from './registrar.js';

/**
 * `bulkhead simulate FILE|-` evaluates one request; `bulkhead simulate --batch [FILE]` reads JSON Lines
 * (default stdin) and writes one result line per input line, in order. Exit 0 ran, 1 invalid input, 2 usage.
 */
export const registerSimulate: CommandRegistrar = (program, io, setExit) => {
  program
    .command('simulate')
    .description('evaluate one IAM request against identity, resource, boundary, session, SCP and RCP policies')
    .argument('[file]', 'JSON input file, or - for stdin (with --batch: JSON Lines, default stdin)')
    .option('--batch', 'read JSON Lines, one input object per line; write one result per line')
    .option('--explain', 'add notes on the rules that applied and validation warnings to the output')
    .action(async (file: string | undefined, opts: { batch?: boolean; explain?: boolean }) => {
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
    });
};
