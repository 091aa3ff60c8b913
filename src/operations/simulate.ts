/**
 * The `simulate` operations: one IAM request (JSON text) → the decision, or a batch of JSON Lines → one result
 * per line, in order. Diagnostics carry positions in the text (for a batch: the input's line number).
 */
import { error, fail, ok, sortDiagnostics, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import { locateDiagnostics } from '../policy/json-locate.js';
import { parseJsonText } from '../policy/parse.js';
import { simulate, type SimulateOutput } from '../policy/simulate.js';

/** Options shared by the simulate operations. */
export interface SimulateOptions {
  /** Add notes and validation warnings to each output. */
  readonly explain?: boolean;
  /** How to name the input in diagnostics (`-` for stdin). */
  readonly label: string;
}

/** Lines longer than this are not scanned for JSON paths (positions fall back to column 1). */
const MAX_LOCATED_LINE = 1_000_000;

/** Evaluates one simulate input given as JSON text; warnings come with the output. */
export function simulateText(text: string, options: SimulateOptions): Result<SimulateOutput> {
  const label = (ds: readonly Diagnostic[]): Diagnostic[] => ds.map((d) => ({ ...d, file: options.label }));
  const j = parseJsonText(text);
  if (!j.ok) return fail(label(j.diagnostics.slice(0, 1)));
  const res = simulate(j.value, options.explain === true);
  if (!res.ok) return fail(label(sortDiagnostics(locateDiagnostics(res.diagnostics, text))));
  return ok(res.value, label(locateDiagnostics(res.diagnostics, text)));
}

/** Evaluates one line of a JSON Lines batch; positions are on the input's line `lineNo` (1-based). */
export function simulateLine(raw: string, lineNo: number, options: SimulateOptions): Result<SimulateOutput> {
  const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  const place = (ds: readonly Diagnostic[]): Diagnostic[] => {
    const located = line.length <= MAX_LOCATED_LINE ? locateDiagnostics(ds, line) : [...ds];
    return sortDiagnostics(located).map((d) => ({ ...d, file: options.label, position: { line: lineNo, col: d.position?.col ?? 1 } }));
  };
  if (line.trim() === '') return fail(place([error('BH3100', 'empty line; each line must hold one JSON input object')]));
  const j = parseJsonText(line);
  if (!j.ok) return fail(place(j.diagnostics));
  const res = simulate(j.value, options.explain === true);
  return res.ok ? ok(res.value) : fail(place(res.diagnostics));
}

/** The lines of a JSON Lines text: a trailing newline does not start another line. */
export function batchLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
