/**
 * One diagnostic type for every layer (spec, policy, snapshot, CLI, AWS).
 *
 * Codes are stable: tools and tests match on them, so never renumber one. Messages are lowercase,
 * name the bad value in backticks and say what to change.
 */

import { escapeText } from '../util/escape.js';
import { compareStrings as cmp } from '../util/order.js';
import type { DiagnosticCode } from './codes.js';

/** How bad a diagnostic is: errors make the input unusable, warnings do not. */
export type Severity = 'error' | 'warning';

/** A position in a source file, 1-based like editors show it. */
export interface SourcePosition {
  readonly line: number;
  readonly col: number;
}

/** A problem found in some input, with where it is and how to fix it. */
export interface Diagnostic {
  /** Stable code, e.g. `BH1001`; src/diagnostics/codes.ts registers them and docs/diagnostics.md lists them. */
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  /** Lowercase sentence: what is wrong, the bad value in backticks, what to change. */
  readonly message: string;
  /** JSON-style path inside the input, e.g. `businessUnits[2].phases[0]`; empty for the whole input. */
  readonly path?: string;
  /** File the input came from (`-` for stdin); set by the edge that read it. */
  readonly file?: string;
  /** Position inside the file when the input format knows it (YAML, JSON). */
  readonly position?: SourcePosition;
}

/** Builds an error diagnostic. */
export function error(code: DiagnosticCode, message: string, path?: string): Diagnostic {
  return path === undefined ? { code, severity: 'error', message } : { code, severity: 'error', message, path };
}

/** Builds a warning diagnostic. */
export function warning(code: DiagnosticCode, message: string, path?: string): Diagnostic {
  return path === undefined ? { code, severity: 'warning', message } : { code, severity: 'warning', message, path };
}

/** The diagnostics without repeats (same code, path and message), the first of each kept, in order. */
export function dedupeDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.code}|${d.path}|${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** True when any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/**
 * Formats a diagnostic the way compilers do: `file:line:col: error CODE: message (at path)`.
 * Parts that are unknown are left out rather than invented.
 *
 * This is the text form, for terminals and logs: the file, message and path go through `escapeText`, so a value
 * echoed in a message (a name with a newline, an ESC sequence, a bidi override) shows as a visible escape and
 * one diagnostic is always one line. The `Diagnostic` object itself (and any JSON made of it) keeps the raw text.
 */
export function formatDiagnostic(d: Diagnostic): string {
  let where = '';
  if (d.file !== undefined) {
    where = escapeText(d.file);
    if (d.position) where += `:${d.position.line}:${d.position.col}`;
    where += ': ';
  }
  const at = d.path ? ` (at ${escapeText(d.path)})` : '';
  return `${where}${d.severity} ${d.code}: ${escapeText(d.message)}${at}`;
}

/** Sorts diagnostics by file, position, path and code so output is deterministic. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      cmp(a.file ?? '', b.file ?? '') ||
      (a.position?.line ?? 0) - (b.position?.line ?? 0) ||
      (a.position?.col ?? 0) - (b.position?.col ?? 0) ||
      cmp(a.path ?? '', b.path ?? '') ||
      cmp(a.code, b.code) ||
      cmp(a.message, b.message),
  );
}

/** A value or the diagnostics that explain why there is none. Warnings may accompany a value. */
export type Result<T> =
  | { readonly ok: true; readonly value: T; readonly diagnostics: readonly Diagnostic[] }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/** Helper for the success case. */
export function ok<T>(value: T, diagnostics: readonly Diagnostic[] = []): Result<T> {
  return { ok: true, value, diagnostics };
}

/** Helper for the failure case. */
export function fail<T>(diagnostics: readonly Diagnostic[]): Result<T> {
  return { ok: false, diagnostics };
}

/**
 * The value of a Result that cannot fail for known-good input (benchmarks, tests, built-in documents); a failure
 * is a bug and throws with the diagnostics.
 */
export function valueOf<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected a value, got: ${result.diagnostics.map(formatDiagnostic).join('; ')}`);
  return result.value;
}
