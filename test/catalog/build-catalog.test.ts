import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import { buildCatalogModule, normaliseAccessLevel } from '../../scripts/catalog/build-catalog.js';
import { readIamData } from '../../scripts/catalog/read-iam-data.js';

describe('generated catalogue', () => {
  it('matches what `npm run gen:catalog` would generate from the installed iam-data', () => {
    const committed = readFileSync(fileURLToPath(new URL('../../src/catalog/data/catalog-data.ts', import.meta.url)), 'utf8');
    const fresh = buildCatalogModule(readIamData());
    // Compare lengths first so a mismatch does not print a megabyte diff.
    expect(fresh.length, 'catalog-data.ts is stale: run `npm run gen:catalog`').toBe(committed.length);
    expect(fresh === committed, 'catalog-data.ts is stale: run `npm run gen:catalog`').toBe(true);
  });
  it('stays small', () => {
    const size = readFileSync(fileURLToPath(new URL('../../src/catalog/data/catalog-data.ts', import.meta.url))).length;
    expect(size).toBeLessThan(3 * 1024 * 1024);
  });
});

describe('normaliseAccessLevel', () => {
  it('keeps the first of iam-data’s combined levels', () => {
    expect(normaliseAccessLevel('Permissions management, Write')).toBe('Permissions management');
    expect(normaliseAccessLevel('Tagging, Write')).toBe('Tagging');
    expect(normaliseAccessLevel('List')).toBe('List');
  });
  it('rejects a level it does not know, so a new iam-data format cannot slip through', () => {
    expect(() => normaliseAccessLevel('Admin')).toThrow(/unknown access level/);
  });
});

describe('scripts/gen-catalog.ts --check', () => {
  it('reports the committed catalogue as up to date and exits 0', () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/gen-catalog.ts', '--check'], { cwd: root, encoding: 'utf8' });
    expect(out).toMatch(/^catalogue up to date \(iam-data \d/);
  });
});
