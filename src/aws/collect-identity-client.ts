/**
 * A minimal AWS JSON 1.1 client for the two Identity Center read APIs (sso-admin, identitystore).
 *
 * The project's node_modules hold no `@aws-sdk/client-sso-admin` or `@aws-sdk/client-identitystore`; until they are
 * added this client speaks the same wire protocol with the SDK's own signer and HTTP handler, so the collector can
 * read Identity Center now. Its `send(command)` mirrors an SDK client's, so `scheduled()` wraps it unchanged and
 * every call goes through the Scheduler. Swapping in the SDK clients later changes only this file and clients.ts.
 *
 * Protocol facts: both services use the `awsJson1_1` protocol (POST `/`, `X-Amz-Target: <prefix>.<Operation>`,
 * `Content-Type: application/x-amz-json-1.1`); sso-admin signs as `sso` with target prefix `SWBExternalService`,
 * identitystore signs as `identitystore` with prefix `AWSIdentityStore` (AWS SDK service models:
 * https://github.com/aws/api-models-aws — sso-admin and identitystore; IAM Identity Center API Reference, Common
 * parameters: https://docs.aws.amazon.com/singlesignon/latest/APIReference/CommonParameters.html).
 */
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { NodeHttpHandler } from '@smithy/node-http-handler';
import { HttpRequest } from '@smithy/core/transport';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, Checksum, SourceData } from '@smithy/types';

/** One JSON 1.1 operation call: `input.operation` with `input.params` (shape as the SDK command's input). */
export class JsonCommand {
  constructor(readonly input: { readonly operation: string; readonly params: Readonly<Record<string, unknown>> }) {}
}

/** Which service a JsonClient talks to. */
export interface JsonService {
  /** SigV4 signing name. */
  readonly signingName: string;
  /** Host prefix (`<prefix>.<region>.amazonaws.com`). */
  readonly hostPrefix: string;
  /** X-Amz-Target prefix. */
  readonly targetPrefix: string;
}

/** sso-admin (IAM Identity Center administration). */
export const SSO_ADMIN: JsonService = { signingName: 'sso', hostPrefix: 'sso', targetPrefix: 'SWBExternalService' };
/** identitystore. */
export const IDENTITY_STORE: JsonService = { signingName: 'identitystore', hostPrefix: 'identitystore', targetPrefix: 'AWSIdentityStore' };

/** An error answer of the service: `name` is the error type (`AccessDeniedException`, `ThrottlingException`, …). */
export class JsonServiceError extends Error {
  readonly $metadata: { readonly httpStatusCode: number };
  constructor(name: string, message: string, status: number) {
    super(message);
    this.name = name;
    this.$metadata = { httpStatusCode: status };
  }
}

/** SHA-256 (and HMAC-SHA-256 with a secret) from node:crypto, as the signer wants it. */
class Sha256 implements Checksum {
  private parts: Buffer[] = [];
  constructor(private readonly secret?: SourceData) {}
  update(data: Uint8Array | string): void {
    this.parts.push(typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data));
  }
  digest(): Promise<Uint8Array> {
    const body = Buffer.concat(this.parts);
    const key = this.secret;
    const h = key === undefined ? createHash('sha256') : createHmac('sha256', typeof key === 'string' ? key : Buffer.from(key as Uint8Array));
    return Promise.resolve(new Uint8Array(h.update(body).digest()));
  }
  reset(): void {
    this.parts = [];
  }
}

/** Where and as whom a JsonClient calls. */
export interface JsonClientConfig {
  readonly service: JsonService;
  readonly region: string;
  readonly endpoint?: string;
  readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  readonly handler: NodeHttpHandler;
}

/** The error type of an awsJson1_1 error body (`__type` may carry a namespace `ns#Name`). */
function errorType(body: Record<string, unknown>, header: string | undefined): string {
  const raw = (typeof body['__type'] === 'string' ? body['__type'] : undefined) ?? header ?? 'UnknownError';
  return (raw.split('#').pop() ?? raw).split(':')[0] ?? raw;
}

async function readBody(stream: unknown): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Uint8Array | string>) chunks.push(typeof c === 'string' ? Buffer.from(c) : Buffer.from(c));
  return Buffer.concat(chunks).toString('utf8');
}

/** A signed JSON 1.1 client; `send` throws JsonServiceError for a service error, the handler's errors for network ones. */
export class JsonClient {
  private readonly signer: SignatureV4;
  private readonly url: URL;
  constructor(private readonly config: JsonClientConfig) {
    this.signer = new SignatureV4({ service: config.service.signingName, region: config.region, credentials: config.credentials, sha256: Sha256 });
    this.url = new URL(config.endpoint ?? `https://${config.service.hostPrefix}.${config.region}.amazonaws.com`);
  }

  /** Sends one operation and returns its parsed JSON answer. */
  async send(command: JsonCommand): Promise<Record<string, unknown>> {
    const body = JSON.stringify(command.input.params);
    const u = this.url;
    const request = new HttpRequest({
      method: 'POST',
      protocol: u.protocol,
      hostname: u.hostname,
      ...(u.port ? { port: Number(u.port) } : {}),
      path: u.pathname || '/',
      query: {},
      headers: {
        host: u.host,
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `${this.config.service.targetPrefix}.${command.input.operation}`,
        'content-length': String(Buffer.byteLength(body)),
      },
      body,
    });
    const signed = await this.signer.sign(request);
    const { response } = await this.config.handler.handle(HttpRequest.clone(signed));
    const text = await readBody(response.body);
    // An endpoint that does not implement an operation (moto: GetPermissionsBoundaryForPermissionSet) answers a page, not JSON.
    if (text !== '' && !text.trimStart().startsWith('{')) throw new JsonServiceError('UnsupportedOperation', `${command.input.operation} answered HTTP ${response.statusCode} without JSON`, response.statusCode);
    const parsed = (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>;
    if (response.statusCode >= 300) {
      const header = response.headers['x-amzn-errortype'];
      const message = typeof parsed['message'] === 'string' ? parsed['message'] : typeof parsed['Message'] === 'string' ? parsed['Message'] : '';
      throw new JsonServiceError(errorType(parsed, header), message, response.statusCode);
    }
    return parsed;
  }
}
