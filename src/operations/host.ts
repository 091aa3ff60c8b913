/**
 * The host an operation runs in (like AWS CDK toolkit-lib's IoHost): the file system, the clock, the AWS client
 * factory and a sink for progress. Operations never print and never reach for `process`: a platform team passes
 * its own host (or `nodeHost()`), the CLI passes one built from its IO.
 */
import { resolve } from 'node:path';
import type { Result } from '../diagnostics/diagnostic.js';
// Types only: the SDK clients are loaded when an operation first asks for them (see `nodeAws`), so `plan`,
// `emit` and `verify` never pay for loading the AWS SDK.
import type { AwsConnection, ClientFactory } from '../aws/clients.js';
import { readTextFile } from '../io/files.js';
import { listDirectory } from '../io/list-dir.js';
import { commitOutputDir, pathKind, prepareOutputDir, writeOutputFile, type DirOutputRequest, type FileOutputOptions, type FileWriteMode, type OutputDirPlan, type PathKind } from '../io/output.js';
import { readSnapshotFiles } from '../io/snapshot-files.js';

/** The file system as operations use it; every method returns a Result instead of throwing for user errors. */
export interface HostFiles {
  /** Reads a UTF-8 text file. */
  readText(path: string, label?: string): Promise<Result<string>>;
  /** Reads a snapshot directory's files (relative path → text). */
  readSnapshot(dir: string, label?: string): Promise<Result<Map<string, string>>>;
  /** What is at a path, without following a symlink. */
  kind(path: string): Promise<PathKind>;
  /** The names in a directory, sorted (a snapshot history's entries are found this way). */
  list(dir: string, label?: string): Promise<Result<string[]>>;
  /** Writes one output file through the output guard. */
  writeFile(path: string, content: string, options?: FileOutputOptions): Promise<Result<FileWriteMode>>;
  /** Checks a directory output without changing anything (the output guard). */
  prepareDir(path: string, request: DirOutputRequest): Promise<Result<OutputDirPlan>>;
  /** Swaps a checked directory output in atomically (`staged`: a sibling directory already holding it). */
  commitDir(plan: OutputDirPlan, files: ReadonlyMap<string, string>, staged?: string): Promise<Result<void>>;
}

/** Something an operation reports while it runs (a long step's progress, a note for the user). */
export interface HostEvent {
  readonly kind: 'progress' | 'note';
  /** The operation reporting: `collect`, `apply`, `verify`, … */
  readonly operation: string;
  readonly message: string;
  readonly done?: number;
  readonly total?: number;
}

/** Everything an operation may touch outside its arguments. */
export interface Host {
  /** Directory that relative paths are resolved against. */
  readonly cwd: string;
  readonly now: () => Date;
  readonly files: HostFiles;
  /**
   * Makes the AWS clients for a connection (one place for endpoints, credentials, retries). May return the
   * factory or a promise of it; operations await it, so a host can load the SDK only when it is first needed.
   */
  readonly aws: (connection: AwsConnection) => ClientFactory | Promise<ClientFactory>;
  /** Receives progress and notes; may ignore them. */
  readonly report: (event: HostEvent) => void;
}

/** The file system of this process (the io/ edge). */
export function nodeFiles(): HostFiles {
  return {
    readText: readTextFile,
    readSnapshot: readSnapshotFiles,
    kind: pathKind,
    list: listDirectory,
    writeFile: writeOutputFile,
    prepareDir: prepareOutputDir,
    commitDir: commitOutputDir,
  };
}

/** The SDK client factory for a connection; the AWS SDK modules are imported on the first call, not before. */
export async function nodeAws(connection: AwsConnection): Promise<ClientFactory> {
  const { ClientFactory: Factory } = await import('../aws/clients.js');
  return new Factory(connection);
}

/** A host for this process: real files, the real clock, SDK clients, progress dropped unless `report` is given. */
export function nodeHost(overrides: Partial<Host> = {}): Host {
  return {
    cwd: process.cwd(),
    now: () => new Date(),
    files: nodeFiles(),
    aws: nodeAws,
    report: () => undefined,
    ...overrides,
  };
}

/** Resolves a user-given path against the host's working directory. */
export function hostPath(host: Host, path: string): string {
  return resolve(host.cwd, path);
}
