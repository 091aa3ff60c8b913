import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../cli/main.js';
import type { CliIo } from '../cli/io.js';

function io(stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    readStdin: async () => new TextEncoder().encode(stdin),
    isTty: false,
    cwd: process.cwd(),
    now: () => new Date('2026-11-28T00:00:00Z'),
    env: {},
  };
  return { value, out: () => out.join(''), err: () => err.join('') };
}

const input = {
  request: {
    principal: 'arn:aws:iam::111122223333:role/appeng',
    action: 's3:GetObject',
    resource: 'arn:aws:s3:::orders/2026/01.csv',
    resourceAccount: '444455556666',
    context: { 'aws:SourceIp': '203.0.113.7', 'aws:PrincipalTag/team': ['retail'] },
  },
  identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::orders/*' }] }],
  resourcePolicy: { Version: '2012-10-17', Statement: [{ Sid: 'Partner', Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::orders/*' }] },
  serviceControlPolicies: [[{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }]],
  resourceControlPolicies: [[]],
};

describe('bulkhead simulate', () => {
  it('evaluates a file and prints decision, blockedBy and explanation', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bh-sim-'));
    const f = join(dir, 'in.json');
    writeFileSync(f, JSON.stringify(input));
    const t = io();
    expect(await main(['simulate', f], t.value)).toBe(0);
    expect(JSON.parse(t.out())).toEqual({
      decision: 'Allowed',
      blockedBy: [],
      explanation: [
        { policyKind: 'identity', policy: 'identityPolicies[0]', statement: 0, effect: 'Allow' },
        { policyKind: 'resource', policy: 'resourcePolicy', statement: 0, sid: 'Partner', effect: 'Allow' },
        { policyKind: 'scp', policy: 'serviceControlPolicies[0][0]', statement: 0, effect: 'Allow' },
      ],
    });
  });

  it('runs the documented example input as written (empty {} placeholders are treated as absent)', async () => {
    const example = `{ "request": { "principal": "arn:aws:iam::111122223333:role/appeng", "action": "s3:GetObject",
   "resource": "arn:aws:s3:::orders/2026/01.csv", "resourceAccount": "444455556666",
   "context": { "aws:SourceIp": "203.0.113.7", "aws:PrincipalTag/team": ["retail"] } },
  "identityPolicies": [ { "Version": "2012-10-17", "Statement": [] } ],
  "resourcePolicy": { }, "permissionBoundary": { }, "sessionPolicy": { },
  "serviceControlPolicies": [ [ ], [ ] ], "resourceControlPolicies": [ [ ] ] }`;
    const t = io(example);
    expect(await main(['simulate', '-'], t.value)).toBe(0);
    expect(JSON.parse(t.out())).toEqual({ decision: 'ImplicitlyDenied', blockedBy: ['identity', 'resource', 'scp'], explanation: [] });
    expect(t.err()).toContain('warning BH3103');
  });

  it('reads stdin with - and adds notes with --explain', async () => {
    const t = io(JSON.stringify({ ...input, resourcePolicy: undefined }));
    expect(await main(['simulate', '-', '--explain'], t.value)).toBe(0);
    const o = JSON.parse(t.out()) as { decision: string; blockedBy: string[]; notes: string[] };
    expect(o.decision).toBe('ImplicitlyDenied');
    expect(o.blockedBy).toEqual(['resource']);
    expect(o.notes.join(' ')).toContain('cross-account');
  });

  it('rejects invalid input with a positioned diagnostic and exit 1', async () => {
    const t = io('{"request": ');
    expect(await main(['simulate', '-'], t.value)).toBe(1);
    expect(t.err()).toMatch(/^-:1:13: error BH3001: malformed JSON/);
  });

  it('names bad policies by their JSON path', async () => {
    const t = io(JSON.stringify({ ...input, identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Permit', Action: 's3:GetObject', Resource: '*' }] }] }));
    expect(await main(['simulate', '-'], t.value)).toBe(1);
    expect(t.err()).toContain('-:1:') ;
    expect(t.err()).toContain('error BH3007: `Effect` `Permit` is not valid; use `Allow` or `Deny` (case-sensitive) (at identityPolicies[0].Statement[0].Effect)');
  });

  it('rejects a bad request field', async () => {
    const t = io(JSON.stringify({ ...input, request: { ...input.request, action: 's3:Get*' } }));
    expect(await main(['simulate', '-'], t.value)).toBe(1);
    expect(t.err()).toContain('BH3102');
  });

  it('reports a missing file', async () => {
    const t = io();
    expect(await main(['simulate', '/nonexistent/x.json'], t.value)).toBe(1);
    expect(t.err()).toContain('BH0001');
  });

  it('is a usage error without a file or --batch', async () => {
    const t = io();
    expect(await main(['simulate'], t.value)).toBe(2);
  });

  it('--batch writes one line per input line, in order, and goes on after a bad line', async () => {
    const good = JSON.stringify(input);
    const deny = JSON.stringify({ ...input, identityPolicies: [] });
    const t = io(`${good}\n{oops\n\n${deny}\r\n`);
    expect(await main(['simulate', '--batch'], t.value)).toBe(1);
    const lines = t.out().trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(JSON.parse(lines[0]!).decision).toBe('Allowed');
    expect(JSON.parse(lines[1]!)).toMatchObject({ line: 2, errors: [{ code: 'BH3001' }] });
    expect(JSON.parse(lines[2]!)).toMatchObject({ line: 3, errors: [{ code: 'BH3100' }] });
    expect(JSON.parse(lines[3]!)).toMatchObject({ decision: 'ImplicitlyDenied', blockedBy: ['identity'] });
  });

  it('--batch with only good lines exits 0', async () => {
    const t = io(`${JSON.stringify(input)}\n${JSON.stringify(input)}\n`);
    expect(await main(['simulate', '--batch'], t.value)).toBe(0);
    expect(t.out().trimEnd().split('\n')).toHaveLength(2);
  });
});

describe('bulkhead simulate: adversarial wildcard patterns (the hang report)', () => {
  const bucket = 'arn:aws:s3:::' + 'a'.repeat(40);
  const request = (resource: string, statement: object): string =>
    JSON.stringify({
      request: { principal: 'arn:aws:iam::111122223333:role/app', action: 's3:GetObject', resource, context: { 's3:prefix': 'a'.repeat(40) } },
      identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', ...statement }] }],
    });

  it('answers a near miss of `arn:aws:s3:::*a*a*a*a*a*a*a*a*a*ab` on a 40-character bucket name', async () => {
    const pattern = 'arn:aws:s3:::*a*a*a*a*a*a*a*a*a*ab';
    const line = request(bucket, { Resource: pattern });
    expect(line.length).toBeLessThan(400); // the report's request was 312 bytes
    const miss = io(line);
    expect(await main(['simulate', '-'], miss.value)).toBe(0);
    expect(JSON.parse(miss.out())).toMatchObject({ decision: 'ImplicitlyDenied' });
    const hit = io(request(`${bucket}b`, { Resource: pattern }));
    expect(await main(['simulate', '-'], hit.value)).toBe(0);
    expect(JSON.parse(hit.out())).toMatchObject({ decision: 'Allowed' });
  });

  it('answers the same pattern through StringLike', async () => {
    const condition = (tail: string) => ({ Resource: '*', Condition: { StringLike: { 's3:prefix': '*a'.repeat(30) + tail } } });
    const miss = io(request(bucket, condition('b')));
    expect(await main(['simulate', '-'], miss.value)).toBe(0);
    expect(JSON.parse(miss.out())).toMatchObject({ decision: 'ImplicitlyDenied' });
    const hit = io(request(bucket, condition('')));
    expect(await main(['simulate', '-'], hit.value)).toBe(0);
    expect(JSON.parse(hit.out())).toMatchObject({ decision: 'Allowed' });
  });
});

describe('bulkhead simulate --batch FILE (read in pieces of whole lines)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bh-batch-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const good = JSON.stringify(input);
  const many = `${good}\n`.repeat(Math.ceil(70_000 / good.length)); // more than one 64 KiB piece
  const run = async (name: string, bytes: Buffer) => {
    writeFileSync(join(dir, name), bytes);
    const t = io();
    const code = await main(['simulate', '--batch', join(dir, name)], t.value);
    return { code, out: t.out(), err: t.err() };
  };

  it('refuses invalid UTF-8 past the first piece before writing any result, with its line and column', async () => {
    const lines = many.split('\n').length; // the bad line's number
    const r = await run('bad.jsonl', Buffer.concat([Buffer.from(many), Buffer.from('{"request": "'), Buffer.from([0xff]), Buffer.from('"}\n')]));
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain(`bad.jsonl:${lines}:14`);
    expect(r.err).toContain('BH0003');
  });

  it('drops a byte-order mark, takes a line longer than a piece whole, and locates a line nested too deeply', async () => {
    const long = JSON.stringify({ ...input, request: { ...input.request, context: { ...input.request.context, 'aws:PrincipalTag/pad': 'p'.repeat(100_000) } } });
    const deep = `{"request": ${'['.repeat(200)}${']'.repeat(200)}}`;
    const r = await run('mixed.jsonl', Buffer.from(`\uFEFF${good}\n${long}\n${deep}\n${many}`));
    expect(r.code).toBe(1);
    const out = r.out.trimEnd().split('\n').map((l) => JSON.parse(l) as { decision?: string; line?: number; errors?: { code: string; position?: unknown }[] });
    expect(out.slice(0, 2).map((o) => o.decision)).toEqual(['Allowed', 'Allowed']);
    expect(out[2]).toMatchObject({ line: 3, errors: [{ code: 'BH3104', position: { line: 3, col: 112 } }] }); // the bracket that opens level 101
    expect(out.slice(3).every((o) => o.decision === 'Allowed')).toBe(true);
    expect(out).toHaveLength(3 + many.split('\n').length - 1);
  });
});
