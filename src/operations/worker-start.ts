/**
 * Worker-thread start-up shared by the threaded operations: where a worker module is (a `.ts` file when running from
 * source under tsx, `.js` when compiled) and how to start it (from source, tsx's loader is registered in the worker
 * before it imports TypeScript).
 */
import { Worker } from 'node:worker_threads';

/** The URL of worker module `name` (no extension) next to the module at `from` (its `import.meta.url`). */
export function workerUrl(name: string, from: string): URL {
  return new URL(`./${name}${from.endsWith('.ts') ? '.ts' : '.js'}`, from);
}

/** Starts the worker at `url` (from `workerUrl`) with `workerData`, through tsx's loader when `url` is TypeScript. */
export function startWorker(url: URL, workerData?: unknown): Worker {
  const options = workerData === undefined ? {} : { workerData };
  if (!url.pathname.endsWith('.ts')) return new Worker(url, options);
  const api = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(boot, { ...options, eval: true });
}
