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
  /** The signature's number within its service (an index into per-query arrays). */
  readonly id: number;
  readonly rep: string;
  readonly lowerRep: string;
  readonly actions: readonly string[];
}

/** A service's classes per capability (in catalogue order), with what a query needs precomputed. */
interface ServiceClasses<C extends string> {
  readonly byCap: ReadonlyMap<C, readonly ActionClass[]>;
  readonly caps: readonly (readonly ActionClass[])[];
  /** How many distinct signatures the service's classes have. */
  readonly sigs: number;
  /** Sorted allowed-action unions per capability index, by bitmask (or bit string) of allowed classes. */
  readonly unions: readonly Map<number | string, readonly string[]>[];
}

/** One query's state: the prepared request at the resource, and decisions by signature id (0 unknown, 1 allowed, 2 not). */
interface Query {
  readonly at: PreparedRequest;
  readonly svc: string;
  readonly resource: string;
  readonly memo: Map<CompiledStatement, number>;
  readonly decided: Int8Array;
  readonly explained: (readonly StatementRef[] | undefined)[];
}

/** The caller part of a request: everything but the action and resource. */
export type CallerInput = Omit<RequestInput, 'action' | 'resource'>;

/**
 * Compiled capability classes for one policy set; reuse it across every resource of the principal. The
 * capability table comes from `catalog` (edges pass DEFAULT_CATALOG).
 */
export class CapabilityIndex<C extends string = string> {
  private readonly perService = new Map<string, ServiceClasses<C>>();
  private readonly statements: readonly CompiledStatement[][];
  /** The last caller object and its prepared form: callers are asked about many resources in a row. */
  private lastCaller: CallerInput | undefined;
  private lastPrepared: PreparedRequest | undefined;

  constructor(
    private readonly set: PolicySet,
    private readonly catalog: CapabilityCatalog<C>,
  ) {
    const all = [...set.identity, ...(set.resource ? [set.resource] : []), ...(set.boundary ? [set.boundary] : []), ...(set.session ? [set.session] : []), ...(set.scps ?? []).flat(), ...(set.rcps ?? []).flat()];
    this.statements = all.map((lp) => [...lp.compiled.statements]);
  }

  /** Action classes per capability for a service, built on first use. */
  classes(service: string): ReadonlyMap<C, readonly ActionClass[]> {
    return this.service(service).byCap;
  }

  private service(service: string): ServiceClasses<C> {
    const hit = this.perService.get(service);
    if (hit) return hit;
    const stmts = this.statements.flat();
    const sigOf = new Map<string, string>();
    const ids = new Map<string, number>();
    const signature = (action: string): string => {
      let sig = sigOf.get(action);
      if (sig === undefined) {
        const lower = action.toLowerCase();
        sig = (TRUST_ACTIONS.has(lower) ? 'T' : 'N') + stmts.map((s) => (s.action(lower) ? '1' : '0')).join('');
        sigOf.set(action, sig);
      }
      return sig;
    };
    const byCap = new Map<C, ActionClass[]>();
    for (const cap of this.catalog.capabilities) {
      const groups = new Map<string, string[]>();
      for (const a of this.catalog.actionsWithCapability(cap, service)) {
        const sig = signature(a);
        const g = groups.get(sig);
        if (g) g.push(a);
        else groups.set(sig, [a]);
      }
      byCap.set(
        cap,
        [...groups].map(([sig, actions]) => {
          let id = ids.get(sig);
          if (id === undefined) ids.set(sig, (id = ids.size));
          return { sig, id, rep: actions[0]!, lowerRep: actions[0]!.toLowerCase(), actions };
        }),
      );
    }
    const caps = this.catalog.capabilities.map((c) => byCap.get(c) ?? []);
    const out: ServiceClasses<C> = { byCap, caps, sigs: ids.size, unions: caps.map(() => new Map()) };
    this.perService.set(service, out);
    return out;
  }

  /** Which capabilities the caller has on `resource` (an ARN; pass `service` for `*`). */
  query(caller: CallerInput, resource: string, service?: string): Result<CapabilityAnswer<C>> {
    const svc = (service ?? /^arn:[^:]*:([^:]+):/.exec(resource)?.[1] ?? '').toLowerCase();
    if (svc === '') return fail([error('BH3102', `cannot tell the service of resource \`${resource}\`; pass the service`, 'resource')]);
    const sc = this.service(svc);
    // the caller is classified and its context normalised once; each resource only re-derives its account
    let base = this.lastCaller === caller ? this.lastPrepared : undefined;
    if (base === undefined) {
      const p = prepareRequest({ ...caller, action: `${svc}:Bulkhead`, resource });
      if (!p.ok) return p;
      base = p.value;
      this.lastCaller = caller;
      this.lastPrepared = base;
    }
    const q: Query = { at: withResource(base, resource, caller.resourceAccount), svc, resource, memo: new Map(), decided: new Int8Array(sc.sigs), explained: new Array<readonly StatementRef[] | undefined>(sc.sigs) };
    const capabilities: CapabilityResult<C>[] = [];
    const caps = this.catalog.capabilities;
    for (let k = 0; k < caps.length; k++) capabilities.push(this.capability(q, caps[k]!, sc.caps[k]!, sc.unions[k]!));
    return ok({ resource, service: svc, capabilities }, NO_DIAGNOSTICS);
  }

  /** One capability for one query: decisions per class (shared across capabilities by signature), then the union. */
  private capability(q: Query, cap: C, classes: readonly ActionClass[], unions: Map<number | string, readonly string[]>): CapabilityResult<C> {
    let explanation: readonly StatementRef[] = [];
    let mask = 0;
    let key = '';
    let any = false;
    const small = classes.length <= 30; // a number bitmask; otherwise a string of bits
    for (let ci = 0; ci < classes.length; ci++) {
      const cls = classes[ci]!;
      let d = q.decided[cls.id]!;
      if (d === 0) {
        d = evaluatePrepared(this.request(q, cls), this.set, false).decision === 'Allowed' ? 1 : 2;
        q.decided[cls.id] = d;
      }
      if (d !== 1) continue;
      if (small) mask |= 1 << ci;
      else key += `${ci},`;
      if (!any) {
        any = true;
        let e = q.explained[cls.id];
        if (e === undefined) q.explained[cls.id] = e = evaluatePrepared(this.request(q, cls), this.set, 'refs').explanation; // only for the first allowed class
        explanation = e;
      }
    }
    // the sorted union of allowed classes repeats across resources: build it once per pattern
    const k = small ? mask : key;
    let actions = unions.get(k);
    if (actions === undefined) {
      const chosen = small ? classes.filter((_, i) => (mask & (1 << i)) !== 0) : key.split(',').filter(Boolean).map((i) => classes[Number(i)]!);
      actions = Object.freeze(chosen.flatMap((c) => c.actions).sort());
      unions.set(k, actions);
    }
    return { capability: cap, allowed: any, actions, explanation };
  }

  private request(q: Query, cls: ActionClass): PreparedRequest {
    return { ...q.at, action: cls.rep, lowerAction: cls.lowerRep, service: q.svc, mode: resourceMode(cls.lowerRep, q.svc, q.resource), memo: q.memo };
  }
}

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
