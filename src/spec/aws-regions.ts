/**
 * AWS region codes, per partition, for checking `organization.regions` and a guardrail's `regions`.
 *
 * Source: the partition data AWS publishes with its SDKs (the `partitions.json` of the AWS SDK for JavaScript v3,
 * `@aws-sdk/util-endpoints`, as shipped in `@aws-sdk/core` 3.981.2; botocore's `endpoints.json` holds the same
 * region lists), read on 2026-12-01 and written out here by hand. The regional endpoints these partitions describe are
 * in "AWS service endpoints" (AWS General Reference), https://docs.aws.amazon.com/general/latest/gr/rande.html.
 * Opt-in regions (`af-south-1`, `ap-east-1`, `me-central-1`, …) are regions like any other here.
 *
 * AWS opens new regions after this list was written, so a code that is not listed but is shaped like its partition's
 * codes (a known area prefix, a compass direction, a number: `ap-southeast-9`) is accepted with a warning, and only
 * a code that cannot be a region (`us-wst-2`, `eu-moon-9`) is an error. Update the lists when AWS opens a region.
 */

/** A partition: its id and the region codes it had when the list was written. */
export interface AwsPartition {
  readonly id: string;
  /** The area prefixes of its codes (`us`, `eu`, … or `us-gov`), as in the SDK's `regionRegex`. */
  readonly prefixes: readonly string[];
  readonly regions: readonly string[];
}

/** When the lists below were read from AWS's partition data. */
export const AWS_REGIONS_AS_OF = '2026-12-01';

/** The partitions whose accounts an organization spec can describe (commercial, China, GovCloud), with their regions. */
export const AWS_PARTITIONS: readonly AwsPartition[] = [
  {
    id: 'aws',
    prefixes: ['us', 'eu', 'ap', 'sa', 'ca', 'me', 'af', 'il', 'mx'],
    regions: [
      'af-south-1', // Africa (Cape Town)
      'ap-east-1', // Asia Pacific (Hong Kong)
      'ap-east-2', // Asia Pacific (Taipei)
      'ap-northeast-1', // Asia Pacific (Tokyo)
      'ap-northeast-2', // Asia Pacific (Seoul)
      'ap-northeast-3', // Asia Pacific (Osaka)
      'ap-south-1', // Asia Pacific (Mumbai)
      'ap-south-2', // Asia Pacific (Hyderabad)
      'ap-southeast-1', // Asia Pacific (Singapore)
      'ap-southeast-2', // Asia Pacific (Sydney)
      'ap-southeast-3', // Asia Pacific (Jakarta)
      'ap-southeast-4', // Asia Pacific (Melbourne)
      'ap-southeast-5', // Asia Pacific (Malaysia)
      'ap-southeast-6', // Asia Pacific (New Zealand)
      'ap-southeast-7', // Asia Pacific (Thailand)
      'ca-central-1', // Canada (Central)
      'ca-west-1', // Canada West (Calgary)
      'eu-central-1', // Europe (Frankfurt)
      'eu-central-2', // Europe (Zurich)
      'eu-north-1', // Europe (Stockholm)
      'eu-south-1', // Europe (Milan)
      'eu-south-2', // Europe (Spain)
      'eu-west-1', // Europe (Ireland)
      'eu-west-2', // Europe (London)
      'eu-west-3', // Europe (Paris)
      'il-central-1', // Israel (Tel Aviv)
      'me-central-1', // Middle East (UAE)
      'me-south-1', // Middle East (Bahrain)
      'me-west-1', // Middle East (Saudi Arabia)
      'mx-central-1', // Mexico (Central)
      'sa-east-1', // South America (Sao Paulo)
      'sa-west-1', // South America (Chile)
      'us-east-1', // US East (N. Virginia)
      'us-east-2', // US East (Ohio)
      'us-west-1', // US West (N. California)
      'us-west-2', // US West (Oregon)
    ],
  },
  { id: 'aws-cn', prefixes: ['cn'], regions: ['cn-north-1', 'cn-northwest-1'] },
  { id: 'aws-us-gov', prefixes: ['us-gov'], regions: ['us-gov-east-1', 'us-gov-west-1'] },
];

/** Every listed region code. */
export const AWS_REGION_CODES: readonly string[] = AWS_PARTITIONS.flatMap((p) => p.regions);

/** The middle part of every region code so far: a compass direction. */
const DIRECTIONS = ['north', 'south', 'east', 'west', 'central', 'northeast', 'northwest', 'southeast', 'southwest'];

/**
 * `known` for a listed region; `plausible` for an unlisted code shaped like a region of a partition (area prefix,
 * direction, number), which may be a region AWS opened since the list was written; `unknown` otherwise.
 */
export function regionStatus(code: string): 'known' | 'plausible' | 'unknown' {
  if (AWS_REGION_CODES.includes(code)) return 'known';
  const m = /^([a-z]{2}(?:-gov)?)-([a-z]+)-([1-9]\d?)$/.exec(code);
  if (m && AWS_PARTITIONS.some((p) => p.prefixes.includes(m[1]!)) && DIRECTIONS.includes(m[2]!)) return 'plausible';
  return 'unknown';
}
