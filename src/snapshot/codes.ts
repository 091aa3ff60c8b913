/** Diagnostic codes of the snapshot loader and decoder (stable; never renumber one). */

/** Diagnostic codes of the snapshot loader (stable). */
export const SnapshotCodes = {
  MissingFile: 'BH6001',
  BadJson: 'BH6002',
  BadShape: 'BH6003',
  BadVersion: 'BH6004',
  DanglingReference: 'BH6005',
  DuplicateAccountName: 'BH6006',
  MissingManagedPolicy: 'BH6007',
  AccountNotCollected: 'BH6008',
  /**
   * A policy document that could not be decoded. Same code as AccountNotCollected on purpose: the collector
   * records the reason as a manifest error of stage `decode`, which the loader reports as BH6008.
   */
  PolicyNotDecoded: 'BH6008',
  /** An ACTIVE account of organization.json without an account file: the analysis is incomplete. */
  AccountMissing: 'BH6009',
  /** An account file on disk that the manifest does not list (not read). */
  UnlistedAccountFile: 'BH6010',
  /** Files that disagree: an account file's id vs its name, an id twice, an account file for no listed account. */
  Inconsistent: 'BH6011',
  /** A `__proto__` key at a position where the format has named fields. */
  ProtoKey: 'BH6012',
  /** Accounts not ACTIVE (so not collected) without an account file. */
  AccountNotActive: 'BH6013',
  /** A key the snapshot format does not know where it has named fields (ignored; free-form maps excepted). */
  UnknownKey: 'BH6014',
  /** A snapshot file nested deeper than the JSON depth limit (refused before it is parsed). */
  TooDeep: 'BH6020',
} as const;
