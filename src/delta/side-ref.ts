/**
 * How a side of `diff` is written: a path (spec file or snapshot directory), `FILE@REV` (a spec at a git revision)
 * or `DIR@2026-11-01` / `DIR@latest` (an entry of a snapshot history, `collect --history`). Pure: the operation decides with the
 * file system which reading applies.
 */

/** A side as written: a path, and what follows its last `@` when there is one. */
export interface SideRef {
  readonly path: string;
  readonly at?: string;
}

/** Splits `arg` at its last `@` (a path that exists as written wins; the operation checks that first). */
export function splitSideRef(arg: string): SideRef {
  const cut = arg.lastIndexOf('@');
  if (cut <= 0 || cut === arg.length - 1) return { path: arg };
  return { path: arg.slice(0, cut), at: arg.slice(cut + 1) };
}

/** True for a history reference's part after `@`: `latest` or a date `YYYY-MM-DD`. */
export function isHistoryRef(at: string): boolean {
  if (at === 'latest') return true;
  if (at.length !== 10 || at[4] !== '-' || at[7] !== '-') return false;
  return [...at].every((c, i) => (i === 4 || i === 7 ? c === '-' : c >= '0' && c <= '9'));
}
