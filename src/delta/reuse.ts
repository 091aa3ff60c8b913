/**
 * Reuse of engine answers between the two sides of a delta. Every question verify asks the engine is a function of
 * its inputs (the principal's context with its policies, boundary, SCP/RCP levels, tags and evidence labels; the
 * resource's context with its policy and RCP levels; the trust policy; the request), so an answer computed for the
 * before side is the answer for the after side wherever the inputs are the same. The inputs are fingerprinted by
 * content (their JSON text, evidence labels included, so a renamed account or a changed policy is a new input), and
 * each distinct question is answered once across both sides. Unchanged parts of the organization are answered from
 * the before side; only what changed reaches the engine again. Pure: no clock, no files.
 */
import type {
  AccessEvaluator,
  ActionRequest,
  AssumeDecision,
  CapabilityGrant,
  EngineEvaluator,
  ExternalCaller,
  NamedPolicy,
  PrincipalContext,
  ResourceContext,
} from '../verify/engine-port.js';
import type { AccessGraph } from '../verify/graph.js';
import { GraphAnswers } from './graph-answers.js';

/**
 * Content ids: one small number per distinct content, computed bottom-up with every object visited once (a policy
 * document shared by 1,000 principals is read once, not once per principal). Two values get the same id exactly
 * when their JSON (keys in their own order) is the same; the same content with keys in another order gets another
 * id, which only costs a question asked again.
 */
export class ContentIds {
  private readonly byObject = new WeakMap<object, number>();
  private readonly byText = new Map<string, number>();

  /** The id of `value`'s content. */
  of(value: object): number {
    const known = this.byObject.get(value);
    if (known !== undefined) return known;
    let text: string;
    if (Array.isArray(value)) text = `[${value.map((v) => this.part(v)).join(',')}]`;
    else {
      const record = value as Record<string, unknown>;
      text = `{${Object.keys(record).map((k) => `${JSON.stringify(k)}:${this.part(record[k])}`).join(',')}}`;
    }
    let id = this.byText.get(text);
    if (id === undefined) {
      id = this.byText.size;
      this.byText.set(text, id);
    }
    this.byObject.set(value, id);
    return id;
  }

  private part(v: unknown): string {
    if (v === undefined) return 'u';
    return v !== null && typeof v === 'object' ? `#${this.of(v)}` : JSON.stringify(v);
  }
}

/** Answers of one engine configuration, shared by the evaluators made over it. */
export class AnswerCache {
  private readonly ids = new ContentIds();
  private readonly answers = new Map<string, unknown>();
  /** Questions answered from earlier work (this cache or a before side's graph) / asked of an engine. */
  hits = 0;
  misses = 0;

  /** The same engine options (`JSON` of them) as the evaluators' whose answers this holds. */
  constructor(readonly configuration: string) {}

  /** A small number per distinct content; objects seen before are not read again. */
  fingerprint(value: object | undefined): number {
    return value === undefined ? -1 : this.ids.of(value);
  }

  /** The answer under `key`, computed by `compute` the first time. */
  answer<T>(key: string, compute: () => T): T {
    if (this.answers.has(key)) {
      this.hits++;
      return this.answers.get(key) as T;
    }
    this.misses++;
    const value = compute();
    this.answers.set(key, value);
    return value;
  }
}

/**
 * Where the graph questions (`capabilities`, `canAssume`: see graph-answers.ts) are answered: `cache` keeps them in
 * the answer cache; `engine` asks the engine (the side's graph keeps the answers); a before side's graph answers
 * them where the contents match (the rest reach the engine).
 */
export type GraphQuestions = 'cache' | 'engine' | AccessGraph;

/**
 * `inner` with every question answered through `cache`: a question asked before (by this or another evaluator over
 * the same cache) with the same inputs gets the earlier answer. Only sound when the earlier answers came with no
 * engine diagnostics (see `computeDelta`): a cached answer does not repeat the warnings its computation raised.
 */
export function reusingEvaluator(inner: EngineEvaluator, cache: AnswerCache, graph: GraphQuestions = 'cache'): EngineEvaluator {
  const fp = (v: object | undefined) => cache.fingerprint(v);
  const answers = typeof graph === 'object' ? new GraphAnswers(graph, fp) : undefined;
  const asked = <T>(compute: () => T): T => {
    cache.misses++;
    return compute();
  };
  const known = <T>(answer: T | undefined, compute: () => T): T => {
    if (answer === undefined) return asked(compute);
    cache.hits++;
    return answer;
  };
  const json = (v: unknown) => JSON.stringify(v ?? null);
  const optional = <K extends keyof AccessEvaluator>(name: K, made: NonNullable<AccessEvaluator[K]>) => (inner[name] ? { [name]: made } : {});
  const wrapped: EngineEvaluator = {
    diagnostics: inner.diagnostics,
    get skippedQueries() {
      return inner.skippedQueries;
    },
    get memoHits() {
      return inner.memoHits;
    },
    capabilities: (p: PrincipalContext, r: ResourceContext): readonly CapabilityGrant[] => {
      if (graph === 'cache') return cache.answer(`c${fp(p)}:${fp(r)}`, () => inner.capabilities(p, r));
      return answers ? known(answers.capabilities(p, r), () => inner.capabilities(p, r)) : asked(() => inner.capabilities(p, r));
    },
    canAssume: (p: PrincipalContext, role: PrincipalContext, trust: NamedPolicy): AssumeDecision => {
      if (graph === 'cache') return cache.answer(`a${fp(p)}:${fp(role)}:${fp(trust)}`, () => inner.canAssume(p, role, trust));
      return answers ? known(answers.canAssume(p, role, trust), () => inner.canAssume(p, role, trust)) : asked(() => inner.canAssume(p, role, trust));
    },
    ...optional('externalCapabilities', (caller: ExternalCaller, r: ResourceContext, levels: ResourceContext['rcpLevels']) =>
      cache.answer(`x${json(caller)}:${fp(r)}:${fp(levels)}`, () => inner.externalCapabilities!(caller, r, levels)),
    ),
    ...optional('externalAssume', (caller: ExternalCaller, role: PrincipalContext, trust: NamedPolicy, levels: PrincipalContext['rcpLevels']) =>
      cache.answer(`y${json(caller)}:${fp(role)}:${fp(trust)}:${fp(levels)}`, () => inner.externalAssume!(caller, role, trust, levels)),
    ),
    ...optional('allows', (p: PrincipalContext, request: ActionRequest) => cache.answer(`q${fp(p)}:${json(request)}`, () => inner.allows!(p, request))),
    ...optional('serviceMayAssume', (service: string, role: PrincipalContext, trust: NamedPolicy, context: Readonly<Record<string, string>>) =>
      cache.answer(`s${json(service)}:${fp(role)}:${fp(trust)}:${json(context)}`, () => inner.serviceMayAssume!(service, role, trust, context)),
    ),
  };
  return wrapped;
}
