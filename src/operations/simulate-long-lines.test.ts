import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test-support/cli.js';
import { strictTextPieces } from '../io/utf8-stream.js';
import { BatchRun, limitLineLength, MAX_BATCH_LINE, SLOW_NEXT } from './simulate.js';

const dir = mkdtempSync(join(tmpdir(), 'bh-long-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function* each(pieces: readonly string[]): AsyncGenerator<string> {
  yield* pieces;
}

async function collect(pieces: readonly string[], max: number): Promise<string> {
  let out = '';
  for await (const p of limitLineLength(each(pieces), max)) out += p;
  return out;
}

/** What limitLineLength should give: each line cut to max + 1 characters, newlines kept. */
const expected = (text: string, max: number): string =>
  text
    .split('\n')
    .map((l) => l.slice(0, max + 1))
    .join('\n');

const LINE = '{"request":{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"},"identityPolicies":[]}';

describe('limitLineLength', () => {
  it('passes lines within the limit unchanged and cuts longer ones to the limit + 1, however the text is split', async () => {
    const text = fc.stringMatching(/^[ab\n]{0,60}$/);
    await fc.assert(
      fc.asyncProperty(text, fc.integer({ min: 1, max: 12 }), fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 6 }), async (t, max, cuts) => {
        const at = [...new Set(cuts.map((c) => Math.min(c, t.length)))].sort((a, b) => a - b);
        const pieces = [0, ...at].map((c, i, all) => t.slice(c, all[i + 1] ?? t.length));
        expect(await collect(pieces, max)).toBe(expected(t, max));
      }),
      { numRuns: 400 },
    );
  });

  it('holds no more than the limit of an endless line', async () => {
    async function* endless(): AsyncGenerator<string> {
      for (let i = 0; i < 1000; i++) yield 'x'.repeat(1000);
      yield '\nnext\n';
    }
    let out = '';
    for await (const p of limitLineLength(endless(), 5_000)) out += p;
    expect(out).toBe(`${'x'.repeat(5_001)}\nnext\n`);
  });
});

describe('strictTextPieces with holdAtMost', () => {
  it('passes a line longer than it on in parts and still places a later invalid byte at its column', async () => {
    const enc = new TextEncoder();
    async function* chunks(): AsyncGenerator<Uint8Array> {
      yield enc.encode('ok\n');
      for (let i = 0; i < 10; i++) yield enc.encode('é'.repeat(50)); // 500 characters, held at most 120
      yield new Uint8Array([0x41, 0xff, 0x0a]);
    }
    const s = strictTextPieces(chunks(), 'in', 120);
    const got: string[] = [];
    for await (const p of s.pieces) got.push(p);
    expect(got[0]).toBe('ok\n');
    expect(got.slice(1).every((p) => p.length <= 170)).toBe(true); // at most what was held plus one chunk
    const passed = got.join('');
    expect(passed).toBe(`ok\n${'é'.repeat(passed.length - 3)}`); // a start of the line, never the invalid byte
    expect(passed.length - 3).toBeGreaterThanOrEqual(500 - 120); // no more than holdAtMost of it held back
    const o = s.outcome();
    expect(o.ok).toBe(false);
    expect(o.diagnostics[0]).toMatchObject({ code: 'BH0003', position: { line: 2, col: 502 } });
  });
});

describe('simulate --batch with a line over 64 MiB', () => {
  const long = `{"request":${'x'.repeat(MAX_BATCH_LINE + 10)}\n${LINE}\n`;

  it('refuses that line with BH3105 and evaluates the next, from a FILE and from stdin', async () => {
    const f = join(dir, 'long.jsonl');
    writeFileSync(f, long);
    for (const r of [await runCli(['simulate', '--batch', f]), await runCli(['simulate', '--batch', '-'], { stdin: long })]) {
      expect(r.code).toBe(1);
      const [first, second, ...rest] = r.stdout.split('\n');
      expect(JSON.parse(first!)).toMatchObject({ line: 1, errors: [{ code: 'BH3105', position: { line: 1, col: 1 } }] });
      expect(JSON.parse(second!)).toMatchObject({ decision: 'ImplicitlyDenied' });
      expect(rest).toEqual(['']);
    }
  });
});

describe('BatchRun and an endless line', () => {
  it('answers BH3105 as soon as the line is over the limit, drops the rest of it, and goes on after its newline', () => {
    const run = new BatchRun({ label: 'in' });
    const piece = 'x'.repeat(2 ** 20);
    const out: string[] = [];
    for (let i = 0; i < 64; i++) out.push(...run.results(piece)); // exactly 64 MiB: not over yet
    expect(out).toEqual([]);
    out.push(...run.results('y'), ...run.results(piece));
    expect(out).toHaveLength(1);
    expect(JSON.parse(out[0]!)).toMatchObject({ line: 1, errors: [{ code: 'BH3105', file: 'in', position: { line: 1, col: 1 } }] });
    expect(run.bad).toBe(true);
    const after = [...run.results(`zzz\n${LINE}\n`), ...run.results('x'.repeat(10))];
    expect(after.filter((r) => r !== SLOW_NEXT).map((r) => JSON.parse(r) as unknown)).toMatchObject([{ decision: 'ImplicitlyDenied' }]);
    expect(run.last()).toMatch(/"line":3,/); // the unfinished third line, ten characters: its own result
  });
});

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const built = existsSync(join(root, 'dist', 'index.js'));

describe.skipIf(!built || process.platform === 'win32')('simulate --batch FIFO (built CLI)', () => {
  it('reads a named pipe as it arrives, with the same results as the file', () => {
    const f = join(dir, 'lines.jsonl');
    writeFileSync(f, `${LINE}\n\n${LINE}\n`);
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const bin = join(root, 'bin', 'bulkhead.js');
    const fromFile = spawnSync(process.execPath, [bin, 'simulate', '--batch', f], { encoding: 'utf8' });
    const fromFifo = spawnSync('sh', ['-c', `cat "$1" > "$2" & exec "$3" "$4" simulate --batch "$2"`, 'sh', f, fifo, process.execPath, bin], { encoding: 'utf8', timeout: 20_000 });
    expect(fromFifo.status).toBe(1); // the blank line
    expect(fromFifo.stdout).toBe(fromFile.stdout.split(f).join(fifo));
    expect(fromFifo.stdout.split('\n')).toHaveLength(4);
  });
});
