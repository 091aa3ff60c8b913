/**
 * Diagnostics of reading and changing a live organization: the problems `readLiveState` and the executor
 * report, with the codes the CLI prints (stable: tools and tests match on them).
 */
import { error, warning, type Diagnostic } from '../diagnostics/diagnostic.js';
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
  /** The plan uses IAM Identity Center and it cannot be read, or has no instance. */
  IdentityUnreadable: 'BH6207',
  /** Part of IAM Identity Center could not be read; apply goes on without it. */
  IdentityPartial: 'BH6208',
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

/** BH6207: the plan uses IAM Identity Center and it cannot be read in `region` (`cause`), or has no instance there. */
export function identityUnreadable(region: string, cause: string | undefined): Diagnostic {
  return error(
    LiveCodes.IdentityUnreadable,
    cause === undefined
      ? `the plan uses IAM Identity Center and there is no instance in \`${region}\`; enable Identity Center for the organization in the management account's console in that region (or set \`identity.homeRegion\` to its region) and run apply again`
      : `cannot read IAM Identity Center in \`${region}\` (${cause}); apply needs it to compare groups, permission sets and assignments — grant the \`sso:\` and \`identitystore:\` actions of docs/live.md`,
  );
}

/** BH6208: a part of IAM Identity Center that apply does not manage could not be read (`what` says which). */
export function identityPartial(what: string): Diagnostic {
  return warning(LiveCodes.IdentityPartial, `${what}; apply does not manage permissions boundaries of permission sets and goes on`);
}
