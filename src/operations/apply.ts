/**
 * The `applyPlan` operation: read the live organization, compute the change set that makes it match the plan,
 * and (with `yes`) carry it out through the SDK, journaling every step so a killed run resumes when run again.
 * With no organization yet, the change set starts with creating one.
 */
import { CreateOrganizationCommand } from '@aws-sdk/client-organizations';
import { fail, ok, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import type { AwsConnection, ClientFactory } from '../aws/clients.js';
import { applyUnreachable, stepFailed } from '../aws/diagnostics.js';
import { describeError, errorName, isBug, NetworkError } from '../aws/errors.js';
import { Executor, type StepFailure } from '../aws/executor.js';
import { emptyLiveModel, liveFacts, readLiveState, type LiveRead } from '../aws/live.js';
import { Scheduler, type SchedulerOptions } from '../aws/scheduler.js';
import type { ChangeSet } from '../changes/changes.js';
import { diffModels } from '../changes/diff.js';
import { Journal } from '../io/journal.js';
import type { OrganizationModel } from '../model/organization.js';
import { hostPath, type Host } from './host.js';
import { plan, type SpecInput } from './plan.js';

/** What to apply and how. */
export interface ApplyRequest {
  /** The spec to plan, or a model planned already. */
  readonly source: SpecInput | { readonly model: OrganizationModel };
  readonly connection: AwsConnection;
  /** Make the changes; without it the change set is only computed. */
  readonly yes?: boolean;
  /** Close accounts the plan no longer has (within AWS's closure quota). */
  readonly allowClose?: boolean;
  /** The apply journal (JSON Lines, append-only), relative to the host's cwd. */
  readonly journal: string;
  readonly scheduler?: SchedulerOptions;
  /** Between CreateAccount status polls (default 5000 ms). */
  readonly pollIntervalMs?: number;
  /**
   * Called with each change set before any of it is made: `changes` for the set computed against the live side
   * (with no organization and no `yes`, the set that starts by creating it), `create-organization` just before
   * the organization is created.
   */
  readonly onChangeSet?: (changes: ChangeSet, stage: 'create-organization' | 'changes') => void;
}

/** What the run did. */
export interface ApplyOutcome {
  /** The change set computed against the live organization (after creating it, when that happened). */
  readonly changeSet: ChangeSet;
  /** Present when changes were made. */
  readonly execution?: { readonly applied: number; readonly failures: readonly StepFailure[]; readonly calls: number; readonly retries: number };
  /** Whether this run created the organization. */
  readonly createdOrganization: boolean;
}

const MONTH_MS = 30 * 24 * 3600 * 1000;

/** Everything one apply run shares. */
interface ApplyRun {
  readonly request: ApplyRequest;
  readonly host: Host;
  readonly planned: OrganizationModel;
  readonly aws: ClientFactory;
  readonly scheduler: Scheduler;
  readonly journal: Journal;
}

function read(run: ApplyRun): Promise<LiveRead> {
  return readLiveState(run.aws, run.scheduler, run.planned, { accessRoleName: run.planned.organization.accessRoleName, now: run.host.now });
}

/** Creates the organization (all features), journaled; one that exists already is fine. */
async function createOrganization(run: ApplyRun): Promise<void> {
  const j = run.journal;
  j.record('create-organization', 'start');
  try {
    await run.scheduler.orgWrite(() => run.aws.organizations().send(new CreateOrganizationCommand({ FeatureSet: 'ALL' })));
  } catch (e) {
    if (errorName(e) !== 'AlreadyInOrganizationException') throw e;
  }
  j.record('create-organization', 'done');
}

/** The change set for an empty account: create the organization, then everything the plan has. */
function fromNothing(planned: OrganizationModel): ChangeSet {
  const cs = diffModels(planned, emptyLiveModel(planned), { enabledPolicyTypes: [], closedInLast30Days: 0 }, { allowClose: false });
  return { ...cs, changes: [{ kind: 'create-organization', key: 'create-organization' }, ...cs.changes] };
}

/** Diffs against the live state and, with `yes`, executes the change set. */
async function applyToLive(run: ApplyRun, live: Extract<LiveRead, { kind: 'live' }>, createdOrganization: boolean): Promise<Result<ApplyOutcome>> {
  const journal = run.journal;
  const state = live.state;
  const closed = journal.closedSince(new Date(run.host.now().getTime() - MONTH_MS));
  const changeSet = diffModels(run.planned, state.model, liveFacts(state, closed), { allowClose: run.request.allowClose === true });
  run.request.onChangeSet?.(changeSet, 'changes');
  if (changeSet.changes.length === 0 || !run.request.yes) return ok({ changeSet, createdOrganization });
  const ex = new Executor(run.aws, run.scheduler, journal, state.ids, {
    accessRoleName: run.planned.organization.accessRoleName,
    pollIntervalMs: run.request.pollIntervalMs ?? 5000,
    onProgress: (done, total, s) =>
      run.host.report({ kind: 'progress', operation: 'apply', message: `apply: ${done}/${total} changes, ${s.stats.calls} calls, ${s.stats.retries} retries`, done, total }),
  });
  const result = await ex.execute(changeSet);
  const execution = { applied: result.applied, failures: result.failures, calls: run.scheduler.stats.calls, retries: run.scheduler.stats.retries };
  return ok({ changeSet, execution, createdOrganization }, result.diagnostics);
}

/**
 * Opens the journal and, for a run that changes things, locks it: before any AWS call, so a journal path that
 * cannot be used, a bad journal line or another run holding the lock costs nothing.
 */
function openJournal(request: ApplyRequest, host: Host): Result<Journal> {
  const opened = Journal.open(hostPath(host, request.journal), host.now, { label: request.journal });
  if (!opened.ok || !request.yes) return opened;
  const locked = opened.value.lock();
  return locked.ok ? opened : fail(locked.diagnostics);
}

/** Reads the live side, creating the organization first when there is none (with `yes`), and applies. */
async function readAndApply(r: ApplyRun): Promise<Result<ApplyOutcome>> {
  let live = await read(r);
  let created = false;
  if (live.kind === 'no-organization') {
    const changeSet = fromNothing(r.planned);
    if (!r.request.yes) {
      r.request.onChangeSet?.(changeSet, 'changes');
      return ok({ changeSet, createdOrganization: false });
    }
    r.request.onChangeSet?.(changeSet, 'create-organization');
    try {
      await createOrganization(r);
    } catch (e) {
      // AWS's refusal (or no answer) is the step's failure, reported like any other step's; a bug surfaces.
      if (isBug(e)) throw e;
      r.journal.record('create-organization', 'failed', { message: describeError(e) });
      return fail([e instanceof NetworkError ? applyUnreachable(e, r.request.connection.endpoint) : stepFailed('create-organization', describeError(e), r.journal.path)]);
    }
    created = true;
    live = await read(r);
  }
  // Organizations unreadable (BH6201, also when there is still no organization) or an account's IAM (BH6202).
  if (live.kind !== 'live') return fail(live.diagnostics);
  return applyToLive(r, live, created);
}

/**
 * Plans, reads the live organization and applies. Step failures come back as BH6203 errors beside an outcome
 * whose `execution.failures` lists them; an unreadable organization or account, an unusable journal (BH6205) or
 * one locked by another run (BH6206) is a failed Result.
 */
export async function applyPlan(request: ApplyRequest, host: Host): Promise<Result<ApplyOutcome>> {
  const planned = 'model' in request.source ? ok(request.source.model) : await plan(request.source, host);
  if (!planned.ok) return planned;
  const journal = openJournal(request, host);
  if (!journal.ok) return fail([...planned.diagnostics, ...journal.diagnostics]);
  try {
    const aws = await host.aws(request.connection);
    try {
      const outcome = await readAndApply({ request, host, planned: planned.value, aws, scheduler: new Scheduler(request.scheduler), journal: journal.value });
      const diagnostics: Diagnostic[] = [...planned.diagnostics, ...outcome.diagnostics];
      return outcome.ok ? ok(outcome.value, diagnostics) : fail(diagnostics);
    } finally {
      aws.destroy();
    }
  } finally {
    journal.value.close();
  }
}
