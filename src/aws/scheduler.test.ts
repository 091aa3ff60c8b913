import { describe, it, expect } from 'vitest';
import { OrganizationsClient, paginateListRoots, type ListRootsCommand } from '@aws-sdk/client-organizations';
import { allPages, scheduled, Scheduler } from './scheduler.js';
import { describeError, isNetworkError, isRetryable, NetworkError } from './errors.js';

function awsError(name: string, status = 400): Error {
  const e = new Error('Rate exceeded') as Error & { $metadata: { httpStatusCode: number } };
  e.name = name;
  e.$metadata = { httpStatusCode: status };
  return e;
}

describe('Scheduler', () => {
  it('retries throttling with growing, jittered backoff and counts retries', async () => {
    const sleeps: number[] = [];
    const s = new Scheduler({ baseDelayMs: 100, random: () => 0.5, sleep: async (ms) => void sleeps.push(ms) });
    let n = 0;
    const v = await s.read(async () => {
      if (++n <= 3) throw awsError('TooManyRequestsException');
      return 'ok';
    });
    expect(v).toBe('ok');
    expect(sleeps).toEqual([50, 100, 200]);
    expect(s.stats).toEqual({ calls: 4, retries: 3, failures: 0 });
  });

  it('tries a call that fails on the network only networkAttempts times, then gives up with a NetworkError', async () => {
    const s = new Scheduler({ maxAttempts: 12, sleep: async () => {} });
    let n = 0;
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED', address: '127.0.0.1', port: 1 });
    const e = await s.read(async () => {
      n++;
      throw refused;
    }).catch((x: unknown) => x);
    expect(n).toBe(3);
    expect(e).toBeInstanceOf(NetworkError);
    expect((e as NetworkError).message).toBe('connection refused by `127.0.0.1:1` (3 attempts)');
    expect((e as NetworkError).cause).toBe(refused);
    expect(s.stats).toEqual({ calls: 3, retries: 2, failures: 1 });
    const timeout = Object.assign(new Error('@smithy/node-http-handler - [ERROR] a request has exceeded the configured 500 ms requestTimeout.'), { name: 'TimeoutError' });
    expect(isNetworkError(timeout) && isRetryable(timeout)).toBe(true);
    const one = new Scheduler({ networkAttempts: 1, sleep: async () => {} });
    await expect(one.read(async () => Promise.reject(timeout))).rejects.toThrow('no answer within 0.5 s (request timeout) (1 attempt)');
  });

  it('caps the backoff', () => {
    const s = new Scheduler({ baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.999 });
    expect(s.backoffMs(20)).toBe(999);
  });

  it('does not retry a non-retryable error and gives up after maxAttempts', async () => {
    const s = new Scheduler({ maxAttempts: 3, sleep: async () => {} });
    let n = 0;
    await expect(
      s.read(async () => {
        n++;
        throw awsError('AccessDeniedException');
      }),
    ).rejects.toThrow('Rate exceeded');
    expect(n).toBe(1);
    n = 0;
    await expect(
      s.orgWrite(async () => {
        n++;
        throw awsError('ConcurrentModificationException');
      }),
    ).rejects.toThrow();
    expect(n).toBe(3);
    expect(s.stats.failures).toBe(2);
  });

  it('serializes Organizations writes and bounds reads', async () => {
    const s = new Scheduler({ readConcurrency: 3 });
    let active = 0;
    let peak = 0;
    const job = async () => {
      peak = Math.max(peak, ++active);
      await new Promise((r) => setTimeout(r, 5));
      active--;
    };
    await Promise.all(Array.from({ length: 10 }, () => s.orgWrite(job)));
    expect(peak).toBe(1);
    peak = 0;
    await Promise.all(Array.from({ length: 10 }, () => s.read(job)));
    expect(peak).toBe(3);
  });
});

describe('errors', () => {
  it('classifies retryable errors', () => {
    expect(isRetryable(awsError('Throttling'))).toBe(true);
    expect(isRetryable(awsError('Whatever', 503))).toBe(true);
    expect(isRetryable(awsError('ValidationException'))).toBe(false);
  });
  it('redacts key-like strings from messages', () => {
    const e = new Error('bad token ASIAABCDEFGHIJKLMNOP for x');
    expect(describeError(e)).toBe('Error: bad token <redacted> for x');
  });
});

describe('scheduled', () => {
  it('drives an SDK paginator through the scheduler, retrying a throttled page with a fresh command', async () => {
    const sent: { command: unknown; token: string | undefined }[] = [];
    let throttled = false;
    const org = Object.assign(new OrganizationsClient({ region: 'us-east-1' }), {
      send: async (command: ListRootsCommand) => {
        sent.push({ command, token: command.input.NextToken });
        if (command.input.NextToken === 't1' && !throttled) {
          throttled = true;
          throw awsError('TooManyRequestsException');
        }
        return command.input.NextToken === undefined ? { Roots: [{ Id: 'r-1' }], NextToken: 't1' } : { Roots: [{ Id: 'r-2' }] };
      },
    });
    const s = new Scheduler({ sleep: async () => undefined });
    const pages = await allPages(paginateListRoots({ client: scheduled(org, s) }, {}));
    expect(pages.flatMap((p) => p.Roots ?? []).map((r) => r.Id)).toEqual(['r-1', 'r-2']);
    expect(sent.map((x) => x.token)).toEqual([undefined, 't1', 't1']);
    expect(sent[1]?.command).not.toBe(sent[2]?.command);
    expect(s.stats).toEqual({ calls: 3, retries: 1, failures: 0 });
  });
});
