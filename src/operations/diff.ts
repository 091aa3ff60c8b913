/**
 * The `diff` operation: load two sides (spec file, snapshot directory, or `FILE@REV` a spec at a git
 * revision), verify both with the delta core, and return the delta (`drift` in ./drift.ts builds on it).
 */
import { error, fail, ok, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import type { DeltaOptions, DeltaSide } from '../delta/delta.js';
import { isHistoryRef, splitSideRef } from '../delta/side-ref.js';
import type { Delta } from '../delta/types.js';
import type { OrganizationModel } from '../model/organization.js';
import { gitShowFile } from '../io/git.js';
import { SharedAccountFiles } from '../snapshot/load.js';
import { hostPath, type Host } from './host.js';
import { computeDeltaThreaded } from './diff-threads.js';
import { chooseThreadsWithinMemory, loadTargetWithGaps, machineLoad, type LoadedTarget, type MachineLoad } from './verify.js';

/** A diff request: two sides as the user writes them. */
export interface DiffRequest {
  readonly before: string;
  readonly after: string;
  /** Accounts a principal may destroy in before blast radius is a finding (default 3). */
  readonly destroyAccountThreshold?: number;
  readonly defaultBoundaries?: boolean;
  /**
   * Threads for the before side's engine questions (at most the cores). `auto` (default) is one thread: on the
   * 2-core benchmark machine two threads were slower (docs/benchmarks.md, diff), the worker copying the model and
   * preparing its share again.
   */
  readonly threads?: number | 'auto';
  /** The machine the thread choice reads (default: this process's); injectable for tests. */
  readonly machine?: () => MachineLoad;
}

/**
 * Loads one side: a path that exists as written, else `DIR@DATE` / `DIR@latest` from a snapshot history, else
 * `PATH@REV` from git. A snapshot's ACTIVE accounts without an account file come back as `incomplete` (BH6009), as
 * for verify. `shared` parses each distinct account file once across the sides loaded with it.
 */
export async function loadSide(arg: string, host: Host, shared?: SharedAccountFiles): Promise<Result<LoadedTarget>> {
  const whole = await host.files.kind(hostPath(host, arg));
  if (whole !== 'missing') return loadTargetWithGaps({ path: arg }, host, shared);
  const ref = splitSideRef(arg);
  if (ref.at === undefined) {
    return fail([{ ...error('BH9100', `\`${arg}\` does not exist; give a spec file, a snapshot directory, or \`spec.yaml@REV\` for a spec at a git revision`), file: arg }]);
  }
  const kind = await host.files.kind(hostPath(host, ref.path));
  // `DIR@2026-11-01` / `DIR@latest`: an entry of a snapshot history, which loadTarget reads (./history-ref.ts)
  if (kind === 'directory' || (kind === 'missing' && isHistoryRef(ref.at))) return loadTargetWithGaps({ path: arg }, host, shared);
  // a file missing from the working tree may still be in the revision: git tells
  const text = await gitShowFile(ref.path, ref.at, host.cwd, arg);
  if (!text.ok) return text;
  return loadTargetWithGaps({ text: text.value, label: arg }, host);
}

/**
 * Loads both sides (each side's diagnostics kept); fails when either fails. Byte-identical account files of two
 * snapshots are parsed once and both models hold the same (frozen) objects for them, so the after side's content
 * ids and graph answers find the before side's by identity instead of reading them again.
 */
export async function loadSides(request: DiffRequest, host: Host): Promise<Result<{ before: LoadedTarget; after: LoadedTarget; diagnostics: Diagnostic[] }>> {
  const shared = new SharedAccountFiles();
  const [b, a] = [await loadSide(request.before, host, shared), await loadSide(request.after, host, shared)];
  const diagnostics = [...b.diagnostics, ...a.diagnostics];
  if (!b.ok || !a.ok) return fail(diagnostics);
  return ok({ before: b.value, after: a.value, diagnostics });
}

/** The delta options of a request. */
export function deltaOptions(request: DiffRequest, mode: Delta['mode']): DeltaOptions {
  return {
    mode,
    ...(request.destroyAccountThreshold !== undefined ? { destroyAccountThreshold: request.destroyAccountThreshold } : {}),
    ...(request.defaultBoundaries ? { defaultBoundaries: true } : {}),
  };
}

/**
 * The threads diff runs the before side on: 1 unless a count is given (two threads were slower on the 2-core
 * benchmark machine); an explicit count is the cores' choice, with BH7250 when the estimated heaps of both sides
 * (the main thread holds both models, the worker its copy of the before side's) exceed the memory budget.
 */
function diffThreads(request: DiffRequest, before: OrganizationModel, after: OrganizationModel): { threads: number; notes: readonly Diagnostic[] } {
  if (request.threads === undefined || request.threads === 'auto') return { threads: 1, notes: [] };
  const nodes = [before, after].reduce((n, m) => n + m.roles.length + m.users.length + m.resources.length, 0);
  const choice = chooseThreadsWithinMemory(before.roles.length + before.users.length, nodes, request.threads, (request.machine ?? machineLoad)());
  return { threads: choice.threads, notes: choice.diagnostics };
}

/** `bulkhead diff BEFORE AFTER`: structural changes, access gained and lost, findings new / resolved / unchanged. */
export async function diff(request: DiffRequest, host: Host): Promise<Result<Delta>> {
  const loaded = await loadSides(request, host);
  if (!loaded.ok) return loaded;
  const { before, after, diagnostics } = loaded.value;
  const { threads, notes } = diffThreads(request, before.model, after.model);
  host.report({ kind: 'progress', operation: 'diff', message: `diff: verifying ${before.model.accounts.length} and ${after.model.accounts.length} accounts (the before side on ${threads} thread${threads === 1 ? '' : 's'})` });
  const delta = await computeDeltaThreaded(deltaSide(before, request.before), deltaSide(after, request.after), deltaOptions(request, 'diff'), threads);
  return ok(delta, [...diagnostics, ...notes]);
}

/** A loaded side as the delta core takes it, its uncollected accounts included. */
export function deltaSide(loaded: LoadedTarget, label: string, spec?: DeltaSide['model']): DeltaSide {
  return { model: loaded.model, label, ...(spec ? { spec } : {}), ...(loaded.incomplete.length > 0 ? { incomplete: loaded.incomplete } : {}) };
}
