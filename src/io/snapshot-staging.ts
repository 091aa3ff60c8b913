/**
 * The staging area of a streamed, resumable collect (file edge): a hidden sibling of the output directory,
 * `.<name>.bulkhead-collect/`, where each account file is written atomically (temporary file, fsync, rename) as soon as
 * the account is read, and a progress record (`progress.jsonl`, one fsynced line per completed account) says which
 * accounts are complete. `staging.json` names the organization and the option set the collect was started with, so a
 * resume never mixes two organizations or two option sets. When the collect ends, the staging directory becomes the
 * snapshot: its own bookkeeping files are removed and it is swapped in through the output guard (`output.ts`).
 */
import { appendFile, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { error, fail, ok, warning, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import { accountFile, MANIFEST_FILE, ORGANIZATION_FILE, type AccountSnapshot, type Snapshot, type SnapshotError, type SnapshotOrganization } from '../snapshot/format.js';
import { compareStrings } from '../util/order.js';
import { errnoOf } from './errno.js';
import { pathKind } from './output.js';

/** Diagnostic codes of the collect staging area (stable). */
export const StagingCode = {
  Resumed: 'BH6240',
  OtherOrganization: 'BH6241',
  OtherOptions: 'BH6242',
  Unusable: 'BH6243',
  Discarded: 'BH6244',
} as const;

const HEADER_FILE = 'staging.json';
const PROGRESS_FILE = 'progress.jsonl';
const STAGED_ORGANIZATION = 'organization.staged.json';
const MARKER = 'bulkhead-collect-staging';

/** The option set a collect was started with (compared as JSON on resume). */
export type StagingOptions = Readonly<Record<string, string | boolean | number | readonly string[]>>;

interface Header {
  readonly kind: typeof MARKER;
  readonly version: 1;
  readonly startedAt: string;
  readonly options: StagingOptions;
  readonly organizationId?: string;
}

/** One line of the progress record: an account whose file is complete. */
export interface StagedAccount {
  readonly accountId: string;
  readonly roles: number;
  readonly users: number;
  readonly resources: number;
  readonly errors: readonly SnapshotError[];
}

/** The staging directory of an output directory. */
export function stagingDirOf(outDir: string): string {
  return join(dirname(outDir), `.${basename(outDir)}.bulkhead-collect`);
}

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

/** Writes a file atomically: temporary file beside it, fsync, rename. */
async function writeDurably(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp`;
  const fh = await open(tmp, 'w', 0o644);
  try {
    await fh.writeFile(text, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
}

function parseHeader(text: string): Header | undefined {
  try {
    const h = JSON.parse(text) as Partial<Header>;
    return h.kind === MARKER && h.version === 1 && typeof h.startedAt === 'string' && typeof h.options === 'object' ? (h as Header) : undefined;
  } catch (e) {
    if (e instanceof SyntaxError) return undefined;
    throw e;
  }
}

/** The completed accounts of the progress record; a torn last line (a kill mid-write) is ignored. */
function parseProgress(text: string): Map<string, StagedAccount> {
  const done = new Map<string, StagedAccount>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const a = JSON.parse(line) as StagedAccount;
      if (typeof a.accountId === 'string') done.set(a.accountId, a);
    } catch (e) {
      if (!(e instanceof SyntaxError)) throw e;
    }
  }
  return done;
}

/** A staging area in use: what an interrupted collect did, and the writers of a running one. */
export class CollectStaging {
  constructor(
    readonly dir: string,
    readonly header: Header,
    readonly done: ReadonlyMap<string, StagedAccount>,
    readonly organization: { readonly organization: SnapshotOrganization; readonly errors: readonly SnapshotError[] } | undefined,
    readonly diagnostics: readonly Diagnostic[],
  ) {}

  /** Records the Organizations part (and its errors) and the organization's id. */
  async begin(read: { readonly organization: SnapshotOrganization; readonly errors: readonly SnapshotError[] }): Promise<void> {
    await writeDurably(join(this.dir, STAGED_ORGANIZATION), json(read));
    await writeDurably(join(this.dir, HEADER_FILE), json({ ...this.header, organizationId: read.organization.id }));
  }

  /** Writes one account's file atomically, then records it as complete. */
  async accept(account: AccountSnapshot, errors: readonly SnapshotError[]): Promise<void> {
    await writeDurably(join(this.dir, accountFile(account.accountId)), json(account));
    const line: StagedAccount = { accountId: account.accountId, roles: account.iam.roles.length, users: account.iam.users.length, resources: account.resources.length, errors };
    const fh = await open(join(this.dir, PROGRESS_FILE), 'a');
    try {
      await fh.appendFile(`${JSON.stringify(line)}\n`, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
  }

  /** Removes the staging directory (after its snapshot went into a history and no snapshot directory was asked for). */
  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }

  /** Removes the staging area when it holds nothing worth resuming (no organization read, no account complete). */
  async discardIfEmpty(): Promise<void> {
    if (this.done.size > 0 || this.organization !== undefined) return;
    if ((await pathKind(join(this.dir, STAGED_ORGANIZATION))) !== 'missing') return;
    await rm(this.dir, { recursive: true, force: true });
  }

  /**
   * Makes the staging directory a snapshot: writes manifest and organization, removes the bookkeeping files and
   * account files the manifest does not list (accounts no longer active). The caller swaps it in through the guard.
   */
  async finish(snapshot: Pick<Snapshot, 'manifest' | 'organization'>): Promise<void> {
    const keep = new Set(snapshot.manifest.accountFiles);
    for (const id of this.done.keys()) if (!keep.has(accountFile(id))) await rm(join(this.dir, accountFile(id)), { force: true });
    await writeDurably(join(this.dir, ORGANIZATION_FILE), json(snapshot.organization));
    await writeDurably(join(this.dir, MANIFEST_FILE), json(snapshot.manifest));
    for (const f of [STAGED_ORGANIZATION, PROGRESS_FILE, HEADER_FILE]) await rm(join(this.dir, f), { force: true });
  }
}

function describeDiff(a: StagingOptions, b: StagingOptions): string {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(compareStrings);
  return keys
    .filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
    .map((k) => `${k}: \`${JSON.stringify(a[k])}\` then, \`${JSON.stringify(b[k])}\` now`)
    .join('; ');
}

/** Reads an existing staging area; a directory that is not one is refused (never removed). */
async function readExisting(dir: string, label: string): Promise<Result<{ header: Header; done: Map<string, StagedAccount>; organization?: CollectStaging['organization'] }>> {
  const headerText = (await pathKind(join(dir, HEADER_FILE))) === 'file' ? await readFile(join(dir, HEADER_FILE), 'utf8') : undefined;
  const header = headerText === undefined ? undefined : parseHeader(headerText);
  if (!header) {
    return fail([{ ...error(StagingCode.Unusable, `\`${label}\` exists but is not the staging area of a bulkhead collect (no valid \`${HEADER_FILE}\`); move it away or choose another --out`), file: label }]);
  }
  const progress = (await pathKind(join(dir, PROGRESS_FILE))) === 'file' ? await readFile(join(dir, PROGRESS_FILE), 'utf8') : '';
  const done = parseProgress(progress);
  for (const id of [...done.keys()]) if ((await pathKind(join(dir, accountFile(id)))) !== 'file') done.delete(id);
  const orgPath = join(dir, STAGED_ORGANIZATION);
  const organization = (await pathKind(orgPath)) === 'file' ? (JSON.parse(await readFile(orgPath, 'utf8')) as CollectStaging['organization']) : undefined;
  return ok({ header, done, ...(organization ? { organization } : {}) });
}

/** Creates an empty staging area. */
async function createStaging(dir: string, options: StagingOptions, startedAt: Date, diagnostics: Diagnostic[]): Promise<CollectStaging> {
  await mkdir(join(dir, 'accounts'), { recursive: true });
  const header: Header = { kind: MARKER, version: 1, startedAt: startedAt.toISOString(), options };
  await writeDurably(join(dir, HEADER_FILE), json(header));
  await appendFile(join(dir, PROGRESS_FILE), '');
  return new CollectStaging(dir, header, new Map(), undefined, diagnostics);
}

/** What {@link openStaging} needs. */
export interface OpenStagingRequest {
  /** The output directory (the staging area is its hidden sibling). */
  readonly outDir: string;
  /** How to name the output directory in messages. */
  readonly label: string;
  /** The option set of this collect (a resume must have the same). */
  readonly options: StagingOptions;
  /** Continue an unfinished collect found there; otherwise one found is discarded (with a warning). */
  readonly resume: boolean;
  readonly now: Date;
}

/**
 * Opens the staging area of `outDir`: resumes the unfinished collect found there when asked to (same options, or a
 * BH6242 error), or starts a new one (discarding an unfinished one with a BH6244 warning). A directory there that is
 * not a bulkhead staging area is never touched (BH6243).
 */
export async function openStaging(request: OpenStagingRequest): Promise<Result<CollectStaging>> {
  const dir = stagingDirOf(request.outDir);
  const label = stagingDirOf(request.label);
  const diagnostics: Diagnostic[] = [];
  try {
    const kind = await pathKind(dir);
    if (kind !== 'missing') {
      if (kind !== 'directory') return fail([{ ...error(StagingCode.Unusable, `\`${label}\` is a ${kind}, not a collect staging directory; move it away or choose another --out`), file: label }]);
      const existing = await readExisting(dir, label);
      if (!existing.ok) return existing;
      const { header, done, organization } = existing.value;
      if (request.resume) {
        const diff = describeDiff(header.options, request.options);
        if (diff !== '') {
          return fail([{ ...error(StagingCode.OtherOptions, `the unfinished collect in \`${label}\` was started with other options (${diff}); resume with the same options, or run without --resume to start over`), file: label }]);
        }
        const resumed = warning(StagingCode.Resumed, `resuming the collect started at ${header.startedAt}: ${done.size} accounts already complete are not read again`);
        return ok(new CollectStaging(dir, header, done, organization, [resumed]));
      }
      await rm(dir, { recursive: true, force: true });
      diagnostics.push(warning(StagingCode.Discarded, `an unfinished collect (started at ${header.startedAt}, ${done.size} accounts complete) was discarded; pass --resume to continue one instead`));
    }
    return ok(await createStaging(dir, request.options, request.now, diagnostics));
  } catch (e) {
    const code = errnoOf(e);
    if (code === undefined) throw e;
    return fail([{ ...error(StagingCode.Unusable, `cannot use the collect staging directory \`${label}\` (${code}); check the permissions of the output's parent directory`), file: label }]);
  }
}

/** The diagnostic for a resume whose live organization is not the staged one. */
export function otherOrganization(label: string, staged: string, live: string): Diagnostic {
  return {
    ...error(StagingCode.OtherOrganization, `the unfinished collect in \`${stagingDirOf(label)}\` read organization \`${staged}\`, but the credentials reach organization \`${live}\`; use the credentials of \`${staged}\`, or run without --resume to start over`),
    file: stagingDirOf(label),
  };
}
