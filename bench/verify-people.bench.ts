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
import { spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { verifyModelParallel } from '../src/operations/verify-threads.js';
import { renderJson } from '../src/report/json.js';
import { synthOrganization } from '../src/synthetic/index.js';

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
  let t = performance.now();
  const model = synthOrganization({ accounts: n, rolesPerAccount: 20, resourcesPerAccount: 50, violations: true, people: true });
  const synthMs = performance.now() - t;
  t = performance.now();
  const cpu0 = process.cpuUsage();
  const report = await verifyModelParallel(model, { target: `synth-people-${n}`, threads, evaluatorOptions: { defaultRegion: 'us-east-1', organizationId: 'o-synth0000' } });
  const verifyMs = performance.now() - t;
  const cpu = process.cpuUsage(cpu0);
  t = performance.now();
  renderJson(report, new Date(0));
  const renderMs = performance.now() - t;
  return {
    threads,
    accounts: model.accounts.length,
    roles: model.roles.length,
    ssoRoles: model.roles.filter((r) => r.name.startsWith('AWSReservedSSO_')).length,
    assignments: model.identity?.assignments.length ?? 0,
    resources: model.resources.length,
    synthMs,
    verifyMs,
    verifyCpuMs: (cpu.user + cpu.system) / 1000,
    renderMs,
    capabilityQueries: report.summary.stats.capabilityQueries,
    assumeEdges: report.summary.assumeEdges,
    escalationFindings: report.findings.filter((f) => f.rule === 'escalation.path').length,
    peopleFindings: report.findings.filter((f) => f.rule === 'identity.nonprod-group-in-prod').length,
    withPeople: report.findings.filter((f) => (f.people?.length ?? 0) > 0).length,
    findings: report.findings.length,
    // resourceUsage().maxRSS is in kilobytes and covers the worker threads (same process)
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

const args = process.argv.slice(2);
const at = (k: string) => args.indexOf(k);
const threads = at('--threads') >= 0 ? Number(args[at('--threads') + 1]) : availableParallelism();
if (at('--one') >= 0) {
  process.stdout.write(`${JSON.stringify(await one(Number(args[at('--one') + 1]), threads))}\n`);
} else {
  const sizes = (at('--sizes') >= 0 ? args[at('--sizes') + 1]! : '10,100,1000').split(',').map(Number);
  const runs = at('--runs') >= 0 ? Math.max(1, Number(args[at('--runs') + 1])) : 1;
  const script = fileURLToPath(import.meta.url);
  console.log(`verify-people benchmark on ${new Date().toISOString()}, node ${process.version}, ${availableParallelism()} cores, ${threads} thread(s), ${runs} run(s) per size`);
  console.log(`load average (1, 5, 15 min) before: ${load()}`);
  console.log('accounts  roles  sso roles  assignments  resources  verify s (median)  verify s (runs)  CPU s  max RSS MB (max)  assume e.  escalation f.  people f.  with people  findings');
  for (const n of sizes) {
    const rows: Row[] = [];
    for (let k = 0; k < runs; k++) {
      const r = spawnSync(process.execPath, [...process.execArgv, script, '--one', String(n), '--threads', String(threads)], {
        encoding: 'utf8',
        maxBuffer: 1 << 26,
        env: { ...process.env, NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --max-old-space-size=4096`.trim() },
      });
      if (r.status !== 0) {
        console.log(`${n}: failed (exit ${r.status}): ${r.stderr.split('\n').slice(0, 5).join(' ')}`);
        continue;
      }
      rows.push(JSON.parse(r.stdout.trim().split('\n').pop()!) as Row);
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
