/**
 * Catalogue benchmark: load and lookup costs of src/catalog. Run `npx tsx bench/catalog.bench.ts`
 * (no npm script: package.json is not ours to edit). Prints what it measured; each step runs in a fresh
 * child process where a cold start matters, because the catalogue caches everything it parses.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

if (process.argv[2] === '--step') {
  const step = process.argv[3];
  const t0 = performance.now();
  const c = await import('../src/catalog/index.js');
  const tImport = performance.now() - t0;
  const t1 = performance.now();
  if (step === 'lookup') c.lookupAction('s3:GetObject');
  if (step === 'capability') c.capabilitiesOf('s3:GetObject');
  if (step === 'full-index') c.allActions();
  if (step === 'full-table') c.actionsWithCapability('read-data');
  if (step === 'keys') c.allConditionKeys();
  const tStep = performance.now() - t1;
  process.stdout.write(JSON.stringify({ step, importMs: tImport, stepMs: tStep }));
  process.exit(0);
}

// imported here, past the child's branch: common.ts loads the catalogue, whose cold start the children measure
const { median } = await import('./common.js');

const runs = 5;
console.log(`catalogue benchmark (node ${process.version}, tsx; median of ${runs} cold child processes)`);
for (const step of ['lookup', 'capability', 'full-index', 'full-table', 'keys']) {
  const results = Array.from({ length: runs }, () =>
    JSON.parse(
      execFileSync(process.execPath, ['--import', 'tsx', `${here}catalog.bench.ts`, '--step', step], { encoding: 'utf8' }),
    ) as { importMs: number; stepMs: number },
  );
  console.log(
    `  cold ${step.padEnd(11)} import ${median(results.map((r) => r.importMs)).toFixed(0).padStart(4)} ms (includes tsx transpiling the 1 MB data module), first call ${median(results.map((r) => r.stepMs)).toFixed(1).padStart(6)} ms`,
  );
}

const c = await import('../src/catalog/index.js');
c.actionsWithCapability('read-data'); // warm everything
const all = c.allActions();
const time = (label: string, n: number, f: (i: number) => unknown): void => {
  const t = performance.now();
  for (let i = 0; i < n; i++) f(i);
  const ms = performance.now() - t;
  console.log(`  warm ${label}: ${n} calls in ${ms.toFixed(0)} ms = ${((n / ms) * 1000).toFixed(0)} /s`);
};
time('lookupAction', 1_000_000, (i) => c.lookupAction(all[i % all.length]!));
time('capabilitiesOf', 1_000_000, (i) => c.capabilitiesOf(all[i % all.length]!));
time("expandActionPattern('s3:Get*')", 10_000, () => c.expandActionPattern('s3:Get*'));
time("expandActionPattern('*')", 100, () => c.expandActionPattern('*'));
time('keyAppliesToAction', 200_000, (i) => c.keyAppliesToAction('aws:ResourceTag/team', all[i % all.length]!));
time('suggestAction (typo)', 1_000, () => c.suggestAction('s3:GetObjekt'));
for (const cap of c.CAPABILITIES) {
  for (const compact of [false, true]) {
    const t = performance.now();
    const p = c.policyActionsFor([cap], undefined, { compact });
    const ms = performance.now() - t;
    console.log(
      `  policyActionsFor([${cap}])${compact ? ' compact' : ''}: ${p.length} patterns for ${c.DEFAULT_POLICY_SERVICES.reduce((n, s) => n + c.actionsWithCapability(cap, s).length, 0)} actions, ${JSON.stringify(p).length} chars, ${ms.toFixed(1)} ms`,
    );
  }
}
