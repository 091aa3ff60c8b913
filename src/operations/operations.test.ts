import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ok } from '../diagnostics/diagnostic.js';
import { collectToDirectory } from './collect.js';
import { emitToDirectory } from './emit.js';
import { nodeHost, type Host, type HostEvent } from './host.js';
import { plan } from './plan.js';
import { verifyTarget } from './verify.js';

const root = join(import.meta.dirname, '..', '..');
const acmeText = readFileSync(join(root, 'examples/acme.yaml'), 'utf8');

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'bulkhead-ops-'));
}

describe('operations', () => {
  it('plan takes text with a label and reports diagnostics under that label', async () => {
    const good = await plan({ text: acmeText, label: 'acme.yaml' }, nodeHost());
    expect(good.ok).toBe(true);
    const bad = await plan({ text: 'version: 1\norganization: {name: 3}\n', label: 'mine.yaml' }, nodeHost());
    expect(bad.ok).toBe(false);
    expect(bad.diagnostics.every((d) => d.file === 'mine.yaml')).toBe(true);
  });

  it('emitToDirectory writes only through the host it is given', async () => {
    const written = new Map<string, ReadonlyMap<string, string>>();
    const base = nodeHost();
    const host: Host = {
      ...base,
      cwd: '/nowhere',
      files: {
        ...base.files,
        prepareDir: async (dir) => ok({ dir, label: dir, kept: [], diagnostics: [] }),
        commitDir: async (p, files) => {
          written.set(p.dir, files);
          return ok(undefined);
        },
      },
    };
    const r = await emitToDirectory({ source: { text: acmeText, label: 'acme.yaml' }, format: 'terraform', out: 'infra' }, host);
    expect(r.ok).toBe(true);
    expect([...written.keys()]).toEqual(['/nowhere/infra']);
    expect([...(written.get('/nowhere/infra')?.keys() ?? [])]).toContain('organization.tf');
  });

  it('verifyTarget bounds explicit threads by the cores and reports through the host', async () => {
    const events: HostEvent[] = [];
    const r = await verifyTarget({ target: { text: acmeText, label: 'acme.yaml' }, threads: 200 }, nodeHost({ report: (e) => events.push(e) }));
    expect(r.ok).toBe(true);
    const n = Number(/on (\d+) thread/.exec(events.map((e) => e.message).join('\n'))?.[1]);
    expect(n).toBeGreaterThanOrEqual(1);
    expect(n).toBeLessThanOrEqual(availableParallelism());
  });

  it('verifyTarget refuses --spec for a target that is a spec', async () => {
    const w = scratch();
    writeFileSync(join(w, 'acme.yaml'), acmeText);
    const r = await verifyTarget({ target: { path: 'acme.yaml' }, spec: { path: 'acme.yaml' } }, nodeHost({ cwd: w }));
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]?.code).toBe('BH7002');
  });

  it('collectToDirectory refuses a directory of foreign files before any AWS call', async () => {
    const w = scratch();
    mkdirSync(join(w, 'out'));
    writeFileSync(join(w, 'out/mine.txt'), 'x');
    let awsCalls = 0;
    const host = nodeHost({
      cwd: w,
      aws: () => {
        awsCalls++;
        throw new Error('no AWS in this test');
      },
    });
    const r = await collectToDirectory({ connection: { region: 'us-east-1' }, out: 'out' }, host);
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]?.code).toBe('BH8120');
    expect(awsCalls).toBe(0);
  });
});
