/**
 * Bulk capability query for verification: for one principal's policy set and one resource, which access
 * capabilities (administer-resource, read-config, read-data, write-data, delete-data, use-resource) are
 * allowed, and by which actions and statements.
 *
 * Work sharing: the actions of a service are grouped once per policy set into classes of actions that every
 * statement's Action/NotAction treats alike (same match bits). Actions in one class get the same decision for
 * any resource and principal, so each resource query evaluates one representative per distinct class (classes
 * are shared across capabilities), and each statement's principal/resource/condition tests run at most once per
 * query (memoised).
 *
 * Per-query state is built once, not per action class: one request object per index is re-pointed at each
 * resource and class (no object per class), the memo and the per-class decisions are scratch that is cleared,
 * the resource's account and resource-policy modes are derived once per query.
 */
import { error, fail, ok, type Result } from '../diagnostics/diagnostic.js';
import type { CapabilityCatalog } from './catalog-port.js';
import { awsOwnedActionBits } from './aws-owned.js';
import type { CompiledStatement } from './compile.js';
import type { Context } from './pattern.js';
import type { Caller } from './principal.js';
import { arnAccountOf, evaluatePrepared, NO_PERMISSION_ACTION, prepareRequest, resourceMode, TRUST_ACTIONS, type PolicySet, type PreparedRequest, type ResourceMode } from './evaluate.js';
import { NO_DIAGNOSTICS, type RequestInput, type StatementRef } from './types.js';

/** One capability's answer. */
export interface CapabilityResult<C extends string = string> {
  readonly capability: C;
  readonly allowed: boolean;
  /** Allowed actions granting this capability (canonical case, sorted). */
  readonly actions: readonly string[];
  /** The statements that allowed one of them (empty when not allowed). */
  readonly explanation: readonly StatementRef[];
}

/** Answer for one principal × resource. */
export interface CapabilityAnswer<C extends string = string> {
  readonly resource: string;
  readonly service: string;
  readonly capabilities: readonly CapabilityResult<C>[];
}

interface ActionClass {
  /** Which statements match these actions (and whether they are trust actions): equal sig, equal decision. */
  readonly sig: string;
  /** Index of the signature among the service's distinct signatures (classes of capabilities share it). */
  readonly id: number;
  readonly rep: string;
  readonly lowerRep: string;
  /** The representative is a trust action (its resource policy may be a role trust policy). */
  readonly trust: boolean;
  readonly actions: readonly string[];
}

/** One capability of a service: its classes and the sorted allowed-action unions by bitmask of allowed classes. */
interface CapabilityPlan<C extends string> {
  readonly capability: C;
  readonly classes: readonly ActionClass[];
  readonly unions: Map<number | string, readonly string[]>;
}

/**
 * The classes of one service for one list of statements. It depends only on the service and on how each statement
 * tests actions (its Action/NotAction), so indexes whose statements test actions alike share one (see sharedPlan).
 */
interface ClassPlan<C extends string> {
  readonly byCap: ReadonlyMap<C, readonly ActionClass[]>;
  readonly caps: readonly CapabilityPlan<C>[];
  /** Some class's representative is a trust action. */
  readonly hasTrust: boolean;
  /** How many distinct signatures. */
  readonly size: number;
}

/** Everything a query on one service needs, built once per service; `decided`/`explained` are per-query scratch. */
interface ServicePlan<C extends string> {
  readonly byCap: ReadonlyMap<C, readonly ActionClass[]>;
  readonly caps: readonly CapabilityPlan<C>[];
  /** Some class's representative is a trust action. */
  readonly hasTrust: boolean;
  /** Per distinct signature: -1 not evaluated yet, 0 denied, 1 allowed. */
  readonly decided: Int8Array;
  readonly explained: (readonly StatementRef[] | undefined)[];
}

/** The request object the index re-points at every resource and action class (PreparedRequest, writable). */
interface ScratchRequest {
  caller: Caller;
  action: string;
  lowerAction: string;
  service: string;
  resource: string;
  resourceAccount: string | undefined;
  resourceAccountAssumed: boolean;
  resourceAccountKeyDerived: boolean;
  ctx: Context;
  mode: ResourceMode;
  memo: Map<CompiledStatement, number>;
}

/** The caller part of a request: everything but the action and resource. */
export type CallerInput = Omit<RequestInput, 'action' | 'resource'>;

/**
 * Compiled capability classes for one policy set; reuse it across every resource of the principal. The
 * capability table comes from `catalog` (edges pass DEFAULT_CATALOG).
 */
export class CapabilityIndex<C extends string = string> {
  private readonly perService = new Map<string, ServicePlan<C>>();
  private readonly statements: readonly CompiledStatement[][];
  /** The last caller object and its prepared form: callers are asked about many resources in a row. */
  private lastCaller: CallerInput | undefined;
  private lastPrepared: PreparedRequest | undefined;
  /** The last caller's context with `aws:ResourceAccount` set per resource account (when that key is derived). */
  private readonly ctxByAccount = new Map<string | undefined, Context>();
  /** Statement results for the current query (cleared per query). */
  private readonly memo = new Map<CompiledStatement, number>();
  private req: ScratchRequest | undefined;

  constructor(
    private readonly set: PolicySet,
    private readonly catalog: CapabilityCatalog<C>,
  ) {
    const all = [...set.identity, ...(set.resource ? [set.resource] : []), ...(set.boundary ? [set.boundary] : []), ...(set.session ? [set.session] : []), ...(set.scps ?? []).flat(), ...(set.rcps ?? []).flat()];
    this.statements = all.map((lp) => [...lp.compiled.statements]);
  }

  /** Action classes per capability for a service, built on first use. */
  classes(service: string): ReadonlyMap<C, readonly ActionClass[]> {
    return this.plan(service).byCap;
  }

  private plan(service: string): ServicePlan<C> {
    const hit = this.perService.get(service);
    if (hit) return hit;
    const stmts = this.statements.flat();
    const shared = sharedPlans(this.catalog);
    const key = `${service}|${stmts.map(actionSpecId).join(',')}`;
    let classes = shared.get(key) as ClassPlan<C> | undefined;
    if (classes === undefined) {
      classes = buildClassPlan(this.catalog, service, stmts);
      // it only saves work: forget everything when it grows large
      if (shared.size >= MAX_SHARED_PLANS) shared.clear();
      shared.set(key, classes);
    }
    const { byCap, caps, hasTrust, size } = classes;
    const plan: ServicePlan<C> = { byCap, caps, hasTrust, decided: new Int8Array(size), explained: new Array<readonly StatementRef[] | undefined>(size).fill(undefined) };
    this.perService.set(service, plan);
    return plan;
  }

  /** Which capabilities the caller has on `resource` (an ARN; pass `service` for `*`). */
  query(caller: CallerInput, resource: string, service?: string): Result<CapabilityAnswer<C>> {
    const svc = service !== undefined ? service.toLowerCase() : arnService(resource);
    if (svc === '') return fail([error('BH3102', `cannot tell the service of resource \`${resource}\`; pass the service`, 'resource')]);
    const plan = this.plan(svc);
    // the caller is classified and its context normalised once; each resource only re-derives its account
    let base = this.lastCaller === caller ? this.lastPrepared : undefined;
    if (base === undefined) {
      const p = prepareRequest({ ...caller, action: `${svc}:Bulkhead`, resource });
      if (!p.ok) return p;
      base = p.value;
      this.lastCaller = caller;
      this.lastPrepared = base;
      this.ctxByAccount.clear();
    }
    const req = this.pointAt(base, resource, svc, caller.resourceAccount);
    plan.decided.fill(-1);
    plan.explained.fill(undefined);
    // resource-policy modes: one for trust actions, one for the rest (resourceMode only asks whether it is one)
    const modeOther = resourceMode('', svc, resource);
    const modeTrust = plan.hasTrust ? resourceMode('sts:assumerole', svc, resource) : modeOther;
    const capabilities: CapabilityResult<C>[] = [];
    for (const cp of plan.caps) capabilities.push(this.answer(cp, plan, req, modeTrust, modeOther));
    return ok({ resource, service: svc, capabilities }, NO_DIAGNOSTICS);
  }

  /**
   * The scratch request for this caller and resource (the resource account and the
   * context with a derived `aws:ResourceAccount`), with a cleared memo.
   */
  private pointAt(base: PreparedRequest, resource: string, svc: string, resourceAccount: string | undefined): ScratchRequest {
    const arnAccount = arnAccountOf(resource);
    const account = resourceAccount ?? arnAccount ?? base.caller.account;
    let ctx = base.ctx;
    if (base.resourceAccountKeyDerived && account !== base.resourceAccount) {
      const hit = this.ctxByAccount.get(account);
      if (hit !== undefined) ctx = hit;
      else {
        const copy = new Map(ctx);
        if (account === undefined) copy.delete('aws:resourceaccount');
        else copy.set('aws:resourceaccount', [account]);
        if (this.ctxByAccount.size >= 256) this.ctxByAccount.clear(); // accounts come from resources: stay bounded
        this.ctxByAccount.set(account, (ctx = copy));
      }
    }
    this.memo.clear();
    const assumed = resourceAccount === undefined && arnAccount === undefined;
    let req = this.req;
    if (req === undefined) {
      req = this.req = {
        caller: base.caller, action: base.action, lowerAction: base.lowerAction, service: svc, resource, resourceAccount: account,
        resourceAccountAssumed: assumed, resourceAccountKeyDerived: base.resourceAccountKeyDerived, ctx, mode: 'normal', memo: this.memo,
      };
      return req;
    }
    req.caller = base.caller;
    req.service = svc;
    req.resource = resource;
    req.resourceAccount = account;
    req.resourceAccountAssumed = assumed;
    req.resourceAccountKeyDerived = base.resourceAccountKeyDerived;
    req.ctx = ctx;
    return req;
  }

  /** One capability: decides each class (once per distinct signature per query) and explains the first allowed. */
  private answer(cp: CapabilityPlan<C>, plan: ServicePlan<C>, req: ScratchRequest, modeTrust: ResourceMode, modeOther: ResourceMode): CapabilityResult<C> {
    const { classes } = cp;
    const { decided, explained } = plan;
    let explanation: readonly StatementRef[] = NO_REFS;
    let mask = 0;
    let key = '';
    let any = false;
    const small = classes.length <= 30; // a number bitmask; otherwise a string of bits
    for (let ci = 0; ci < classes.length; ci++) {
      const cls = classes[ci]!;
      let d = decided[cls.id]!;
      if (d < 0) {
        point(req, cls, modeTrust, modeOther);
        d = decided[cls.id] = evaluatePrepared(req, this.set, false).decision === 'Allowed' ? 1 : 0;
      }
      if (d === 0) continue;
      if (small) mask |= 1 << ci;
      else key += `${ci},`;
      if (!any) {
        any = true;
        let e = explained[cls.id];
        if (e === undefined) {
          point(req, cls, modeTrust, modeOther);
          e = explained[cls.id] = evaluatePrepared(req, this.set, 'refs').explanation; // only for the first allowed class
        }
        explanation = e;
      }
    }
    // the sorted union of allowed classes repeats across resources: build it once per pattern
    const k = small ? mask : key;
    let actions = cp.unions.get(k);
    if (actions === undefined) {
      const chosen = small ? classes.filter((_, i) => (mask & (1 << i)) !== 0) : key.split(',').filter(Boolean).map((i) => classes[Number(i)]!);
      actions = Object.freeze(chosen.flatMap((c) => c.actions).sort());
      cp.unions.set(k, actions);
    }
    return { capability: cp.capability, allowed: any, actions, explanation };
  }
}

/**
 * Class plans shared between indexes, per catalogue: a principal's policies meet hundreds of different resource
 * policies, and every (principal set, resource policy) pair made its own index, so the classes of the same actions
 * against the same Action/NotAction lists were rebuilt tens of thousands of times. Bounded (it only saves work).
 */
const SHARED_PLANS = new WeakMap<object, Map<string, ClassPlan<string>>>();
const MAX_SHARED_PLANS = 4096;

function sharedPlans(catalog: object): Map<string, ClassPlan<string>> {
  let m = SHARED_PLANS.get(catalog);
  if (m === undefined) SHARED_PLANS.set(catalog, (m = new Map()));
  return m;
}

/** A small number per distinct Action/NotAction list (statements that test actions alike share it). */
const ACTION_SPEC_IDS = new Map<string, number>();
const STATEMENT_SPEC = new WeakMap<CompiledStatement, number>();

function actionSpecId(s: CompiledStatement): number {
  let id = STATEMENT_SPEC.get(s);
  if (id === undefined) {
    const src = s.source;
    // the tester is made from exactly these lists (compile.ts), so equal lists test equally
    const spec = src.action ? `A${JSON.stringify(src.action)}` : src.notAction ? `N${JSON.stringify(src.notAction)}` : '-';
    id = ACTION_SPEC_IDS.get(spec);
    if (id === undefined) ACTION_SPEC_IDS.set(spec, (id = ACTION_SPEC_IDS.size));
    STATEMENT_SPEC.set(s, id);
  }
  return id;
}

/** The action classes of `service` for these statements (see ClassPlan). */
function buildClassPlan<C extends string>(catalog: CapabilityCatalog<C>, service: string, stmts: readonly CompiledStatement[]): ClassPlan<C> {
    const sigOf = new Map<string, string>();
    const ids = new Map<string, number>();
    const signature = (action: string): string => {
      let sig = sigOf.get(action);
      if (sig === undefined) {
        const lower = action.toLowerCase();
        // actions AWS refuses on its own resources (aws-owned.ts) get their own classes: equal bits, equal refusals;
        // sts:GetCallerIdentity, which needs no permission, is a class of its own
        sig = (lower === NO_PERMISSION_ACTION ? 'G' : TRUST_ACTIONS.has(lower) ? 'T' : 'N') + awsOwnedActionBits(lower) + ':' + stmts.map((s) => (s.action(lower) ? '1' : '0')).join('');
        sigOf.set(action, sig);
      }
      return sig;
    };
    const byCap = new Map<C, ActionClass[]>();
    const caps: CapabilityPlan<C>[] = [];
    for (const cap of catalog.capabilities) {
      const groups = new Map<string, string[]>();
      for (const a of catalog.actionsWithCapability(cap, service)) {
        const sig = signature(a);
        const g = groups.get(sig);
        if (g) g.push(a);
        else groups.set(sig, [a]);
      }
      const classes = [...groups].map(([sig, actions]): ActionClass => {
        let id = ids.get(sig);
        if (id === undefined) ids.set(sig, (id = ids.size));
        const lowerRep = actions[0]!.toLowerCase();
        return { sig, id, rep: actions[0]!, lowerRep, trust: TRUST_ACTIONS.has(lowerRep), actions };
      });
      byCap.set(cap, classes);
      caps.push({ capability: cap, classes, unions: new Map() });
    }
    const hasTrust = caps.some((cp) => cp.classes.some((c) => c.trust));
    return { byCap, caps, hasTrust, size: ids.size };
}

/** Re-points the scratch request at one action class. */
function point(req: ScratchRequest, cls: ActionClass, modeTrust: ResourceMode, modeOther: ResourceMode): void {
  req.action = cls.rep;
  req.lowerAction = cls.lowerRep;
  req.mode = cls.trust ? modeTrust : modeOther;
}

/** The lower-cased service of an ARN (`arn:<partition>:<service>:…`), '' when it is not one; no regex, no match array. */
export function arnService(resource: string): string {
  if (!resource.startsWith('arn:')) return '';
  const p = resource.indexOf(':', 4);
  if (p < 0) return '';
  const q = resource.indexOf(':', p + 1);
  return q <= p + 1 ? '' : resource.slice(p + 1, q).toLowerCase();
}

const NO_REFS: readonly StatementRef[] = Object.freeze([]);

/** One-off convenience: builds an index and answers one query. Use CapabilityIndex to share work. */
export function capabilityQuery<C extends string>(
  set: PolicySet,
  catalog: CapabilityCatalog<C>,
  caller: CallerInput,
  resource: string,
  service?: string,
): Result<CapabilityAnswer<C>> {
  return new CapabilityIndex(set, catalog).query(caller, resource, service);
}
