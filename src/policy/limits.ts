/**
 * Size limits per kind of policy document, in characters of the minified JSON (whitespace outside strings
 * removed), and the one size check every caller uses ({@link policySizeDiagnostic}).
 *
 * Sources (each limit below names its own):
 * - IAM: "IAM and AWS STS quotas, name requirements, and character limits",
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 * - AWS Organizations: "Quotas and service limits for AWS Organizations",
 *   https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
 * - SCPs since 15 May 2026: AWS raised the SCP size from 5,120 to 10,240 characters and SCPs per root, OU or account
 *   from 5 to 10 (AWS "What's new", May 2026). The stored copy of the Organizations quotas page still shows 5,120;
 *   the change is reported by "AWS doubled SCP limits. Here's what to review in your landing zone",
 *   https://cevo.com.au/post/aws-scp-limits-landing-zone-review/ and "AWS Just Doubled the SCP Quotas",
 *   https://sjramblings.io/aws-organizations-scp-quotas-doubled-what-now/ (RCPs are not part of that change).
 */
import { error, warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { PolicyType } from './types.js';

/** Hard limit (error above) and soft limit (warning above, e.g. a default quota that can be raised). */
export interface SizeLimit {
  readonly max: number;
  readonly soft?: number;
  readonly what: string;
}

/**
 * What a document is stored as, which decides its size limit: a {@link PolicyType} (an identity policy is a customer
 * managed policy), an AWS managed policy (AWS stores it: no customer limit), or one inline policy of a role, user or
 * group (each bounded by that principal's aggregate inline limit).
 */
export type PolicySizeKind = PolicyType | 'aws-managed' | 'inline-role' | 'inline-user' | 'inline-group';

/** Every size kind, for validation of user input. */
export const POLICY_SIZE_KINDS: readonly PolicySizeKind[] = ['identity', 'resource', 'trust', 'scp', 'rcp', 'boundary', 'session', 'aws-managed', 'inline-role', 'inline-user', 'inline-group'];

/** Customer managed policy: 6,144 characters (IAM quotas page, "IAM and STS character limits"). */
export const MANAGED_POLICY_CHARS = 6144;
/** Aggregate inline policy size of a role: 10,240 characters, not adjustable (IAM quotas page). */
export const ROLE_INLINE_CHARS = 10240;
/** Aggregate inline policy size of a user: 2,048 characters (IAM quotas page). */
export const USER_INLINE_CHARS = 2048;
/** Aggregate inline policy size of a group: 5,120 characters (IAM quotas page). */
export const GROUP_INLINE_CHARS = 5120;
/** Role trust policy length: 2,048 characters by default, adjustable through Service Quotas to 4,096 (IAM quotas page). */
export const TRUST_POLICY_DEFAULT_CHARS = 2048;
/** The largest role trust policy IAM stores after a quota increase (IAM quotas page). */
export const TRUST_POLICY_MAX_CHARS = 4096;
/** Session policy passed to AssumeRole: 2,048 characters (IAM quotas page; IAM User Guide "Session policies"). */
export const SESSION_POLICY_CHARS = 2048;
/** Service control policy: 10,240 characters since 15 May 2026 (was 5,120; see the module comment). */
export const SCP_CHARS = 10240;
/** Resource control policy: 5,120 characters (Organizations quotas page, "Maximum size of a policy document"). */
export const RCP_CHARS = 5120;
/** Resource-based policy: the S3 bucket policy limit of 20 KB (Amazon S3 User Guide "Bucket policies"); KMS key policies allow 32 KB. */
export const RESOURCE_POLICY_CHARS = 20480;

/** Limits by size kind; `undefined` where AWS sets no limit the customer can hit (AWS managed policies). */
export const SIZE_LIMITS: Readonly<Record<PolicySizeKind, SizeLimit | undefined>> = {
  identity: { max: MANAGED_POLICY_CHARS, what: 'managed policy' },
  boundary: { max: MANAGED_POLICY_CHARS, what: 'managed policy used as a permissions boundary' },
  session: { max: SESSION_POLICY_CHARS, what: 'session policy' },
  trust: { max: TRUST_POLICY_MAX_CHARS, soft: TRUST_POLICY_DEFAULT_CHARS, what: 'role trust policy' },
  scp: { max: SCP_CHARS, what: 'service control policy' },
  rcp: { max: RCP_CHARS, what: 'resource control policy' },
  resource: { max: RESOURCE_POLICY_CHARS, what: 'resource-based policy (S3 bucket policy limit)' },
  'aws-managed': undefined,
  'inline-role': { max: ROLE_INLINE_CHARS, what: 'inline policy of a role (the limit of all its inline policies together)' },
  'inline-user': { max: USER_INLINE_CHARS, what: 'inline policy of a user (the limit of all its inline policies together)' },
  'inline-group': { max: GROUP_INLINE_CHARS, what: 'inline policy of a group (the limit of all its inline policies together)' },
};

/**
 * BH3002 for a document of `chars` minified characters stored as `kind`: an error above what AWS stores at all,
 * a warning above a raisable default quota (a trust policy between 2,048 and 4,096), nothing for an AWS managed
 * policy. `maxSize` replaces the hard limit (and drops the soft one), e.g. 32,768 for a KMS key policy.
 */
export function policySizeDiagnostic(chars: number, kind: PolicySizeKind, maxSize?: number): Diagnostic | undefined {
  const lim = SIZE_LIMITS[kind];
  if (lim === undefined && maxSize === undefined) return undefined;
  const what = lim?.what ?? 'policy';
  const max = maxSize ?? lim!.max;
  if (chars > max) {
    return error('BH3002', `the ${what} is ${chars} characters without whitespace, over the limit of ${max}; split it into several policies`);
  }
  if (maxSize === undefined && lim?.soft !== undefined && chars > lim.soft) {
    return warning('BH3002', `the ${what} is ${chars} characters, over the default quota of ${lim.soft} (the maximum after a quota increase is ${lim.max}); shorten it or request an increase`);
  }
  return undefined;
}
