/** AWS defaults that are conventions of bulkhead rather than facts of one organization. */

/**
 * The region used when nothing else says which: the organization's first region, the CLI's `--region`, the
 * Organizations endpoint (a global service served from us-east-1 in the aws partition; AWS Organizations API
 * reference, "Endpoints"), and the condition value `aws:RequestedRegion` for global calls.
 */
export const DEFAULT_REGION = 'us-east-1';
