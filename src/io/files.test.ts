import { existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test-support/cli.js';
import { decodeUtf8, readTextFile, readTextFilePieces, utf8Pieces } from './files.js';

describe('reading text inputs', () => {
  it('rejects invalid UTF-8 with the position of the first bad byte instead of replacing it', () => {
    const bytes = Buffer.concat([Buffer.from('version: 1\norganization:\n  name: acme'), Buffer.from([0xff, 0xfe]), Buffer.from('\n')]);
    const r = decodeUtf8(bytes, 'spec.yaml');
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]).toMatchObject({ code: 'BH0003', file: 'spec.yaml', position: { line: 3, col: 13 } });
    expect(r.diagnostics[0]?.message).toContain('0xff');
  });

  it('counts columns in characters after multi-byte text', () => {
    const r = decodeUtf8(Buffer.concat([Buffer.from('é€x'), Buffer.from([0x80])]), 'f');
    expect(r.diagnostics[0]?.position).toEqual({ line: 1, col: 4 });
  });

  it('places a character that the next byte does not continue at its lead byte', () => {
    const at = (bytes: number[]) => {
      const d = decodeUtf8(new Uint8Array(bytes), 'f').diagnostics[0];
      return [d?.position, d?.message.match(/byte 0x[0-9a-f]+ at offset \d+/)?.[0]];
    };
    expect(at([0x61, 0xc3, 0x41])).toEqual([{ line: 1, col: 2 }, 'byte 0xc3 at offset 1']);
    expect(at([0x61, 0x0a, 0x62, 0xe2, 0x82, 0x41])).toEqual([{ line: 2, col: 2 }, 'byte 0xe2 at offset 3']);
    expect(at([0x61, 0xc3])).toEqual([{ line: 1, col: 2 }, 'byte 0xc3 at offset 1']); // cut short at the end
    expect(at([0xc3, 0xa9, 0x80])).toEqual([{ line: 1, col: 2 }, 'byte 0x80 at offset 2']); // a stray continuation byte
  });

  it('accepts UTF-8 and drops a byte-order mark', () => {
    expect(decodeUtf8(Buffer.from('\uFEFFname: café'), 'f')).toMatchObject({ ok: true, value: 'name: café' });
  });

  it('says what is wrong with a missing file or a directory', async () => {
    const w = mkdtempSync(join(tmpdir(), 'bulkhead-files-'));
    expect((await readTextFile(join(w, 'nope.yaml'), 'nope.yaml')).diagnostics[0]).toMatchObject({ code: 'BH0001', file: 'nope.yaml' });
    expect((await readTextFile(w, 'dir')).diagnostics[0]).toMatchObject({ code: 'BH0002' });
  });

  it('reads a large file, an empty one and a non-regular one whole, as readFileSync does', async () => {
    const w = mkdtempSync(join(tmpdir(), 'bulkhead-files-'));
    const big = join(w, 'big.jsonl');
    const text = Array.from({ length: 40_000 }, (_, i) => `{"line":${i},"text":"${i % 7 === 0 ? 'é€😀' : 'plain'}"}\n`).join('');
    writeFileSync(big, text); // about 1.2 MB: more than one of readFile's 512 KiB steps
    expect(await readTextFile(big)).toEqual({ ok: true, value: readFileSync(big, 'utf8'), diagnostics: [] });
    const pieces = await readTextFilePieces(big, 32_768);
    expect(pieces.ok && [...pieces.value].join('')).toBe(text);
    writeFileSync(join(w, 'empty'), '');
    expect(await readTextFile(join(w, 'empty'))).toMatchObject({ ok: true, value: '' });
    if (existsSync('/dev/null')) expect(await readTextFile('/dev/null')).toMatchObject({ ok: true, value: '' }); // a device: readFile
    rmSync(w, { recursive: true, force: true });
  });

  it('gives a line longer than 16 MiB in parts that never split a character', async () => {
    const w = mkdtempSync(join(tmpdir(), 'bulkhead-files-'));
    const f = join(w, 'long.jsonl');
    const text = `${'a€😀'.repeat(2_500_000)}\nshort\n`; // 20 MB of 1-, 3- and 4-byte characters, then a line
    writeFileSync(f, text);
    const r = await readTextFilePieces(f, 32_768);
    const pieces = r.ok ? [...r.value] : [];
    expect(pieces.join('')).toBe(text);
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(16 * 2 ** 20);
    rmSync(w, { recursive: true, force: true });
  });

  it('refuses a file over 2 GiB with BH0001 and what to do, before reading any of it', async () => {
    const w = mkdtempSync(join(tmpdir(), 'bulkhead-files-'));
    const huge = join(w, 'huge.jsonl');
    writeFileSync(huge, '');
    truncateSync(huge, 3 * 2 ** 30); // sparse: no disk space used
    for (const r of [await readTextFile(huge, 'huge.jsonl'), await readTextFilePieces(huge, 32_768, 'huge.jsonl')]) {
      expect(r.ok).toBe(false);
      expect(r.diagnostics[0]).toMatchObject({ code: 'BH0001', file: 'huge.jsonl' });
      expect(r.diagnostics[0]!.message).toBe('file `huge.jsonl` is larger than 2 GiB (3.0 GiB), the most that is read as one file; split it, or for `simulate --batch` give it on standard input (`-`), which is read in pieces');
    }
    const cli = await runCli(['simulate', '--batch', huge]);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toBe(`${huge}: error BH0001: file \`${huge}\` is larger than 2 GiB (3.0 GiB), the most that is read as one file; split it, or for \`simulate --batch\` give it on standard input (\`-\`), which is read in pieces\n`);
    rmSync(w, { recursive: true, force: true });
  });

  it('plan reports invalid UTF-8 and a two-document spec in plain words', async () => {
    const w = mkdtempSync(join(tmpdir(), 'bulkhead-files-'));
    writeFileSync(join(w, 'bad.yaml'), Buffer.concat([Buffer.from('version: 1\norganization:\n  name: acme'), Buffer.from([0xc3, 0x28])]));
    const bad = await runCli(['plan', 'bad.yaml'], { cwd: w });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^bad\.yaml:3:13: error BH0003: file `bad\.yaml` is not valid UTF-8 \(byte 0xc3 at offset 37\)/);
    writeFileSync(join(w, 'two.yaml'), 'version: 1\n---\nversion: 1\n');
    const two = await runCli(['plan', 'two.yaml'], { cwd: w });
    expect(two.code).toBe(1);
    expect(two.stderr).toContain('two.yaml:2:1: error BH1001: the spec holds more than one YAML document');
    expect(two.stderr).not.toContain('parseAllDocuments');
  });
});

describe('utf8Pieces', () => {
  const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
  const texts = ['', 'a\nb\n', 'plain\nascii', 'ünï\ncødé 😀\n\nend', '\uFEFFbom\n', '\uFEFF\uFEFFtwo boms\n', 'x'.repeat(50) + '\n' + 'é'.repeat(40) + '\n'];
  it('gives decodeUtf8 text in pieces that end after a newline, whatever the piece size', () => {
    for (const t of texts) {
      const bytes = enc(t);
      const whole = decodeUtf8(bytes, 'f');
      for (const size of [1, 2, 3, 7, 64, 65_536]) {
        const r = utf8Pieces(bytes, size, 'f');
        expect(r.ok && whole.ok).toBe(true);
        if (!r.ok || !whole.ok) continue;
        const ps = [...r.value];
        expect(ps.join('')).toBe(whole.value);
        for (const p of ps.slice(0, -1)) expect(p.endsWith('\n')).toBe(true);
      }
    }
  });

  it('refuses invalid UTF-8 with the error decodeUtf8 gives', () => {
    const bad = new Uint8Array([...enc('ok\nline '), 0xc3, 0x28, ...enc('\n')]);
    expect(utf8Pieces(bad, 4, 'f')).toEqual(decodeUtf8(bad, 'f'));
    expect(utf8Pieces(bad, 4, 'f').ok).toBe(false);
  });
});
