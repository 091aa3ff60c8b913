import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, sortDiagnostics } from '../diagnostics/diagnostic.js';
import { planFromYaml } from '../plan/index.js';

const dir = join(import.meta.dirname, 'corpus', 'invalid');
const cases = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

describe('invalid-spec corpus', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThanOrEqual(15));
  for (const file of cases) {
    it(file, () => {
      const expectedFile = join(dir, file.replace(/\.yaml$/, '.expected'));
      expect(existsSync(expectedFile), `write ${expectedFile} (see README.md)`).toBe(true);
      const expected = readFileSync(expectedFile, 'utf8').split('\n').filter((l) => l.trim() !== '');
      const result = planFromYaml(readFileSync(join(dir, file), 'utf8'), file);
      const plans = expected[0] === '# plans';
      expect((result.ok ? result.value : undefined) !== undefined, plans ? 'this case must plan (warnings only)' : 'this case must not plan').toBe(plans);
      const actual = sortDiagnostics(result.diagnostics).map(formatDiagnostic);
      expect(actual).toEqual(plans ? expected.slice(1) : expected);
    });
  }
});
