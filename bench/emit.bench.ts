/**
 * `npm run bench:emit`: plans synthetic specs of ~1,000 and ~5,000 accounts (the same shape as
 * bench:plan) and times emitTerraform and emitCloudFormation on the planned model: wall time, files, output size
 * and peak RSS. Each size runs in a fresh child process so the peak RSS belongs to that size alone.
 * Then runs Terraform on the emitted output of 101 and 1,001 accounts (init, validate, and plan against a
 * moto_server it starts): wall time and peak memory summed over terraform and its provider processes
 * (bench/emit-terraform.ts). `BENCH_EMIT_TF_LAYOUT=provider-aliases` measures the old layout instead (~80 MB per
 * member account with roles: do not run it at 1,001 accounts on a small machine). `BENCH_EMIT_SKIP_EMITTERS=1`
 * runs the Terraform part only.
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { benchSpec as spec } from './synthetic-spec.js';

if (process.argv[2] === '--child') {
  const { planFromYaml } = await import('../src/plan/index.js');
  const { emitTerraform } = await import('../src/emit/terraform.js');
  const { emitCloudFormation } = await import('../src/emit/cloudformation.js');
  const r = planFromYaml(spec(Number(process.argv[3])), 'bench.yaml');
  if (!r.ok) throw new Error(`bench spec did not plan: ${JSON.stringify(r.diagnostics.slice(0, 3))}`);
  // Warm up the validator and the emitters' code paths on a small model first.
  const warm = planFromYaml(spec(2), 'warmup.yaml');
  if (!warm.ok) throw new Error('warm-up spec did not plan');
  const small = warm.value;
  emitTerraform(small);
  emitCloudFormation(small);
  const out: Record<string, unknown> = { accounts: r.value.accounts.length, roles: r.value.roles.length };
  for (const [name, emit] of [['terraform', emitTerraform], ['cloudformation', emitCloudFormation]] as const) {
    const t0 = performance.now();
    const e = emit(r.value);
    const ms = performance.now() - t0;
    if (!e.ok) throw new Error(`${name} emit failed: ${JSON.stringify(e.diagnostics.slice(0, 3))}`);
    const bytes = [...e.value.files.values()].reduce((n, s) => n + Buffer.byteLength(s), 0);
    out[name] = { ms: Math.round(ms), files: e.value.files.size, mb: +(bytes / 1e6).toFixed(1) };
  }
  out['peakRssMb'] = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(JSON.stringify(out));
} else if (process.env['BENCH_EMIT_SKIP_EMITTERS'] !== '1') {
  console.log(`bench:emit on ${cpus()[0]?.model ?? 'unknown cpu'} (${cpus().length} cores), node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
  console.log('accounts  roles  terraform (ms / files / MB)  cloudformation (ms / files / MB)  peak RSS (MB)');
  for (const bus of [199, 999]) {
    const text = execFileSync(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, '--child', String(bus)], { encoding: 'utf8' });
    const r = JSON.parse(text.trim().split('\n').pop()!);
    const col = (x: { ms: number; files: number; mb: number }) => `${x.ms} / ${x.files} / ${x.mb}`;
    console.log(`${String(r.accounts).padStart(8)}  ${String(r.roles).padStart(5)}  ${col(r.terraform).padStart(26)}  ${col(r.cloudformation).padStart(32)}  ${String(r.peakRssMb).padStart(13)}`);
  }
}

if (process.argv[2] !== '--child') {
  const { benchTerraform, startMoto } = await import('./emit-terraform.js');
  const { loadavg } = await import('node:os');
  const layout = process.env['BENCH_EMIT_TF_LAYOUT'] === 'provider-aliases' ? 'provider-aliases' : 'stacksets';
  const moto = await startMoto();
  try {
    console.log(`terraform on the emitted output (layout ${layout}); load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
    console.log('accounts  providers  init (s / MB)  validate (s / MB / procs)  plan (s / MB / procs)');
    for (const bus of [19, 199]) {
      const r = await benchTerraform(bus, layout, moto.url);
      const col = (m: { ms: number; peakMb: number; processes: number; code: number }, procs = true) =>
        `${(m.ms / 1000).toFixed(1)} / ${m.peakMb}${procs ? ` / ${m.processes}` : ''}${m.code ? ` (exit ${m.code})` : ''}`;
      console.log(`${String(r.accounts).padStart(8)}  ${String(r.providerBlocks).padStart(9)}  ${col(r.init, false).padStart(13)}  ${col(r.validate).padStart(25)}  ${col(r.plan).padStart(21)}`);
    }
  } finally {
    moto.proc.kill('SIGTERM');
  }
}
