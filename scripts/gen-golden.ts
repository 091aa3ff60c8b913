/**
 * Regenerates the golden plan corpus: for every src/plan/corpus/golden/NAME.yaml, writes NAME.plan.json
 * (the `bulkhead plan --format json` model) and NAME.plan.txt (the tree). Review the diff before committing.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDiagnostic } from '../src/diagnostics/diagnostic.js';
import { planFromYaml } from '../src/plan/index.js';
import { renderPlanText } from '../src/report/plan-text.js';

const dir = join(import.meta.dirname, '..', 'src', 'plan', 'corpus', 'golden');
let failed = false;
for (const f of readdirSync(dir).filter((x) => x.endsWith('.yaml')).sort()) {
  const r = planFromYaml(readFileSync(join(dir, f), 'utf8'), f);
  if (!r.ok) {
    console.error(`${f}: does not plan:\n${r.diagnostics.map(formatDiagnostic).join('\n')}`);
    failed = true;
    continue;
  }
  writeFileSync(join(dir, f.replace(/\.yaml$/, '.plan.json')), `${JSON.stringify(r.value, null, 2)}\n`);
  writeFileSync(join(dir, f.replace(/\.yaml$/, '.plan.txt')), renderPlanText(r.value));
  console.log(`${f}: ${r.value.accounts.length} accounts`);
}
process.exitCode = failed ? 1 : 0;
