import { describe, expect, it } from 'vitest';
import type { CliIo } from './io.js';
import { connectionFrom, progressLine } from './aws-options.js';

function io(env: Record<string, string>, isTty = false) {
  const err: string[] = [];
  const value: CliIo = { stdout: () => {}, stderr: (t) => void err.push(t), readStdin: async () => new Uint8Array(), isTty, cwd: '/', now: () => new Date(0), env };
  return { value, err };
}

const timeouts = { connectTimeoutMs: 5000, requestTimeoutMs: 30000 };

describe('connectionFrom', () => {
  it('uses keys from the environment, region from AWS_REGION', () => {
    const c = connectionFrom(io({ AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 's', AWS_REGION: 'eu-west-1' }).value, {});
    expect(c).toEqual({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 's' }, ...timeouts });
  });
  it('lets --profile win over environment keys and passes the endpoint', () => {
    const c = connectionFrom(io({ AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 's' }).value, { profile: 'audit', region: 'us-west-2', endpointUrl: 'http://127.0.0.1:1' });
    expect(c).toEqual({ region: 'us-west-2', profile: 'audit', endpoint: 'http://127.0.0.1:1', ...timeouts });
  });
  it('falls back to the SDK chain and us-east-1', () => {
    expect(connectionFrom(io({}).value, {})).toEqual({ region: 'us-east-1', ...timeouts });
  });
});

describe('progressLine', () => {
  it('draws only on a terminal and clears the line when done', () => {
    const off = io({}, false);
    const p1 = progressLine(off.value);
    p1.update('x');
    p1.done();
    expect(off.err).toEqual([]);
    const on = io({}, true);
    const p2 = progressLine(on.value);
    p2.update('collect: 1/2 accounts');
    p2.done();
    expect(on.err).toEqual(['\r\x1b[2Kcollect: 1/2 accounts', '\r\x1b[2K']);
  });
});
