/**
 * The AWS connection options shared by `collect` and `apply`: `--profile`, `--region`, `--endpoint-url`,
 * and the progress line they print on a terminal.
 */
import type { Command } from 'commander';
import type { CliIo } from './io.js';
import type { AwsConnection } from '../aws/clients.js';
import { DEFAULT_REGION } from '../util/aws-defaults.js';

/** Parsed connection options. */
export interface AwsCliOptions {
  profile?: string;
  region?: string;
  endpointUrl?: string;
}

/** Adds --profile, --region and --endpoint-url to a command. */
export function addAwsOptions(cmd: Command): Command {
  return cmd
    .option('--profile <name>', 'named profile from the AWS shared config files (default: the SDK credential chain)')
    .option('--region <region>', 'AWS region for STS and regional calls (default: AWS_REGION, then us-east-1)')
    .option('--endpoint-url <url>', 'send every AWS call to this endpoint (an emulator such as moto)');
}

/** Builds the connection from options and environment. Keys in the environment are used only in memory. */
export function connectionFrom(io: CliIo, o: AwsCliOptions): AwsConnection {
  const region = o.region ?? io.env['AWS_REGION'] ?? io.env['AWS_DEFAULT_REGION'] ?? DEFAULT_REGION;
  const keyId = io.env['AWS_ACCESS_KEY_ID'];
  const secret = io.env['AWS_SECRET_ACCESS_KEY'];
  const token = io.env['AWS_SESSION_TOKEN'];
  // With --profile the profile wins; otherwise keys from the (injected) environment, else the SDK chain.
  const credentials =
    o.profile === undefined && keyId && secret ? { accessKeyId: keyId, secretAccessKey: secret, ...(token ? { sessionToken: token } : {}) } : undefined;
  return {
    region,
    ...(o.profile !== undefined ? { profile: o.profile } : {}),
    ...(o.endpointUrl !== undefined ? { endpoint: o.endpointUrl } : {}),
    ...(credentials ? { credentials } : {}),
  };
}

/** A progress line writer: on a terminal it rewrites one stderr line, otherwise it prints nothing. */
export function progressLine(io: CliIo): { update: (text: string) => void; done: () => void } {
  let last = 0;
  let shown = false;
  return {
    update: (text) => {
      if (!io.isTty) return;
      const t = Date.now();
      if (t - last < 100) return; // at most 10 redraws a second
      last = t;
      shown = true;
      io.stderr(`\r\x1b[2K${text}`);
    },
    done: () => {
      if (shown) io.stderr('\r\x1b[2K');
    },
  };
}
