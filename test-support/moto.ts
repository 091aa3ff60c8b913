/**
 * vitest globalSetup: starts one moto_server on a free loopback port for the whole run and provides its URL
 * as `motoEndpoint`. Tests reset it with `resetMoto()` (POST /moto-api/reset) in beforeEach.
 * The binary can be overridden with MOTO_SERVER (default: `moto_server` on PATH).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoint: string;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

let proc: ChildProcess | undefined;

export async function setup(project: TestProject): Promise<void> {
  const port = await freePort();
  const bin = process.env['MOTO_SERVER'] ?? 'moto_server';
  const url = `http://127.0.0.1:${port}`;
  let spawnError: Error | undefined;
  proc = spawn(bin, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  proc.on('error', (e) => {
    spawnError = e;
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (spawnError) {
      throw new Error(`cannot start \`${bin}\` (${spawnError.message}); install moto (pip install 'moto[server]') or set MOTO_SERVER`);
    }
    try {
      const r = await fetch(`${url}/moto-api/`);
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`moto_server did not answer on ${url} within 30 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  project.provide('motoEndpoint', url);
}

export async function teardown(): Promise<void> {
  proc?.kill('SIGTERM');
}
