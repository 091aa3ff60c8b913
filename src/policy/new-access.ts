/**
 * Policy-change checks for pipelines, answered from the parsed statements:
 *
 * - {@link checkNewAccess}: does a NEW policy grant anything an OLD one does not? Like IAM Access Analyzer's
 *   CheckNoNewAccess ("checks whether new access is allowed for an updated policy when compared to the existing
 *   policy", https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_CheckNoNewAccess.html), but per
 *   (catalogue action × resource pattern × principal × condition set), so the answer names what is new.
 * - {@link checkNotGranted}: does a policy grant any of these actions (on these resources)? Like CheckAccessNotGranted
 *   (https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_CheckAccessNotGranted.html).
 *
 * Exact when statements use Action lists, resource patterns and condition blocks that NEW and OLD write the same
 * way. Where it cannot decide, it leans to reporting (a grant is "new" unless OLD provably grants at least as much)
 * and marks the grant `approximate` with the reason: differing condition blocks (OLD's must be a subset of NEW's
 * to count as broader), NotResource / NotPrincipal, Deny statements that only partly or conditionally cover a grant,
 * resource patterns compared as wildcards (policy variables `${…}` read as `*`). See docs/check.md. Pure.
 */
import { globFromText, globMatch, type Glob } from '../util/glob.js';
import { compareStrings } from '../util/order.js';
import type { ConditionClause, Policy, PrincipalSpec, Statement } from './types.js';

/** The catalogue as these checks read it (the operation passes the real one). */
export interface AccessCatalog {
  /** Every known action, `service:Action`. */
  allActions(): readonly string[];
}

/** One grant: an action on a resource pattern for a principal under a condition set. */
export interface Grant {
  readonly action: string;
  /** A resource pattern as written (or `*`; for NotResource, `*` minus the listed patterns, see `note`). */
  readonly resource: string;
  /** The principal (resource and trust policies), `*` for any; `-` for identity-like policies. */
  readonly principal: string;
  /** The conditions, as written in the statement (`Operator key values`), sorted; empty for unconditional. */
  readonly conditions: readonly string[];
  /** The statement that grants it: Sid, else `#index`. */
  readonly statement: string;
  /** True when the engine could not decide exactly (leaning to reporting); `note` says why. */
  readonly approximate: boolean;
  readonly note?: string;
}

/** The answer of a check: the grants found (sorted) and whether any of them is approximate. */
export interface CheckAnswer {
  readonly grants: readonly Grant[];
  readonly approximate: boolean;
}

const PRIVATE_STAR = '\uE000';
const PRIVATE_QM = '\uE001';

/** Policy variables (`${aws:username}`) read as `*`: they can take any value. */
function unvariable(p: string): string {
  let out = '';
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '$' && p[i + 1] === '{') {
      const end = p.indexOf('}', i);
      if (end > 0) {
        out += '*';
        i = end;
        continue;
      }
    }
    out += p[i];
  }
  return out;
}

/** True when every value `inner` matches, `outer` matches too (conservative: false when unsure). */
export function patternContains(outer: string, inner: string): boolean {
  const o = unvariable(outer);
  const i = unvariable(inner);
  if (o === '*' || o === i) return true;
  const wild = i.includes('*') || i.includes('?');
  if (!wild) return globMatch(globFromText(o), i);
  // inner's wildcards become private characters only outer's `*` can match; outer's `?` could match one, wrongly
  if (o.includes('?')) return false;
  return globMatch(globFromText(o), i.replaceAll('*', PRIVATE_STAR).replaceAll('?', PRIVATE_QM));
}

/** True when some value matches both patterns (`*` and `?` wildcards; exact, O(n·m)). */
export function patternsOverlap(a: string, b: string): boolean {
  const x = [...unvariable(a)];
  const y = [...unvariable(b)];
  const seen = new Set<number>();
  const stack: [number, number][] = [[0, 0]];
  const w = y.length + 1;
  while (stack.length > 0) {
    const [i, j] = stack.pop()!;
    if (seen.has(i * w + j)) continue;
    seen.add(i * w + j);
    if (i === x.length && j === y.length) return true;
    const cx = x[i];
    const cy = y[j];
    if (cx === '*') stack.push([i + 1, j]);
    if (cy === '*') stack.push([i, j + 1]);
    if (cx === '*' && cy !== undefined) stack.push([i, j + 1]);
    if (cy === '*' && cx !== undefined) stack.push([i + 1, j]);
    if (cx !== undefined && cy !== undefined && cx !== '*' && cy !== '*' && (cx === '?' || cy === '?' || cx === cy)) stack.push([i + 1, j + 1]);
  }
  return false;
}

function statementName(s: Statement): string {
  return s.sid ?? `#${s.index}`;
}

function clauseText(c: ConditionClause): string {
  return `${c.operator} ${c.key.toLowerCase()} ${JSON.stringify([...c.values].sort(compareStrings))}`;
}

/** A statement's conditions as comparable text, sorted. */
function conditionsOf(s: Statement): string[] {
  return s.condition.map(clauseText).sort(compareStrings);
}

const GLOBS = new Map<string, Glob>();

/** A lowercased action pattern, compiled once. */
function actionGlob(p: string): Glob {
  let g = GLOBS.get(p);
  if (!g) {
    if (GLOBS.size > 10_000) GLOBS.clear();
    g = globFromText(p.toLowerCase());
    GLOBS.set(p, g);
  }
  return g;
}

function actionMatches(s: Statement, lowerAction: string): boolean {
  const hit = (ps: readonly string[]) => ps.some((p) => p === '*' || globMatch(actionGlob(p), lowerAction));
  if (s.action) return hit(s.action);
  if (s.notAction) return !hit(s.notAction);
  return false;
}

function principalsOf(spec: PrincipalSpec | undefined): string[] {
  if (!spec) return ['-'];
  if (spec.wildcard) return ['*'];
  return [...spec.aws, ...spec.service, ...spec.federated, ...spec.canonicalUser];
}

/** The statement's principal patterns, and whether they are approximate (NotPrincipal reads as `*`). */
function statementPrincipals(s: Statement): { list: string[]; approximate: boolean } {
  if (s.notPrincipal) return { list: ['*'], approximate: true };
  return { list: principalsOf(s.principal), approximate: false };
}

/** Whether an Allow statement grants `action` on (some of) `resource` to `principal` under `conditions`: as broad or broader. */
function allowCovers(s: Statement, g: Pick<Grant, 'action' | 'resource' | 'principal' | 'conditions'>): boolean {
  if (s.effect !== 'Allow' || !actionMatches(s, g.action.toLowerCase())) return false;
  if (s.notPrincipal) return false;
  if (!principalsOf(s.principal).some((p) => patternContains(p, g.principal))) return false;
  if (s.notResource) return false;
  if (!(s.resource ?? []).some((r) => patternContains(r, g.resource))) return false;
  const mine = new Set(conditionsOf(s));
  // fewer conditions are broader: every condition of this statement must also hold for the grant
  return [...mine].every((c) => g.conditions.includes(c));
}

/** How a Deny statement bears on a grant: `none` (cannot match), `all` (unconditionally covers it), `some`. */
function denyBearing(s: Statement, g: Pick<Grant, 'action' | 'resource' | 'principal'>): 'none' | 'all' | 'some' {
  if (s.effect !== 'Deny' || !actionMatches(s, g.action.toLowerCase())) return 'none';
  const principals = statementPrincipals(s);
  if (!s.notPrincipal && !principals.list.some((p) => patternsOverlap(p, g.principal) || p === '-')) return 'none';
  let resourceAll: boolean;
  if (s.resource) {
    if (!s.resource.some((r) => patternsOverlap(r, g.resource))) return 'none';
    resourceAll = s.resource.some((r) => patternContains(r, g.resource));
  } else {
    const not = s.notResource ?? [];
    if (not.some((r) => patternContains(r, g.resource))) return 'none';
    resourceAll = !not.some((r) => patternsOverlap(r, g.resource));
  }
  const principalAll = !s.notPrincipal && principals.list.some((p) => p === '*' || p === '-' || patternContains(p, g.principal));
  return resourceAll && principalAll && s.condition.length === 0 ? 'all' : 'some';
}

/** Same statement content (effect, actions, resources, principals, conditions), ignoring Sid and order. */
function sameContent(a: Statement, b: Statement): boolean {
  const norm = (s: Statement) =>
    JSON.stringify([
      s.effect,
      [...(s.action ?? [])].map((x) => x.toLowerCase()).sort(compareStrings),
      [...(s.notAction ?? [])].map((x) => x.toLowerCase()).sort(compareStrings),
      [...(s.resource ?? [])].sort(compareStrings),
      [...(s.notResource ?? [])].sort(compareStrings),
      principalsOf(s.principal).sort(compareStrings),
      s.notPrincipal ? principalsOf(s.notPrincipal).sort(compareStrings) : null,
      conditionsOf(s),
    ]);
  return norm(a) === norm(b);
}

/** The candidate grants of one Allow statement: catalogue actions × resource patterns × principals. */
function statementGrants(s: Statement, catalog: AccessCatalog): Grant[] {
  const actions = catalog.allActions().filter((a) => actionMatches(s, a.toLowerCase()));
  const principals = statementPrincipals(s);
  const resources = s.resource ?? ['*'];
  const notes: string[] = [];
  if (s.notResource) notes.push(`NotResource: every resource except ${s.notResource.map((r) => `\`${r}\``).join(', ')}, read as \`*\``);
  if (principals.approximate) notes.push('NotPrincipal read as every principal');
  const conditions = conditionsOf(s);
  const out: Grant[] = [];
  for (const action of actions)
    for (const resource of resources)
      for (const principal of principals.list) {
        out.push({ action, resource, principal, conditions, statement: statementName(s), approximate: notes.length > 0, ...(notes.length > 0 ? { note: notes.join('; ') } : {}) });
      }
  return out;
}

/** A grant with what the policy's own Deny statements do to it: undefined when one removes it entirely. */
function afterDenies(g: Grant, policy: Policy): Grant | undefined {
  let partial = false;
  for (const s of policy.statements) {
    const b = denyBearing(s, g);
    if (b === 'all') return undefined;
    if (b === 'some') partial = true;
  }
  if (!partial) return g;
  const note = [g.note, 'a Deny statement covers part of it or under conditions; reported as granted'].filter((n) => n !== undefined).join('; ');
  return { ...g, approximate: true, note };
}

function sortGrants(gs: readonly Grant[]): Grant[] {
  return [...gs].sort(
    (a, b) => compareStrings(a.action, b.action) || compareStrings(a.resource, b.resource) || compareStrings(a.principal, b.principal) || compareStrings(a.statement, b.statement),
  );
}

/** Whether OLD grants at least `g`: an Allow covers it and OLD has no Deny on it that NEW lacks. */
function oldGrants(g: Grant, oldPolicy: Policy, newPolicy: Policy): { granted: boolean; note?: string; approximate?: boolean } {
  if (!oldPolicy.statements.some((s) => allowCovers(s, g))) return { granted: false };
  for (const d of oldPolicy.statements) {
    const b = denyBearing(d, g);
    if (b === 'none' || newPolicy.statements.some((n) => sameContent(n, d))) continue;
    // exact when that Deny removes the grant outright and NEW has no Deny on it at all; otherwise a guess
    const newDenies = newPolicy.statements.some((n) => denyBearing(n, g) !== 'none');
    return { granted: false, approximate: b === 'some' || newDenies, note: `the baseline's Deny ${statementName(d)} ${b === 'all' ? 'removes' : 'may remove'} it and the new policy has no such Deny` };
  }
  return { granted: true };
}

/** Every grant NEW makes that OLD does not (sorted), each with the NEW statement that makes it. */
export function checkNewAccess(newPolicy: Policy, oldPolicy: Policy, catalog: AccessCatalog): CheckAnswer {
  const out: Grant[] = [];
  for (const s of newPolicy.statements) {
    if (s.effect !== 'Allow') continue;
    for (const candidate of statementGrants(s, catalog)) {
      const g = afterDenies(candidate, newPolicy);
      if (!g) continue;
      const old = oldGrants(g, oldPolicy, newPolicy);
      if (old.granted) continue;
      out.push(old.note === undefined ? g : { ...g, approximate: g.approximate || old.approximate === true, note: [g.note, old.note].filter((n) => n !== undefined).join('; ') });
    }
  }
  const grants = sortGrants(out);
  return { grants, approximate: grants.some((g) => g.approximate) };
}

/** A not-granted question: actions (`service:Action`, canonical) on resources (default `*`). */
export interface NotGrantedQuestion {
  readonly actions: readonly string[];
  readonly resources?: readonly string[];
}

/** The grants the policy makes of the asked actions on the asked resources (sorted); none means not granted. */
export function checkNotGranted(policy: Policy, question: NotGrantedQuestion): CheckAnswer {
  const resources = question.resources && question.resources.length > 0 ? question.resources : ['*'];
  const out: Grant[] = [];
  for (const s of policy.statements) {
    if (s.effect !== 'Allow') continue;
    const principals = statementPrincipals(s);
    for (const action of question.actions) {
      if (!actionMatches(s, action.toLowerCase())) continue;
      for (const resource of resources) {
        const hits = s.resource ? s.resource.some((r) => patternsOverlap(r, resource)) : !(s.notResource ?? []).some((r) => patternContains(r, resource));
        if (!hits) continue;
        const approximate = principals.approximate || s.notResource !== undefined;
        const candidate: Grant = { action, resource, principal: principals.list.join(','), conditions: conditionsOf(s), statement: statementName(s), approximate };
        const g = afterDenies(approximate ? { ...candidate, note: 'NotResource or NotPrincipal: reported as granted' } : candidate, policy);
        if (g) out.push(g);
      }
    }
  }
  const grants = sortGrants(out);
  return { grants, approximate: grants.some((g) => g.approximate) };
}
