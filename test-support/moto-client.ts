/** Helpers for tests that talk to the suite's moto_server. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, inject } from 'vitest';

/** The moto endpoint started by the global setup. */
export function motoEndpoint(): string {
  return inject('motoEndpoint');
}

/** Wipes all moto state (call in beforeEach). */
export async function resetMoto(endpoint = motoEndpoint()): Promise<void> {
  const r = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  if (!r.ok) throw new Error(`moto reset failed: HTTP ${r.status}`);
}

/** SDK client config for moto: endpoint, region and dummy credentials. */
export function motoClientConfig(endpoint = motoEndpoint()) {
  return {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  };
}

/**
 * Sends every request of `client` as moto's account `accountId` (moto's `x-moto-account-id` header): the shortcut
 * tests use to build state in a member account. The collector itself reaches member accounts with AssumeRole.
 */
export function inAccount<T extends { middlewareStack: unknown }>(client: T, accountId: string): T {
  (client.middlewareStack as { add: (mw: unknown, o: unknown) => void }).add(
    (next: (a: unknown) => unknown) => async (args: { request: { headers: Record<string, string> } }) => {
      args.request.headers['x-moto-account-id'] = accountId;
      return next(args);
    },
    { step: 'build' },
  );
  return client;
}

/**
 * Registers, in the calling `describe`, a fresh start for each of its tests: moto reset and a new temporary folder
 * (named `prefix` + random), removed after the test. Returns the running test's folder.
 */
export function freshMotoAndDir(prefix: string): () => string {
  let dir: string | undefined;
  beforeEach(async () => {
    await resetMoto();
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterEach(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });
  return () => {
    if (dir === undefined) throw new Error('freshMotoAndDir: the folder exists only while a test of the describe runs');
    return dir;
  };
}
