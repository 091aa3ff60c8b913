/**
 * The JSON report: `{schemaVersion, tool, generatedAt, findings, summary}`. Stable: documented in docs/verify.md;
 * fields are only ever added. Output is deterministic for a given model and clock.
 */
import { escapeJson } from '../util/escape.js';
import { findingReportFields } from '../verify/finding.js';
import type { VerifyReport } from '../verify/verify.js';
import { VERSION } from '../version.js';

/** Version of the JSON report format. */
export const REPORT_SCHEMA_VERSION = 1;

/**
 * Renders the report as pretty JSON with a trailing newline. Values stay exactly as they are; control and bidi
 * characters JSON.stringify would write raw are `\uXXXX`-escaped (`escapeJson`).
 */
export function renderJson(report: VerifyReport, generatedAt: Date): string {
  const out = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'bulkhead', version: VERSION },
    generatedAt: generatedAt.toISOString(),
    findings: report.findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      ...findingReportFields(f),
      message: f.message,
    })),
    summary: report.summary,
  };
  return `${escapeJson(JSON.stringify(out, null, 2))}\n`;
}
