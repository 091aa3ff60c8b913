/**
 * Shape of the generated, committed catalogue data (src/catalog/data/catalog-data.ts). Short keys keep the
 * 22k-action catalogue small; indexes point into the service's own key and resource-type tables.
 */

/** AWS access levels as the Service Authorization Reference names them. */
export const ACCESS_LEVELS = ['List', 'Read', 'Write', 'Permissions management', 'Tagging'] as const;

/** One AWS access level. */
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

/** One service, compact. */
export interface ServiceRecord {
  /** Service prefix, e.g. `s3`. */
  readonly s: string;
  /** Service display name, e.g. `Amazon S3`. */
  readonly n: string;
  /** Condition keys the service defines or uses: `[canonical key, type]`, sorted case-insensitively. */
  readonly k: readonly (readonly [string, string])[];
  /** Resource types: `[name, indexes into k of the keys the resource type lists]`. */
  readonly r: readonly (readonly [string, readonly number[]])[];
  /**
   * Actions: `[canonical name, index into ACCESS_LEVELS, indexes into r, indexes into k]`; the key indexes
   * already include the keys of the action's resource types, sorted (so names come out sorted).
   */
  readonly a: readonly (readonly [string, number, readonly number[], readonly number[]])[];
}
