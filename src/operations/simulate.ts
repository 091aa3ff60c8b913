/**
 * The `simulate` operations: one IAM request (JSON text) → the decision, or a batch of JSON Lines → one result
 * per line, in order. Diagnostics carry positions in the text (for a batch: the input's line number).
 */
import { error, fail, ok, sortDiagnostics, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import { locateDiagnostics } from '../policy/json-locate.js';
import { parseJsonText } from '../policy/parse.js';
import { lineCut, LineSetCache, type LineCut, type SeenLine } from '../policy/set-cache.js';
import { buildPolicySet } from '../policy/policy-set.js';
import { simulate, type SimulateOutput } from '../policy/simulate.js';
import { tooDeepLine } from './simulate-depth.js';
import { MAX_BATCH_LINE } from './simulate-limits.js';
import type { StatementRef } from '../policy/types.js';

/** Options shared by the simulate operations. */
export interface SimulateOptions {
  /** Add notes and validation warnings to each output. */
  readonly explain?: boolean;
  /** How to name the input in diagnostics (`-` for stdin). */
  readonly label: string;
  /** The decision every request should get (`simulate --expect`); a batch records the lines that get another. */
  readonly expect?: SimulateOutput['decision'];
}

/** A batch line whose decision is not the expected one. */
export interface UnexpectedDecision {
  readonly line: number;
  readonly decision: SimulateOutput['decision'];
}

export { MAX_BATCH_LINE } from './simulate-limits.js';

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
 * Diagnostics of a refused policy set, located once in the line's text without its request (the lineCut key,
 * the same for every line that shares the set) and sorted: col is the offset in that text + 1. Keyed by the
 * set's diagnostics array, which the set cache hands to every such line.
 */
const locatedInKey = new WeakMap<readonly Diagnostic[], readonly Diagnostic[]>();

const onRequest = (d: Diagnostic): boolean => d.path !== undefined && (d.path === 'request' || d.path.startsWith('request.') || d.path.startsWith('request['));

/** The diagnostics of a refused line whose cut is known and which name nothing inside `request`, placed; else undefined. */
function placeByKey(ds: readonly Diagnostic[], cut: LineCut, lineNo: number, label: string): Diagnostic[] | undefined {
  let located = locatedInKey.get(ds);
  if (located === undefined) {
    if (ds.some(onRequest)) return undefined;
    located = sortDiagnostics(locateDiagnostics(ds, cut.key));
    locatedInKey.set(ds, located);
  }
  const shift = cut.end - cut.start;
  return located.map((d) => {
    const at = d.position === undefined ? 0 : d.position.col - 1;
    return { ...d, file: label, position: { line: lineNo, col: (at >= cut.start ? at + shift : at) + 1 } };
  });
}

/**
 * Evaluates one line of a JSON Lines batch; positions are on the input's line `lineNo` (1-based). Pass the same
 * `sets` cache for every line of a batch so lines with equal policy documents share one compiled set.
 */
export function simulateLine(raw: string, lineNo: number, options: SimulateOptions, sets?: LineSetCache): Result<SimulateOutput> {
  const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  const cut = sets !== undefined && line.length <= MAX_LOCATED_LINE ? lineCut(line) : undefined;
  return lineResult({ line, lineNo, options, sets, cut, seen: cut === undefined ? undefined : sets?.find(cut) });
}

/** BH3105 for a batch line over MAX_BATCH_LINE characters, at its column 1. */
function tooLongLine(lineNo: number, label: string): Result<never> {
  const d = error('BH3105', `line is longer than ${MAX_BATCH_LINE.toLocaleString('en-US')} characters (64 MiB), the most a batch line may hold; give each request and its policies a line of its own`);
  return fail([{ ...d, file: label, position: { line: lineNo, col: 1 } }]);
}

/** One batch line with its cut found (when there is a cache) and whether the cache has seen its documents. */
interface LineJob {
  readonly line: string;
  readonly lineNo: number;
  readonly options: SimulateOptions;
  readonly sets: LineSetCache | undefined;
  readonly cut: LineCut | undefined;
  /** What the cache remembers of lines with this cut (their documents were seen), if anything. */
  readonly seen: SeenLine | undefined;
}

function lineResult(job: LineJob): Result<SimulateOutput> {
  const { line, lineNo, options, sets, cut } = job;
  const place = (ds: readonly Diagnostic[]): Diagnostic[] => {
    const located = line.length <= MAX_LOCATED_LINE ? locateDiagnostics(ds, line) : [...ds];
    return sortDiagnostics(located).map((d) => ({ ...d, file: options.label, position: { line: lineNo, col: d.position?.col ?? 1 } }));
  };
  if (line.length > MAX_BATCH_LINE) return tooLongLine(lineNo, options.label);
  if (line.trim() === '') return fail(place([error('BH3100', 'empty line; each line must hold one JSON input object')]));
  const seen = job.seen;
  // a line whose policy text was seen (that line passed) and whose request the light reader read (at most 32
  // levels, balanced) nests no deeper than that line outside the request: only other lines need the scan
  const tooDeep = seen && cut?.request ? undefined : tooDeepLine(line, lineNo, options.label);
  if (tooDeep) return tooDeep;
  const request = cut && seen ? (cut.request ? cut.request.value : parseRequest(line, cut)) : NOT_JSON;
  let value = seen && sets && request !== NOT_JSON ? sets.reuse(seen, request) : undefined;
  if (value === undefined) {
    const j = parseJsonText(line);
    if (!j.ok) return fail(place(j.diagnostics));
    if (cut && sets && isRecord(j.value)) sets.remember(cut, j.value);
    value = j.value as Record<string, unknown>;
  }
  const build = seen?.build ?? (sets ? sets.builderFor(cut) : buildPolicySet);
  const res = simulate(value, options.explain === true, undefined, build);
  if (res.ok) return ok(res.value);
  return fail((cut && placeByKey(res.diagnostics, cut, lineNo, options.label)) ?? place(res.diagnostics));
}

/**
 * Pieces of JSON Lines text with every line longer than `max` characters cut to `max + 1` (enough for the batch to
 * refuse it as too long, BH3105) and the rest of it dropped up to its newline; every other line, and every newline,
 * is passed on unchanged. The text held is bounded by `max` however long a line is (`/dev/zero` never ends one).
 * BatchRun refuses such a line by itself as soon as it passes the limit; this cut is for what holds text outside a
 * BatchRun (the threaded path's pending chunk text).
 */
export async function* limitLineLength(pieces: AsyncIterator<string>, max: number): AsyncGenerator<string> {
  let len = 0; // characters of the current line passed on so far (at most max + 1)
  for (let n = await pieces.next(); n.done !== true; n = await pieces.next()) {
    const piece = n.value;
    const first = piece.indexOf('\n');
    const last = first < 0 ? -1 : piece.lastIndexOf('\n');
    // the usual piece: no line in it, nor the line it continues, goes over the limit
    if (len + (first < 0 ? piece.length : first) <= max && (first < 0 || piece.length <= max)) {
      len = first < 0 ? len + piece.length : piece.length - last - 1;
      yield piece;
      continue;
    }
    let out = '';
    let start = 0;
    for (let nl = first; ; nl = piece.indexOf('\n', start)) {
      const end = nl < 0 ? piece.length : nl;
      const keep = Math.max(0, Math.min(end - start, max + 1 - len));
      out += piece.slice(start, start + keep);
      len += keep;
      if (nl < 0) break;
      out += '\n';
      len = 0;
      start = nl + 1;
    }
    if (out !== '') yield out;
  }
}

/** The lines of a JSON Lines text: a trailing newline does not start another line. */
export function batchLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Characters JSON.stringify escapes (quote, backslash, control characters, surrogates that may be lone). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string as JSON.stringify writes it. */
function jsonString(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/** The text of frozen lists (the evaluator shares one `blockedBy` list per set of reasons), written once each. */
const frozenListTexts = new WeakMap<readonly string[], string>();

function jsonStrings(xs: readonly string[]): string {
  const frozen = Object.isFrozen(xs);
  let out = frozen ? frozenListTexts.get(xs) : undefined;
  if (out !== undefined) return out;
  out = '[';
  for (let i = 0; i < xs.length; i++) out += (i === 0 ? '' : ',') + jsonString(xs[i]!);
  out += ']';
  if (frozen) frozenListTexts.set(xs, out);
  return out;
}

/** One explanation entry, keys in the order the evaluator creates them (policyKind, policy, statement, effect, sid). */
function jsonRef(r: StatementRef): string {
  const n = Number.isSafeInteger(r.statement) ? String(r.statement) : JSON.stringify(r.statement);
  const sid = r.sid === undefined ? '' : `,"sid":${jsonString(r.sid)}`;
  return `{"policyKind":${jsonString(r.policyKind)},"policy":${jsonString(r.policy)},"statement":${n},"effect":${jsonString(r.effect)}${sid}}`;
}

/** A result in the fixed shape simulate builds; the same text as JSON.stringify (the batch tests hold it to that). */
function jsonOutput(o: SimulateOutput): string {
  let explanation = '[';
  for (let i = 0; i < o.explanation.length; i++) explanation += (i === 0 ? '' : ',') + jsonRef(o.explanation[i]!);
  const base = `{"decision":${jsonString(o.decision)},"blockedBy":${jsonStrings(o.blockedBy)},"explanation":${explanation}]`;
  if (o.notes === undefined) return `${base}}`;
  return `${base},"notes":${jsonStrings(o.notes)},"warnings":${JSON.stringify(o.warnings)}}`;
}

/** Whether the output has exactly the keys jsonOutput writes, in its order. */
function fixedShape(o: SimulateOutput): boolean {
  const keys = Object.keys(o);
  if (keys[0] !== 'decision' || keys[1] !== 'blockedBy' || keys[2] !== 'explanation') return false;
  if (o.notes === undefined) return keys.length === 3;
  return keys.length === 5 && keys[3] === 'notes' && keys[4] === 'warnings';
}

/** The output line for one batch result (without the newline). */
export function batchResultLine(res: Result<SimulateOutput>, lineNo: number): string {
  if (!res.ok) return JSON.stringify({ line: lineNo, errors: res.diagnostics });
  return fixedShape(res.value) ? jsonOutput(res.value) : JSON.stringify(res.value);
}

/**
 * A JSON Lines batch fed in pieces: `results` takes the next piece of text and yields the output for every line
 * it completes (one result line each, without the newline, in input order), each as soon as it is computed;
 * before a line that may be slow (its policy documents not seen yet, so they are validated and compiled) it
 * yields `SLOW_NEXT`, so a caller that buffers output can write it out first. `end` finishes the last,
 * unterminated line. Only the unfinished line is kept, so memory stays bounded however long the input is.
 * Same lines as batchLines.
 */
export class BatchRun {
  private rest = '';
  /** Whether the current line was refused as too long before it ended: its text is dropped up to its newline. */
  private skipping = false;
  private lineNo = 0;
  private readonly sets = new LineSetCache();
  /** Whether any line was refused. */
  bad = false;
  /** With `expect`: the lines whose decision differs, in input order. */
  readonly unexpected: UnexpectedDecision[] = [];

  constructor(private readonly options: SimulateOptions) {}

  /** The result lines for the lines `piece` completes, with SLOW_NEXT before lines that may be slow. */
  *results(piece: string): Generator<string> {
    let start = 0;
    let nl = piece.indexOf('\n');
    if (nl < 0) {
      if (this.skipping) return;
      this.rest += piece;
      yield* this.refuseTooLong();
      return;
    }
    let first = true;
    if (this.skipping) {
      // the end of a line already refused as too long
      this.skipping = false;
      first = false;
      start = nl + 1;
      nl = piece.indexOf('\n', start);
    }
    while (nl >= 0) {
      const raw = first ? this.rest + piece.slice(0, nl) : piece.slice(start, nl);
      if (first) this.rest = '';
      first = false;
      start = nl + 1;
      nl = piece.indexOf('\n', start);
      const job = this.job(raw);
      if (!job.seen) yield SLOW_NEXT;
      yield this.one(job);
    }
    this.rest = piece.slice(start);
    yield* this.refuseTooLong();
  }

  /**
   * The unfinished line refused as soon as it is over MAX_BATCH_LINE (BH3105, its result line now, not when its
   * newline comes: an endless line gets its answer too); the rest of it is then dropped.
   */
  private *refuseTooLong(): Generator<string> {
    if (this.rest.length <= MAX_BATCH_LINE) return;
    this.rest = '';
    this.skipping = true;
    this.bad = true;
    const lineNo = ++this.lineNo;
    yield batchResultLine(tooLongLine(lineNo, this.options.label), lineNo);
  }

  /** Output text (newline-terminated result lines) for the lines `piece` completes; '' when none. */
  push(piece: string): string {
    let out = '';
    for (const r of this.results(piece)) if (r !== SLOW_NEXT) out += `${r}\n`;
    return out;
  }

  /** The result line for the last line when the input did not end with a newline; undefined otherwise. */
  last(): string | undefined {
    this.skipping = false;
    if (this.rest === '') return undefined;
    const raw = this.rest;
    this.rest = '';
    return this.one(this.job(raw));
  }

  /** Output for the last line when the input did not end with a newline; '' otherwise. */
  end(): string {
    const r = this.last();
    return r === undefined ? '' : `${r}\n`;
  }

  /** The number the next line gets (1 before any). */
  get nextLine(): number {
    return this.lineNo + 1;
  }

  /** The unfinished last line so far (text after the last newline), which the run then forgets. */
  takeRest(): string {
    const r = this.rest;
    this.rest = '';
    return r;
  }

  /**
   * The output of a chunk of whole lines (`text` ends with a newline unless `final`: then its last line may lack
   * one) whose first line is line `first` of the input, with the chunk's own verdict; the run's `bad` and
   * `unexpected` are left as they were (a thread runs chunks of a batch, the main thread merges their verdicts in
   * input order). The set cache is the run's, kept across chunks.
   */
  chunk(text: string, first: number, final: boolean): BatchChunk {
    const bad = this.bad;
    const before = this.unexpected.length;
    this.bad = false;
    this.rest = '';
    this.skipping = false; // a chunk starts at a line's start
    this.lineNo = first - 1;
    const out = final ? this.push(text) + this.end() : this.push(text);
    const result: BatchChunk = { out, bad: this.bad, unexpected: this.unexpected.splice(before) };
    this.bad = bad;
    return result;
  }

  /** Adds a chunk's verdict (from `chunk`, maybe on another thread) to the run's, chunks in input order. */
  merge(c: BatchChunk): void {
    if (c.bad) this.bad = true;
    for (const u of c.unexpected) this.unexpected.push(u);
  }

  /** The line with its cut and whether its documents were seen (unseen ones are validated and compiled: slow). */
  private job(raw: string): LineJob {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const cut = line.length <= MAX_LOCATED_LINE ? lineCut(line) : undefined;
    return { line, lineNo: ++this.lineNo, options: this.options, sets: this.sets, cut, seen: cut === undefined ? undefined : this.sets.find(cut) };
  }

  private one(job: LineJob): string {
    const res = lineResult(job);
    if (!res.ok) this.bad = true;
    else if (this.options.expect !== undefined && res.value.decision !== this.options.expect) this.unexpected.push({ line: job.lineNo, decision: res.value.decision });
    return batchResultLine(res, job.lineNo);
  }
}

/** The output of a chunk of a batch's lines (BatchRun.chunk): its result lines and its verdict. */
export interface BatchChunk {
  /** Newline-terminated result lines, in input order. */
  readonly out: string;
  /** Whether any line of the chunk was refused. */
  readonly bad: boolean;
  /** With `expect`: the chunk's lines whose decision differs, in input order. */
  readonly unexpected: readonly UnexpectedDecision[];
}

/** What BatchRun.results yields before a line that may take long (never a result line: those are JSON). */
export const SLOW_NEXT = '';
