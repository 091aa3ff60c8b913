/**
 * Worker threads shared by the threaded operations (verify, diff): where a worker module is (a `.ts` file when running from
 * source under tsx, `.js` when compiled) and how to start it (from source, tsx's loader is registered in the worker
 * before it imports TypeScript), waiting for a worker's answer, and gathering the shares with a main-thread fallback.
 */
import { Worker } from 'node:worker_threads';
import type { DiagnosticCode } from '../diagnostics/codes.js';
import { warning, type Diagnostic } from '../diagnostics/diagnostic.js';

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

/** A started worker: `send` posts its input (a no-op when it could not start), `done` is its one answer. */
export interface RunningWorker<I, O> {
  readonly send: (input: I) => void;
  readonly done: Promise<O>;
}

/**
 * Starts the worker at `url` and waits for its one message. `done` rejects when it cannot start, fails, or exits
 * without having posted its answer, whatever its exit code (`what` names it in the error); callers then run its
 * share on the main thread (`collectShares`). A rejection is not unhandled before the caller awaits `done`:
 * callers await their workers one after another, after their own share.
 */
export function runWorker<I, O>(url: URL, what: string, workerData?: unknown): RunningWorker<I, O> {
  let w: Worker | undefined;
  const done = new Promise<O>((resolve, reject) => {
    try {
      w = startWorker(url, workerData);
    } catch (e) {
      reject(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    w.once('message', (m: O) => resolve(m));
    w.once('error', reject);
    // every message the worker posted is emitted before 'exit' (Node.js, worker_threads, Event: 'message':
    // https://nodejs.org/api/worker_threads.html#event-message_1), so an exit still unanswered here never answers
    w.once('exit', (code) => reject(new Error(code !== 0 ? `${what} exited with code ${code}` : `${what} exited without an answer`)));
  });
  done.catch(() => undefined);
  return { send: (input) => w?.postMessage(input), done };
}

/** What a share worker posts back: its share of the engine answers and the engine diagnostics it raised. */
export interface ShareOutput<S> {
  readonly share: S;
  readonly diagnostics: Diagnostic[];
}

/**
 * The workers' shares (worker k does share k + 1) in order, with their diagnostics. A worker that failed must not
 * lose work: its share is computed here by `local` and a `code` warning says so.
 */
export async function collectShares<S>(
  workers: readonly Promise<ShareOutput<S>>[],
  what: string,
  code: DiagnosticCode,
  local: (share: number) => S,
): Promise<{ shares: S[]; notes: Diagnostic[] }> {
  const shares: S[] = [];
  const notes: Diagnostic[] = [];
  for (const [k, w] of workers.entries()) {
    try {
      const o = await w;
      shares.push(o.share);
      notes.push(...o.diagnostics);
    } catch (e) {
      notes.push(warning(code, `${what} ${k + 1} failed (${e instanceof Error ? e.message : String(e)}); its share ran on the main thread`));
      shares.push(local(k + 1));
    }
  }
  return { shares, notes };
}
