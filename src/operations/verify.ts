/**
 * The `verifyTarget` operation: load a designed (spec file) or collected (snapshot directory) organization,
 * optionally with the spec whose intent applies to a snapshot, and verify it on one or more threads.
 */
import { availableParallelism, loadavg } from 'node:os';
import { error, fail, ok, type Result } from '../diagnostics/diagnostic.js';
import type { OrganizationModel } from '../model/organization.js';
import { createEngineEvaluator } from '../verify/engine-adapter.js';
import { verifyModel, verifyEngineOptions, type IncompleteReason, type VerifyReport } from '../verify/verify.js';
import { hostPath, type Host } from './host.js';
import { plan, type SpecInput } from './plan.js';
import type { VerifyProgressEvent } from '../verify/progress.js';
import { heapLimitBytes, threadsWithinMemory, verifyModelParallel, type ThreadChoice } from './verify-threads.js';
import { parseBaseline, type Baseline } from '../verify/baseline.js';
import { parseExclusions, type Exclusions } from '../verify/exclusions.js';
import { applyGate, type GateInput } from '../verify/gate.js';
import { parseJsonText } from '../policy/parse.js';
import { locateDiagnostics } from '../policy/json-locate.js';
import { historyRefFiles } from './history-ref.js';
import { snapshotFilesToModel } from './snapshot-input.js';
import type { SharedAccountFiles } from '../snapshot/load.js';

/** Organizations with at least this many principals are verified on several threads when threads are `auto`. */
export const PARALLEL_MIN_PRINCIPALS = 1000;

/** `auto` uses several threads only on a machine with at least this many cores. */
export const PARALLEL_MIN_CORES = 4;

/** `auto` uses several threads only when the load leaves at least this many cores idle. */
export const PARALLEL_MIN_IDLE_CORES = 2;

/** What the thread choice reads about the machine: its cores and its 1-minute load average. */
export interface MachineLoad {
  /** `os.availableParallelism()`. */
  readonly cores: number;
  /** `os.loadavg()[0]` (0 where the platform has none, as on Windows). */
  readonly loadAverage: number;
  /** The V8 heap limit, bytes (`heapLimitBytes()`, read when absent): bounds the threads by memory. */
  readonly heapLimitBytes?: number;
}

/** This machine's cores and load, read when called. */
export function machineLoad(): MachineLoad {
  return { cores: availableParallelism(), loadAverage: loadavg()[0] ?? 0 };
}

/** What to verify: a path (spec file or snapshot directory), spec text, or a model already loaded. */
export type VerifySource = { readonly path: string } | { readonly text: string; readonly label: string } | { readonly model: OrganizationModel; readonly label: string };

/** A verify request. */
export interface VerifyTargetRequest {
  readonly target: VerifySource;
  /** The spec whose business units, phases, boundaries and audit scopes apply to a snapshot. */
  readonly spec?: SpecInput;
  /** Accounts a principal may destroy in before blast radius is a finding (default 3). */
  readonly destroyAccountThreshold?: number;
  /** Apply the default boundaries even when the spec declares its own. */
  readonly defaultBoundaries?: boolean;
  /** Threads for the engine queries (at most the cores); `auto` (default): see `chooseThreads`. */
  readonly threads?: number | 'auto';
  /** The machine the thread choice reads (default `machineLoad`, this process's machine); injectable for tests. */
  readonly machine?: () => MachineLoad;
  /** A previous `verify --format json` report: its findings are taken out of this one (`summary.gate.baseline`). */
  readonly baseline?: string;
  /** An exclusions file (YAML or JSON, see src/verify/exclusions.ts), read against `host.now()`. */
  readonly exclusions?: string;
}

/** Diagnostic codes of verify's inputs (stable). */
export const VerifyInputCode = {
  TargetMissing: 'BH7001',
  SpecWithSpec: 'BH7002',
} as const;

function targetLabel(source: VerifySource): string {
  return 'path' in source ? source.path : source.label;
}

/** A loaded target and what it lacks (a snapshot's uncollected ACTIVE accounts). */
export interface LoadedTarget {
  readonly model: OrganizationModel;
  readonly incomplete: readonly IncompleteReason[];
}

/**
 * Loads the target with what it lacks: a snapshot's ACTIVE accounts without an account file (BH6009). `shared`
 * (diff's two sides) parses each distinct account file once across the snapshots loaded with it.
 */
export async function loadTargetWithGaps(source: VerifySource, host: Host, shared?: SharedAccountFiles): Promise<Result<LoadedTarget>> {
  const asLoaded = (r: Result<OrganizationModel>): Result<LoadedTarget> => (r.ok ? ok({ model: r.value, incomplete: [] }, r.diagnostics) : r);
  if ('model' in source) return ok({ model: source.model, incomplete: [] });
  if ('text' in source) return asLoaded(await plan(source, host));
  const abs = hostPath(host, source.path);
  const kind = await host.files.kind(abs);
  if (kind === 'missing') {
    const history = await historyRefFiles(source.path, host);
    if (history !== undefined) return history.ok ? snapshotFilesToModel(history.value, source.path, shared) : history;
    return fail([{ ...error(VerifyInputCode.TargetMissing, `verify target \`${source.path}\` does not exist; give a spec file or a snapshot directory from \`bulkhead collect\``), file: source.path }]);
  }
  if (kind !== 'directory') return asLoaded(await plan({ path: source.path }, host));
  const files = await host.files.readSnapshot(abs, source.path);
  return files.ok ? snapshotFilesToModel(files.value, source.path, shared) : files;
}

/** Loads the target: a snapshot directory through the snapshot reader, anything else as a spec. */
export async function loadTarget(source: VerifySource, host: Host): Promise<Result<OrganizationModel>> {
  const r = await loadTargetWithGaps(source, host);
  return r.ok ? ok(r.value.model, r.diagnostics) : r;
}

/**
 * Threads to use for `principals` principals. An explicit count is bounded by the cores. `auto` is 1 unless all of:
 * at least `PARALLEL_MIN_PRINCIPALS` principals, at least `PARALLEL_MIN_CORES` cores, and a 1-minute load average
 * leaving at least `PARALLEL_MIN_IDLE_CORES` cores idle; then as many threads as idle cores. Every further thread
 * repeats the preparation (about half as much memory again for at best 1.23× on an idle 2-core machine), and on a
 * busy machine it only competes for the same cores: `auto` is never slower than one thread.
 */
export function chooseThreads(principals: number, threads: VerifyTargetRequest['threads'], machine: MachineLoad): number {
  const cores = Math.max(1, machine.cores);
  if (threads !== undefined && threads !== 'auto') return Math.max(1, Math.min(Math.floor(threads), cores));
  const idle = Math.floor(cores - Math.max(0, machine.loadAverage));
  if (principals < PARALLEL_MIN_PRINCIPALS || cores < PARALLEL_MIN_CORES || idle < PARALLEL_MIN_IDLE_CORES) return 1;
  return Math.min(cores, idle);
}

/**
 * The threads for `principals` principals among `nodes` principals and resources on `machine`: the cores' choice
 * (`chooseThreads`) bounded by memory (`threadsWithinMemory`, with BH7250 for an explicit count beyond it).
 */
export function chooseThreadsWithinMemory(principals: number, nodes: number, threads: VerifyTargetRequest['threads'], machine: MachineLoad): ThreadChoice {
  const byCores = chooseThreads(principals, threads, machine);
  return threadsWithinMemory(nodes, threads, byCores, machine.heapLimitBytes ?? heapLimitBytes());
}

/** Reads and parses the baseline file; diagnostics carry the file, the JSON path and line:col. */
async function readBaseline(path: string, host: Host): Promise<Result<Baseline>> {
  const text = await host.files.readText(hostPath(host, path), path);
  if (!text.ok) return text;
  const json = parseJsonText(text.value);
  const parsed = json.ok ? parseBaseline(json.value, path) : json;
  if (parsed.ok) return parsed;
  return fail(locateDiagnostics(parsed.diagnostics, text.value).map((d) => ({ ...d, file: path })));
}

/** Reads and parses the exclusions file. */
async function readExclusions(path: string, host: Host): Promise<Result<Exclusions>> {
  const text = await host.files.readText(hostPath(host, path), path);
  return text.ok ? parseExclusions(text.value, path) : text;
}

/** The gate's inputs, read before the (long) verification so a bad file fails fast. */
async function readGate(request: VerifyTargetRequest, host: Host): Promise<Result<GateInput | undefined>> {
  if (request.baseline === undefined && request.exclusions === undefined) return ok(undefined);
  const baseline = request.baseline === undefined ? undefined : await readBaseline(request.baseline, host);
  const exclusions = request.exclusions === undefined ? undefined : await readExclusions(request.exclusions, host);
  const problems = [...(baseline && !baseline.ok ? baseline.diagnostics : []), ...(exclusions && !exclusions.ok ? exclusions.diagnostics : [])];
  if (problems.length > 0) return fail(problems);
  return ok({
    now: host.now(),
    ...(baseline?.ok ? { baseline: baseline.value } : {}),
    ...(exclusions?.ok ? { exclusions: exclusions.value } : {}),
  });
}

/**
 * Loads and verifies; the report comes with the loaders' warnings. With `baseline` or `exclusions` the report
 * holds only the findings they do not accept (`applyGate`).
 */
export async function verifyTarget(request: VerifyTargetRequest, host: Host): Promise<Result<VerifyReport>> {
  const gate = await readGate(request, host);
  if (!gate.ok) return gate;
  const loaded = await loadTargetWithGaps(request.target, host);
  if (!loaded.ok) return loaded;
  const model = { value: loaded.value.model, diagnostics: loaded.diagnostics };
  let spec: OrganizationModel | undefined;
  if (request.spec !== undefined) {
    if (model.value.source === 'plan') {
      return fail([error(VerifyInputCode.SpecWithSpec, `--spec applies to a snapshot directory; \`${targetLabel(request.target)}\` is a spec already, so verify it alone`)]);
    }
    const s = await plan(request.spec, host);
    if (!s.ok) return fail([...model.diagnostics, ...s.diagnostics]);
    spec = s.value;
  }
  const m = model.value;
  const evaluatorOptions = verifyEngineOptions(m);
  const common = {
    target: targetLabel(request.target),
    ...(spec ? { spec } : {}),
    destroyAccountThreshold: request.destroyAccountThreshold ?? 3,
    ...(request.defaultBoundaries ? { defaultBoundaries: true } : {}),
    ...(loaded.value.incomplete.length > 0 ? { incomplete: loaded.value.incomplete } : {}),
    progress: (e: VerifyProgressEvent) =>
      host.report({
        kind: 'progress',
        operation: 'verify',
        message: `verify: ${e.step}${e.total !== undefined ? ` ${e.done ?? 0}/${e.total}` : ''}`,
        ...(e.total !== undefined ? { done: e.done ?? 0, total: e.total } : {}),
      }),
  };
  const machine = (request.machine ?? machineLoad)();
  const principals = m.roles.length + m.users.length;
  const { threads, diagnostics: threadNotes } = chooseThreadsWithinMemory(principals, principals + m.resources.length, request.threads, machine);
  host.report({ kind: 'progress', operation: 'verify', message: `verify: ${m.accounts.length} accounts, ${principals} principals on ${threads} thread${threads === 1 ? '' : 's'}` });
  const report =
    threads > 1 ? await verifyModelParallel(m, { ...common, threads, evaluatorOptions }) : verifyModel(m, { ...common, evaluator: createEngineEvaluator(evaluatorOptions) });
  return ok(gate.value ? applyGate(report, gate.value) : report, [...threadNotes, ...model.diagnostics]);
}
