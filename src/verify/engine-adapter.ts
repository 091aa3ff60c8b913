/**
 * Adapter from verify's AccessEvaluator to the IAM engine in src/policy: compiles each document once, builds
 * the engine's PolicySet per (principal, resource policy, RCP levels) and asks its bulk capability query.
 * Every decision is the engine's; this file only wires the parts that assemble inputs and map answers:
 * the policy compiler (engine-compiler.ts), the per-principal scope (engine-scope.ts), the capability index
 * cache (engine-indexes.ts), the plain evaluator (engine-plain.ts) and the shortcut layer over it
 * (engine-shortcuts.ts).
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { DEFAULT_CATALOG } from '../policy/index.js';
import { PolicyCompiler } from './engine-compiler.js';
import { ResourceIndexCache } from './engine-indexes.js';
import { Interner } from './engine-interner.js';
import { PlainEvaluator } from './engine-plain.js';
import type { EngineEvaluator, PrincipalContext } from './engine-port.js';
import { PrincipalScope, type ContextOptions } from './engine-scope.js';
import { ShortcutLayer } from './engine-shortcuts.js';

export type { EngineEvaluator } from './engine-port.js';

/** Options for the engine-backed evaluator. */
export interface EngineEvaluatorOptions extends ContextOptions {
  /** How many allowed actions a grant lists (default 5). */
  readonly actionsPerGrant?: number;
  /** Skip and memoise queries where that provably cannot change the answer (default true; false for tests). */
  readonly shortcuts?: boolean;
}

/** Builds the engine-backed evaluator. */
export function createEngineEvaluator(options: EngineEvaluatorOptions = {}): EngineEvaluator {
  const diagnostics: Diagnostic[] = [];
  const shortcuts = options.shortcuts ?? true;
  const compiler = new PolicyCompiler(diagnostics, shortcuts);
  const indexes = new ResourceIndexCache();
  const intern = new Interner();
  const plain = new PlainEvaluator({ compiler, indexes, intern, diagnostics, catalog: DEFAULT_CATALOG, actionsPerGrant: options.actionsPerGrant ?? 5 });
  const layer = shortcuts ? new ShortcutLayer(compiler, plain) : undefined;
  // per-principal work: verify asks principal by principal, so only the current one is kept
  let scope: PrincipalScope | undefined;
  // the positions of the principals of the current question plan (see expectQuestions)
  let positions: Map<PrincipalContext, number> | undefined;
  const scopeOf = (p: PrincipalContext): PrincipalScope => {
    if (scope?.principal !== p) {
      // the evidence relabelled for the previous principal carries its labels: nobody else can share it
      intern.forget();
      const at = positions?.get(p);
      if (at !== undefined) compiler.releaseResourcePolicies(at);
      scope = new PrincipalScope(p, compiler, indexes, options);
    }
    return scope;
  };
  return {
    diagnostics,
    get skippedQueries() {
      return layer?.skipped ?? 0;
    },
    get memoHits() {
      return layer?.memoHits ?? 0;
    },
    capabilities: (p, r) => (layer ? layer.capabilities(scopeOf(p), r) : plain.capabilities(scopeOf(p), r, r.policy)),
    canAssume: (p, role, trustPolicy) => plain.canAssume(scopeOf(p), role, trustPolicy),
    externalCapabilities: (caller, r, rcpLevels) => {
      if (layer && r.policy && !layer.externalMayName(r.policy, caller)) {
        layer.skipped++;
        plain.externalCompile(r.policy, 'resource', rcpLevels);
        return [];
      }
      return plain.externalCapabilities(caller, r, rcpLevels);
    },
    externalAssume: (caller, role, trust, rcpLevels) => {
      if (layer && !layer.externalMayName(trust, caller)) {
        layer.skipped++;
        plain.externalCompile(trust, 'trust', rcpLevels);
        return { allowed: false, evidence: [] };
      }
      return plain.externalAssume(caller, role, trust, rcpLevels);
    },
    allows: (p, request) => plain.allows(scopeOf(p), request),
    serviceMayAssume: (service, role, trustPolicy, context) => plain.serviceMayAssume(service, role, trustPolicy, context),
    expectQuestions: (plan) => {
      positions = plan && compiler.share ? new Map(plan.principals.map((p, i) => [p, i])) : undefined;
      compiler.planResourcePolicies(plan);
    },
  };
}
