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

/** Network-level failures that are worth another attempt. */
const RETRYABLE_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'UND_ERR_SOCKET']);

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
  const code = (e as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && RETRYABLE_CODES.has(code)) return true;
  const status = httpStatus(e);
  return status === 429 || status === 502 || status === 503 || status === 504;
}

/** True when AWS says the resource does not exist (NoSuchEntity, NotFound, …). */
export function isNotFound(e: unknown): boolean {
  const name = errorName(e);
  return /NoSuch|NotFound|DoesNotExist|NonExistent/i.test(name);
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
