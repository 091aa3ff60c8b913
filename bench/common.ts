/**
 * Helpers shared by the verify benchmarks (`bench/verify.bench.ts`, `bench/verify-people.bench.ts`): command-line
 * options, timing one verify of a synthetic organization, and running one size in its own child process so its peak
 * memory (max RSS) is its own.
 */
import { spawnSync } from 'node:child_process';
import { PerformanceObserver } from 'node:perf_hooks';
import type { SynthOptions } from '../src/synthetic/index.js';
import { synthOrganization } from '../src/synthetic/index.js';
import { verifyModelParallel } from '../src/operations/verify-threads.js';
import { renderJson } from '../src/report/json.js';
import { DEFAULT_REGION } from '../src/util/aws-defaults.js';
import { ANALYSIS_V8_FLAGS } from '../src/cli/heap-launch.js';

/** The median of `values` (the upper middle one for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The value after `flag` in `args`, or undefined when `flag` is absent. */
export function optionValue(args: readonly string[], flag: string): string | undefined {
  const at = args.indexOf(flag);
  return at >= 0 ? args[at + 1] : undefined;
}

/** The options every verify benchmark verifies a synthetic organization with (its organization id is synthOrganization's). */
export function benchVerifyOptions(target: string, threads: number): Parameters<typeof verifyModelParallel>[1] {
  return { target, threads, evaluatorOptions: { defaultRegion: DEFAULT_REGION, organizationId: 'o-synth0000' } };
}

/** The model, the report and the timings of one verify of a synthetic organization. */
export interface TimedVerify {
  model: ReturnType<typeof synthOrganization>;
  report: Awaited<ReturnType<typeof verifyModelParallel>>;
  synthMs: number;
  verifyMs: number;
  /** user+system CPU of the whole process (all threads): what the work costs, whatever else the machine runs */
  verifyCpuMs: number;
  renderMs: number;
  /** the main thread's garbage-collection pauses during verify (`gc` performance entries; workers' not included) */
  gcMs: number;
  /** resourceUsage().maxRSS is in kilobytes and covers the worker threads (same process) */
  maxRssMb: number;
}

/** Synthesises an organization from `options`, verifies it on `threads` threads and renders its JSON report, timing each step. */
export async function timeVerify(options: SynthOptions, target: string, threads: number): Promise<TimedVerify> {
  let t = performance.now();
  const model = synthOrganization(options);
  const synthMs = performance.now() - t;
  t = performance.now();
  let gcMs = 0;
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcMs += e.duration;
  });
  gc.observe({ entryTypes: ['gc'] });
  const cpu0 = process.cpuUsage();
  const report = await verifyModelParallel(model, benchVerifyOptions(target, threads));
  const verifyMs = performance.now() - t;
  const cpu = process.cpuUsage(cpu0);
  // gc entries reach the observer on a later turn of the event loop, not before the next immediate
  await new Promise((resolve) => setTimeout(resolve, 100));
  gc.disconnect();
  t = performance.now();
  renderJson(report, new Date(0));
  const renderMs = performance.now() - t;
  return { model, report, synthMs, verifyMs, verifyCpuMs: (cpu.user + cpu.system) / 1000, renderMs, gcMs, maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

/**
 * Runs `script --one n --threads threads` in a child process with a V8 old-space limit of `heapMb` and the V8
 * options `v8Flags` (default: the ones the CLI gives `verify`, ANALYSIS_V8_FLAGS in src/cli/heap-launch.ts) and
 * returns the row it printed last (JSON), or undefined after printing why it failed.
 */
export function runChild<Row>(script: string, n: number, threads: number, heapMb: number, v8Flags: readonly string[] = ANALYSIS_V8_FLAGS): Row | undefined {
  const r = spawnSync(process.execPath, [...process.execArgv, ...v8Flags, script, '--one', String(n), '--threads', String(threads)], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    env: { ...process.env, NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --max-old-space-size=${heapMb}`.trim() },
  });
  if (r.status !== 0) {
    console.log(`${n}: failed (exit ${r.status}): ${r.stderr.split('\n').slice(0, 5).join(' ')}`);
    return undefined;
  }
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Row;
}
