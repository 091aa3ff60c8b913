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
} as const;
