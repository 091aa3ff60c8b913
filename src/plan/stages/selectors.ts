/**
 * Planning stage 5: the intended boundaries and the audit scopes, whose account selectors are checked against
 * the planned phases, business units and accounts.
 */
import { error, warning } from '../../diagnostics/diagnostic.js';
import type { AccountSelector, AuditScope, BoundaryAssertion } from '../../model/organization.js';
import { CAPABILITIES } from '../../catalog/index.js';
import type { SpecPath } from '../../spec/parse.js';
import type { SpecSelector } from '../../spec/schema.js';
import { didYouMean } from '../../util/suggest.js';
import { checkAccount, checkBu, checkPhase, inList, list, report, type PlanContext } from './context.js';
import { normalizeOuPath } from './ous.js';

/** Checks each value of one selector key; a list value is checked item by item. */
function checkEach(values: readonly string[], given: string | readonly string[], path: SpecPath, key: string, check: (value: string, path: SpecPath) => boolean): void {
  values.forEach((v, i) => check(v, Array.isArray(given) ? [...path, key, i] : [...path, key]));
}

/** A spec selector as the model keeps it (lists only, OU paths normalized); warns when it selects everything. */
function selector(ctx: PlanContext, s: SpecSelector, path: SpecPath): AccountSelector {
  const out: { -readonly [K in keyof AccountSelector]: AccountSelector[K] } = {};
  const ph = list(s.phase);
  const bu = list(s.businessUnit);
  const ac = list(s.account);
  const ou = list(s.ou);
  if (ph) {
    checkEach(ph, s.phase!, path, 'phase', (v, p) => checkPhase(ctx, v, p));
    out.phase = ph;
  }
  if (bu) {
    checkEach(bu, s.businessUnit!, path, 'businessUnit', (v, p) => checkBu(ctx, v, p));
    out.businessUnit = bu;
  }
  if (ac) {
    checkEach(ac, s.account!, path, 'account', (v, p) => checkAccount(ctx, v, p));
    out.account = ac;
  }
  if (ou) out.ou = ou.map(normalizeOuPath);
  if (Object.keys(out).length === 0) report(ctx, path, warning('BH1053', 'this selector is empty and so selects every account; say which `phase`, `businessUnit`, `account` or `ou`'));
  return out;
}

/** Plans the spec's boundary assertions (stage 5). */
export function planBoundaries(ctx: PlanContext): BoundaryAssertion[] {
  const roleNames = Object.keys(ctx.spec.roles ?? {});
  // a Set, not `in`: a role called `toString` is not one just because every object has that key
  const roles = new Set(roleNames);
  const names = new Set<string>();
  return (ctx.spec.boundaries ?? []).map((b, i) => {
    if (names.has(b.name)) report(ctx, ['boundaries', i, 'name'], error('BH1016', `boundary \`${b.name}\` is declared twice; rename one`));
    names.add(b.name);
    b.deny.forEach((c, ci) => inList(ctx, c, CAPABILITIES, 'BH4001', 'capability', ['boundaries', i, 'deny', ci]));
    (b.except ?? []).forEach((r, ri) => {
      if (!roles.has(r)) report(ctx, ['boundaries', i, 'except', ri], warning('BH1054', `\`${r}\` is not a role of this spec${didYouMean(r, roleNames)}; it can only match collected principals`));
    });
    return {
      name: b.name,
      from: selector(ctx, b.from, ['boundaries', i, 'from']),
      to: selector(ctx, b.to, ['boundaries', i, 'to']),
      deny: [...b.deny],
      ...(b.except ? { except: [...b.except] } : {}),
    };
  });
}

/** Plans the spec's audit scopes (after the boundaries, so their diagnostics follow). */
export function planAuditScopes(ctx: PlanContext): AuditScope[] {
  return (ctx.spec.auditScopes ?? []).map((s, i) => ({ name: s.name, accounts: selector(ctx, s.accounts, ['auditScopes', i, 'accounts']) }));
}
