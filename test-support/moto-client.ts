/** Helpers for tests that talk to the suite's moto_server. */
import { inject } from 'vitest';

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
