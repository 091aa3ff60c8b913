/**
 * Writes docs/diagnostics.md from the diagnostic-code registry (`npm run gen:diagnostics`).
 * A test checks the committed file matches, so it cannot go stale.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderDiagnosticsDoc } from './diagnostics-doc.js';

const out = join(import.meta.dirname, '..', 'docs', 'diagnostics.md');
writeFileSync(out, renderDiagnosticsDoc());
console.log(`wrote ${out}`);
