import { beforeEach, describe, expect, it } from 'vitest';
import { motoEndpoint, resetMoto } from './moto-client.js';

describe('moto test server (global setup)', () => {
  beforeEach(() => resetMoto());
  it('answers on a loopback port', async () => {
    expect(motoEndpoint()).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const r = await fetch(`${motoEndpoint()}/moto-api/`);
    expect(r.status).toBe(200);
  });
});
