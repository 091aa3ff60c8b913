/**
 * Compiled policies: every pattern and condition turned into a predicate once, statements indexed by
 * service prefix so a request only looks at statements that can match its action.
 */
import { compileCondition, type CompiledCondition } from './conditions.js';
import { compilePattern, type Context, type Matcher } from './pattern.js';
import type { Policy, PrincipalSpec, Statement } from './types.js';
import { globFromText, globMatch, type Glob } from '../util/glob.js';

/** A statement ready to test. */
export interface CompiledStatement {
  readonly source: Statement;
  readonly deny: boolean;
  /** Tests a lowercased `service:action`. */
  readonly action: (lowerAction: string) => boolean;
  readonly resource: (resource: string, ctx: Context) => boolean;
  readonly principal?: PrincipalSpec;
  readonly notPrincipal?: PrincipalSpec;
  readonly conditions: readonly CompiledCondition[];
}

/** A compiled policy with its statements indexed by service. */
export interface CompiledPolicy {
  readonly policy: Policy;
  readonly statements: readonly CompiledStatement[];
  /** Statements that may match actions of a service (includes the service-independent ones), in order. */
  forService(service: string): readonly CompiledStatement[];
  /** Statements whose Action/NotAction matches this lowercased action, in order (cached per action). */
  forAction(lowerAction: string, service: string): readonly CompiledStatement[];
  readonly hasDeny: boolean;
}

function actionTester(patterns: readonly string[]): (a: string) => boolean {
  const exact = new Set<string>();
  const globs: Glob[] = [];
  const prefixes: string[] = [];
  for (const p of patterns) {
    if (p === '*') return () => true;
    const star = p.indexOf('*');
    if (star === p.length - 1 && !p.includes('?')) {
      prefixes.push(p.slice(0, -1).toLowerCase()); // `s3:Get*`: a prefix test, no regex
    } else if (/[*?]/.test(p)) {
      globs.push(globFromText(p.toLowerCase())); // the action is lowercased already
    } else exact.add(p.toLowerCase());
  }
  if (globs.length === 0 && prefixes.length === 0) return exact.size === 1 ? ((only) => (a: string) => a === only)([...exact][0]!) : (a) => exact.has(a);
  if (globs.length === 0 && exact.size === 0 && prefixes.length === 1) {
    const only = prefixes[0]!;
    return (a) => a.startsWith(only);
  }
  return (a) => {
    if (exact.has(a)) return true;
    for (const p of prefixes) if (a.startsWith(p)) return true;
    for (const g of globs) if (globMatch(g, a)) return true;
    return false;
  };
}

function resourceTester(patterns: readonly string[], variables: boolean): (r: string, ctx: Context) => boolean {
  const ms: Matcher[] = patterns.map((p) => compilePattern(p, 'arn', variables));
  if (ms.some((m) => m.all)) return () => true;
  if (ms.length === 1) {
    const m = ms[0]!;
    return (r, ctx) => m.test(r, ctx);
  }
  return (r, ctx) => {
    for (const m of ms) if (m.test(r, ctx)) return true;
    return false;
  };
}

/** Compiles a parsed policy. */
export function compilePolicy(policy: Policy): CompiledPolicy {
  const variables = policy.version === '2012-10-17';
  const statements: CompiledStatement[] = policy.statements.map((s) => {
    const act = s.action ? actionTester(s.action) : s.notAction ? ((t) => (a: string) => !t(a))(actionTester(s.notAction)) : () => false;
    const res = s.resource
      ? resourceTester(s.resource, variables)
      : s.notResource
        ? ((t) => (r: string, c: Context) => !t(r, c))(resourceTester(s.notResource, variables))
        : () => true; // trust policies: the role is the resource
    const c: CompiledStatement = { source: s, deny: s.effect === 'Deny', action: act, resource: res, conditions: s.condition.map((cl) => compileCondition(cl, variables)) };
    return { ...c, ...(s.principal ? { principal: s.principal } : {}), ...(s.notPrincipal ? { notPrincipal: s.notPrincipal } : {}) };
  });
  // index: service prefix -> statements; NotAction and wildcard-service statements go everywhere
  const generic: CompiledStatement[] = [];
  const by = new Map<string, CompiledStatement[]>();
  for (const cs of statements) {
    const s = cs.source;
    const services = new Set<string>();
    let anywhere = !s.action;
    for (const a of s.action ?? []) {
      const i = a.indexOf(':');
      const svc = i < 0 ? '*' : a.slice(0, i).toLowerCase();
      if (/[*?]/.test(svc)) anywhere = true;
      else services.add(svc);
    }
    if (anywhere) generic.push(cs);
    else for (const svc of services) by.set(svc, [...(by.get(svc) ?? []), cs]);
  }
  const merged = new Map<string, CompiledStatement[]>();
  for (const [svc, list] of by) {
    merged.set(svc, [...new Set([...list, ...generic])].sort((a, b) => a.source.index - b.source.index));
  }
  const forService = (svc: string): readonly CompiledStatement[] => merged.get(svc) ?? generic;
  // per-action index, filled lazily; bounded because actions come from requests
  const byAction = new Map<string, readonly CompiledStatement[]>();
  return {
    policy,
    statements,
    forService,
    forAction(lowerAction, svc) {
      let hit = byAction.get(lowerAction);
      if (hit === undefined) {
        if (byAction.size >= 8192) byAction.clear();
        hit = forService(svc).filter((s) => s.action(lowerAction));
        byAction.set(lowerAction, hit);
      }
      return hit;
    },
    hasDeny: statements.some((s) => s.deny),
  };
}
