/**
 * collect and apply against endpoints that misbehave on the network: one that accepts connections and never
 * answers, and a closed port. Both must give up within a bound with a clear diagnostic, and bad URL or number
 * options are usage errors before anything is read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MOTO_ENV, runCli } from '../../../test-support/cli.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

describe('collect and apply on a bad network', () => {
  let dir: string;
  let silent: Server;
  const sockets: Socket[] = [];
  let silentUrl: string;
  let closedUrl: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bh-net-'));
    await copyFile(join(repo, 'examples/acme-full.yaml'), join(dir, 'acme-full.yaml'));
    // Accepts every connection, reads what it is sent, and never writes a byte back.
    silent = createServer((s) => {
      sockets.push(s);
      s.on('error', () => {});
      s.resume();
    });
    silentUrl = `http://127.0.0.1:${await listen(silent)}`;
    const closed = createServer();
    closedUrl = `http://127.0.0.1:${await listen(closed)}`;
    await new Promise((r) => closed.close(r));
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => silent.close(r));
    await rm(dir, { recursive: true, force: true });
  });

  it('collect gives up on an endpoint that never answers after 3 request timeouts (BH6102, exit 1)', async () => {
    const started = Date.now();
    const r = await runCli(['collect', '--out', 'snap', '--endpoint-url', silentUrl, '--connect-timeout', '0.5', '--request-timeout', '0.5'], { cwd: dir, env: MOTO_ENV });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`BH6102: cannot reach \`${silentUrl}\`: no answer within 0.5 s (request timeout) (3 attempts); check --endpoint-url`);
  });

  it('apply gives up the same way (BH6204, exit 1)', async () => {
    const started = Date.now();
    const r = await runCli(['apply', 'acme-full.yaml', '--endpoint-url', silentUrl, '--request-timeout', '0.5'], { cwd: dir, env: MOTO_ENV });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('BH6204: cannot reach');
    expect(r.stderr).toContain('no answer within 0.5 s (request timeout) (3 attempts)');
  });

  it('a refused connection fails in seconds, not after a dozen backoffs', async () => {
    const port = closedUrl.slice(closedUrl.lastIndexOf(':') + 1);
    for (const args of [['collect', '--out', 'snap2'], ['apply', 'acme-full.yaml', '--yes']]) {
      const started = Date.now();
      const r = await runCli([...args, '--endpoint-url', closedUrl], { cwd: dir, env: { ...MOTO_ENV, BULKHEAD_MAX_ATTEMPTS: '12' } });
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`connection refused by \`127.0.0.1:${port}\` (3 attempts)`);
    }
  });

  it('refuses a bad URL or number option as a usage error (exit 2) naming the option and the value', async () => {
    const cases: [string[], string][] = [
      [['collect', '--out', 's', '--endpoint-url', 'not a url'], '--endpoint-url `not a url` is not a URL'],
      [['collect', '--out', 's', '--endpoint-url', 'ftp://example.com'], '--endpoint-url `ftp://example.com` must be an http:// or https:// URL'],
      [['apply', 'acme-full.yaml', '--endpoint-url', 'localhost:5000'], '--endpoint-url `localhost:5000` must be an http:// or https:// URL'],
      [['collect', '--out', 's', '--connect-timeout', '-1'], '--connect-timeout must be a number of seconds above 0 and at most 600, got `-1`'],
      [['apply', 'acme-full.yaml', '--request-timeout', 'abc'], '--request-timeout must be a number of seconds above 0 and at most 3600, got `abc`'],
      [['collect', '--out', 's', '--concurrency', 'abc'], '--concurrency `abc` must be a whole number from 1 to 64'],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args, { cwd: dir, env: MOTO_ENV });
      expect(r.stderr).toContain(message);
      expect(r.code, args.join(' ')).toBe(2);
    }
  });
});
