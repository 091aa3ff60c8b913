import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderPlanText } from '../report/plan-text.js';
import { planFromYaml } from './index.js';

const dir = join(import.meta.dirname, 'corpus', 'golden');
const specs = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

describe('golden plans (regenerate with `npm run gen:golden`, then review the diff)', () => {
  it('has cases', () => expect(specs.length).toBeGreaterThanOrEqual(4));
  for (const f of specs) {
    it(f, () => {
      const r = planFromYaml(readFileSync(join(dir, f), 'utf8'), f);
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(`${JSON.stringify(r.ok ? r.value : undefined, null, 2)}\n`).toBe(readFileSync(join(dir, f.replace(/\.yaml$/, '.plan.json')), 'utf8'));
      expect(renderPlanText((r.ok ? r.value : undefined)!)).toBe(readFileSync(join(dir, f.replace(/\.yaml$/, '.plan.txt')), 'utf8'));
    });
  }
});

describe('examples', () => {
  it('examples/acme.yaml is the golden acme case', () => {
    const example = readFileSync(join(dir, '..', '..', '..', '..', 'examples', 'acme.yaml'), 'utf8');
    const golden = readFileSync(join(dir, 'acme.yaml'), 'utf8');
    expect(example.replace(/\$schema=\S+/, '')).toBe(golden.replace(/\$schema=\S+/, ''));
    const full = readFileSync(join(dir, '..', '..', '..', '..', 'examples', 'acme-full.yaml'), 'utf8');
    expect(full.replace(/\$schema=\S+/, '')).toBe(readFileSync(join(dir, 'acme-full.yaml'), 'utf8').replace(/\$schema=\S+/, ''));
  });
});
