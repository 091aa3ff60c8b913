/**
 * The apply journal (file edge): an append-only JSON-lines file recording every step — started, done,
 * failed, and the CreateAccount request ids still pending — so a killed run can be resumed. Each line is
 * written and fsynced before the step goes on; a torn line (killed mid-write: not JSON) is ignored on reading.
 *
 * Every line that is JSON is checked against the entry schema: one that is not an entry (edited by hand, written
 * by something else) is an error naming `file:line` and what is wrong, and the journal is never rewritten, so no
 * good line is lost. A run that changes things holds an exclusive lock beside the journal (`<journal>.lock`, with
 * the holder's pid, host and start time); a lock whose process is gone on this host is stale and taken over.
 */
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { error, fail, ok, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';

/** Diagnostic codes of the journal (stable). */
export const JournalCode = {
  /** The journal cannot be read or written, or a line is not an entry. */
  Unusable: 'BH6205',
  /** Another run holds the lock. */
  Locked: 'BH6206',
} as const;

const STATUSES = ['start', 'pending', 'done', 'failed', 'run-start', 'run-end'] as const;

const entrySchema = z.object({
  at: z.iso.datetime(),
  run: z.string(),
  key: z.string().min(1),
  status: z.enum(STATUSES),
  data: z.record(z.string(), z.string()).optional(),
});

/** One journal line. */
export interface JournalEntry {
  readonly at: string;
  /** Identifies the run (its start time), to tell runs apart when reading. */
  readonly run: string;
  /** The change's key (see changes.ts), or `run` for run-level entries. */
  readonly key: string;
  readonly status: (typeof STATUSES)[number];
  readonly data?: Readonly<Record<string, string>>;
}

/** Who holds a journal lock. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  /** When the holder took the lock (ISO 8601). */
  readonly started: string;
}

// Names of the temporary files beside the lock: unique within this process too (two runs may share one).
let tempSeq = 0;

const holderSchema = z.object({ pid: z.number().int().positive(), host: z.string(), started: z.string() });

/** The `code` of a Node.js system error. */
function errno(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : undefined;
}

/** System errors a journal path can meet that are the user's to fix; anything else is a bug and surfaces. */
function pathProblem(e: unknown, label: string, doing: string): Diagnostic {
  const code = errno(e);
  const d = (message: string): Diagnostic => ({ ...error(JournalCode.Unusable, message), file: label });
  if (code === 'EISDIR') return d(`the apply journal \`${label}\` is a directory; give a file path with --journal (or a directory with --state)`);
  if (code === 'ENOTDIR') return d(`a part of the apply journal path \`${label}\` is a file, not a directory; give a directory with --state or a file path with --journal`);
  if (code === 'EACCES' || code === 'EPERM') return d(`cannot ${doing} the apply journal \`${label}\` (permission denied); give another --journal or --state`);
  if (code === 'EROFS') return d(`cannot ${doing} the apply journal \`${label}\` (read-only file system); give another --journal or --state`);
  if (code === 'ENOSPC' || code === 'ENAMETOOLONG' || code === 'ELOOP') return d(`cannot ${doing} the apply journal \`${label}\` (${code}); give another --journal or --state`);
  throw e;
}

/** The entries of a journal's text, or an error per line that is JSON but not an entry. */
function parseEntries(text: string, label: string): Result<JournalEntry[]> {
  const entries: JournalEntry[] = [];
  const bad: Diagnostic[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (e) {
      // A line torn by a kill mid-write: the step it described is re-checked against live state anyway.
      if (e instanceof SyntaxError) return;
      throw e;
    }
    const parsed = entrySchema.safeParse(json);
    if (parsed.success) {
      entries.push(parsed.data);
      return;
    }
    const what = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.length > 0 ? `\`${issue.path.join('.')}\`: ` : ''}${issue.message.toLowerCase()}`)
      .join('; ');
    bad.push({
      ...error(JournalCode.Unusable, `journal line ${i + 1} is not a bulkhead journal entry (${what}); apply never rewrites the journal: fix or delete that line, or give another --journal`),
      file: label,
      position: { line: i + 1, col: 1 },
    });
  });
  return bad.length > 0 ? fail(bad) : ok(entries);
}

/** Options of {@link Journal.open}. */
export interface JournalOpenOptions {
  /** How to name the journal in messages (default: its path). */
  readonly label?: string;
}

/** An open journal. */
export class Journal {
  // Opened on the first record, so reading the journal (a dry run) never creates a file.
  private fd: number | undefined;
  private lockText: string | undefined;
  private constructor(
    readonly path: string,
    readonly label: string,
    readonly entries: JournalEntry[],
    private readonly run: string,
    private readonly now: () => Date,
    private tornTail: boolean,
  ) {}

  private file(): number {
    if (this.fd === undefined) {
      mkdirSync(dirname(this.path), { recursive: true });
      this.fd = openSync(this.path, 'a');
      // If the last write was torn by a kill, start on a fresh line.
      if (this.tornTail) writeSync(this.fd, '\n');
      this.tornTail = false;
    }
    return this.fd;
  }

  /**
   * Reads the journal at `path` (if any); the file is created on the first `record`. A path that cannot hold a
   * journal, or a line that is not an entry, is a BH6205 error (the file is left as it is).
   */
  static open(path: string, now: () => Date, options: JournalOpenOptions = {}): Result<Journal> {
    const label = options.label ?? path;
    let text = '';
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      if (errno(e) !== 'ENOENT') return fail([pathProblem(e, label, 'read')]);
    }
    const entries = parseEntries(text, label);
    if (!entries.ok) return entries;
    return ok(new Journal(path, label, entries.value, now().toISOString(), now, text !== '' && !text.endsWith('\n')));
  }

  /** The lock file beside the journal. */
  get lockPath(): string {
    return `${this.path}.lock`;
  }

  /**
   * Takes the exclusive lock for a run that changes things. Held by a live process (or one on another host, which
   * cannot be checked), it is a BH6206 error naming the holder; held by a process of this host that is gone, it is
   * taken over. Released by {@link close}.
   */
  lock(): Result<LockHolder> {
    const me: LockHolder = { pid: process.pid, host: hostname(), started: this.now().toISOString() };
    const text = `${JSON.stringify(me)}\n`;
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      // Written beside it, then linked into place: the lock file is never seen half-written.
      const tmp = join(dirname(this.path), `.${process.pid}.${++tempSeq}.lock.tmp`);
      writeFileSync(tmp, text);
      try {
        for (let tries = 0; tries < 3; tries++) {
          if (tryLink(tmp, this.lockPath)) {
            this.lockText = text;
            return ok(me);
          }
          const held = readHolder(this.lockPath);
          if (held === 'gone') continue;
          if (held === undefined) return fail([this.lockDiagnostic(`\`${this.lockPath}\` is there but is not a bulkhead lock; delete it if no apply is running`)]);
          if (!isStale(held) || !takeOver(this.lockPath, held)) return fail([this.lockDiagnostic(holderText(held, this.lockPath))]);
        }
        return fail([this.lockDiagnostic(`\`${this.lockPath}\` keeps changing hands; try again`)]);
      } finally {
        unlinkSync(tmp);
      }
    } catch (e) {
      return fail([pathProblem(e, this.label, 'lock')]);
    }
  }

  private lockDiagnostic(why: string): Diagnostic {
    return { ...error(JournalCode.Locked, `the apply journal \`${this.label}\` is locked: ${why}`), file: this.label };
  }

  /** Appends one entry durably. */
  record(key: string, status: JournalEntry['status'], data?: Record<string, string>): void {
    const e: JournalEntry = { at: this.now().toISOString(), run: this.run, key, status, ...(data ? { data } : {}) };
    this.entries.push(e);
    const fd = this.file();
    writeSync(fd, `${JSON.stringify(e)}\n`);
    fsyncSync(fd);
  }

  /** CreateAccount request ids recorded as pending and not finished since, by change key. */
  pendingCreateRequests(): Map<string, string> {
    const out = new Map<string, string>();
    for (const e of this.entries) {
      if (e.status === 'pending' && e.data?.['requestId']) out.set(e.key, e.data['requestId']);
      if ((e.status === 'done' || e.status === 'failed') && out.has(e.key)) out.delete(e.key);
    }
    return out;
  }

  /** Accounts closed by apply since `since` (for AWS's closure quota). */
  closedSince(since: Date): number {
    return this.entries.filter((e) => e.key.startsWith('close-account:') && e.status === 'done' && new Date(e.at) >= since).length;
  }

  /** Closes the file (if it was opened) and releases the lock (if this journal holds it). */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    if (this.lockText !== undefined) {
      // Only our own lock: one taken over by another run after ours was judged stale stays.
      if (readText(this.lockPath) === this.lockText) unlinkSync(this.lockPath);
      this.lockText = undefined;
    }
  }
}

/** Links `tmp` to `lock`; false when `lock` exists. */
function tryLink(tmp: string, lock: string): boolean {
  try {
    linkSync(tmp, lock);
    return true;
  } catch (e) {
    if (errno(e) === 'EEXIST') return false;
    throw e;
  }
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if (errno(e) === 'ENOENT') return undefined;
    throw e;
  }
}

/** The holder a lock file names; `gone` when the file went away meanwhile, undefined when it is not a lock. */
function readHolder(lock: string): LockHolder | 'gone' | undefined {
  const text = readText(lock);
  if (text === undefined) return 'gone';
  try {
    const h = holderSchema.safeParse(JSON.parse(text));
    return h.success ? h.data : undefined;
  } catch (e) {
    if (e instanceof SyntaxError) return undefined;
    throw e;
  }
}

/** True when the holder is a process of this host that no longer runs. */
function isStale(h: LockHolder): boolean {
  if (h.host !== hostname()) return false;
  try {
    process.kill(h.pid, 0);
    return false;
  } catch (e) {
    return errno(e) === 'ESRCH'; // EPERM: it runs, as another user
  }
}

/**
 * Removes a stale lock, making sure it is still the stale one: it is moved aside atomically and, when what was
 * moved turns out to be another run's fresh lock, put back.
 */
function takeOver(lock: string, stale: LockHolder): boolean {
  const aside = `${lock}.${process.pid}.${++tempSeq}.stale`;
  try {
    renameSync(lock, aside);
  } catch (e) {
    if (errno(e) === 'ENOENT') return true;
    throw e;
  }
  const moved = readHolder(aside);
  if (typeof moved === 'object' && moved.pid === stale.pid && moved.started === stale.started && moved.host === stale.host) {
    unlinkSync(aside);
    return true;
  }
  if (!tryLink(aside, lock)) return false;
  unlinkSync(aside);
  return false;
}

function holderText(h: LockHolder, lock: string): string {
  return `another apply holds it (pid ${h.pid} on host \`${h.host}\`, started ${h.started}); wait for it to finish, or, if that process is gone, delete \`${lock}\``;
}
