import { describe, expect, it } from 'vitest';
import { batchInput } from '../../bench/simulate-corpus.js';
import type { CliIo } from '../cli/io.js';
import { main } from '../cli/main.js';
import { BatchRun } from './simulate.js';
import { batchThreads, runBatchThreads } from './simulate-threads.js';

/**
 * A batch with what a batch can hold: corpus lines (refused ones among them), blank lines, CRLF line ends, a line
 * that is not JSON, one with an unknown key, and a last line without its newline.
 */
function mixedInput(n: number): string {
  const lines = batchInput(n);
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (i % 97 === 5) out.push('');
    if (i % 131 === 7) out.push('{"request": nope');
    if (i % 173 === 11) out.push('{"request":{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resource":"*"},"identityPolicies":[],"extra":1}');
    out.push(i % 7 === 3 ? `${lines[i]!}\r` : lines[i]!);
  }
  return out.join('\n'); // no newline after the last line
}

function io(stdin: string, size?: number) {
  const out: string[] = [];
  const err: string[] = [];
  const bytes = new TextEncoder().encode(stdin);
  const value: CliIo = {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    readStdin: async () => bytes,
    ...(size === undefined ? {} : { stdinChunks: async function* () {
      for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
    } }),
    isTty: false,
    cwd: process.cwd(),
    now: () => new Date(0),
    env: {},
  };
  return { value, out: () => out.join(''), err: () => err.join('') };
}

async function batch(input: string, args: string[], size?: number) {
  const t = io(input, size);
  const code = await main(['simulate', '--batch', ...args], t.value);
  return { code, out: t.out(), err: t.err() };
}

describe('simulate --batch on threads', () => {
  const input = mixedInput(1500);

  it('writes byte for byte what one thread writes, with the same exit code and --expect report', async () => {
    for (const extra of [[], ['--expect', 'Allowed'], ['--explain']]) {
      const one = await batch(input, ['--threads', '1', ...extra], 4096);
      expect(one.out.split('\n')).toHaveLength(input.split('\n').length + 1); // one line per input line
      expect(one.code).toBe(1); // refused lines
      for (const threads of ['2', '3']) {
        const many = await batch(input, ['--threads', threads, ...extra], 4096);
        expect(many.out).toBe(one.out);
        expect(many.err).toBe(one.err);
        expect(many.code).toBe(one.code);
      }
    }
  }, 120_000);

  it('reads stdin given in one piece the same way', async () => {
    const one = await batch(input, ['--threads', '1']);
    const many = await batch(input, ['--threads', '2']);
    expect(many.out).toBe(one.out);
  }, 60_000);

  it('keeps the order with many small chunks, and runs a failed worker\'s chunks on the main thread', async () => {
    const options = { label: '-', expect: 'Allowed' as const };
    const single = new BatchRun(options);
    const expected = single.push(input) + single.end();
    for (const workerUrl of [undefined, new URL('./testdata/failing-simulate-worker.mjs', import.meta.url)]) {
      const run = new BatchRun(options);
      const written: string[] = [];
      async function* pieces() {
        // pieces of every size around the chunk size, so line ends fall in earlier pieces, later ones, or none
        for (let i = 0, k = 0; i < input.length; k++) {
          const size = [3000, 7, 1999, 1, 450, 5000][k % 6]!;
          yield input.slice(i, i + size);
          i += size;
        }
      }
      const report = await runBatchThreads(run, pieces(), options, { threads: 2, chunkChars: 2000, mainWorks: false, write: async (t) => void written.push(t), ...(workerUrl ? { workerUrl } : {}) });
      expect(written.join('')).toBe(expected);
      if (!workerUrl) expect(report).toMatchObject({ chunksHere: 0, notes: [] });
      expect(report.chunksOnWorkers + report.chunksHere).toBeGreaterThan(100);
      expect(run.bad).toBe(single.bad);
      expect(run.unexpected).toStrictEqual(single.unexpected);
      if (workerUrl) expect(report.notes.map((d) => d.code)).toStrictEqual(['BH3150', 'BH3150']);
    }
  }, 60_000);
});

describe('simulate --threads values', () => {
  it('refuses a count that is not a whole number from 1 to 64 as a usage error, before starting any worker', async () => {
    for (const [value, message] of [
      ['abc', '--threads must be `auto` or a positive integer, got `abc`'],
      ['0', '--threads must be `auto` or a positive integer, got `0`'],
      ['1.5', '--threads must be `auto` or a positive integer, got `1.5`'],
      ['65', '--threads must be `auto` or a whole number from 1 to 64, got `65`'],
      ['99999999999', '--threads must be `auto` or a whole number from 1 to 64, got `99999999999`'],
    ]) {
      const r = await batch('', ['--threads', value!]);
      expect(r.code).toBe(2);
      expect(r.err).toContain(message);
    }
  });
});

describe('batchThreads', () => {
  it('is one thread for auto (workers were never faster on the measured 2-core machine) and an explicit count as given', () => {
    expect(batchThreads('auto')).toBe(1);
    expect(batchThreads(undefined)).toBe(1);
    expect(batchThreads(3)).toBe(3);
    expect(batchThreads(1)).toBe(1);
    expect(batchThreads(2.7)).toBe(2);
  });
});
