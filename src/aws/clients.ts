/**
 * SDK client factory: one place that knows the endpoint, profile, region and credentials.
 *
 * Credentials come from the standard SDK chain (env, shared config with `profile`, SSO, IMDS…), or are
 * given explicitly (tests). Member accounts are reached by AssumeRole into the organization access role;
 * their temporary credentials live only in memory and are never written anywhere.
 */
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient, AssumeRoleCommand } from '@aws-sdk/client-sts';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { KMSClient } from '@aws-sdk/client-kms';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SNSClient } from '@aws-sdk/client-sns';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Scheduler } from './scheduler.js';
import { DEFAULT_REGION } from '../util/aws-defaults.js';

/** Static credentials (tests, or credentials obtained by AssumeRole). */
export interface StaticCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** How to reach AWS. */
export interface AwsConnection {
  /** Region for regional API calls that are not per-resource-region (STS, Organizations' us-east-1 default). */
  readonly region: string;
  /** Named profile from the shared config files. */
  readonly profile?: string;
  /** Override endpoint for every service (moto, LocalStack). */
  readonly endpoint?: string;
  /** Explicit credentials; otherwise the SDK's default chain. */
  readonly credentials?: StaticCredentials;
  /** Give up on a TCP (and TLS) connection that is not established within this time (default 5 000 ms). */
  readonly connectTimeoutMs?: number;
  /** Give up on a request that has no complete answer within this time (default 30 000 ms). */
  readonly requestTimeoutMs?: number;
}

/** Default connect timeout: an AWS endpoint answers a TCP handshake in well under a second. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
/** Default request timeout: the slowest call bulkhead makes (a page of GetAccountAuthorizationDetails) takes seconds. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** The per-account clients the collector and executor use. */
export interface AccountClients {
  readonly accountId: string;
  readonly iam: IAMClient;
  readonly s3: (region: string) => S3Client;
  readonly kms: (region: string) => KMSClient;
  readonly sqs: (region: string) => SQSClient;
  readonly sns: (region: string) => SNSClient;
  readonly lambda: (region: string) => LambdaClient;
  readonly secrets: (region: string) => SecretsManagerClient;
  readonly dynamodb: (region: string) => DynamoDBClient;
  readonly cloudformation: (region: string) => CloudFormationClient;
  /** The Resource Groups Tagging API (tags of every taggable resource in a region). */
  readonly tagging: (region: string) => ResourceGroupsTaggingAPIClient;
}

// One attempt per SDK call: the Scheduler owns retries (and counts them).
const singleAttempt = () => new ConfiguredRetryStrategy(1);

/** Builds clients for one connection; cheap to call, clients are cached per account and region. */
export class ClientFactory {
  private readonly cache = new Map<string, unknown>();
  // One keep-alive connection pool for every client: collect makes clients for hundreds of accounts, each
  // with only a few calls, and a pool per client would open a new connection for nearly every call.
  private readonly handler: NodeHttpHandler;
  private readonly agents: { http: HttpAgent; https: HttpsAgent };
  constructor(readonly conn: AwsConnection) {
    this.agents = { http: new HttpAgent({ keepAlive: true, maxSockets: 64 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 64 }) };
    // Without timeouts an endpoint that accepts connections and never answers holds every call forever. A
    // timeout is a TimeoutError, which the scheduler retries a few times as a network failure (scheduler.ts).
    // `throwOnRequestTimeout`: without it the handler only logs a warning when requestTimeout passes.
    this.handler = new NodeHttpHandler({
      httpAgent: this.agents.http,
      httpsAgent: this.agents.https,
      connectionTimeout: conn.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      requestTimeout: conn.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    });
  }

  private base(region: string, credentials?: StaticCredentials) {
    const c = this.conn;
    return {
      region,
      retryStrategy: singleAttempt(),
      requestHandler: this.handler,
      ...(c.endpoint !== undefined ? { endpoint: c.endpoint } : {}),
      ...(credentials ? { credentials } : c.credentials ? { credentials: c.credentials } : c.profile !== undefined ? { profile: c.profile } : {}),
    };
  }

  private cached<T>(key: string, make: () => T): T {
    let v = this.cache.get(key) as T | undefined;
    if (v === undefined) {
      v = make();
      this.cache.set(key, v);
    }
    return v;
  }

  /** Organizations (a global service served from DEFAULT_REGION, us-east-1). */
  organizations(): OrganizationsClient {
    return this.cached('org', () => new OrganizationsClient(this.base(this.conn.endpoint ? this.conn.region : DEFAULT_REGION)));
  }

  /** STS with the caller's own credentials. */
  sts(): STSClient {
    return this.cached('sts', () => new STSClient(this.base(this.conn.region)));
  }

  /** IAM Identity Center administration (sso-admin) with the caller's own credentials in the instance's home region. */
  ssoAdmin(region: string): SSOAdminClient {
    return this.cached(`sso:${region}`, () => new SSOAdminClient(this.base(region)));
  }

  /** The Identity Center identity store with the caller's own credentials in the instance's home region. */
  identityStore(region: string): IdentitystoreClient {
    return this.cached(`identitystore:${region}`, () => new IdentitystoreClient(this.base(region)));
  }

  /** Clients acting in an account with the given credentials (undefined = the caller's own). */
  account(accountId: string, credentials?: StaticCredentials): AccountClients {
    const key = `acct:${accountId}:${credentials?.accessKeyId ?? 'self'}`;
    return this.cached(key, () => {
      const perRegion = <T>(kind: string, make: (region: string) => T) => (region: string) =>
        this.cached(`${key}:${kind}:${region}`, () => make(region));
      return {
        accountId,
        iam: new IAMClient(this.base(this.conn.region, credentials)),
        s3: perRegion('s3', (r) => new S3Client({ ...this.base(r, credentials), forcePathStyle: this.conn.endpoint !== undefined })),
        kms: perRegion('kms', (r) => new KMSClient(this.base(r, credentials))),
        sqs: perRegion('sqs', (r) => new SQSClient(this.base(r, credentials))),
        sns: perRegion('sns', (r) => new SNSClient(this.base(r, credentials))),
        lambda: perRegion('lambda', (r) => new LambdaClient(this.base(r, credentials))),
        secrets: perRegion('secrets', (r) => new SecretsManagerClient(this.base(r, credentials))),
        dynamodb: perRegion('dynamodb', (r) => new DynamoDBClient(this.base(r, credentials))),
        cloudformation: perRegion('cloudformation', (r) => new CloudFormationClient(this.base(r, credentials))),
        tagging: perRegion('tagging', (r) => new ResourceGroupsTaggingAPIClient(this.base(r, credentials))),
      };
    });
  }

  /**
   * Clients in a member account through AssumeRole into `roleName`. The credentials stay in memory.
   * `partition` is `aws` unless told otherwise.
   */
  async assume(scheduler: Scheduler, accountId: string, roleName: string, partition = 'aws'): Promise<AccountClients> {
    const out = await scheduler.read(() =>
      this.sts().send(
        new AssumeRoleCommand({
          RoleArn: `arn:${partition}:iam::${accountId}:role/${roleName}`,
          RoleSessionName: 'bulkhead',
          DurationSeconds: 3600,
        }),
      ),
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole into ${accountId} returned no credentials`);
    return this.account(accountId, {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
    });
  }

  /**
   * Forgets the clients of one account (the collector calls it when the account is done), so a collect of thousands
   * of accounts does not keep every account's SDK clients alive until the end. The shared pool stays open.
   */
  release(accountId: string): void {
    const prefix = `acct:${accountId}:`;
    for (const key of [...this.cache.keys()]) if (key.startsWith(prefix)) this.cache.delete(key);
  }

  /** Closes the shared connection pool (and with it every client's sockets). */
  destroy(): void {
    this.cache.clear();
    this.handler.destroy();
    this.agents.http.destroy();
    this.agents.https.destroy();
  }
}
