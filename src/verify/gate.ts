/**
 * The CI gate over a verify report: a baseline (findings accepted earlier) and exclusions (accepted findings
 * with an owner and an expiry date) take findings out of the report, its counts and so its exit code; the summary
 * says how many each took out. Pure.
 */
import { compareStrings, sortedRecord } from '../util/order.js';
import { findingBaselineKey, type Baseline } from './baseline.js';
import { applyExclusions, EXPIRED_EXCLUSION_RULE, type Exclusions } from './exclusions.js';
import { SEVERITIES, sortFindings, type Finding, type FindingSeverity } from './finding.js';
import type { VerifyReport } from './verify.js';

/** What the gate did, in `summary.gate` of the report. */
export interface GateSummary {
  /** The baseline file, how many findings it holds and how many of this run's findings it suppressed. */
  readonly baseline?: { readonly file: string; readonly findings: number; readonly suppressed: number };
  /** The exclusions file, its entries, the findings live entries suppressed, and the expired entries (`file:line`). */
  readonly exclusions?: { readonly file: string; readonly entries: number; readonly suppressed: number; readonly expired: readonly string[] };
}

/** What the gate applies. */
export interface GateInput {
  readonly baseline?: Baseline;
  readonly exclusions?: Exclusions;
  /** The clock exclusions' expiry dates are read against. */
  readonly now: Date;
}

function counts(findings: readonly Finding[]): VerifyReport['summary']['counts'] {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<FindingSeverity, number>;
  const byRule: Record<string, number> = {};
  for (const f of findings) {
    bySeverity[f.severity]++;
    byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
  }
  return { total: findings.length, bySeverity, byRule: sortedRecord(byRule) };
}

/**
 * The report with the baseline's findings and the excluded ones taken out (the baseline first, so each finding
 * counts once), expired exclusions added as findings, and the counts and `summary.gate` to match. Findings about
 * the gate itself (expired exclusions) are never suppressed.
 */
export function applyGate(report: VerifyReport, gate: GateInput): VerifyReport {
  let findings: readonly Finding[] = report.findings;
  const summary: { -readonly [K in keyof GateSummary]: GateSummary[K] } = {};
  if (gate.baseline) {
    const keys = gate.baseline.keys;
    const kept = findings.filter((f) => f.rule === EXPIRED_EXCLUSION_RULE || !keys.has(findingBaselineKey(f)));
    summary.baseline = { file: gate.baseline.label, findings: gate.baseline.findings, suppressed: findings.length - kept.length };
    findings = kept;
  }
  if (gate.exclusions) {
    const out = applyExclusions(findings, gate.exclusions, gate.now);
    const expired = out.expired.map((e) => `${gate.exclusions!.label}:${e.position.line}`).sort(compareStrings);
    summary.exclusions = { file: gate.exclusions.label, entries: gate.exclusions.entries.length, suppressed: out.suppressed, expired };
    findings = out.findings;
  }
  const sorted = sortFindings(findings);
  return { ...report, findings: sorted, summary: { ...report.summary, counts: counts(sorted), gate: summary } };
}

/** The summary line of a gated report for the renderers, e.g. `baseline suppressed 3 finding(s)`; undefined without a gate. */
export function gateLine(gate: GateSummary | undefined): string | undefined {
  if (!gate) return undefined;
  const parts: string[] = [];
  if (gate.baseline) parts.push(`baseline ${gate.baseline.file} suppressed ${gate.baseline.suppressed} finding(s)`);
  if (gate.exclusions) {
    const e = gate.exclusions;
    parts.push(`exclusions ${e.file} suppressed ${e.suppressed} finding(s)${e.expired.length > 0 ? `, ${e.expired.length} entr${e.expired.length === 1 ? 'y' : 'ies'} expired` : ''}`);
  }
  return parts.length > 0 ? parts.join('; ') : undefined;
}
