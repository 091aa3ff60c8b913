import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nodeHost } from './host.js';
import { initSpec, PACKAGE_SCHEMA_FILE, schemaReference } from './init.js';

const starter = { organization: 'acme', businessUnits: ['retail'], phases: ['dev', 'prod'], emailDomain: 'acme.example' };

/** The schema file a written spec's modeline names, resolved as yaml-language-server does (relative to the spec). */
function modelineTarget(specFile: string): string {
  const first = readFileSync(specFile, 'utf8').split('\n')[0]!;
  const m = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
  expect(m, first).not.toBeNull();
  return resolve(dirname(specFile), m![1]!);
}

describe('initSpec modeline', () => {
  it('points at the schema of this checkout, from wherever the spec is written (a clone)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulkhead-init-'));
    mkdirSync(join(dir, 'org', 'specs'), { recursive: true });
    for (const out of ['org.yaml', join('org', 'specs', 'org.yaml')]) {
      const r = await initSpec({ starter, out }, nodeHost({ cwd: dir }));
      expect(r.ok).toBe(true);
      const target = modelineTarget(join(dir, out));
      expect(target).toBe(PACKAGE_SCHEMA_FILE);
      expect(existsSync(target)).toBe(true);
    }
  });

  it('points into node_modules in a project that installed bulkhead', async () => {
    const project = mkdtempSync(join(tmpdir(), 'bulkhead-proj-'));
    const schemaFile = join(project, 'node_modules', 'bulkhead', 'schema', 'org-spec.schema.json');
    mkdirSync(dirname(schemaFile), { recursive: true });
    writeFileSync(schemaFile, '{}');
    const r = await initSpec({ starter, out: 'org.yaml', schemaFile }, nodeHost({ cwd: project }));
    expect(r.ok).toBe(true);
    expect(readFileSync(join(project, 'org.yaml'), 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=./node_modules/bulkhead/schema/org-spec.schema.json');
    expect(existsSync(modelineTarget(join(project, 'org.yaml')))).toBe(true);
  });

  it('finds the shipped schema from the built module too (dist/operations is as deep as src/operations)', () => {
    const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
    const fromDist = fileURLToPath(new URL('../../schema/org-spec.schema.json', pathToFileURL(join(root, 'dist', 'operations', 'init.js'))));
    expect(fromDist).toBe(PACKAGE_SCHEMA_FILE);
    expect(existsSync(PACKAGE_SCHEMA_FILE)).toBe(true);
  });

  it('writes `../` paths as they are and others with `./`', () => {
    expect(schemaReference('/a/b/org.yaml', '/a/schema/s.json')).toBe('../schema/s.json');
    expect(schemaReference('/a/org.yaml', '/a/schema/s.json')).toBe('./schema/s.json');
  });
});
