import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo, runCli } from '../../test-support/cli.js';
import { main } from './main.js';

const dir = mkdtempSync(join(tmpdir(), 'bh-stdin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const bytes = (...parts: (string | number[])[]): Uint8Array => Buffer.concat(parts.map((p) => (typeof p === 'string' ? enc(p) : new Uint8Array(p))));

/** `bulkhead ...args` on FILE holding `data`, with the file's name in stderr written as `label`. */
async function onFile(args: readonly string[], data: Uint8Array, label: string) {
  const f = join(dir, 'input');
  writeFileSync(f, data);
  const r = await runCli(args.map((a) => (a === '-' ? f : a)));
  return { ...r, stderr: r.stderr.split(f).join(label) };
}

/** `bulkhead ...args` with `data` on stdin, arriving in pieces of `size` bytes. */
async function onStdin(args: readonly string[], data: Uint8Array, size: number) {
  const m = memoryIo();
  const io = {
    ...m.io,
    stdinChunks: async function* () {
      for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
    },
  };
  const code = await main(args, io);
  return { code, stdout: m.out.join(''), stderr: m.err.join('') };
}

const request = JSON.stringify({
  request: { principal: 'arn:aws:iam::111122223333:user/é', action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' },
  identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }],
});

describe('standard input is decoded as strictly as a file', () => {
  it('simulate - refuses invalid UTF-8 with the error, position and exit code a file gets', async () => {
    const data = bytes(request.slice(0, 40), [0x61, 0xc3, 0x41], request.slice(40));
    const stdin = await runCli(['simulate', '-'], { stdin: data });
    expect(stdin.code).toBe(1);
    expect(stdin.stdout).toBe('');
    expect(stdin.stderr).toBe('-:1:42: error BH0003: file `-` is not valid UTF-8 (byte 0xc3 at offset 41); save it as UTF-8\n');
    expect(stdin).toEqual(await onFile(['simulate', '-'], data, '-'));
  });

  it('plan - and verify - refuse it too (labelled <stdin>, as their other stdin errors are)', async () => {
    const data = bytes('version: 1\norganization:\n  name: acme', [0xff], '\n');
    for (const cmd of ['plan', 'verify']) {
      const r = await runCli([cmd, '-'], { stdin: data });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('<stdin>:3:13: error BH0003: file `<stdin>` is not valid UTF-8 (byte 0xff at offset 37)');
    }
    const spec = await runCli(['verify', join(dir, 'none'), '--spec', '-'], { stdin: data });
    expect(spec.code).toBe(1);
    expect(spec.stderr).toContain('<stdin>:3:13: error BH0003');
  });

  it('simulate --batch from stdin decodes characters split across pieces and stops at the line with an invalid byte', async () => {
    const lines = `${request}\n`.repeat(3);
    const bad = bytes(lines, request.slice(0, 60), [0xe2, 0x82, 0x41], request.slice(60), '\n', lines);
    const file = await onFile(['simulate', '--batch', '-'], bad, '-');
    expect(file.stderr).toBe('-:4:61: error BH0003: file `-` is not valid UTF-8 (byte 0xe2 at offset ' + `${enc(lines).length + enc(request.slice(0, 60)).length}); save it as UTF-8\n`);
    const good = await runCli(['simulate', '--batch'], { stdin: lines });
    expect(good.code).toBe(0);
    for (const size of [1, 2, 3, 5, 64, 1 << 20]) {
      const r = await onStdin(['simulate', '--batch'], bad, size);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(file.stderr);
      expect(r.stdout).toBe(good.stdout); // the three lines before it, nothing of the bad line or after
      expect(await onStdin(['simulate', '--batch'], enc(lines), size)).toEqual(good);
    }
  });

  it('simulate --batch from stdin decodes a chunk larger than 32 KiB in parts with the same text and errors', async () => {
    const lines = `${request}\n`.repeat(Math.ceil(40_000 / (request.length + 1)));
    const at = 32_768 - enc(lines.slice(0, 32_000)).length; // bytes from a line start to the 32 KiB boundary
    const head = `${lines.slice(0, 32_000)}${'x'.repeat(at - 1)}`; // 'é' straddles the boundary, the bad byte just after
    const bad = bytes(head, 'é', [0xc3, 0x41], '\n', lines);
    expect(enc(head).length).toBe(32_767);
    const file = await onFile(['simulate', '--batch', '-'], bad, '-');
    expect(file.stderr).toContain('error BH0003');
    const before = await runCli(['simulate', '--batch'], { stdin: head.slice(0, head.lastIndexOf('\n') + 1) }); // the whole lines before it
    const good = await runCli(['simulate', '--batch'], { stdin: lines });
    for (const size of [1 << 20, 65_536, 32_768, 40_000, 1_000]) {
      expect(await onStdin(['simulate', '--batch'], bad, size)).toEqual({ code: 1, stdout: before.stdout, stderr: file.stderr });
      expect(await onStdin(['simulate', '--batch'], enc(lines), size)).toEqual(good);
    }
  });

  it('simulate --batch from stdin refuses a character cut short at the end, and drops a byte-order mark', async () => {
    const cut = bytes(`${request}\n`, '{"x": "', [0xf0, 0x9f, 0x98]);
    const file = await onFile(['simulate', '--batch', '-'], cut, '-');
    expect(file.stderr).toBe(`-:2:8: error BH0003: file \`-\` is not valid UTF-8 (byte 0xf0 at offset ${enc(request).length + 8}); save it as UTF-8\n`);
    for (const size of [1, 2, 4096]) expect((await onStdin(['simulate', '--batch'], cut, size)).stderr).toBe(file.stderr);
    const bom = await onStdin(['simulate', '--batch'], bytes([0xef, 0xbb, 0xbf], `${request}\n`), 1);
    expect(bom).toMatchObject({ code: 0, stderr: '' });
  });
});

describe('standard input over 2 GiB', () => {
  it('is BH0001 with what to do when the host stopped reading it (readStdin gives undefined)', async () => {
    const m = memoryIo();
    const code = await main(['plan', '-'], { ...m.io, readStdin: async () => undefined });
    expect(code).toBe(1);
    expect(m.err.join('')).toBe('<stdin>: error BH0001: standard input is larger than 2 GiB, the most that is read as one input; split it (`simulate --batch -` reads standard input in pieces)\n1 error, 0 warnings\n');
  });
});
