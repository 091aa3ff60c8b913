/**
 * Size limits per policy type, in characters of the minified JSON (whitespace outside strings removed).
 * Sources: IAM User Guide "IAM and AWS STS quotas" (managed policy 6,144; role trust policy 2,048 default,
 * 4,096 maximum; session policies 2,048 plaintext); AWS Organizations "Quotas" (SCP and RCP 5,120);
 * Amazon S3 bucket policies 20 KB (the generic resource-policy limit used here; KMS key policies allow 32 KB).
 */
import type { PolicyType } from './types.js';

/** Hard limit (error above) and soft limit (warning above, e.g. a default quota that can be raised). */
export interface SizeLimit {
  readonly max: number;
  readonly soft?: number;
  readonly what: string;
}

/** Limits by policy type. */
export const SIZE_LIMITS: Readonly<Record<PolicyType, SizeLimit>> = {
  identity: { max: 6144, what: 'managed policy' },
  boundary: { max: 6144, what: 'managed policy used as a permissions boundary' },
  session: { max: 2048, what: 'session policy' },
  trust: { max: 4096, soft: 2048, what: 'role trust policy' },
  scp: { max: 5120, what: 'service control policy' },
  rcp: { max: 5120, what: 'resource control policy' },
  resource: { max: 20480, what: 'resource-based policy (S3 bucket policy limit)' },
};
