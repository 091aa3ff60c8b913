/**
 * Models the emit tests run on: the hand-built fixture models in src/emit/fixtures/*.model.json and every
 * example and golden spec (examples/**\/*.yaml, src/plan/corpus/golden/*.yaml) planned with the real planner. A spec that does not plan fails loudly.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OrganizationModel } from '../../src/model/organization.js';
import { planFromYaml } from '../../src/plan/index.js';
import { formatDiagnostic } from '../../src/diagnostics/diagnostic.js';

/** Repository root. */
export const REPO = fileURLToPath(new URL('../../', import.meta.url));

function walk(dir: string, suffix: string): string[] {
  let out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return [];
  }
  for (const n of names) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out = out.concat(walk(p, suffix));
    else if (n.endsWith(suffix)) out.push(p);
  }
  return out;
}

/** A named model for table-driven tests. */
export interface NamedModel {
  readonly name: string;
  readonly model: OrganizationModel;
}

/** The hand-built fixture models. */
export function fixtureModels(): NamedModel[] {
  return walk(join(REPO, 'src/emit/fixtures'), '.model.json').map((p) => ({
    name: relative(REPO, p),
    model: JSON.parse(readFileSync(p, 'utf8')) as OrganizationModel,
  }));
}

/** Every example spec (examples/**) and golden planner spec (src/plan/corpus/golden), as files relative to the repo. */
export function specFiles(): string[] {
  return [...walk(join(REPO, 'examples'), '.yaml'), ...walk(join(REPO, 'src/plan/corpus/golden'), '.yaml')].map((p) => relative(REPO, p));
}

/** Every example and golden spec, planned. Throws with the planner's diagnostics when one does not plan. */
export function exampleModels(): NamedModel[] {
  return specFiles().map((rel) => {
    const p = join(REPO, rel);
    const r = planFromYaml(readFileSync(p, 'utf8'), relative(REPO, p));
    if (!r.ok) {
      throw new Error(`example ${relative(REPO, p)} does not plan:\n${r.diagnostics.map(formatDiagnostic).join('\n')}`);
    }
    return { name: relative(REPO, p), model: r.value };
  });
}

/** The emit tests' own specs (test/emit/*.yaml, e.g. the end-to-end spec), planned. */
export function testSpecModels(): NamedModel[] {
  return walk(join(REPO, 'test/emit'), '.yaml').map((p) => {
    const rel = relative(REPO, p);
    const r = planFromYaml(readFileSync(p, 'utf8'), rel);
    if (!r.ok) throw new Error(`test spec ${rel} does not plan:\n${r.diagnostics.map(formatDiagnostic).join('\n')}`);
    return { name: rel, model: r.value };
  });
}

/** Fixtures and examples together (what terraform validate runs on). */
export function allModels(): NamedModel[] {
  return [...fixtureModels(), ...exampleModels()];
}

/** Loads one fixture model by file name (e.g. `small.model.json`), as a fresh mutable copy. */
export function loadFixture(file: string): OrganizationModel {
  return JSON.parse(readFileSync(join(REPO, 'src/emit/fixtures', file), 'utf8')) as OrganizationModel;
}
