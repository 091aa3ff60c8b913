/**
 * The AWS connection options shared by `collect` and `apply`: `--profile`, `--region`, `--endpoint-url`,
 * `--connect-timeout`, `--request-timeout`, and the progress line they print on a terminal.
 */
import type { Command } from 'commander';
import type { CliIo } from './io.js';
import type { AwsConnection } from '../aws/clients.js';
import { DEFAULT_REGION } from '../util/aws-defaults.js';
import { escapeText } from '../util/escape.js';
import { endpointUrl, secondsAsMs } from './option-values.js';

/** Default `--connect-timeout`, seconds (the same as the library's DEFAULT_CONNECT_TIMEOUT_MS). */
export const DEFAULT_CONNECT_TIMEOUT_S = 5;
/** Default `--request-timeout`, seconds (the same as the library's DEFAULT_REQUEST_TIMEOUT_MS). */
export const DEFAULT_REQUEST_TIMEOUT_S = 30;

/** Parsed connection options. */
export interface AwsCliOptions {
  profile?: string;
  region?: string;
  endpointUrl?: string;
  /** `--connect-timeout`, parsed to milliseconds. */
  connectTimeout?: number;
  /** `--request-timeout`, parsed to milliseconds. */
  requestTimeout?: number;
}

/** Adds --profile, --region, --endpoint-url and the timeouts to a command. */
export function addAwsOptions(cmd: Command): Command {
  return cmd
    .option('--profile <name>', 'named profile from the AWS shared config files (default: the SDK credential chain)')
    .option('--region <region>', 'AWS region for STS and regional calls (default: AWS_REGION, then us-east-1)')
    .option('--endpoint-url <url>', 'send every AWS call to this http(s) endpoint (an emulator such as moto)', endpointUrl('--endpoint-url'))
    .option(
      '--connect-timeout <seconds>',
      `give up on a connection not made within this time; a call is tried 3 times on network errors (default: ${DEFAULT_CONNECT_TIMEOUT_S})`,
      secondsAsMs('--connect-timeout', 600),
    )
    .option(
      '--request-timeout <seconds>',
      `give up on a call with no complete answer within this time (default: ${DEFAULT_REQUEST_TIMEOUT_S})`,
      secondsAsMs('--request-timeout', 3600),
    );
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
    connectTimeoutMs: o.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT_S * 1000,
    requestTimeoutMs: o.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT_S * 1000,
    ...(credentials ? { credentials } : {}),
  };
}

/**
 * A progress line writer: on a terminal it rewrites one stderr line, otherwise it prints nothing. The text goes
 * through `escapeText`, so a name in it cannot end the line or send its own terminal escapes.
 */
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
      io.stderr(`\r\x1b[2K${escapeText(text)}`);
    },
    done: () => {
      if (shown) io.stderr('\r\x1b[2K');
    },
  };
}
