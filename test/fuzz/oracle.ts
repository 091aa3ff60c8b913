/**
 * Runs a fuzz case and judges it. In-process through the library operations (the operation must return a
 * Result and never throw; every error located; nothing left in `--out` on failure; within the time bound), or
 * through a real CLI process (exit code in the documented set, no stack trace, every error line located, nothing
 * left behind, within the time bound).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { Diagnostic, Result } from '../../src/diagnostics/diagnostic.js';
import { isDiagnosticCode } from '../../src/diagnostics/codes.js';
import { decodeUtf8 } from '../../src/io/files.js';
import { emitToDirectory } from '../../src/operations/emit.js';
import { nodeHost } from '../../src/operations/host.js';
import { plan } from '../../src/operations/plan.js';
import { batchLines, simulateLine } from '../../src/operations/simulate.js';
import { verifyTarget } from '../../src/operations/verify.js';
import { ROOT, type FuzzCase, type Target } from './cases.js';

/** Per-case time bounds (ms), generous for a loaded 2-core machine, for inputs up to 1 MiB. */
export const BOUNDS = { inProcess: 2_000, cli: 5_000, cliTsx: 10_000 } as const;

/** Time allowed per MiB of input beyond the first: reading, decoding and checking must stay linear, not free. */
export const MS_PER_EXTRA_MIB = 150;

/** The bound for a case: `base` plus MS_PER_EXTRA_MIB for every MiB of its input over 1 MiB. */
export function boundFor(c: FuzzCase, base: number): number {
  const mib = (c.bytes?.length ?? 0) / (1024 * 1024);
  return Math.round(base + Math.max(0, mib - 1) * MS_PER_EXTRA_MIB);
}

/** Exit codes each command documents (README "Commands"); 70 is an internal error, always a bug. */
export const DOCUMENTED_EXITS: Record<Target, readonly number[]> = {
  plan: [0, 1, 2],
  emit: [0, 1, 2],
  verify: [0, 1, 2, 3, 4],
  simulate: [0, 1, 2],
  snapshot: [0, 1, 2, 3, 4],
};

/** How a case ended and what was wrong with it (no problems: it passed). */
export interface Verdict {
  readonly mode: 'in-process' | 'cli';
  readonly ms: number;
  /** `ok`/`fail` for a Result, `exit N` for a process. */
  readonly outcome: string;
  readonly problems: string[];
}

async function simulateBatch(dir: string): Promise<Result<unknown>> {
  const text = decodeUtf8(readFileSync(join(dir, 'batch.jsonl')), 'batch.jsonl');
  if (!text.ok) return text;
  const diagnostics: Diagnostic[] = [];
  let bad = false;
  batchLines(text.value).forEach((raw, i) => {
    const r = simulateLine(raw, i + 1, { label: 'batch.jsonl' });
    if (!r.ok) bad = true;
    diagnostics.push(...r.diagnostics);
  });
  return bad ? { ok: false, diagnostics } : { ok: true, value: undefined, diagnostics };
}

/** Runs a case's target through the library operation, with a host whose files are in `dir`. */
function operation(c: FuzzCase, dir: string): Promise<Result<unknown>> {
  const host = nodeHost({ cwd: dir, now: () => new Date('2026-01-01T00:00:00Z') });
  switch (c.target) {
    case 'plan':
      return plan({ path: c.input }, host);
    case 'emit':
      return emitToDirectory({ source: { path: c.input }, format: c.format ?? 'terraform', out: 'out' }, host);
    case 'verify':
    case 'snapshot':
      return verifyTarget({ target: { path: c.input }, threads: 1 }, host);
    case 'simulate':
      return simulateBatch(dir);
  }
}

/** Whether a diagnostic says where: a file, and for text inputs a line:col or a path in the document. */
function located(d: Diagnostic, target: Target): boolean {
  if (d.file === undefined || d.file === '') return false;
  return target === 'snapshot' || d.position !== undefined || (d.path !== undefined && d.path !== '');
}

function diagnosticProblems(c: FuzzCase, r: Result<unknown>): string[] {
  const problems: string[] = [];
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (!r.ok && errors.length === 0) problems.push('failed without an error diagnostic');
  for (const d of r.diagnostics) {
    if (!isDiagnosticCode(d.code)) problems.push(`unregistered code ${d.code}: ${d.message.slice(0, 200)}`);
    if (d.severity === 'error' && !located(d, c.target)) problems.push(`unlocated ${d.code}: ${d.message.slice(0, 200)}${d.file ? ` (file ${d.file})` : ''}`);
  }
  return problems;
}

/** On failure nothing may be left behind: no `out` directory, no temporary siblings. */
function leftovers(c: FuzzCase, dir: string, failed: boolean): string[] {
  if (c.target !== 'emit' || !failed) return [];
  const extra = readdirSync(dir).filter((n) => n !== c.input && !(n === 'out' && readdirSync(join(dir, 'out')).length === 0));
  return extra.length ? [`left behind after a failed emit: ${extra.join(', ')}`] : [];
}

function thrown(e: unknown): string {
  if (!(e instanceof Error)) return `threw a non-error: ${String(e).slice(0, 200)}`;
  const frames = (e.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l));
  const frame = (frames.find((l) => /\/src\//.test(l)) ?? frames[0] ?? '').trim();
  // frames without the machine's paths, so reproducers read the same everywhere
  const shown = frame.replace(/file:\/\/\S*?\/node_modules\//, 'node_modules/').replace(ROOT, '');
  return `threw ${e.name}: ${e.message.slice(0, 200)}${shown ? ` ${shown}` : ''}`;
}

/** Runs a case in-process and judges it. */
export async function judgeInProcess(c: FuzzCase, dir: string): Promise<Verdict> {
  const start = performance.now();
  let r: Result<unknown> | undefined;
  const problems: string[] = [];
  try {
    r = await operation(c, dir);
  } catch (e) {
    problems.push(thrown(e));
  }
  const ms = performance.now() - start;
  const bound = boundFor(c, BOUNDS.inProcess);
  if (ms > bound) problems.push(`took ${Math.round(ms)} ms (bound ${bound} ms)`);
  if (r !== undefined) {
    if (typeof r.ok !== 'boolean' || !Array.isArray(r.diagnostics)) problems.push('did not return a Result');
    else problems.push(...diagnosticProblems(c, r), ...leftovers(c, dir, !r.ok));
  }
  return { mode: 'in-process', ms, outcome: r === undefined ? 'threw' : r.ok ? 'ok' : 'fail', problems };
}

/** The CLI arguments that run a case. */
export function cliArgs(c: FuzzCase): string[] {
  switch (c.target) {
    case 'plan':
      return ['plan', c.input];
    case 'emit':
      return ['emit', c.input, '--format', c.format ?? 'terraform', '--out', 'out'];
    case 'verify':
    case 'snapshot':
      return ['verify', c.input, '--format', 'json', '--threads', '1'];
    case 'simulate':
      return ['simulate', '--batch', c.input];
  }
}

const STACK = [/^\s+at .+(:\d+:\d+\)?|\(native\))$/m, /\b(TypeError|RangeError|ReferenceError|SyntaxError)\b/, /node:internal/, /internal error/];
const LOCATED_LINE = /^.+:\d+:\d+: error BH\d{4}: /;
const FILE_LINE = /^.+?: error BH\d{4}: /;
const PATH_LINE = / \(at [^)]+\)$/;

/** Every `error BHnnnn` line of stderr says where (file:line:col, or file and `(at path)`; a snapshot: its file). */
function errorLines(c: FuzzCase, stderr: string): string[] {
  const problems: string[] = [];
  for (const line of stderr.split('\n')) {
    if (!/\berror BH\d{4}\b/.test(line) && !/^error\b/.test(line)) continue;
    const ok = LOCATED_LINE.test(line) || (FILE_LINE.test(line) && (c.target === 'snapshot' || PATH_LINE.test(line)));
    if (!ok) problems.push(`unlocated error line: ${JSON.stringify(line.slice(0, 200))}`);
  }
  return problems;
}

/** Simulate batches report errors on stdout, one JSON object per bad line: each must carry file and position. */
function batchErrors(stdout: string): string[] {
  const problems: string[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{"line":')) continue;
    const parsed = JSON.parse(line) as { errors: Diagnostic[] };
    for (const d of parsed.errors) if (d.severity === 'error' && (d.file === undefined || d.position === undefined)) problems.push(`unlocated batch error ${d.code}: ${d.message.slice(0, 200)}`);
  }
  return problems;
}

/** The command that runs the CLI: the built `bin/bulkhead.js`, or the sources through tsx. */
export type CliMode = 'dist' | 'tsx';

/** Runs a case through a CLI process and judges it. */
export function judgeCli(c: FuzzCase, dir: string, mode: CliMode): Verdict {
  // the case directory is the cwd, so tsx is named by its file (the repository's node_modules), not by package name
  const tsx = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
  const entry = mode === 'dist' ? [join(ROOT, 'bin/bulkhead.js')] : ['--import', tsx, join(ROOT, 'test-support/cli-process.ts')];
  const bound = boundFor(c, mode === 'dist' ? BOUNDS.cli : BOUNDS.cliTsx);
  const start = performance.now();
  const run = spawnSync(process.execPath, [...entry, ...cliArgs(c)], {
    cwd: dir,
    encoding: 'utf8',
    timeout: bound * 2,
    maxBuffer: 256 * 1024 * 1024,
    env: { PATH: process.env['PATH'] ?? '', HOME: dir, NODE_OPTIONS: '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ms = performance.now() - start;
  const problems: string[] = [];
  const outcome = run.signal ? `signal ${run.signal}` : `exit ${run.status}`;
  if (run.error && !run.signal) problems.push(`could not run: ${run.error.message}`);
  if (run.signal || !DOCUMENTED_EXITS[c.target].includes(run.status ?? -1)) problems.push(`${outcome} not in the documented set ${DOCUMENTED_EXITS[c.target].join(', ')}`);
  if (ms > bound) problems.push(`took ${Math.round(ms)} ms (bound ${bound} ms)`);
  const stderr = run.stderr ?? '';
  for (const re of STACK) {
    const m = re.exec(stderr);
    if (m) problems.push(`stack trace or internal error on stderr: ${JSON.stringify(stderr.slice(Math.max(0, m.index - 80), m.index + 120))}`);
  }
  problems.push(...errorLines(c, stderr));
  if (c.target === 'simulate' && run.stdout) problems.push(...batchErrors(run.stdout));
  if (run.status === 1 && !/\berror BH\d{4}\b/.test(stderr) && !(c.target === 'simulate' && /"errors"/.test(run.stdout ?? ''))) problems.push('exit 1 without an error diagnostic');
  if (c.target === 'emit' && run.status !== 0) {
    const extra = existsSync(dir) ? readdirSync(dir).filter((n) => n !== c.input && !(n === 'out' && readdirSync(join(dir, 'out')).length === 0)) : [];
    if (extra.length) problems.push(`left behind after a failed emit: ${extra.join(', ')}`);
  }
  return { mode: 'cli', ms, outcome, problems };
}
