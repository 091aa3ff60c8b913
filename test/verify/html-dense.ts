/**
 * A verify report made dense for the HTML report's scale tests: the synthetic organizations plant only a
 * handful of findings, so this adds a planted `boundary.cross-business-unit` finding (with resources, people and
 * evidence) for principal × account pairs of the access matrix, about as many as the 300-account report
 * had near-duplicate rows. The report is otherwise the one verify made.
 */
import type { Finding } from '../../src/verify/finding.js';
import type { VerifyReport } from '../../src/verify/verify.js';

/** The report with cross-business-unit findings for its matrix pairs (at most `perPrincipal` per principal). */
export function denseReport(report: VerifyReport, perPrincipal = 3): VerifyReport {
    const extra: Finding[] = [];
  for (const row of report.view.matrix) {
    const name = `${row.account}/${row.principal.slice(row.principal.lastIndexOf('/') + 1)}`;
    const targets = Object.keys(row.cells).sort().slice(0, perPrincipal);
    for (const account of targets) {
      extra.push({
        rule: 'boundary.cross-business-unit',
        severity: 'high',
        principal: row.principal,
        principalName: name,
        resource: `arn:aws:s3:::${account}-data`,
        resources: [`arn:aws:s3:::${account}-data`, `arn:aws:s3:::${account}-logs`],
        account,
        capabilities: [...row.cells[account]!],
        path: [],
        evidence: [{ source: `role ${name} policy inline:app`, statement: '#0', effect: 'Allow' }],
        message: `principal \`${name}\` reaches account \`${account}\` of another business unit`,
        people: [{ group: `${row.account}-devs`, members: ['alice', 'bob'], permissionSet: 'dev-appeng', account: row.account }],
      });
    }
  }
  return { ...report, findings: [...report.findings, ...extra] };
}
