/**
 * Threaded edge of verify: spreads the engine queries over worker threads (principals split by index), then
 * assembles the same graph a single thread would build and runs the rules. The result is identical to
 * verifyModel's; only the wall-clock time differs. Used by the CLI and the benchmark.
 */
import { Worker } from 'node:worker_threads';
import { warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { OrganizationModel } from '../model/organization.js';
import { createEngineEvaluator, type EngineEvaluatorOptions } from '../verify/engine-adapter.js';
import { assembleGraph, candidatePairs, evaluateShare, type GraphShare } from '../verify/graph.js';
import type { WorkerInput } from './verify-worker.js';
import { reportingShare } from '../verify/progress.js';
import { finishVerify, prepareVerify, type VerifyOptions, type VerifyReport } from '../verify/verify.js';

/** Options for the threaded verify. */
export interface ParallelVerifyOptions extends Omit<VerifyOptions, 'evaluator'> {
  /** Threads in total, the main thread included (1 = no workers). */
  readonly threads: number;
  readonly evaluatorOptions?: EngineEvaluatorOptions;
}

// the worker is a .ts file when running from source (tsx), .js when compiled
const WORKER_URL = new URL(`./verify-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

function runWorker(input: WorkerInput): Promise<{ share: GraphShare; diagnostics: Diagnostic[] }> {
  return new Promise((resolve, reject) => {
    let w: Worker;
    if (WORKER_URL.pathname.endsWith('.ts')) {
      // running from source under tsx: the worker needs tsx's loader registered before it imports TypeScript
      const api = import.meta.resolve('tsx/esm/api');
      const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(WORKER_URL.href)}); })`;
      w = new Worker(boot, { eval: true, workerData: input });
    } else {
      w = new Worker(WORKER_URL, { workerData: input });
    }
    w.once('message', (m: { share: GraphShare; diagnostics: Diagnostic[] }) => resolve(m));
    w.once('error', reject);
    w.once('exit', (code) => {
      if (code !== 0) reject(new Error(`verify worker exited with code ${code}`));
    });
  });
}

/** verifyModel with the engine work spread over `threads` threads. */
export async function verifyModelParallel(model: OrganizationModel, options: ParallelVerifyOptions): Promise<VerifyReport> {
  const threads = Math.max(1, Math.floor(options.threads));
  const evaluatorOptions = options.evaluatorOptions ?? {};
  const workers = Array.from({ length: threads - 1 }, (_, k) =>
    runWorker({ model, ...(options.spec ? { spec: options.spec } : {}), evaluatorOptions, share: k + 1, of: threads }),
  );
  options.progress?.({ step: 'preparing' });
  const prepared = prepareVerify(model, options);
  const candidates = candidatePairs(prepared.principals, prepared.resources);
  const evaluator = createEngineEvaluator(evaluatorOptions);
  // the main thread takes share 0 while the workers run theirs
  // the shares interleave, so the main thread's progress stands for the workers' too
  const inShare = reportingShare(prepared.principals.length, (i) => i % threads === 0, options.progress, 'engine: principals');
  const mine = evaluateShare(prepared.principals, prepared.resources, candidates, evaluator, inShare);
  const shares: GraphShare[] = [mine];
  const notes: Diagnostic[] = [];
  if (workers.length > 0) options.progress?.({ step: 'engine: waiting for the other threads' });
  for (const [k, w] of workers.entries()) {
    try {
      const o = await w;
      shares.push(o.share);
      notes.push(...o.diagnostics);
    } catch (e) {
      // a worker that cannot start (e.g. no TypeScript loader) must not lose work: do its share here
      notes.push(warning('BH7103', `verify worker ${k + 1} failed (${e instanceof Error ? e.message : String(e)}); its share ran on the main thread`));
      shares.push(evaluateShare(prepared.principals, prepared.resources, candidates, evaluator, (i) => i % threads === k + 1));
    }
  }
  const graph = assembleGraph(prepared.principals, prepared.resources, candidates, shares);
  // hand finishVerify the evaluator's own (live) list: the rules it runs afterwards (external access) ask the engine
  // too, and what they leave out must reach summary.incomplete as it does on one thread
  evaluator.diagnostics.push(...notes);
  return finishVerify(prepared, graph, { ...options, evaluator }, evaluator.diagnostics);
}
