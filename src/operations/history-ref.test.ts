import { describe, expect, it } from 'vitest';
import { dirname } from 'node:path';
import { error, fail, ok } from '../diagnostics/diagnostic.js';
import { prepareHistoryDir, sha256Hex } from '../io/history.js';
import { snapshotFiles } from '../snapshot/format.js';
import { HISTORY_MARKER, HISTORY_OBJECTS, HISTORY_SNAPSHOTS, historyEntryName, historyEntryText, historyMarkerText } from '../snapshot/history.js';
import { synthOrganization } from '../synthetic/synth.js';
import { synthSnapshot } from '../synthetic/snapshot.js';
import { historyRefFiles } from './history-ref.js';
import { nodeHost, type Host, type HostFiles } from './host.js';
import { loadTarget } from './verify.js';

/** A read-only file system in memory: absolute path → text; directories are the parents of the files. */
function memoryFiles(files: ReadonlyMap<string, string>, reads: string[]): HostFiles {
  const dirs = new Set<string>();
  for (const path of files.keys()) for (let d = dirname(path); !dirs.has(d) && d !== dirname(d); d = dirname(d)) dirs.add(d);
  const refuse = () => Promise.resolve(fail<never>([error('BH0001', 'the memory host writes nothing')]));
  return {
    readText: async (path, label = path) => {
      reads.push(path);
      const text = files.get(path);
      return text !== undefined ? ok(text) : fail([{ ...error('BH0001', `file \`${label}\` does not exist; check the path`), file: label }]);
    },
    readSnapshot: refuse,
    kind: async (path) => (files.has(path) ? 'file' : dirs.has(path) ? 'directory' : 'missing'),
    list: async (dir) => ok([...new Set([...files.keys(), ...dirs].filter((p) => dirname(p) === dir).map((p) => p.slice(dir.length + 1)))].sort()),
    writeFile: refuse,
    prepareDir: refuse,
    commitDir: refuse,
  };
}

/** A history at `/mem/h` holding one entry (a small synthetic snapshot), only in memory. */
function memoryHistory(collectedAt: Date): Map<string, string> {
  const snapshot = snapshotFiles(synthSnapshot(synthOrganization({ accounts: 3, rolesPerAccount: 1, resourcesPerAccount: 1 }), collectedAt));
  const out = new Map<string, string>([[`/mem/h/${HISTORY_MARKER}`, historyMarkerText('0.0.0')]]);
  const hashes = new Map<string, string>();
  for (const [name, text] of snapshot) {
    hashes.set(name, sha256Hex(text));
    out.set(`/mem/h/${HISTORY_OBJECTS}/${sha256Hex(text)}.json`, text);
  }
  out.set(`/mem/h/${HISTORY_SNAPSHOTS}/${historyEntryName(collectedAt)}`, historyEntryText(collectedAt, hashes));
  return out;
}

describe('history references through the host', () => {
  const at = new Date('2026-11-01T10:00:00Z');
  const reads: string[] = [];
  const host: Host = { ...nodeHost(), cwd: '/mem', files: memoryFiles(memoryHistory(at), reads) };

  it('reads a history only the host has (nothing on disk), entry and objects through host.files', async () => {
    reads.length = 0;
    const r = await historyRefFiles('h@latest', host);
    expect(r !== undefined && r.ok && [...r.value.keys()].includes('manifest.json')).toBe(true);
    expect(reads).toContain(`/mem/h/${HISTORY_MARKER}`);
    expect(reads).toContain(`/mem/h/${HISTORY_SNAPSHOTS}/${historyEntryName(at)}`);
    expect(reads.filter((p) => p.startsWith(`/mem/h/${HISTORY_OBJECTS}/`)).length).toBeGreaterThan(1);
  });

  it('loads `h@2026-11-01` as a verify target from the host', async () => {
    const model = await loadTarget({ path: 'h@2026-11-01' }, host);
    expect(model.ok && model.value.accounts.length).toBeGreaterThan(0);
    const none = await loadTarget({ path: 'h@2026-10-31' }, host);
    expect(none.ok ? [] : none.diagnostics.map((d) => d.code)).toEqual(['BH9172']);
  });

  it('checks a history for `collect --history` through the host files too', async () => {
    const files = memoryFiles(new Map([...memoryHistory(at), ['/mem/other/notes.txt', 'x']]), []);
    expect((await prepareHistoryDir('/mem/h', 'h', files)).ok).toBe(true);
    expect((await prepareHistoryDir('/mem/new', 'new', files)).ok).toBe(true);
    const refused = await prepareHistoryDir('/mem/other', 'other', files);
    expect(refused.ok ? '' : refused.diagnostics[0]!.message).toContain('it holds `notes.txt` and no `history.json`');
  });
});
