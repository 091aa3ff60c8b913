/**
 * Using bulkhead as a library, without the CLI: plan a spec, emit Terraform into a directory, and verify a
 * snapshot directory. Run it with `node --import tsx examples/library/plan-emit-verify.ts WORKDIR`.
 *
 * A snapshot normally comes from `collect` (or `bulkhead collect`) against a live organization; this example
 * writes a synthetic one so it runs anywhere.
 */
import { emitToDirectory, nodeHost, plan, renderReport, synthesizeSnapshot, verifyTarget, formatDiagnostic, type Diagnostic } from 'bulkhead';

const work = process.argv[2];
if (!work) throw new Error('usage: plan-emit-verify.ts WORKDIR');

// Operations never print: progress and notes reach the host, results come back as one Result type.
const host = nodeHost({ cwd: work, report: (e) => console.error(`[${e.operation}] ${e.message}`) });
const show = (ds: readonly Diagnostic[]) => ds.forEach((d) => console.error(formatDiagnostic(d)));

// 1. plan: spec → organization model (the spec path is relative to the host's cwd)
const spec = new URL('../acme-full.yaml', import.meta.url).pathname;
const planned = await plan({ path: spec }, host);
show(planned.diagnostics);
if (!planned.ok) process.exit(1);

// 2. emit into a directory (guarded: only an empty or bulkhead-written directory is replaced)
const emitted = await emitToDirectory({ source: { model: planned.value }, format: 'terraform', out: 'tf' }, host);
show(emitted.diagnostics);
if (!emitted.ok) process.exit(1);

// 3. verify a snapshot directory (here a synthetic one)
const synthesized = await synthesizeSnapshot({ options: { accounts: 12, rolesPerAccount: 3, resourcesPerAccount: 2, seed: 7, violations: true }, out: 'snapshot' }, host);
if (!synthesized.ok) process.exit(1);
const verified = await verifyTarget({ target: { path: 'snapshot' } }, host);
show(verified.diagnostics);
if (!verified.ok) process.exit(1);

const report = verified.value;
console.log(
  JSON.stringify({
    accounts: planned.value.accounts.length,
    emittedFiles: emitted.value.files,
    snapshotAccounts: report.summary.accounts.length,
    findings: report.summary.counts.total,
    critical: report.summary.counts.bySeverity.critical,
  }),
);
// any report format, the same renderers the CLI uses
console.error(renderReport(report, 'terminal', { now: new Date(0), top: 3 }));
