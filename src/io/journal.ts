/**
 * The apply journal (file edge): an append-only JSON-lines file recording every step — started, done,
 * failed, and the CreateAccount request ids still pending — so a killed run can be resumed. Each line is
 * written and fsynced before the step goes on; a torn last line (killed mid-write) is ignored on reading.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** One journal line. */
export interface JournalEntry {
  readonly at: string;
  /** Identifies the run (its start time), to tell runs apart when reading. */
  readonly run: string;
  /** The change's key (see changes.ts), or `run` for run-level entries. */
  readonly key: string;
  readonly status: 'start' | 'pending' | 'done' | 'failed' | 'run-start' | 'run-end';
  readonly data?: Readonly<Record<string, string>>;
}

/** An open journal. */
export class Journal {
  // Opened on the first record, so reading the journal (a dry run) never creates a file.
  private fd: number | undefined;
  private constructor(
    readonly path: string,
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

  /** Reads the journal at `path` (if any); the file is created on the first `record`. */
  static open(path: string, now: () => Date): Journal {
    let text = '';
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    const entries: JournalEntry[] = [];
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        entries.push(JSON.parse(line) as JournalEntry);
      } catch (e) {
        // A line torn by a kill mid-write: the step it described is re-checked against live state anyway.
        if (!(e instanceof SyntaxError)) throw e;
      }
    }
    return new Journal(path, entries, now().toISOString(), now, text !== '' && !text.endsWith('\n'));
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

  /** Closes the file (if it was opened). */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
