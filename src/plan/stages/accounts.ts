/**
 * Planning stage 2: the accounts and the OUs they need: the management account, the shared catalogue accounts,
 * each business unit's runtime account per phase and its extra accounts (sandbox, DR), then custom accounts;
 * finally the Suspended (and Policy Staging) OU and a check that account names are unique.
 */
import { error, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { RECOMMENDED_OU, ROOT_PATH, type Account, type AccountPurpose, type Tags } from '../../model/organization.js';
import type { SpecPath } from '../../spec/parse.js';
import { EXTRA_CATALOGUE, SHARED_CATALOGUE, type Spec } from '../../spec/schema.js';
import { checkBu, checkPhase, inList, report, type PlanContext } from './context.js';
import { addOu, normalizeOuPath, runtimeOu, SHARED_OU } from './ous.js';

type BusinessUnitSpec = Spec['businessUnits'][number];

/** The email of a generated account: the template with `{account}` replaced. */
export function emailFor(ctx: PlanContext, name: string): string {
  return ctx.org.emailTemplate.split('{account}').join(name);
}

/** Plans an account (with the organization's tags under its own) and its OU; remembers where it and its email come from. */
function pushAccount(ctx: PlanContext, a: Omit<Account, 'tags'> & { tags?: Tags }, path: SpecPath, ownEmailPath?: SpecPath): void {
  ctx.accounts.push({ ...a, tags: { ...(ctx.org.tags ?? {}), ...(a.tags ?? {}) } });
  ctx.accountNames.push(a.name);
  ctx.accountPath.set(a.name, path);
  ctx.emailPath.set(a.name, ownEmailPath ?? ['organization', 'emailTemplate']);
  addOu(ctx, a.ouPath);
}

/** Reports a name listed twice in one list; true when `value` was not seen before (and is now). */
function firstTime(ctx: PlanContext, seen: Set<string>, value: string, path: SpecPath, d: Diagnostic): boolean {
  if (seen.has(value)) {
    report(ctx, path, d);
    return false;
  }
  seen.add(value);
  return true;
}

function planSharedAccounts(ctx: PlanContext): void {
  const seen = new Set<string>();
  (ctx.spec.sharedAccounts ?? []).forEach((s, i) => {
    if (!inList(ctx, s, SHARED_CATALOGUE, 'BH1013', 'shared account', ['sharedAccounts', i])) return;
    if (!firstTime(ctx, seen, s, ['sharedAccounts', i], error('BH1016', `shared account \`${s}\` is listed twice; remove one`))) return;
    const name = `${ctx.prefix}${s}`;
    pushAccount(ctx, { name, email: emailFor(ctx, name), ouPath: SHARED_OU[s], purpose: s }, ['sharedAccounts', i]);
  });
}

/** A business unit's valid phases, in declared phase order (whatever order the business unit lists them in). */
function businessUnitPhases(ctx: PlanContext, bu: BusinessUnitSpec, bi: number): string[] {
  const valid: string[] = [];
  const seen = new Set<string>();
  (bu.phases ?? ctx.phaseNames).forEach((p, pi) => {
    const path: SpecPath = ['businessUnits', bi, 'phases', pi];
    if (!firstTime(ctx, seen, p, path, error('BH1016', `phase \`${p}\` is listed twice for business unit \`${bu.name}\`; remove one`))) return;
    if (checkPhase(ctx, p, path)) valid.push(p);
  });
  return ctx.phaseNames.filter((p) => valid.includes(p));
}

function planExtraAccounts(ctx: PlanContext, bu: BusinessUnitSpec, bi: number, buTags: Tags, mostCriticalProd: string): void {
  const seen = new Set<string>();
  (bu.extraAccounts ?? []).forEach((x, xi) => {
    const path: SpecPath = ['businessUnits', bi, 'extraAccounts', xi];
    if (!inList(ctx, x, EXTRA_CATALOGUE, 'BH1013', 'per-business-unit account', path)) return;
    if (!firstTime(ctx, seen, x, path, error('BH1016', `extra account \`${x}\` is listed twice for \`${bu.name}\`; remove one`))) return;
    const name = `${ctx.prefix}${bu.name}-${x}`;
    const email = emailFor(ctx, name);
    if (x === 'sandbox') {
      pushAccount(
        ctx,
        { name, email, ouPath: RECOMMENDED_OU.sandbox, purpose: 'sandbox', businessUnit: bu.name, tags: { ...buTags, BusinessUnit: bu.name, Environment: 'sandbox' } },
        path,
      );
    } else {
      // A DR account holds copies of production data, so it is planned as production.
      pushAccount(
        ctx,
        {
          name,
          email,
          ouPath: runtimeOu(ctx, bu.name, mostCriticalProd),
          purpose: 'dr',
          businessUnit: bu.name,
          phase: mostCriticalProd,
          tags: { ...buTags, BusinessUnit: bu.name, Environment: mostCriticalProd, Purpose: 'dr' },
        },
        path,
      );
    }
  });
}

function planBusinessUnitAccounts(ctx: PlanContext): void {
  const { spec, phaseNames } = ctx;
  const mostCriticalProd = [...spec.phases].reverse().find((p) => p.production)?.name ?? phaseNames[phaseNames.length - 1]!;
  spec.businessUnits.forEach((bu, bi) => {
    const phases = businessUnitPhases(ctx, bu, bi);
    ctx.buPhases.set(bu.name, phases);
    const buTags: Tags = { ...(bu.owner ? { Owner: bu.owner } : {}), ...(bu.tags ?? {}) };
    for (const phase of phases) {
      const name = `${ctx.prefix}${bu.name}-${phase}`;
      pushAccount(
        ctx,
        {
          name,
          email: emailFor(ctx, name),
          ouPath: runtimeOu(ctx, bu.name, phase),
          purpose: 'runtime',
          businessUnit: bu.name,
          phase,
          tags: { ...buTags, BusinessUnit: bu.name, Environment: phase },
        },
        ['businessUnits', bi],
      );
    }
    planExtraAccounts(ctx, bu, bi, buTags, mostCriticalProd);
  });
}

function planCustomAccounts(ctx: PlanContext): void {
  (ctx.spec.accounts ?? []).forEach((a, i) => {
    const purpose: AccountPurpose = (SHARED_CATALOGUE as readonly string[]).includes(a.purpose ?? '') ? (a.purpose as AccountPurpose) : 'custom';
    if (a.businessUnit !== undefined) checkBu(ctx, a.businessUnit, ['accounts', i, 'businessUnit']);
    if (a.phase !== undefined) checkPhase(ctx, a.phase, ['accounts', i, 'phase']);
    const ouPath = normalizeOuPath(a.ou);
    if (ouPath.split('/').some((seg) => seg.length === 0 || seg.length > 128)) {
      report(ctx, ['accounts', i, 'ou'], error('BH1044', `OU path \`${a.ou}\` has an empty or over-long (>128) segment; write it like \`Infrastructure/Data\``));
    }
    pushAccount(
      ctx,
      {
        name: a.name,
        email: a.email ?? emailFor(ctx, a.name),
        ouPath,
        purpose,
        ...(a.businessUnit !== undefined ? { businessUnit: a.businessUnit } : {}),
        ...(a.phase !== undefined ? { phase: a.phase } : {}),
        tags: { ...(a.purpose ? { Purpose: a.purpose } : {}), ...(a.tags ?? {}) },
      },
      ['accounts', i],
      a.email !== undefined ? ['accounts', i, 'email'] : undefined,
    );
  });
}

/** Duplicate account names (e.g. a custom account named like a generated one). */
function checkAccountNames(ctx: PlanContext): void {
  const byName = new Map<string, string>();
  for (const a of ctx.accounts) {
    const k = a.name.toLowerCase();
    if (byName.has(k)) {
      report(ctx, ctx.accountPath.get(a.name) ?? [], error('BH1043', `two accounts are named \`${a.name}\`; account names must be unique: rename the custom account or the business unit`));
    } else byName.set(k, a.name);
  }
}

/** Plans every account and the OUs they are in (stage 2). */
export function planAccounts(ctx: PlanContext): void {
  const { org } = ctx;
  addOu(ctx, ROOT_PATH);
  pushAccount(
    ctx,
    { name: org.managementAccount.name, email: org.managementAccount.email, ouPath: ROOT_PATH, purpose: 'management' },
    ['organization', 'managementAccount', 'name'],
    ['organization', 'managementAccount', 'email'],
  );
  planSharedAccounts(ctx);
  planBusinessUnitAccounts(ctx);
  planCustomAccounts(ctx);
  addOu(ctx, RECOMMENDED_OU.suspended);
  if (org.policyStagingOu) addOu(ctx, RECOMMENDED_OU.policyStaging);
  checkAccountNames(ctx);
}
