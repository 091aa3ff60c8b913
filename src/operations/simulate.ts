/**
 * The `simulate` operations: one IAM request (JSON text) → the decision, or a batch of JSON Lines → one result
 * per line, in order. Diagnostics carry positions in the text (for a batch: the input's line number).
 */
import { error, fail, ok, sortDiagnostics, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import { locateDiagnostics } from '../policy/json-locate.js';
import { parseJsonText } from '../policy/parse.js';
import { lineCut, LineSetCache, type LineCut } from '../policy/set-cache.js';
import { simulate, type SimulateOutput } from '../policy/simulate.js';
import { tooDeepLine } from './simulate-depth.js';

/** Options shared by the simulate operations. */
export interface SimulateOptions {
  /** Add notes and validation warnings to each output. */
  readonly explain?: boolean;
  /** How to name the input in diagnostics (`-` for stdin). */
  readonly label: string;
}

/** Lines longer than this are not scanned for JSON paths (positions fall back to column 1). */
const MAX_LOCATED_LINE = 1_000_000;

const NOT_JSON = Symbol('not JSON');

/** A line's request value alone, or NOT_JSON (the whole line is then parsed, and reports the error). */
function parseRequest(line: string, cut: LineCut): unknown {
  try {
    return JSON.parse(line.slice(cut.start, cut.end)) as unknown;
  } catch (e) {
    if (e instanceof SyntaxError || e instanceof RangeError) return NOT_JSON;
    throw e;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Evaluates one simulate input given as JSON text; warnings come with the output. */
export function simulateText(text: string, options: SimulateOptions): Result<SimulateOutput> {
  const label = (ds: readonly Diagnostic[]): Diagnostic[] => ds.map((d) => ({ ...d, file: options.label }));
  const j = parseJsonText(text);
  if (!j.ok) return fail(label(j.diagnostics.slice(0, 1)));
  const res = simulate(j.value, options.explain === true);
  if (!res.ok) return fail(label(sortDiagnostics(locateDiagnostics(res.diagnostics, text))));
  return ok(res.value, label(locateDiagnostics(res.diagnostics, text)));
}

/**
 * Evaluates one line of a JSON Lines batch; positions are on the input's line `lineNo` (1-based). Pass the same
 * `sets` cache for every line of a batch so lines with equal policy documents share one compiled set.
 */
export function simulateLine(raw: string, lineNo: number, options: SimulateOptions, sets?: LineSetCache): Result<SimulateOutput> {
  const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  const place = (ds: readonly Diagnostic[]): Diagnostic[] => {
    const located = line.length <= MAX_LOCATED_LINE ? locateDiagnostics(ds, line) : [...ds];
    return sortDiagnostics(located).map((d) => ({ ...d, file: options.label, position: { line: lineNo, col: d.position?.col ?? 1 } }));
  };
  if (line.trim() === '') return fail(place([error('BH3100', 'empty line; each line must hold one JSON input object')]));
  const tooDeep = tooDeepLine(line, lineNo, options.label);
  if (tooDeep) return tooDeep;
  const cut = sets !== undefined && line.length <= MAX_LOCATED_LINE ? lineCut(line) : undefined;
  const request = cut && sets?.has(cut) ? parseRequest(line, cut) : NOT_JSON;
  let value = cut && sets && request !== NOT_JSON ? sets.reuse(cut, request) : undefined;
  if (value === undefined) {
    const j = parseJsonText(line);
    if (!j.ok) return fail(place(j.diagnostics));
    if (cut && sets && isRecord(j.value)) sets.remember(cut, j.value);
    value = j.value as Record<string, unknown>;
  }
  const res = simulate(value, options.explain === true, undefined, sets?.builderFor(cut));
  return res.ok ? ok(res.value) : fail(place(res.diagnostics));
}

/** The lines of a JSON Lines text: a trailing newline does not start another line. */
export function batchLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The output line for one batch result (without the newline). */
export function batchResultLine(res: Result<SimulateOutput>, lineNo: number): string {
  return res.ok ? JSON.stringify(res.value) : JSON.stringify({ line: lineNo, errors: res.diagnostics });
}

/**
 * A JSON Lines batch fed in pieces: `push` takes the next piece of text and returns the output for every line it
 * completed (one result line each, in input order); `end` finishes the last, unterminated line. Only the
 * unfinished line is kept, so memory stays bounded however long the input is. Same lines as batchLines.
 */
export class BatchRun {
  private rest = '';
  private lineNo = 0;
  private readonly sets = new LineSetCache();
  /** Whether any line was refused. */
  bad = false;

  constructor(private readonly options: SimulateOptions) {}

  /** Output text (newline-terminated result lines) for the lines `piece` completes; '' when none. */
  push(piece: string): string {
    let start = 0;
    let nl = piece.indexOf('\n');
    if (nl < 0) {
      this.rest += piece;
      return '';
    }
    let out = '';
    let first = true;
    while (nl >= 0) {
      const raw = first ? this.rest + piece.slice(0, nl) : piece.slice(start, nl);
      first = false;
      out += `${this.one(raw)}\n`;
      start = nl + 1;
      nl = piece.indexOf('\n', start);
    }
    this.rest = piece.slice(start);
    return out;
  }

  /** Output for the last line when the input did not end with a newline; '' otherwise. */
  end(): string {
    if (this.rest === '') return '';
    const raw = this.rest;
    this.rest = '';
    return `${this.one(raw)}\n`;
  }

  private one(raw: string): string {
    const res = simulateLine(raw, ++this.lineNo, this.options, this.sets);
    if (!res.ok) this.bad = true;
    return batchResultLine(res, this.lineNo);
  }
}
