/**
 * `npm run bench:verify-people`: `bench:verify`'s organizations (20 roles and 50 resources per account, SCPs, some
 * cross-account trust and resource policies, the planted violations) **with people and escalation edges**:
 * `synthOrganization({ people: true })` adds IAM Identity Center groups, users, permission sets and assignments in
 * every runtime account, with their `AWSReservedSSO_` roles, whose developer sets may pass a Lambda-trusted role to
 * Lambda and whose operator set may modify the account's roles (see src/synthetic/people.ts). Times `verify` on each
 * size with the real engine, each size in its own child process so peak memory (max RSS) is per size, and prints
 * what it measured, with the machine's load average before and after.
 *
 * Options: `--sizes 10,100,1000`; `--threads N` (default: the cores available); `--runs N` runs per size (default 1;
 * the median is printed); `--one N` is the child mode.
 */
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { optionValue, runChild, timeVerify } from './common.js';

interface Row {
  threads: number;
  accounts: number;
  roles: number;
  ssoRoles: number;
  assignments: number;
  resources: number;
  synthMs: number;
  verifyMs: number;
  verifyCpuMs: number;
  renderMs: number;
  capabilityQueries: number;
  assumeEdges: number;
  escalationFindings: number;
  peopleFindings: number;
  withPeople: number;
  findings: number;
  maxRssMb: number;
}

async function one(n: number, threads: number): Promise<Row> {
  const options = { accounts: n, rolesPerAccount: 20, resourcesPerAccount: 50, violations: true, people: true };
  const t = await timeVerify(options, `synth-people-${n}`, threads);
  const { model, report } = t;
  return {
    threads,
    accounts: model.accounts.length,
    roles: model.roles.length,
    ssoRoles: model.roles.filter((r) => r.name.startsWith('AWSReservedSSO_')).length,
    assignments: model.identity?.assignments.length ?? 0,
    resources: model.resources.length,
    synthMs: t.synthMs,
    verifyMs: t.verifyMs,
    verifyCpuMs: t.verifyCpuMs,
    renderMs: t.renderMs,
    capabilityQueries: report.summary.stats.capabilityQueries,
    assumeEdges: report.summary.assumeEdges,
    escalationFindings: report.findings.filter((f) => f.rule === 'escalation.path').length,
    peopleFindings: report.findings.filter((f) => f.rule === 'identity.nonprod-group-in-prod').length,
    withPeople: report.findings.filter((f) => (f.people?.length ?? 0) > 0).length,
    findings: report.findings.length,
    maxRssMb: t.maxRssMb,
  };
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

const args = process.argv.slice(2);
const threads = args.includes('--threads') ? Number(optionValue(args, '--threads')) : availableParallelism();
if (args.includes('--one')) {
  process.stdout.write(`${JSON.stringify(await one(Number(optionValue(args, '--one')), threads))}\n`);
} else {
  const sizes = (args.includes('--sizes') ? optionValue(args, '--sizes')! : '10,100,1000').split(',').map(Number);
  const runs = args.includes('--runs') ? Math.max(1, Number(optionValue(args, '--runs'))) : 1;
  const script = fileURLToPath(import.meta.url);
  console.log(`verify-people benchmark on ${new Date().toISOString()}, node ${process.version}, ${availableParallelism()} cores, ${threads} thread(s), ${runs} run(s) per size`);
  console.log(`load average (1, 5, 15 min) before: ${load()}`);
  console.log('accounts  roles  sso roles  assignments  resources  verify s (median)  verify s (runs)  CPU s  max RSS MB (max)  assume e.  escalation f.  people f.  with people  findings');
  for (const n of sizes) {
    const rows: Row[] = [];
    for (let k = 0; k < runs; k++) {
      const row = runChild<Row>(script, n, threads, 4096);
      if (row) rows.push(row);
    }
    const row = rows[0];
    if (!row) continue;
    console.log(
      [
        String(row.accounts).padStart(8),
        String(row.roles).padStart(6),
        String(row.ssoRoles).padStart(10),
        String(row.assignments).padStart(12),
        String(row.resources).padStart(10),
        (median(rows.map((x) => x.verifyMs)) / 1000).toFixed(2).padStart(18),
        rows.map((x) => (x.verifyMs / 1000).toFixed(1)).join('/').padStart(16),
        (median(rows.map((x) => x.verifyCpuMs)) / 1000).toFixed(1).padStart(6),
        Math.max(...rows.map((x) => x.maxRssMb)).toFixed(0).padStart(17),
        String(row.assumeEdges).padStart(10),
        String(row.escalationFindings).padStart(14),
        String(row.peopleFindings).padStart(10),
        String(row.withPeople).padStart(12),
        String(row.findings).padStart(9),
      ].join(' '),
    );
  }
  console.log(`load average (1, 5, 15 min) after: ${load()}`);
}
