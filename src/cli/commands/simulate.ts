import { formatDiagnostic } from '../../diagnostics/diagnostic.js';
import { readTextFile } from '../../io/files.js';
import { batchLines, simulateLine, simulateText } from '../../operations/simulate.js';
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
    });
};
