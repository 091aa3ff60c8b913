/**
 * Diagnostics of reading and changing a live organization: the problems `readLiveState` and the executor
 * report, with the codes the CLI prints (stable: tools and tests match on them).
 */
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { SnapshotError } from '../snapshot/format.js';
import type { NetworkError } from './errors.js';

/** Diagnostic codes of apply's live side (BH62xx). */
export const LiveCodes = {
  /** The live organization cannot be read at all. */
  CannotRead: 'BH6201',
  /** IAM of an account the plan puts roles in cannot be read. */
  AccountsUnreadable: 'BH6202',
  /** A step of the change set failed. */
  StepFailed: 'BH6203',
  /** The endpoint does not answer (refused, timeout) after the network attempts. */
  Unreachable: 'BH6204',
} as const;

function unreachableMessage(e: NetworkError, endpoint: string | undefined): string {
  const where = endpoint === undefined ? 'the AWS endpoint' : `\`${endpoint}\``;
  return `cannot reach ${where}: ${e.message}; check --endpoint-url, the network and proxy settings, or raise --connect-timeout / --request-timeout`;
}

/**
 * BH6102: collect cannot reach the AWS endpoint; `e` is the scheduler's NetworkError, whose message says what
 * happened (refused, no answer within N s) and how often it was tried.
 */
export function collectUnreachable(e: NetworkError, endpoint: string | undefined): Diagnostic {
  return error('BH6102', unreachableMessage(e, endpoint));
}

/** BH6204: apply cannot reach the AWS endpoint (see {@link collectUnreachable}). */
export function applyUnreachable(e: NetworkError, endpoint: string | undefined): Diagnostic {
  return error(LiveCodes.Unreachable, unreachableMessage(e, endpoint));
}

/** BH6201: Organizations (or the live model built from it) cannot be read; `cause` describes why (see describeError). */
export function cannotReadLive(cause: string): Diagnostic {
  return error(
    LiveCodes.CannotRead,
    `cannot read the live organization (${cause}); check credentials (--profile), that you run in the management account, and --endpoint-url`,
  );
}

/** BH6202: the collector could not read IAM in one account (`e` is its manifest error). */
export function accountUnreadable(e: SnapshotError, accessRoleName: string): Diagnostic {
  return error(
    LiveCodes.AccountsUnreadable,
    `cannot read IAM in account \`${e.accountName ?? e.accountId}\` (${e.stage}: ${e.message}); apply needs it to compare roles — check the \`${accessRoleName}\` role there`,
  );
}

/** BH6203: one step failed; the run can be resumed from the live state. */
export function stepFailed(key: string, message: string, journalPath: string): Diagnostic {
  return error(
    LiveCodes.StepFailed,
    `step \`${key}\` failed: ${message}; fix the cause and run apply again — it resumes from the live state (journal: ${journalPath})`,
  );
}
