/**
 * Condition keys of web identity (OIDC) federation: a role trust policy tests the token's claims under the
 * provider's URL, e.g. `token.actions.githubusercontent.com:sub`, `cognito-identity.amazonaws.com:aud`,
 * `oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE:aud`.
 *
 * Source: IAM User Guide, "IAM and AWS STS condition context keys", section "Available keys for AWS web identity
 * federation" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif):
 * for any OIDC provider the keys are the provider URL followed by `:aud`, `:sub`, `:amr` (Amazon Cognito),
 * `:azp`, `:email` and `:oaud` (Google); Login with Amazon uses `www.amazon.com:app_id` and `:user_id`, Facebook
 * `graph.facebook.com:app_id` and `:id`. The keys are in the request context of `sts:AssumeRoleWithWebIdentity`
 * (Service Authorization Reference, "Actions, resources, and condition keys for AWS Security Token Service").
 * Provider-specific claims that AWS lists for some providers (GitHub's `job_workflow_ref`, GitLab's
 * `project_id`, …) come from the Service Authorization Reference data instead.
 */
import type { ConditionKeyType } from './global-keys.js';

/** Claims every OIDC provider's tokens can be tested on, lowercase. */
const OIDC_CLAIMS: ReadonlySet<string> = new Set(['amr', 'aud', 'azp', 'email', 'oaud', 'sub']);

/** Keys of the social providers AWS names, lowercase (besides the OIDC claims). */
const PROVIDER_KEYS: ReadonlySet<string> = new Set(['www.amazon.com:app_id', 'www.amazon.com:user_id', 'graph.facebook.com:app_id', 'graph.facebook.com:id']);

/** A provider URL without the scheme: a host name with a dot, optionally followed by a path. */
const PROVIDER_URL = /^[a-z0-9-]+(\.[a-z0-9-]+)+(\/[^\s:]*)?$/;

/** The one action whose request context has these keys. */
export const WEB_IDENTITY_ACTION = 'sts:assumerolewithwebidentity';

/** A web identity key's catalogue entry: its pattern spelling and type. */
export interface WebIdentityKey {
  /** `${ProviderUrl}:sub`-style pattern, or the exact key for the social providers. */
  readonly key: string;
  readonly type: ConditionKeyType;
}

/** The web identity federation key `key` is an instance of, or undefined (case-insensitive). */
export function webIdentityKey(key: string): WebIdentityKey | undefined {
  const lower = key.trim().toLowerCase();
  if (PROVIDER_KEYS.has(lower)) return { key: lower, type: 'String' };
  const colon = lower.lastIndexOf(':');
  if (colon <= 0) return undefined;
  const provider = lower.slice(0, colon);
  const claim = lower.slice(colon + 1);
  if (!PROVIDER_URL.test(provider) || !OIDC_CLAIMS.has(claim)) return undefined;
  return { key: `\${ProviderUrl}:${claim}`, type: 'String' };
}
