import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dirname } from 'node:path';
import { ok } from '../diagnostics/diagnostic.js';
import { listHistory, prepareHistoryDir, readHistoryEntry, readHistoryRef, writeHistoryEntry, writeHistoryEntryFromDir, type HistoryFiles } from './history.js';
import { pathKind } from './output.js';
import { endOfUtcDay, historyEntryName, pickHistoryEntry } from '../snapshot/history.js';
import { historyRefFiles } from '../operations/history-ref.js';
import { nodeHost } from '../operations/host.js';

const files = (org: string) => new Map([['manifest.json', `{"m":"${org}"}\n`], ['organization.json', '{"o":1}\n'], ['accounts/111111111111.json', '{"a":1}\n']]);

/** History files only in memory (absolute path → text; directories are the files' parents), each write recorded. */
function memoryHistoryFiles(store: Map<string, string>, writes: string[]): HistoryFiles {
  const isDir = (p: string) => [...store.keys()].some((f) => f.startsWith(`${p}/`));
  return {
    readText: async (path) => ok(store.get(path) ?? ''),
    kind: async (path) => (store.has(path) ? 'file' : isDir(path) ? 'directory' : 'missing'),
    list: async (d) => ok([...new Set([...store.keys()].filter((f) => f.startsWith(`${d}/`)).map((f) => f.slice(d.length + 1).split('/')[0]!))].sort()),
    writeFile: async (path, content) => {
      writes.push(path);
      store.set(path, content);
      return ok('created');
    },
  };
}

describe('snapshot history through the host', () => {
  it('writes an entry only through the files it is given (nothing on disk) and reads it back through them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bh-history-'));
    try {
      const snap = join(dir, 'snap');
      await mkdir(join(snap, 'accounts'), { recursive: true });
      for (const [name, text] of files('one')) await writeFile(join(snap, name), text);
      const store = new Map<string, string>();
      const writes: string[] = [];
      const fs = memoryHistoryFiles(store, writes);
      const h = join(dir, 'h');
      const at = new Date('2026-11-01T10:00:00Z');
      const r = await writeHistoryEntryFromDir(h, snap, ['accounts/111111111111.json'], at, 'h', fs);
      expect(r.ok && r.value.objectsWritten).toBe(3);
      expect(await pathKind(h)).toBe('missing');
      expect(writes.map((w) => dirname(w.slice(h.length + 1)))).toEqual(['.', 'objects', 'objects', 'objects', 'snapshots']);
      const back = await readHistoryRef(h, '2026-11-01', 'h@2026-11-01', fs);
      expect(back.ok && Object.fromEntries(back.value.files)).toEqual(Object.fromEntries(files('one')));
      const again = await writeHistoryEntry(h, files('two'), at, 'h', fs);
      expect(again.ok ? [] : again.diagnostics.map((d) => d.code)).toEqual(['BH9174']); // its entry check asks the same files
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('snapshot history (files)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bh-history-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('writes entries that share unchanged files and reads each back exactly', async () => {
    const h = join(dir, 'h');
    expect((await prepareHistoryDir(h)).ok).toBe(true);
    const a = await writeHistoryEntry(h, files('one'), new Date('2026-11-01T10:00:00Z'));
    const b = await writeHistoryEntry(h, files('two'), new Date('2026-11-02T10:00:00Z'));
    expect(a.ok && a.value.objectsWritten).toBe(3);
    expect(b.ok && [b.value.objectsWritten, b.value.objectsReused]).toEqual([1, 2]);
    expect(await readdir(join(h, 'objects'))).toHaveLength(4);
    const listed = await listHistory(h);
    expect(listed.ok && listed.value.map((l) => l.name)).toEqual(['20261101T100000.000Z.json', '20261102T100000.000Z.json']);
    const back = await readHistoryRef(h, '2026-11-01', 'h@2026-11-01');
    expect(back.ok && Object.fromEntries(back.value.files)).toEqual(Object.fromEntries(files('one')));
    const again = await writeHistoryEntry(h, files('three'), new Date('2026-11-02T10:00:00Z'));
    expect(again.ok ? [] : again.diagnostics.map((d) => d.code)).toEqual(['BH9174']);
  });

  it('reports a damaged object instead of reading a different snapshot', async () => {
    const h = join(dir, 'h');
    const a = await writeHistoryEntry(h, files('one'), new Date('2026-11-01T10:00:00Z'));
    if (!a.ok) throw new Error('write failed');
    const [obj] = (await readdir(join(h, 'objects'))).sort();
    await writeFile(join(h, 'objects', obj!), '{"tampered":true}\n');
    const r = await readHistoryEntry(h, historyEntryName(new Date('2026-11-01T10:00:00Z')), 'h');
    expect(r.ok ? '' : r.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n')).toMatch(/^BH9173 the history `h` is damaged: `objects\/[0-9a-f]{64}\.json` .* does not match its hash/);
  });

  it('says why an object cannot be read: the reader\'s located error follows the damaged-history one', async () => {
    const h = join(dir, 'h');
    const a = await writeHistoryEntry(h, files('one'), new Date('2026-11-01T10:00:00Z'));
    if (!a.ok) throw new Error('write failed');
    const [obj] = (await readdir(join(h, 'objects'))).sort();
    await writeFile(join(h, 'objects', obj!), Buffer.from([0x7b, 0x0a, 0x22, 0xff, 0x22, 0x7d]));
    const r = await readHistoryEntry(h, historyEntryName(new Date('2026-11-01T10:00:00Z')), 'h');
    expect(r.ok ? [] : r.diagnostics.map((d) => [d.code, d.file, d.position])).toEqual([
      ['BH9173', `h/objects/${obj}`, undefined],
      ['BH0003', `h/objects/${obj}`, { line: 2, col: 2 }],
    ]);
  });

  it('refuses foreign directories and explains bad references', async () => {
    await mkdir(join(dir, 'snap'));
    await writeFile(join(dir, 'snap', 'manifest.json'), '{}');
    const refused = await prepareHistoryDir(join(dir, 'snap'), 'snap');
    expect(refused.ok ? '' : refused.diagnostics[0]!.code).toBe('BH9170');
    const host = nodeHost({ cwd: dir });
    const codes = async (arg: string) => {
      const r = await historyRefFiles(arg, host);
      return r === undefined ? 'none' : r.ok ? 'ok' : r.diagnostics.map((d) => d.code).join(',');
    };
    expect(await codes('snap@latest')).toBe('BH9105');
    const plain = await historyRefFiles('snap@latest', host);
    expect(plain !== undefined && !plain.ok && plain.diagnostics[0]!.message).toBe(
      '`snap@latest`: `snap` is a snapshot directory, not a snapshot history; give `snap` itself (without `@latest`), or a directory `bulkhead collect --history` wrote',
    );
    // a long name is shown shortened, with its length (util/message-value.ts), not whole
    const long = `snap-${'x'.repeat(120)}`;
    await mkdir(join(dir, long));
    await writeFile(join(dir, long, 'manifest.json'), '{}');
    const longRef = await historyRefFiles(`${long}@latest`, host);
    const message = longRef !== undefined && !longRef.ok ? longRef.diagnostics[0]!.message : '';
    expect(message).toMatch(/^`snap-x{35}…\(132 characters\)`: `snap-x{35}…\(125 characters\)` is a snapshot directory/);
    expect(message).not.toContain('x'.repeat(50));
    expect(await codes('nowhere@latest')).toBe('BH9170');
    expect(await codes('spec.yaml@main')).toBe('none');
    await writeHistoryEntry(join(dir, 'h'), files('one'), new Date('2026-11-01T10:00:00Z'));
    expect(await codes('h@yesterday')).toBe('BH9175');
    expect(await codes('h@2026-02-30')).toBe('BH9171');
    expect(await codes('h@2026-10-31')).toBe('BH9172');
    expect(await codes('h@2026-11-01')).toBe('ok');
    for (const arg of ['h@2026-02-30', 'h@2026-10-31']) {
      const r = await historyRefFiles(arg, host);
      expect(r !== undefined && !r.ok && r.diagnostics.map((d) => d.file)).toEqual(['h']); // located at the history directory
    }
  });
});

describe('snapshot history (pure)', () => {
  it('picks the newest entry on or before the UTC day', () => {
    const at = (iso: string) => ({ name: iso, collectedAt: new Date(iso) });
    const entries = [at('2026-11-02T23:59:59Z'), at('2026-11-01T00:00:00Z'), at('2026-11-03T00:00:00Z')];
    const pick = (ref: string) => {
      const r = pickHistoryEntry(entries, ref, `h@${ref}`);
      return r.ok ? r.value.name : r.diagnostics[0]!.code;
    };
    expect(pick('2026-11-02')).toBe('2026-11-02T23:59:59Z');
    expect(pick('2026-11-01')).toBe('2026-11-01T00:00:00Z');
    expect(pick('latest')).toBe('2026-11-03T00:00:00Z');
    expect(pick('2026-10-31')).toBe('BH9172');
    expect(endOfUtcDay('2026-13-01', 'x').ok).toBe(false);
    expect(endOfUtcDay('2028-02-29', 'x').ok).toBe(true);
  });
});
