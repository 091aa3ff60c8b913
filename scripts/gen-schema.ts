/**
 * Writes schema/org-spec.schema.json from the zod spec schema (`npm run gen:schema`).
 * A test checks the committed file matches, so it cannot go stale.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { specJsonSchema } from '../src/spec/json-schema.js';

const out = join(import.meta.dirname, '..', 'schema', 'org-spec.schema.json');
writeFileSync(out, specJsonSchema());
console.log(`wrote ${out}`);
