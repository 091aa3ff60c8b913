/**
 * Bulk capability query for verification: for one principal's policy set and one resource, which access
 * capabilities (administer-resource, read-config, read-data, write-data, delete-data, use-resource) are
 * allowed, and by which actions and statements.
 *
 * Work sharing: the actions of a service are grouped once per policy set into classes of actions that every
 * statement's Action/NotAction treats alike (same match bits). Actions in one class get the same decision for
 * any resource and principal, so each resource query evaluates one representative per class, and each
 * statement's principal/resource/condition tests run at most once per query (memoised).
 */
import { error, fail, ok, type Result } from '../diagnostics/diagnostic.js';
import type { CapabilityCatalog } from './catalog-port.js';
import { awsOwnedActionBits } from './aws-owned.js';
import type { CompiledStatement } from './compile.js';
import { evaluatePrepared, prepareRequest, resourceMode, TRUST_ACTIONS, withResource, type PolicySet, type PreparedRequest } from './evaluate.js';
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
  readonly rep: string;
  readonly lowerRep: string;
  readonly actions: readonly string[];
}

/** The caller part of a request: everything but the action and resource. */
export type CallerInput = Omit<RequestInput, 'action' | 'resource'>;

/**
 * Compiled capability classes for one policy set; reuse it across every resource of the principal. The
 * capability table comes from `catalog` (edges pass DEFAULT_CATALOG).
 */
export class CapabilityIndex<C extends string = string> {
  private readonly perService = new Map<string, ReadonlyMap<C, readonly ActionClass[]>>();
  private readonly statements: readonly CompiledStatement[][];
  /** The last caller object and its prepared form: callers are asked about many resources in a row. */
  private lastCaller: CallerInput | undefined;
  private lastPrepared: PreparedRequest | undefined;
  /** Sorted allowed-action unions by the (service, capability) class list and bitmask of allowed classes. */
  private readonly unions = new Map<readonly unknown[], Map<number | string, readonly string[]>>();

  constructor(
    private readonly set: PolicySet,
    private readonly catalog: CapabilityCatalog<C>,
  ) {
    const all = [...set.identity, ...(set.resource ? [set.resource] : []), ...(set.boundary ? [set.boundary] : []), ...(set.session ? [set.session] : []), ...(set.scps ?? []).flat(), ...(set.rcps ?? []).flat()];
    this.statements = all.map((lp) => [...lp.compiled.statements]);
  }

  /** Action classes per capability for a service, built on first use. */
  classes(service: string): ReadonlyMap<C, readonly ActionClass[]> {
    const hit = this.perService.get(service);
    if (hit) return hit;
    const stmts = this.statements.flat();
    const sigOf = new Map<string, string>();
    const signature = (action: string): string => {
      let sig = sigOf.get(action);
      if (sig === undefined) {
        const lower = action.toLowerCase();
        // actions AWS refuses on its own resources (aws-owned.ts) get their own classes: equal bits, equal refusals
        sig = (TRUST_ACTIONS.has(lower) ? 'T' : 'N') + awsOwnedActionBits(lower) + ':' + stmts.map((s) => (s.action(lower) ? '1' : '0')).join('');
        sigOf.set(action, sig);
      }
      return sig;
    };
    const out = new Map<C, ActionClass[]>();
    for (const cap of this.catalog.capabilities) {
      const groups = new Map<string, string[]>();
      for (const a of this.catalog.actionsWithCapability(cap, service)) {
        const sig = signature(a);
        const g = groups.get(sig);
        if (g) g.push(a);
        else groups.set(sig, [a]);
      }
      out.set(cap, [...groups].map(([sig, actions]) => ({ sig, rep: actions[0]!, lowerRep: actions[0]!.toLowerCase(), actions })));
    }
    this.perService.set(service, out);
    return out;
  }

  /** Which capabilities the caller has on `resource` (an ARN; pass `service` for `*`). */
  query(caller: CallerInput, resource: string, service?: string): Result<CapabilityAnswer<C>> {
    const svc = (service ?? /^arn:[^:]*:([^:]+):/.exec(resource)?.[1] ?? '').toLowerCase();
    if (svc === '') return fail([error('BH3102', `cannot tell the service of resource \`${resource}\`; pass the service`, 'resource')]);
    const byCap = this.classes(svc);
    // the caller is classified and its context normalised once; each resource only re-derives its account
    let base = this.lastCaller === caller ? this.lastPrepared : undefined;
    if (base === undefined) {
      const p = prepareRequest({ ...caller, action: `${svc}:Bulkhead`, resource });
      if (!p.ok) return p;
      base = p.value;
      this.lastCaller = caller;
      this.lastPrepared = base;
    }
    const at = withResource(base, resource, caller.resourceAccount);
    const memo = new Map<CompiledStatement, number>();
    // decisions and explanations per signature: capabilities share action classes
    const decided = new Map<string, boolean>();
    const explained = new Map<string, readonly StatementRef[]>();
    const capabilities: CapabilityResult<C>[] = [];
    for (const cap of this.catalog.capabilities) {
      let explanation: readonly StatementRef[] = [];
      let mask = 0;
      let key = '';
      let any = false;
      const classes = byCap.get(cap) ?? NO_CLASSES;
      const small = classes.length <= 30; // a number bitmask; otherwise a string of bits
      for (let ci = 0; ci < classes.length; ci++) {
        const cls = classes[ci]!;
        let ok = decided.get(cls.sig);
        let r: PreparedRequest | undefined;
        if (ok === undefined) {
          r = { ...at, action: cls.rep, lowerAction: cls.lowerRep, service: svc, mode: resourceMode(cls.lowerRep, svc, resource), memo };
          ok = evaluatePrepared(r, this.set, false).decision === 'Allowed';
          decided.set(cls.sig, ok);
        }
        if (ok) {
          if (small) mask |= 1 << ci;
          else key += `${ci},`;
        }
        if (ok && !any) {
          any = true;
          let e = explained.get(cls.sig);
          if (e === undefined) {
            r ??= { ...at, action: cls.rep, lowerAction: cls.lowerRep, service: svc, mode: resourceMode(cls.lowerRep, svc, resource), memo };
            e = evaluatePrepared(r, this.set, 'refs').explanation; // only for the first allowed class
            explained.set(cls.sig, e);
          }
          explanation = e;
        }
      }
      // the sorted union of allowed classes repeats across resources: build it once per pattern
      let byMask = this.unions.get(classes);
      if (byMask === undefined) this.unions.set(classes, (byMask = new Map()));
      const k = small ? mask : key;
      let actions = byMask.get(k);
      if (actions === undefined) {
        const chosen = small ? classes.filter((_, i) => (mask & (1 << i)) !== 0) : key.split(',').filter(Boolean).map((i) => classes[Number(i)]!);
        actions = Object.freeze(chosen.flatMap((c) => c.actions).sort());
        byMask.set(k, actions);
      }
      capabilities.push({ capability: cap, allowed: any, actions, explanation });
    }
    return ok({ resource, service: svc, capabilities }, NO_DIAGNOSTICS);
  }
}

/** The class list of a capability the service has no action for (one object, so its unions are keyed once). */
const NO_CLASSES: readonly never[] = [];

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
