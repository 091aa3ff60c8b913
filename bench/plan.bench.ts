/**
 * `npm run bench:plan`: plans synthetic specs of 1,000 and 5,000 accounts (business units × 5 phases, two roles
 * with per-phase access, guardrails) from YAML text, and prints wall time and peak memory. Each size runs in a
 * fresh child process so the peak RSS belongs to that size alone.
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { benchSpec as spec } from './synthetic-spec.js';

if (process.argv[2] === '--child') {
  const bus = Number(process.argv[3]);
  const text = spec(bus);
  const { planFromYaml } = await import('../src/plan/index.js');
  planFromYaml(spec(2), 'warmup.yaml'); // load the catalogue once, outside the measurement
  const t0 = performance.now();
  const r = planFromYaml(text, 'bench.yaml');
  const ms = performance.now() - t0;
  if (!r.ok) throw new Error(`bench spec did not plan: ${JSON.stringify(r.diagnostics.slice(0, 3))}`);
  const t1 = performance.now();
  const json = JSON.stringify(r.value);
  const jsonMs = performance.now() - t1;
  const peakMb = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ accounts: r.value.accounts.length, roles: r.value.roles.length, planMs: Math.round(ms), jsonMs: Math.round(jsonMs), jsonMb: +(json.length / 1e6).toFixed(1), peakRssMb: Math.round(peakMb) }));
} else {
  console.log(`bench:plan on ${cpus()[0]?.model ?? 'unknown cpu'} (${cpus().length} cores), node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
  console.log('accounts  roles   plan (ms)  JSON (ms)  JSON (MB)  peak RSS (MB)');
  for (const bus of [199, 999]) {
    const out = execFileSync(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, '--child', String(bus)], { encoding: 'utf8' });
    const r = JSON.parse(out.trim().split('\n').pop()!);
    console.log(`${String(r.accounts).padStart(8)}  ${String(r.roles).padStart(5)}  ${String(r.planMs).padStart(10)}  ${String(r.jsonMs).padStart(9)}  ${String(r.jsonMb).padStart(9)}  ${String(r.peakRssMb).padStart(13)}`);
  }
}
