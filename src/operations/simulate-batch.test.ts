import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../cli/main.js';
import type { CliIo } from '../cli/io.js';
import { lineSetKey } from '../policy/set-cache.js';
import { BatchRun, SLOW_NEXT, batchLines, batchResultLine, simulateLine } from './simulate.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const data = (f: string) => readFileSync(join(here, 'testdata', f), 'utf8');

/** An in-process IO whose stdin arrives in pieces of `size` bytes (which may split a character). */
function io(stdin: string, size?: number) {
  const out: string[] = [];
  const bytes = new TextEncoder().encode(stdin);
  const value: CliIo = {
    stdout: (t) => void out.push(t),
    stderr: () => undefined,
    readStdin: async () => bytes,
    ...(size === undefined
      ? {}
      : {
          stdinChunks: async function* () {
            for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
          },
        }),
    isTty: false,
    cwd: process.cwd(),
    now: () => new Date(0),
    env: {},
  };
  return { value, out: () => out.join('') };
}

describe('simulate --batch output', () => {
  // the outputs were recorded from the batch path before streaming and the per-line set cache
  const input = data('batch-input.jsonl');
  for (const explain of [false, true]) {
    const expected = data(explain ? 'batch-output-explain.jsonl' : 'batch-output.jsonl');
    const args = ['simulate', '--batch', ...(explain ? ['--explain'] : [])];
    it(`is byte-identical to the recorded output${explain ? ' (--explain)' : ''}`, async () => {
      const t = io(input);
      expect(await main(args, t.value)).toBe(1);
      expect(t.out()).toBe(expected);
    });
    it(`is the same whatever the input's pieces${explain ? ' (--explain)' : ''}`, async () => {
      for (const size of [1, 7, 4096]) {
        const t = io(input, size);
        expect(await main(args, t.value)).toBe(1);
        expect(t.out()).toBe(expected);
      }
    });
  }

  it('gives every line the same result with or without the set cache', () => {
    const run = new BatchRun({ label: '-' });
    const policies = '"identityPolicies":[{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}]';
    const req = '{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"}';
    // lines that share the policy text of an earlier line but are broken or odd in their request
    const tricky = [`{"request":${req},${policies}}`, `{"request":{"principal":},${policies}}`, `{"request":${req} 1,${policies}}`, `{"request":[],${policies}}`, `{"request":"x",${policies}}`, `{"request":${'['.repeat(20000)}${']'.repeat(20000)},${policies}}`, `{"request":${req},${policies}}`];
    const lines = [...batchLines(input), ...tricky];
    const text = `${lines.join('\n')}\n`;
    const streamed = run.push(text) + run.end();
    expect(streamed).toBe(`${lines.map((l, i) => batchResultLine(simulateLine(l, i + 1, { label: '-' }), i + 1)).join('\n')}\n`);
  });
});

describe('simulate --batch writing', () => {
  const line = (action: string, policyAction: string) =>
    `{"request":{"principal":"arn:aws:iam::111122223333:user/a","action":"${action}","resource":"arn:aws:s3:::b/k"},"identityPolicies":[{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"${policyAction}","Resource":"*"}]}]}`;

  it('writes the results of earlier lines before a line with new policy documents, in the same piece', async () => {
    const writes: string[] = [];
    const base = io('');
    const value: CliIo = {
      ...base.value,
      stdinChunks: async function* () {
        yield new TextEncoder().encode(`${[line('s3:GetObject', 's3:GetObject'), line('s3:PutObject', 's3:GetObject'), line('s3:GetObject', 's3:*')].join('\n')}\n`);
      },
      writeStdout: async (t) => void writes.push(t),
    };
    expect(await main(['simulate', '--batch'], value)).toBe(0);
    expect(writes.map((w) => w.split('\n').filter(Boolean).length)).toEqual([2, 1]);
    expect(writes[0]).toContain('"decision":"Allowed"');
    expect(writes[0]).toContain('"decision":"ImplicitlyDenied"');
  });

  it('marks each line whose policy documents are new before computing it', async () => {
    const events: string[] = [];
    const run = new BatchRun({ label: '-' });
    const text = `${line('s3:GetObject', 's3:GetObject')}\n${line('s3:GetObject', 's3:*')}\n`;
    for (const r of run.results(text)) events.push(r === SLOW_NEXT ? 'slow' : 'result');
    expect(events).toEqual(['slow', 'result', 'slow', 'result']);
  });
});

describe('batchResultLine', () => {
  it('writes what JSON.stringify writes, escapes included', () => {
    const refs = [
      { policyKind: 'identity' as const, policy: 'identityPolicies[0]', statement: 0, effect: 'Allow' as const },
      { policyKind: 'scp' as const, policy: 'serviceControlPolicies[1][2]', statement: 12, effect: 'Deny' as const, sid: 'a"b\\c\u0001\u2028é\ud800😀' },
    ];
    const plain = { decision: 'Allowed' as const, blockedBy: [], explanation: refs };
    const explained = { decision: 'ExplicitlyDenied' as const, blockedBy: ['scp' as const, 'aws-owned' as const], explanation: refs, notes: ['a "note"'], warnings: [] };
    for (const v of [plain, explained, { decision: 'ImplicitlyDenied' as const, blockedBy: ['identity' as const], explanation: [] }]) {
      expect(batchResultLine({ ok: true, value: v, diagnostics: [] }, 1)).toBe(JSON.stringify(v));
    }
  });

  it('writes a frozen list once and a list that is not frozen every time', () => {
    const frozen = Object.freeze(['identity' as const, 'resource' as const]);
    const open: ('identity' | 'scp')[] = ['identity'];
    const line = (blockedBy: readonly ('identity' | 'resource' | 'scp')[]): string => batchResultLine({ ok: true, value: { decision: 'ImplicitlyDenied', blockedBy, explanation: [] }, diagnostics: [] }, 1);
    expect(line(frozen)).toBe('{"decision":"ImplicitlyDenied","blockedBy":["identity","resource"],"explanation":[]}');
    expect(line(frozen)).toBe(line(['identity', 'resource']));
    expect(line(open)).toBe('{"decision":"ImplicitlyDenied","blockedBy":["identity"],"explanation":[]}');
    open.push('scp');
    expect(line(open)).toBe('{"decision":"ImplicitlyDenied","blockedBy":["identity","scp"],"explanation":[]}');
  });
});

describe('lineSetKey', () => {
  it('cuts the request value out of the line', () => {
    expect(lineSetKey('{"request":{"a":"}"},"identityPolicies":[1]}')).toBe('{"request":,"identityPolicies":[1]}');
    expect(lineSetKey(' { "identityPolicies" : [ "x\\"]" ] , "request" : "r" } ')).toBe(' { "identityPolicies" : [ "x\\"]" ] , "request" :  } ');
  });
  it('gives up on escaped, repeated or missing request keys', () => {
    expect(lineSetKey('{"\\u0072equest":{},"identityPolicies":[]}')).toBeUndefined();
    expect(lineSetKey('{"request":{},"request":{}}')).toBeUndefined();
    expect(lineSetKey('{"identityPolicies":[]}')).toBeUndefined();
    expect(lineSetKey('[1]')).toBeUndefined();
  });
});

const bin = join(root, 'bin', 'bulkhead.js');
describe.skipIf(!existsSync(join(root, 'dist', 'index.js')))('simulate --batch through a pipe', () => {
  it('answers lines as they arrive, before stdin closes', async () => {
    const child = spawn(process.execPath, [bin, 'simulate', '--batch'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const lines = batchLines(data('batch-input.jsonl')).slice(0, 3);
    let got = '';
    const firstThree = new Promise<string>((resolve) => {
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (d: string) => {
        got += d;
        if (got.split('\n').length > 3) resolve(got);
      });
    });
    child.stdin.write(`${lines.join('\n')}\n`); // the pipe stays open
    const before = await firstThree;
    expect(before.split('\n').filter(Boolean)).toHaveLength(3);
    expect(child.exitCode).toBeNull(); // still waiting for more input
    child.stdin.end();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
  });
});
