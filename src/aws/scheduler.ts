/**
 * The one scheduler every AWS call goes through.
 *
 * - Organizations writes are serialized (AWS Organizations throttles concurrent changes and answers
 *   ConcurrentModificationException / TooManyRequestsException).
 * - Reads run with bounded concurrency.
 * - Throttling, concurrent-modification and transient errors are retried with exponential backoff and
 *   full jitter (delay = random(0, min(cap, base * 2^attempt))).
 * - Network failures (refused, reset, connect or request timeout) are retried too, but only `networkAttempts`
 *   times (default 3): an endpoint that is down or never answers gives up with a NetworkError within about
 *   `networkAttempts` × the client's timeouts, not after a dozen backoffs.
 *
 * The SDK clients are built with a single attempt (see clients.ts) so that retries happen here, once,
 * and can be counted for progress output. Clock, sleep and randomness are injectable for tests.
 *
 * SDK paginators are driven through it with `scheduled(client, scheduler)`: each page is one scheduled call.
 */
import { isNetworkError, isRetryable, NetworkError } from './errors.js';

/** Scheduler settings. */
export interface SchedulerOptions {
  /** Reads in flight at once (default 8). */
  readonly readConcurrency?: number;
  /** Attempts per call including the first (default 12: at a 30 % throttling rate, 0.3^12 ≈ 5e-7 per call). */
  readonly maxAttempts?: number;
  /** Attempts per call when it fails on the network (default 3, never more than maxAttempts). */
  readonly networkAttempts?: number;
  /** Backoff base in ms (default 100). */
  readonly baseDelayMs?: number;
  /** Backoff cap in ms (default 20 000). */
  readonly maxDelayMs?: number;
  /** Injected for tests. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Injected for tests: a number in [0, 1). */
  readonly random?: () => number;
}

/** Counters, for progress output and benchmarks. */
export interface SchedulerStats {
  /** Calls started (each attempt counts once). */
  calls: number;
  /** Attempts that failed with a retryable error and were tried again. */
  retries: number;
  /** Calls that finally failed. */
  failures: number;
}

/** What kind of call this is: decides the queue it waits in. */
export type CallKind = 'read' | 'org-write' | 'write';

/** A counting semaphore. */
class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((r) => this.waiting.push(r));
    else this.active++;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

/** Throttling-aware scheduler; see the module comment. */
export class Scheduler {
  readonly stats: SchedulerStats = { calls: 0, retries: 0, failures: 0 };
  private readonly reads: Semaphore;
  private readonly orgWrites = new Semaphore(1);
  // Writes to member accounts (IAM) share the read budget's size but have their own queue.
  private readonly writes: Semaphore;
  private readonly maxAttempts: number;
  private readonly networkAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(opts: SchedulerOptions = {}) {
    const c = Math.max(1, opts.readConcurrency ?? 8);
    this.reads = new Semaphore(c);
    this.writes = new Semaphore(c);
    this.maxAttempts = Math.max(1, opts.maxAttempts ?? 12);
    this.networkAttempts = Math.max(1, Math.min(this.maxAttempts, opts.networkAttempts ?? 3));
    this.baseDelayMs = opts.baseDelayMs ?? 100;
    this.maxDelayMs = opts.maxDelayMs ?? 20_000;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = opts.random ?? Math.random;
  }

  /** The backoff before retry number `attempt` (1-based): full jitter under an exponential cap. */
  backoffMs(attempt: number): number {
    const cap = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
    return Math.floor(this.random() * cap);
  }

  /** Runs a read (bounded concurrency), retrying throttling. */
  read<T>(fn: () => Promise<T>): Promise<T> {
    return this.call('read', fn);
  }

  /** Runs an Organizations write (strictly one at a time), retrying throttling. */
  orgWrite<T>(fn: () => Promise<T>): Promise<T> {
    return this.call('org-write', fn);
  }

  /** Runs a write to a member account's API (IAM etc.), retrying throttling. */
  write<T>(fn: () => Promise<T>): Promise<T> {
    return this.call('write', fn);
  }

  /** Runs `fn` in the queue for `kind`, retrying retryable errors. Non-retryable errors are rethrown at once. */
  async call<T>(kind: CallKind, fn: () => Promise<T>): Promise<T> {
    const queue = kind === 'read' ? this.reads : kind === 'org-write' ? this.orgWrites : this.writes;
    for (let attempt = 1; ; attempt++) {
      // The slot is released while backing off, so one throttled call does not stall the others.
      const outcome = await queue.run(async () => {
        this.stats.calls++;
        try {
          return { ok: true as const, value: await fn() };
        } catch (e) {
          return { ok: false as const, error: e };
        }
      });
      if (outcome.ok) return outcome.value;
      const network = isNetworkError(outcome.error);
      if (attempt >= (network ? this.networkAttempts : this.maxAttempts) || !isRetryable(outcome.error)) {
        this.stats.failures++;
        throw network && !(outcome.error instanceof NetworkError) ? new NetworkError(attempt, outcome.error) : outcome.error;
      }
      this.stats.retries++;
      await this.sleep(this.backoffMs(attempt));
    }
  }
}

/** An SDK command as `scheduled` sees it: its input, and (through `constructor`) the class that makes it. */
interface AnyCommand {
  readonly input: unknown;
}

type Send = (command: AnyCommand, ...rest: unknown[]) => Promise<unknown>;

/**
 * A stand-in for `client` whose `send` runs through the scheduler in the queue for `kind`: hand it to an SDK
 * paginator (`paginateListPolicies({ client: scheduled(org, s) }, input)`) and every page is one scheduled,
 * retried call. It inherits from the client, so the paginator's `instanceof` check still holds. Each attempt
 * sends a fresh copy of the command: an SDK command adds its middleware to itself when sent, so one instance
 * must not be sent twice.
 */
export function scheduled<C extends { send: unknown }>(client: C, s: Scheduler, kind: CallKind = 'read'): C {
  const inner = client.send as Send;
  const send: Send = (command, ...rest) =>
    s.call(kind, () => {
      const Make = command.constructor as new (input: unknown) => AnyCommand;
      return inner.call(client, new Make(command.input), ...rest);
    });
  return Object.create(client, { send: { value: send } }) as C;
}

/** Every page of a paginator, in order. */
export async function allPages<P>(pages: AsyncIterable<P>): Promise<P[]> {
  const out: P[] = [];
  for await (const p of pages) out.push(p);
  return out;
}
