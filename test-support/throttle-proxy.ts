/**
 * A local HTTP proxy in front of moto for fault tests:
 *
 * - answers a fraction of calls (seeded, reproducible) with the throttling error each AWS protocol uses
 *   (JSON: `TooManyRequestsException` 400; query/XML: `Throttling` 400; S3: `SlowDown` 503;
 *   Lambda REST: 429) without forwarding them, so a throttled call has no side effect, like on AWS;
 * - can fake asynchronous CreateAccount: the response says IN_PROGRESS (no AccountId) and
 *   DescribeCreateAccountStatus keeps saying so for `inProgressPolls` polls before the real answer;
 * - can fail chosen requests (e.g. AssumeRole into one account) with AccessDenied.
 *
 * Binds 127.0.0.1 on a free port. Test support only.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { seededRandom } from '../src/util/random.js';

/** Proxy behaviour. */
export interface ThrottleProxyOptions {
  /** moto's URL. */
  readonly target: string;
  /** Fraction of calls answered with a throttling error (0..1). */
  readonly throttleRate?: number;
  /** Seed for the reproducible pseudo-random choice of throttled calls. */
  readonly seed?: number;
  /** Fake IN_PROGRESS answers for this many DescribeCreateAccountStatus polls per request (0 = off). */
  readonly inProgressPolls?: number;
  /** Delay every forwarded answer by this many ms (AWS-like latency, so a kill can land between steps). */
  readonly latencyMs?: number;
  /** Return true to answer the call with AccessDenied. `body` is the raw request body. */
  readonly deny?: (info: { readonly target: string | undefined; readonly body: string; readonly url: string }) => boolean;
}

/** Counters of what the proxy did. */
export interface ThrottleProxyStats {
  forwarded: number;
  throttled: number;
  denied: number;
  fakedInProgress: number;
  /** Most account creations IN_PROGRESS at the same time (faked asynchronous CreateAccount only). */
  maxCreatesInFlight: number;
}

/** A running proxy. */
export interface ThrottleProxy {
  readonly url: string;
  readonly stats: ThrottleProxyStats;
  /** Forgets faked in-progress account creations (call after resetting moto). */
  reset(): void;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendError(res: ServerResponse, req: IncomingMessage, kind: 'throttle' | 'deny'): void {
  const target = req.headers['x-amz-target'];
  const ctype = String(req.headers['content-type'] ?? '');
  const url = req.url ?? '/';
  if (typeof target === 'string') {
    const type = kind === 'deny' ? 'AccessDeniedException' : target.startsWith('AWSOrganizations') ? 'TooManyRequestsException' : 'ThrottlingException';
    res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type });
    res.end(JSON.stringify({ __type: type, Message: kind === 'deny' ? 'Access denied (proxy)' : 'Rate exceeded' }));
  } else if (ctype.includes('x-www-form-urlencoded')) {
    const code = kind === 'deny' ? 'AccessDenied' : 'Throttling';
    res.writeHead(kind === 'deny' ? 403 : 400, { 'content-type': 'text/xml' });
    res.end(`<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${kind === 'deny' ? 'Access denied (proxy)' : 'Rate exceeded'}</Message></Error><RequestId>proxy</RequestId></ErrorResponse>`);
  } else if (/^\/20\d\d-\d\d-\d\d\//.test(url)) {
    // Lambda (REST-JSON)
    const type = kind === 'deny' ? 'AccessDeniedException' : 'TooManyRequestsException';
    res.writeHead(kind === 'deny' ? 403 : 429, { 'content-type': 'application/json', 'x-amzn-errortype': type });
    res.end(JSON.stringify({ message: kind === 'deny' ? 'Access denied (proxy)' : 'Rate exceeded' }));
  } else {
    // S3 (REST-XML)
    const code = kind === 'deny' ? 'AccessDenied' : 'SlowDown';
    res.writeHead(kind === 'deny' ? 403 : 503, { 'content-type': 'application/xml' });
    res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>proxy</Message><RequestId>proxy</RequestId></Error>`);
  }
}

/** Starts a proxy; close it in afterAll/afterEach. */
export async function startThrottleProxy(opts: ThrottleProxyOptions): Promise<ThrottleProxy> {
  const target = new URL(opts.target);
  const random = seededRandom(opts.seed ?? 1);
  const stats: ThrottleProxyStats = { forwarded: 0, throttled: 0, denied: 0, fakedInProgress: 0, maxCreatesInFlight: 0 };
  // create-account request id → IN_PROGRESS polls left, and the account it will become (hidden until then)
  const pending = new Map<string, { left: number; accountId?: string; name?: string }>();
  const hidden = () => new Set([...pending.values()].filter((p) => p.left > 0).map((p) => p.accountId ?? ''));

  const forward = (req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const headers = { ...req.headers, host: target.host, 'content-length': String(body.length) };
      const up = httpRequest(
        { hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers },
        (r) => {
          readBody(r).then((b) => resolve({ status: r.statusCode ?? 502, headers: r.headers, body: b }), reject);
        },
      );
      up.on('error', reject);
      up.end(body);
    });

  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const amzTarget = typeof req.headers['x-amz-target'] === 'string' ? req.headers['x-amz-target'] : undefined;
      const url = req.url ?? '/';
      // moto's own API (reset etc.) is never faulted.
      const isControl = url.startsWith('/moto-api');
      if (!isControl && opts.deny?.({ target: amzTarget, body: body.toString('utf8'), url })) {
        stats.denied++;
        sendError(res, req, 'deny');
        return;
      }
      if (!isControl && (opts.throttleRate ?? 0) > 0 && random() < (opts.throttleRate ?? 0)) {
        stats.throttled++;
        sendError(res, req, 'throttle');
        return;
      }
      const polls = opts.inProgressPolls ?? 0;
      if (polls > 0 && amzTarget?.endsWith('.DescribeCreateAccountStatus')) {
        const id = (JSON.parse(body.toString('utf8')) as { CreateAccountRequestId?: string }).CreateAccountRequestId ?? '';
        const p = pending.get(id);
        if (p !== undefined && p.left > 0) {
          p.left--;
          stats.fakedInProgress++;
          res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(JSON.stringify({ CreateAccountStatus: { Id: id, State: 'IN_PROGRESS' } }));
          return;
        }
      }
      const up = await forward(req, body);
      stats.forwarded++;
      if (opts.latencyMs) await new Promise((r) => setTimeout(r, opts.latencyMs));
      let out = up.body;
      if (polls > 0 && (amzTarget?.endsWith('.ListAccountsForParent') || amzTarget?.endsWith('.ListAccounts')) && up.status === 200) {
        // An account still being created is not listed yet, as on AWS.
        const parsed = JSON.parse(out.toString('utf8')) as { Accounts?: { Id?: string }[] };
        const h = hidden();
        if (parsed.Accounts && h.size > 0) {
          parsed.Accounts = parsed.Accounts.filter((a) => !h.has(a.Id ?? ''));
          out = Buffer.from(JSON.stringify(parsed));
        }
      }
      if (polls > 0 && amzTarget?.endsWith('.ListCreateAccountStatus') && up.status === 200) {
        const parsed = JSON.parse(out.toString('utf8')) as { CreateAccountStatuses?: { Id?: string; State?: string; AccountName?: string }[] };
        const inProgress = [...pending.entries()].filter(([, p]) => p.left > 0).map(([Id, p]) => ({ Id, State: 'IN_PROGRESS', AccountName: p.name }));
        const ids = new Set(inProgress.map((p) => p.Id));
        parsed.CreateAccountStatuses = [...(parsed.CreateAccountStatuses ?? []).filter((x) => !ids.has(x.Id ?? '')), ...inProgress];
        out = Buffer.from(JSON.stringify(parsed));
      }
      if (polls > 0 && amzTarget?.endsWith('.CreateAccount') && up.status === 200) {
        const parsed = JSON.parse(out.toString('utf8')) as { CreateAccountStatus?: { Id?: string; State?: string; AccountId?: string; AccountName?: string } };
        const st = parsed.CreateAccountStatus;
        if (st?.Id) {
          pending.set(st.Id, { left: polls, ...(st.AccountId ? { accountId: st.AccountId } : {}), ...(st.AccountName ? { name: st.AccountName } : {}) });
          stats.maxCreatesInFlight = Math.max(stats.maxCreatesInFlight, [...pending.values()].filter((p) => p.left > 0).length);
          st.State = 'IN_PROGRESS';
          delete st.AccountId;
          stats.fakedInProgress++;
          out = Buffer.from(JSON.stringify(parsed));
        }
      }
      const headers: Record<string, string | string[] | undefined> = { ...up.headers, 'content-length': String(out.length) };
      delete headers['transfer-encoding'];
      res.writeHead(up.status, headers);
      res.end(out);
    })().catch((e: unknown) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`proxy error: ${e instanceof Error ? e.message : String(e)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    reset: () => pending.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
