/**
 * Renders docs/diagnostics.md from the diagnostic-code registry (src/diagnostics/codes.ts): one table per area, in
 * pipeline order. Pure; `scripts/gen-diagnostics-doc.ts` writes the file and a test checks the committed one is current.
 */
import { CODE_AREAS, DIAGNOSTIC_CODES, type CodeInfo } from '../src/diagnostics/codes.js';
import { compareEntries } from '../src/util/order.js';

const SEVERITY_TEXT: Readonly<Record<CodeInfo['severity'], string>> = {
  error: 'error',
  warning: 'warning',
  both: 'error / warning',
};

/** The text of docs/diagnostics.md. */
export function renderDiagnosticsDoc(): string {
  const entries = Object.entries(DIAGNOSTIC_CODES) as [string, CodeInfo][];
  const lines = [
    '# Diagnostic codes',
    '',
    '<!-- Generated from src/diagnostics/codes.ts by `npm run gen:diagnostics`; do not edit by hand. -->',
    '',
    'Every diagnostic prints as `file:line:col: severity CODE: message (at path)`, leaving out what is unknown.',
    'Codes are stable: tools and tests may match on them, and a number is never reused for another meaning.',
    'A severity of `error / warning` means some uses of the code are errors and others warnings (the message says',
    'which); errors make the input unusable, warnings do not.',
    '',
    `${entries.length} codes in ${CODE_AREAS.length} areas.`,
  ];
  for (const area of CODE_AREAS) {
    const rows = entries.filter(([, info]) => info.area === area).sort(compareEntries);
    if (rows.length === 0) continue;
    lines.push('', `## ${area}`, '', '| code | severity | meaning |', '|---|---|---|');
    for (const [code, info] of rows) lines.push(`| ${code} | ${SEVERITY_TEXT[info.severity]} | ${info.meaning.replaceAll('|', '\\|')} |`);
  }
  return `${lines.join('\n')}\n`;
}
