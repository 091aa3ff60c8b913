/**
 * Snapshot history, the pure part: the layout of a history directory (`bulkhead collect --history DIR`), the
 * schema of its marker and of its entries, entry names from a collection time, and which entry a reference
 * (`DIR@2026-11-01`, `DIR@latest`) names. The files are read and written by src/io/history.ts.
 *
 * Layout: `history.json` (the marker: this is a bulkhead history), `objects/<sha256>.json` (each snapshot file
 * once, named by the SHA-256 of its text, so an account unchanged between two collections costs nothing new) and
 * `snapshots/<YYYYMMDDTHHMMSS.sssZ>.json` (one entry per collection: snapshot file name → object hash).
 */
import { z } from 'zod';
import { error, fail, ok, type Result } from '../diagnostics/diagnostic.js';
import { compareStrings } from '../util/order.js';

/** The marker file of a history directory. */
export const HISTORY_MARKER = 'history.json';
/** Folder of the content-addressed objects. */
export const HISTORY_OBJECTS = 'objects';
/** Folder of the entries (one per collection). */
export const HISTORY_SNAPSHOTS = 'snapshots';
/** Version of the history layout. */
export const HISTORY_VERSION = 1;

/** Diagnostic codes of snapshot history (stable). */
export const HistoryCode = {
  NotHistory: 'BH9170',
  BadDate: 'BH9171',
  NoEntry: 'BH9172',
  Broken: 'BH9173',
  EntryExists: 'BH9174',
  BadRef: 'BH9175',
} as const;

/** `history.json`. */
export const historyMarkerSchema = z
  .object({
    format: z.literal('bulkhead-history'),
    version: z.literal(HISTORY_VERSION),
    tool: z.object({ name: z.literal('bulkhead'), version: z.string() }).strict(),
  })
  .strict();

const SHA256 = /^[0-9a-f]{64}$/;
const SNAPSHOT_FILE = /^(manifest\.json|organization\.json|accounts\/\d{12}\.json)$/;

/** `snapshots/<name>.json`: one collection, each snapshot file by the hash of its text. */
export const historyEntrySchema = z
  .object({
    version: z.literal(HISTORY_VERSION),
    collectedAt: z.string().datetime(),
    files: z.record(z.string().regex(SNAPSHOT_FILE, 'must be a snapshot file name'), z.string().regex(SHA256, 'must be a SHA-256 hex digest')),
  })
  .strict();

/** A history entry. */
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

/** The marker's content for this version of bulkhead. */
export function historyMarkerText(toolVersion: string): string {
  return `${JSON.stringify({ format: 'bulkhead-history', version: HISTORY_VERSION, tool: { name: 'bulkhead', version: toolVersion } }, null, 2)}\n`;
}

/** An entry's file text: files sorted by name, pretty-printed. */
export function historyEntryText(collectedAt: Date, files: ReadonlyMap<string, string>): string {
  const sorted: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const name of [...files.keys()].sort(compareStrings)) sorted[name] = files.get(name)!;
  return `${JSON.stringify({ version: HISTORY_VERSION, collectedAt: collectedAt.toISOString(), files: sorted }, null, 2)}\n`;
}

/**
 * An entry's file name from its collection time: ISO 8601 in the basic format (`20261128T120000.000Z.json`), which
 * sorts by time and has no `:` (refused by Windows and by CI artifact uploads).
 */
export function historyEntryName(collectedAt: Date): string {
  return `${collectedAt.toISOString().replaceAll('-', '').replaceAll(':', '')}.json`;
}

/** True for a name {@link historyEntryName} can produce. */
export function isHistoryEntryName(name: string): boolean {
  if (name.length !== 'YYYYMMDDTHHMMSS.sssZ.json'.length || !name.endsWith('Z.json')) return false;
  return [...name.slice(0, 19)].every((c, i) => (i === 8 ? c === 'T' : i === 15 ? c === '.' : c >= '0' && c <= '9'));
}

/** The end (exclusive) of the UTC day `YYYY-MM-DD`, or a diagnostic when it is no calendar date. */
export function endOfUtcDay(date: string, label: string): Result<Date> {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const start = new Date(Date.UTC(y, m - 1, d));
  if (date.length !== 10 || start.getUTCFullYear() !== y || start.getUTCMonth() !== m - 1 || start.getUTCDate() !== d) {
    return fail([error(HistoryCode.BadDate, `\`${label}\`: \`${date}\` is not a calendar date; write a UTC date as \`YYYY-MM-DD\` (e.g. \`2026-11-01\`) or \`latest\``)]);
  }
  return ok(new Date(start.getTime() + 24 * 3600 * 1000));
}

/** One entry as listed: its file name and collection time. */
export interface HistoryListing {
  readonly name: string;
  readonly collectedAt: Date;
}

/**
 * The entry a reference names: `latest` is the newest entry, a date `YYYY-MM-DD` the newest entry collected on
 * or before that UTC day. `entries` may be in any order.
 */
export function pickHistoryEntry(entries: readonly HistoryListing[], at: string, label: string): Result<HistoryListing> {
  const sorted = [...entries].sort((a, b) => a.collectedAt.getTime() - b.collectedAt.getTime() || compareStrings(a.name, b.name));
  if (at === 'latest') {
    const last = sorted.at(-1);
    return last ? ok(last) : fail([error(HistoryCode.NoEntry, `\`${label}\`: the history has no entries yet; run \`bulkhead collect --history ${label.slice(0, label.lastIndexOf('@'))}\` first`)]);
  }
  const end = endOfUtcDay(at, label);
  if (!end.ok) return end;
  const chosen = sorted.filter((e) => e.collectedAt.getTime() < end.value.getTime()).at(-1);
  if (chosen) return ok(chosen);
  const first = sorted[0];
  const hint = first ? `the first entry is from \`${first.collectedAt.toISOString()}\`` : 'the history has no entries yet';
  return fail([error(HistoryCode.NoEntry, `\`${label}\`: no history entry on or before \`${at}\` (UTC); ${hint}; give a later date or \`@latest\``)]);
}
