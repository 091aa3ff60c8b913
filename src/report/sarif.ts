/**
 * SARIF 2.1.0 output so CI code scanning (e.g. GitHub) shows findings. Every result points at the verified
 * target (spec file, or the snapshot directory's model) since findings concern the organization, not a line.
 */
import { escapeJson } from '../util/escape.js';
import { RULES, findingReportFields, type FindingSeverity } from '../verify/finding.js';
import type { VerifyReport } from '../verify/verify.js';
import { VERSION } from '../version.js';
import { FINDING_FINGERPRINT_NAME, findingFingerprint } from './fingerprint.js';

const LEVEL: Record<FindingSeverity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

// GitHub code scanning ranks security results by this property (0.1–10).
const SECURITY_SEVERITY: Record<FindingSeverity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.5',
};

/** Options for SARIF. */
export interface SarifOptions {
  /** URI of the artifact results point at, relative to the repository root when possible. */
  readonly artifactUri: string;
}

/** Renders the report as a SARIF 2.1.0 log (JSON text); values raw, serialized through `escapeJson`. */
export function renderSarif(report: VerifyReport, options: SarifOptions): string {
  const ruleIndex = new Map(RULES.map((r, i) => [r.id, i]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'bulkhead',
            version: VERSION,
            informationUri: 'https://github.com/bulkhead/bulkhead',
            rules: RULES.map((r) => ({
              id: r.id,
              name: r.name,
              shortDescription: { text: r.description },
              fullDescription: { text: r.description },
              defaultConfiguration: { level: LEVEL[r.defaultSeverity] },
              properties: { 'security-severity': SECURITY_SEVERITY[r.defaultSeverity], tags: ['security', 'aws', 'iam'] },
            })),
          },
        },
        // the CI gate's counts (verify --baseline / --exclusions): suppressed findings are absent from `results`
        ...(report.summary.gate ? { properties: { gate: report.summary.gate } } : {}),
        results: report.findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: ruleIndex.get(f.rule) ?? -1,
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: { artifactLocation: { uri: options.artifactUri }, region: { startLine: 1 } },
              logicalLocations: [
                { name: f.account, kind: 'module' },
                ...(f.principal !== '-' ? [{ fullyQualifiedName: f.principal, kind: 'member' }] : []),
              ],
            },
          ],
          partialFingerprints: { [FINDING_FINGERPRINT_NAME]: findingFingerprint(f) },
          properties: {
            severity: f.severity,
            'security-severity': SECURITY_SEVERITY[f.severity],
            ...findingReportFields(f),
          },
        })),
      },
    ],
  };
  return `${escapeJson(JSON.stringify(log, null, 2))}\n`;
}
