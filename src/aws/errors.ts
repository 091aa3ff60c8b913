/**
 * Classifies errors thrown by AWS SDK v3 calls, so the scheduler knows what to retry and the CLI
 * can report a short, credential-free message.
 */

/** Error names AWS uses for "slow down" and "someone else is changing this; try again". */
const RETRYABLE_NAMES = new Set([
  'TooManyRequestsException',
  'ConcurrentModificationException',
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ProvisionedThroughputExceededException',
  'TransactionInProgressException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalFailure',
]);

/**
 * Network-level failures: worth another attempt, but only a few (the scheduler bounds them separately, so an
 * endpoint that refuses or never answers fails in seconds instead of after a dozen backoffs).
 */
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED', 'UND_ERR_SOCKET']);

/**
 * The endpoint could not be reached, or did not answer in time, after the scheduler's network attempts: the
 * message says which and how often it was tried; `cause` is the last error.
 */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  constructor(
    readonly attempts: number,
    override readonly cause: unknown,
  ) {
    super(`${networkProblem(cause)} (${attempts} attempt${attempts === 1 ? '' : 's'})`);
  }
}

/** True for a connection refused or reset, a name that does not resolve, or a connect or request timeout. */
export function isNetworkError(e: unknown): boolean {
  if (e instanceof NetworkError) return true;
  if (errorName(e) === 'TimeoutError') return true;
  const code = (e as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && NETWORK_CODES.has(code);
}

/** What went wrong on the network, in words: `connection refused by 127.0.0.1:1`, `no answer within 30 s`… */
function networkProblem(e: unknown): string {
  const o = (e ?? {}) as { code?: unknown; address?: unknown; port?: unknown; hostname?: unknown; message?: unknown };
  const where = typeof o.address === 'string' ? ` by \`${o.address}${typeof o.port === 'number' ? `:${o.port}` : ''}\`` : '';
  const message = typeof o.message === 'string' ? o.message : '';
  if (o.code === 'ECONNREFUSED') return `connection refused${where}`;
  if (o.code === 'ENOTFOUND' || o.code === 'EAI_AGAIN') return `host name \`${typeof o.hostname === 'string' ? o.hostname : '?'}\` does not resolve`;
  if (errorName(e) === 'TimeoutError') {
    const ms = /(\d+) ms/.exec(message)?.[1];
    const limit = ms === undefined ? '' : ` within ${Number(ms) / 1000} s`;
    return /establish a connection/.test(message) ? `no connection${limit} (connect timeout)` : `no answer${limit} (request timeout)`;
  }
  return `network error ${typeof o.code === 'string' ? o.code : errorName(e)}${where}`;
}

/** The AWS error name (`TooManyRequestsException`), or the JS error name. */
export function errorName(e: unknown): string {
  if (e && typeof e === 'object') {
    const o = e as { name?: unknown; Code?: unknown; code?: unknown };
    if (typeof o.name === 'string' && o.name !== 'Error') return o.name;
    if (typeof o.Code === 'string') return o.Code;
    if (typeof o.code === 'string') return o.code;
  }
  return 'Error';
}

/** HTTP status of an SDK error, when it has one. */
export function httpStatus(e: unknown): number | undefined {
  const m = (e as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata;
  return typeof m?.httpStatusCode === 'number' ? m.httpStatusCode : undefined;
}

/** True for throttling, concurrent-modification and transient server/network errors. */
export function isRetryable(e: unknown): boolean {
  const name = errorName(e);
  if (RETRYABLE_NAMES.has(name)) return true;
  if (isNetworkError(e)) return true;
  const status = httpStatus(e);
  return status === 429 || status === 502 || status === 503 || status === 504;
}

/** True when AWS says the resource does not exist (NoSuchEntity, NotFound, …). */
export function isNotFound(e: unknown): boolean {
  const name = errorName(e);
  return /NoSuch|NotFound|DoesNotExist|NonExistent/i.test(name);
}

/** `fn`'s answer, or undefined when AWS answers with one of `okNames` (a write that was already done: `ConflictException`). */
export async function tolerate<T>(fn: () => Promise<T>, okNames: readonly string[]): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    if (okNames.includes(errorName(e))) return undefined;
    throw e;
  }
}

/** `fn`'s answer, or undefined for the "nothing configured" answers AWS gives as errors: one of `names`, or not found. */
export async function optional<T>(fn: () => Promise<T>, names: readonly string[]): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    if (names.includes(errorName(e)) || isNotFound(e)) return undefined;
    throw e;
  }
}

/**
 * True for errors that mean a bug in bulkhead (a TypeError, RangeError or ReferenceError from our own code)
 * rather than an answer from AWS or the network: code that tolerates AWS failures must let these surface.
 */
export function isBug(e: unknown): boolean {
  return e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError;
}

/**
 * A one-line description for reports: `Name: message`. Never includes request parameters, so no
 * credential or session token can leak through it.
 */
export function describeError(e: unknown): string {
  const name = errorName(e);
  const raw = e instanceof Error ? e.message : typeof e === 'string' ? e : '';
  // Defensive: strip anything that looks like an access key or a session token.
  const msg = raw
    .replace(/(A3T|AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA)[A-Z0-9]{12,}/g, '<redacted>')
    .replace(/[A-Za-z0-9/+=]{80,}/g, '<redacted>')
    .split('\n')[0]
    ?.slice(0, 300);
  return msg ? `${name}: ${msg}` : name;
}
