/**
 * The executor (AWS edge): carries out a change set in order through the Scheduler, journaling every step.
 *
 * Every step is idempotent against live state — "already exists" / "already attached" / "not attached"
 * answers count as success — so a run killed at any point converges when run again (the diff is recomputed
 * from live state). CreateAccount is asynchronous on AWS: at most 5 requests are in flight, each is polled
 * with DescribeCreateAccountStatus, its request id is journaled so a resumed run polls it instead of
 * creating the account again, and a new account must answer AssumeRole + IAM before roles are made in it.
 */
import {
  AttachPolicyCommand,
  CloseAccountCommand,
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreatePolicyCommand,
  DescribeCreateAccountStatusCommand,
  DetachPolicyCommand,
  EnablePolicyTypeCommand,
  ListParentsCommand,
  MoveAccountCommand,
  TagResourceCommand,
  UpdatePolicyCommand,
  paginateListAccounts,
  paginateListCreateAccountStatus,
  paginateListOrganizationalUnitsForParent,
  paginateListPolicies,
  type CreateAccountStatus,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand as IamCreatePolicy,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  DeletePolicyVersionCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  ListPolicyVersionsCommand,
  ListRolesCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { referencesOrganization, resolveAccountRefs, resolveOrganizationRef } from '../model/account-ref.js';
import { ROOT_PATH, type AttachedPolicy, type PolicyDocument, type PolicyTarget, type Tags } from '../model/organization.js';
import { parentPath } from '../model/query.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { pool } from '../util/pool.js';
import type { AccountClients, ClientFactory } from './clients.js';
import { stepFailed } from './diagnostics.js';
import { describeError, errorName, isBug, NetworkError, tolerate } from './errors.js';
import { scheduled, type Scheduler } from './scheduler.js';
import { decodePolicyDocument } from '../snapshot/decode.js';
import type { Change, ChangeSet, IdentityChange, OrgPolicyType } from '../changes/changes.js';
import { runIdentityChange, type IdentityIds } from './apply-identity.js';
import { canonicalJson } from '../changes/diff.js';
import type { Journal } from '../io/journal.js';

/** Live ids the executor needs; filled from the collected state and updated as things are created. */
export interface LiveIds {
  readonly rootId: string;
  readonly managementAccountId: string;
  /** The organization's id (`o-…`), for `{{organization:id}}` in planned documents. */
  readonly organizationId?: string;
  /** OU path → id. */
  readonly ous: Map<string, string>;
  /** Planned account name → id (matched or created). */
  readonly accounts: Map<string, string>;
  /** Live account name → id, for accounts the plan no longer has. */
  readonly liveAccounts: Map<string, string>;
  /** `${type}:${name}` → policy id. */
  readonly policies: Map<string, string>;
  /** IAM Identity Center's instance and the ids of its groups, users and permission sets, when the plan uses it. */
  readonly identity?: IdentityIds;
}

/** Executor settings. */
export interface ExecuteOptions {
  readonly accessRoleName: string;
  /** Between DescribeCreateAccountStatus polls (AWS: seconds; tests: milliseconds). Default 5000. */
  readonly pollIntervalMs?: number;
  /** Give up waiting for one account after this long. Default 30 min. */
  readonly createTimeoutMs?: number;
  /** CreateAccount requests in flight (AWS allows 5). */
  readonly maxCreateInFlight?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly onProgress?: (done: number, total: number, scheduler: Scheduler) => void;
}

/** A step that failed, as the journal records it (`key` is the change's key, or `run`). */
export interface StepFailure {
  readonly key: string;
  readonly message: string;
}

/** What happened. */
export interface ExecuteResult {
  readonly applied: number;
  readonly failures: readonly StepFailure[];
  /** One BH6203 error per failure, naming the step, the cause and the journal to resume from. */
  readonly diagnostics: readonly Diagnostic[];
}

/** A step failure that should stop the run with a clear message (not a bug). */
export class ApplyStepError extends Error {
  override readonly name = 'ApplyStepError';
}

function awsTags(tags: Tags): { Key: string; Value: string }[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}


/** The order groups of changes run in; a group with a failure stops the run. */
const GROUPS: readonly (readonly Change['kind'][])[] = [
  ['enable-policy-type'],
  ['create-ou'],
  ['tag-ou'],
  ['create-policy', 'update-policy'],
  ['create-account'],
  ['move-account'],
  ['tag-account'],
  ['attach-policy'],
  ['detach-policy'],
  ['create-role', 'update-role'],
  // A permission set's customer managed policy must exist in an account before the set is assigned there.
  ['put-account-policy'],
  ['create-user', 'create-group'],
  ['add-group-member'],
  ['create-permission-set', 'update-permission-set'],
  ['create-assignment'],
  ['delete-assignment'],
  ['suspend-account'],
  ['close-account'],
];

type ChangeOf<K extends Change['kind']> = Extract<Change, { kind: K }>;

/** The Identity Center kinds `runIdentityChange` carries out. */
const IDENTITY_KINDS: ReadonlySet<Change['kind']> = new Set(['create-user', 'create-group', 'add-group-member', 'create-permission-set', 'update-permission-set', 'create-assignment', 'delete-assignment']);

/** CreateAccount request ids to resume instead of creating again: journaled by change key, and in flight by name. */
interface CreateRequests {
  readonly pending: ReadonlyMap<string, string>;
  readonly inProgress: Map<string, string>;
}

/** Executes change sets against one organization. */
export class Executor {
  private readonly sleep: (ms: number) => Promise<void>;
  private done = 0;
  private total = 0;
  private readonly failures: StepFailure[] = [];

  constructor(
    private readonly aws: ClientFactory,
    private readonly s: Scheduler,
    private readonly journal: Journal,
    private readonly ids: LiveIds,
    private readonly opts: ExecuteOptions,
  ) {
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  private get org() {
    return this.aws.organizations();
  }

  /** Organizations for paginated reads: every page goes through the scheduler. */
  private get orgReads() {
    return scheduled(this.aws.organizations(), this.s);
  }

  /** Runs one step with journal entries around it. */
  private async step(c: Change, fn: () => Promise<void>): Promise<void> {
    this.journal.record(c.key, 'start');
    try {
      await fn();
    } catch (e) {
      const message = e instanceof ApplyStepError ? e.message : describeError(e);
      this.journal.record(c.key, 'failed', { message });
      this.failures.push({ key: c.key, message });
      throw e;
    }
    this.journal.record(c.key, 'done');
    this.done++;
    this.opts.onProgress?.(this.done, this.total, this.s);
  }

  private ouId(path: string): string {
    const id = path === ROOT_PATH ? this.ids.rootId : this.ids.ous.get(path);
    if (!id) throw new ApplyStepError(`OU \`${path}\` does not exist yet`);
    return id;
  }

  private accountId(name: string): string {
    const id = this.ids.accounts.get(name) ?? this.ids.liveAccounts.get(name);
    if (!id) throw new ApplyStepError(`account \`${name}\` has no id yet`);
    return id;
  }

  private targetId(t: PolicyTarget): string {
    return 'ou' in t ? this.ouId(t.ou) : this.accountId(t.account);
  }

  private resolve(doc: PolicyDocument): PolicyDocument {
    const resolved = resolveAccountRefs(doc, (name) => this.accountId(name));
    if (referencesOrganization(resolved) && this.ids.organizationId === undefined) throw new ApplyStepError('the organization id is not known yet; run apply again');
    return resolveOrganizationRef(resolved, this.ids.organizationId);
  }

  private async policyId(type: OrgPolicyType, name: string): Promise<string> {
    const known = this.ids.policies.get(`${type}:${name}`);
    if (known) return known;
    for await (const r of paginateListPolicies({ client: this.orgReads }, { Filter: type })) {
      for (const p of r.Policies ?? []) if (p.Name && p.Id) this.ids.policies.set(`${type}:${p.Name}`, p.Id);
    }
    const id = this.ids.policies.get(`${type}:${name}`);
    if (!id) throw new ApplyStepError(`policy \`${name}\` does not exist`);
    return id;
  }

  /** Executes the change set in order; stops after the first group with a failure. */
  async execute(cs: ChangeSet): Promise<ExecuteResult> {
    this.total = cs.changes.length;
    this.journal.record('run', 'run-start', { changes: String(cs.changes.length) });
    try {
      for (const kinds of GROUPS) {
        const items = cs.changes.filter((c) => kinds.includes(c.kind));
        if (items.length === 0) continue;
        if (kinds[0] === 'create-account') await this.createAccounts(items);
        else if (kinds[0] === 'create-role') await this.roles(items);
        else if (kinds[0] === 'put-account-policy') await this.accountPolicies(items);
        else if (IDENTITY_KINDS.has(kinds[0]!)) for (const c of items) await this.step(c, () => this.identityStep(c));
        else for (const c of items) await this.step(c, () => this.one(c));
      }
    } catch (e) {
      // A failed step is already recorded; anything else AWS refused outside a step (listing requests in
      // flight, assuming into an account) fails the run. A bug is not a failure to report: it surfaces.
      if (isBug(e)) throw e;
      if (this.failures.length === 0) this.failures.push({ key: 'run', message: describeError(e) });
    }
    this.journal.record('run', 'run-end', { applied: String(this.done), failed: String(this.failures.length) });
    return { applied: this.done, failures: this.failures, diagnostics: this.failures.map((f) => stepFailed(f.key, f.message, this.journal.path)) };
  }

  /** One organization-level change. */
  private async one(c: Change): Promise<void> {
    switch (c.kind) {
      case 'enable-policy-type':
        await this.orgWrite((org) => org.send(new EnablePolicyTypeCommand({ RootId: this.ids.rootId, PolicyType: c.policyType })), ['PolicyTypeAlreadyEnabledException']);
        return;
      case 'create-ou':
        return this.createOu(c);
      case 'tag-ou':
        await this.orgWrite((org) => org.send(new TagResourceCommand({ ResourceId: this.ouId(c.path), Tags: awsTags(c.tags) })));
        return;
      case 'create-policy':
        return this.createPolicy(c);
      case 'update-policy': {
        const id = await this.policyId(c.policyType, c.name);
        await this.orgWrite((org) => org.send(new UpdatePolicyCommand({ PolicyId: id, Content: JSON.stringify(this.resolve(c.document)) })));
        return;
      }
      case 'move-account':
      case 'suspend-account':
        return this.move(this.accountId(c.name), c.to);
      case 'tag-account':
        await this.orgWrite((org) => org.send(new TagResourceCommand({ ResourceId: this.accountId(c.name), Tags: awsTags(c.tags) })));
        return;
      case 'attach-policy': {
        const id = await this.policyId(c.policyType, c.name);
        await this.orgWrite((org) => org.send(new AttachPolicyCommand({ PolicyId: id, TargetId: this.targetId(c.target) })), ['DuplicatePolicyAttachmentException']);
        return;
      }
      case 'detach-policy': {
        const id = await this.policyId(c.policyType, c.name);
        await this.orgWrite((org) => org.send(new DetachPolicyCommand({ PolicyId: id, TargetId: this.targetId(c.target) })), ['PolicyNotAttachedException']);
        return;
      }
      case 'close-account':
        await this.orgWrite((org) => org.send(new CloseAccountCommand({ AccountId: this.accountId(c.name) })), ['AccountAlreadyClosedException']);
        return;
      default:
        throw new Error(`bug: ${c.kind} is not an organization-level change`);
    }
  }

  /**
   * Runs an Organizations write (one at a time, retried); `okNames` are answers that mean the change is
   * already made, which give undefined.
   */
  private orgWrite<T>(send: (org: OrganizationsClient) => Promise<T>, okNames: readonly string[] = []): Promise<T | undefined> {
    return tolerate(() => this.s.orgWrite(() => send(this.org)), okNames);
  }

  /** The id of the OU named `name` under `parent`, asked live. */
  private async ouUnder(parent: string, name: string): Promise<string | undefined> {
    for await (const l of paginateListOrganizationalUnitsForParent({ client: this.orgReads }, { ParentId: parent })) {
      const id = l.OrganizationalUnits?.find((o) => o.Name === name)?.Id;
      if (id) return id;
    }
    return undefined;
  }

  /**
   * Creates an OU, unless one of that name is under the parent already: asked live first, because another run
   * may have created it since this run's change set was computed, and an emulator (moto) does not refuse a
   * second OU of the same name. An OU found so gets the planned tags.
   */
  private async createOu(c: ChangeOf<'create-ou'>): Promise<void> {
    const parent = this.ouId(parentPath(c.path) ?? ROOT_PATH);
    const name = c.path.slice(c.path.lastIndexOf('/') + 1);
    let id = await this.ouUnder(parent, name);
    if (id) {
      const found = id;
      if (Object.keys(c.tags).length > 0) await this.orgWrite((org) => org.send(new TagResourceCommand({ ResourceId: found, Tags: awsTags(c.tags) })));
    } else {
      const r = await this.orgWrite((org) => org.send(new CreateOrganizationalUnitCommand({ ParentId: parent, Name: name, Tags: awsTags(c.tags) })), [
        'DuplicateOrganizationalUnitException',
      ]);
      id = r?.OrganizationalUnit?.Id ?? (await this.ouUnder(parent, name));
    }
    if (!id) throw new ApplyStepError(`OU \`${c.path}\` was neither created nor found`);
    this.ids.ous.set(c.path, id);
  }

  private async createPolicy(c: ChangeOf<'create-policy'>): Promise<void> {
    const content = JSON.stringify(this.resolve(c.document));
    const r = await this.orgWrite(
      (org) => org.send(new CreatePolicyCommand({ Name: c.name, Type: c.policyType, Description: c.description ?? c.name, Content: content })),
      ['DuplicatePolicyException'],
    );
    const id = r?.Policy?.PolicySummary?.Id;
    if (id) this.ids.policies.set(`${c.policyType}:${c.name}`, id);
    else {
      // Created by a run that was killed before it could record it: bring the content up to date.
      const existing = await this.policyId(c.policyType, c.name);
      await this.orgWrite((org) => org.send(new UpdatePolicyCommand({ PolicyId: existing, Content: content })));
    }
  }

  /** Moves an account to `toPath` from wherever it is now (asked live, so a resumed move is harmless). */
  private async move(accountId: string, toPath: string): Promise<void> {
    const dest = this.ouId(toPath);
    const parents = await this.s.read(() => this.org.send(new ListParentsCommand({ ChildId: accountId })));
    const current = parents.Parents?.[0]?.Id;
    if (!current) throw new ApplyStepError(`account ${accountId} has no parent`);
    if (current === dest) return;
    await this.orgWrite((org) => org.send(new MoveAccountCommand({ AccountId: accountId, SourceParentId: current, DestinationParentId: dest })), [
      'DuplicateAccountException',
    ]);
  }

  /** Creates accounts, at most `maxCreateInFlight` at a time, and waits until each is usable. */
  private async createAccounts(items: readonly Change[]): Promise<void> {
    const requests: CreateRequests = { pending: this.journal.pendingCreateRequests(), inProgress: new Map() };
    // Requests in flight from a killed run that did not get to journal their id: find them by name.
    for await (const r of paginateListCreateAccountStatus({ client: this.orgReads }, { States: ['IN_PROGRESS'] })) {
      for (const st of r.CreateAccountStatuses ?? []) if (st.AccountName && st.Id) requests.inProgress.set(st.AccountName, st.Id);
    }
    await pool(items, this.opts.maxCreateInFlight ?? 5, (c) =>
      this.step(c, async () => {
        if (c.kind === 'create-account') await this.createAccount(c, requests);
      }),
    );
  }

  /** Creates one account, or resumes waiting for a request a killed run made, and moves it into its OU. */
  private async createAccount(c: ChangeOf<'create-account'>, requests: CreateRequests): Promise<void> {
    let requestId = requests.pending.get(c.key) ?? requests.inProgress.get(c.name);
    if (!requestId) {
      // Asked live just before creating: another run (with another journal, or none) may have created it since
      // this run's change set was computed. Found, it is adopted instead of created twice.
      const existing = await this.liveAccountByEmail(c.email);
      if (existing) {
        this.journal.record(c.key, 'pending', { accountId: existing, name: c.name, adopted: 'found by email' });
        await this.afterCreate(c.name, existing, c.ouPath);
        return;
      }
      const r = await this.s.orgWrite(() =>
        this.org.send(new CreateAccountCommand({ AccountName: c.name, Email: c.email, RoleName: this.opts.accessRoleName, Tags: awsTags(c.tags) })),
      );
      requestId = r.CreateAccountStatus?.Id;
      if (!requestId) throw new ApplyStepError(`CreateAccount for \`${c.name}\` returned no request id`);
      this.journal.record(c.key, 'pending', { requestId, name: c.name });
      if (r.CreateAccountStatus?.State === 'SUCCEEDED' && r.CreateAccountStatus.AccountId) {
        await this.afterCreate(c.name, r.CreateAccountStatus.AccountId, c.ouPath);
        return;
      }
    }
    const id = await this.waitCreated(c.name, requestId);
    await this.afterCreate(c.name, id, c.ouPath);
  }

  /**
   * The id of the live account with `email` (compared case-insensitively, as apply matches accounts). Every page
   * is read: ListAccounts may return a page with a NextToken and few or no accounts (ListAccounts, AWS
   * Organizations API Reference: https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccounts.html).
   * One that is not ACTIVE cannot be adopted, and a new account cannot have its email: a step error says so.
   */
  private async liveAccountByEmail(email: string): Promise<string | undefined> {
    const want = email.toLowerCase();
    for await (const page of paginateListAccounts({ client: this.orgReads }, {})) {
      const hit = page.Accounts?.find((a) => a.Email?.toLowerCase() === want);
      if (!hit?.Id) continue;
      if (hit.Status !== undefined && hit.Status !== 'ACTIVE') {
        throw new ApplyStepError(`an account with the email \`${email}\` exists already (${hit.Id}, ${hit.Status}); give the planned account another email`);
      }
      return hit.Id;
    }
    return undefined;
  }

  private async waitCreated(name: string, requestId: string): Promise<string> {
    const deadline = Date.now() + (this.opts.createTimeoutMs ?? 30 * 60_000);
    for (;;) {
      const r = await this.s.read(() => this.org.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: requestId })));
      const st: CreateAccountStatus | undefined = r.CreateAccountStatus;
      if (st?.State === 'SUCCEEDED' && st.AccountId) return st.AccountId;
      if (st?.State === 'FAILED') {
        throw new ApplyStepError(
          `AWS could not create account \`${name}\`: ${st.FailureReason ?? 'unknown reason'}` +
            (st.FailureReason === 'EMAIL_ALREADY_EXISTS' ? '; the email belongs to another AWS account, give the account another email in the spec' : ''),
        );
      }
      if (Date.now() > deadline) throw new ApplyStepError(`account \`${name}\` is still being created (request ${requestId}); run apply again later to resume`);
      await this.sleep(this.opts.pollIntervalMs ?? 5000);
    }
  }

  private async afterCreate(name: string, id: string, ouPath: string): Promise<void> {
    this.ids.accounts.set(name, id);
    if (ouPath !== ROOT_PATH) await this.move(id, ouPath);
    await this.waitUsable(id);
  }

  /** A new account is usable once the access role can be assumed and IAM answers in it. */
  private async waitUsable(accountId: string): Promise<void> {
    const deadline = Date.now() + (this.opts.createTimeoutMs ?? 30 * 60_000);
    for (;;) {
      try {
        const c = await this.aws.assume(this.s, accountId, this.opts.accessRoleName);
        await this.s.read(() => c.iam.send(new ListRolesCommand({ MaxItems: 1 })));
        return;
      } catch (e) {
        // Until the new account is ready AWS refuses the AssumeRole or the IAM call; keep asking (a bug surfaces).
        if (isBug(e) || e instanceof NetworkError) throw e;
        if (Date.now() > deadline) throw new ApplyStepError(`account ${accountId} is not usable yet (${describeError(e)}); run apply again later`);
        await this.sleep(this.opts.pollIntervalMs ?? 5000);
      }
    }
  }

  private async clientsFor(accountName: string): Promise<AccountClients> {
    const id = this.accountId(accountName);
    return id === this.ids.managementAccountId ? this.aws.account(id) : this.aws.assume(this.s, id, this.opts.accessRoleName);
  }

  /** Role changes, grouped by account; accounts in parallel. */
  private async roles(items: readonly Change[]): Promise<void> {
    const byAccount = new Map<string, Change[]>();
    for (const c of items) {
      if (c.kind !== 'create-role' && c.kind !== 'update-role') continue;
      byAccount.set(c.account, [...(byAccount.get(c.account) ?? []), c]);
    }
    await pool([...byAccount.entries()], 4, async ([account, changes]) => {
      const cl = await this.clientsFor(account);
      for (const c of changes) await this.step(c, () => this.role(cl, c));
    });
  }

  /** Customer managed policies the permission sets reference, grouped by account; accounts in parallel. */
  private async accountPolicies(items: readonly Change[]): Promise<void> {
    const byAccount = new Map<string, ChangeOf<'put-account-policy'>[]>();
    for (const c of items) if (c.kind === 'put-account-policy') byAccount.set(c.account, [...(byAccount.get(c.account) ?? []), c]);
    await pool([...byAccount.entries()], 4, async ([account, changes]) => {
      const cl = await this.clientsFor(account);
      for (const c of changes) await this.step(c, () => this.putAccountPolicy(cl, c));
    });
  }

  /** Creates the customer managed policy, or makes the planned document its default version. */
  private async putAccountPolicy(cl: AccountClients, c: ChangeOf<'put-account-policy'>): Promise<void> {
    const doc = this.resolve(c.document);
    const created = await tolerate(() => this.s.write(() => cl.iam.send(new IamCreatePolicy({ PolicyName: c.name, PolicyDocument: JSON.stringify(doc) }))), [
      'EntityAlreadyExistsException',
      'EntityAlreadyExists',
    ]);
    if (!created) await this.updateManaged(cl, `arn:aws:iam::${cl.accountId}:policy/${c.name}`, doc);
  }

  /** One Identity Center step (apply-identity.ts), over the instance the live read found. */
  private identityStep(c: Change): Promise<void> {
    const ids = this.ids.identity;
    if (!ids) throw new ApplyStepError('IAM Identity Center has no instance here; enable it in the management account (or its delegated administrator) and run apply again');
    if (!IDENTITY_KINDS.has(c.kind)) throw new Error(`bug: ${c.kind} is not an Identity Center change`);
    return runIdentityChange(
      {
        aws: this.aws,
        s: this.s,
        ids,
        accountId: (n) => this.accountId(n),
        resolve: (d) => this.resolve(d),
        sleep: this.sleep,
        pollIntervalMs: this.opts.pollIntervalMs ?? 5000,
        timeoutMs: this.opts.createTimeoutMs ?? 30 * 60_000,
        stepError: (m) => new ApplyStepError(m),
      },
      c as IdentityChange,
    );
  }

  private async role(cl: AccountClients, c: Change): Promise<void> {
    const iam = cl.iam;
    const w = <T>(fn: () => Promise<T>) => this.s.write(fn);
    if (c.kind === 'create-role') {
      const trust = JSON.stringify(this.resolve(c.trustPolicy));
      const created = await tolerate(
        () =>
          w(() =>
            iam.send(
              new CreateRoleCommand({
                RoleName: c.name,
                Path: c.path,
                AssumeRolePolicyDocument: trust,
                ...(c.description ? { Description: c.description } : {}),
                Tags: awsTags(c.tags),
              }),
            ),
          ),
        ['EntityAlreadyExistsException', 'EntityAlreadyExists'],
      );
      if (!created) {
        await w(() => iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: c.name, PolicyDocument: trust })));
        if (Object.keys(c.tags).length) await w(() => iam.send(new TagRoleCommand({ RoleName: c.name, Tags: awsTags(c.tags) })));
      }
      for (const p of c.policies) await this.putPolicy(cl, c.name, p);
      return;
    }
    if (c.kind !== 'update-role') return;
    const u = c.update;
    if (u.trustPolicy) {
      const trust = JSON.stringify(this.resolve(u.trustPolicy));
      await w(() => iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: c.name, PolicyDocument: trust })));
    }
    for (const p of [...u.putInline, ...u.putManaged]) await this.putPolicy(cl, c.name, p);
    for (const n of u.deleteInline) await tolerate(() => w(() => iam.send(new DeleteRolePolicyCommand({ RoleName: c.name, PolicyName: n }))), ['NoSuchEntityException', 'NoSuchEntity']);
    for (const arn of u.detachManaged) {
      await tolerate(() => w(() => iam.send(new DetachRolePolicyCommand({ RoleName: c.name, PolicyArn: arn }))), ['NoSuchEntityException', 'NoSuchEntity']);
    }
    if (u.tags) await w(() => iam.send(new TagRoleCommand({ RoleName: c.name, Tags: awsTags(u.tags ?? {}) })));
  }

  /** Puts an inline policy, or creates/updates a customer managed policy and attaches it (AWS managed: attach). */
  private async putPolicy(cl: AccountClients, roleName: string, p: AttachedPolicy): Promise<void> {
    const iam = cl.iam;
    const w = <T>(fn: () => Promise<T>) => this.s.write(fn);
    const doc = this.resolve(p.document);
    const text = JSON.stringify(doc);
    if (p.kind === 'inline') {
      await w(() => iam.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: p.name, PolicyDocument: text })));
      return;
    }
    let arn = p.arn;
    if (!arn || !/^arn:aws[a-z-]*:iam::aws:policy\//.test(arn)) {
      const created = await tolerate(() => w(() => iam.send(new IamCreatePolicy({ PolicyName: p.name, PolicyDocument: text }))), [
        'EntityAlreadyExistsException',
        'EntityAlreadyExists',
      ]);
      arn = created?.Policy?.Arn ?? p.arn ?? `arn:aws:iam::${cl.accountId}:policy/${p.name}`;
      if (!created) await this.updateManaged(cl, arn, doc);
    }
    await w(() => iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: arn })));
  }

  /** Makes `doc` the default version of a customer managed policy (keeping within IAM's 5 versions). */
  private async updateManaged(cl: AccountClients, arn: string, doc: PolicyDocument): Promise<void> {
    const iam = cl.iam;
    const pol = await this.s.read(() => iam.send(new GetPolicyCommand({ PolicyArn: arn })));
    const def = pol.Policy?.DefaultVersionId;
    if (def) {
      const v = await this.s.read(() => iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: def })));
      const cur = decodePolicyDocument(v.PolicyVersion?.Document);
      if (cur.ok && canonicalJson(cur.value) === canonicalJson(doc)) return;
    }
    const versions = await this.s.read(() => iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn })));
    const list = versions.Versions ?? [];
    if (list.length >= 5) {
      const oldest = list.filter((x) => !x.IsDefaultVersion).sort((a, b) => (a.CreateDate?.getTime() ?? 0) - (b.CreateDate?.getTime() ?? 0))[0];
      if (oldest?.VersionId) await this.s.write(() => iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: oldest.VersionId })));
    }
    await this.s.write(() => iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: JSON.stringify(doc), SetAsDefault: true })));
  }
}
