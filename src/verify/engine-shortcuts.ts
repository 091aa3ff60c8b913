/**
 * The shortcut layer over the plain evaluator: skips capability questions whose answer is provably empty and
 * memoises answers that provably cannot depend on the resource ARN. Every shortcut reads the engine's own
 * per-service statement index or the policy text, so answers stay exactly the plain evaluator's.
 */
import { arnService, awsOwnedResourceBits, type LabeledPolicy } from '../policy/index.js';
import type { PolicyCompiler } from './engine-compiler.js';
import type { CapabilityGrant, ExternalCaller, NamedPolicy, PrincipalContext, ResourceContext } from './engine-port.js';
import type { PlainEvaluator } from './engine-plain.js';
import { placeKey, type IdentitySide, type PrincipalScope } from './engine-scope.js';
import { allowedPrincipalMentions, statementsOf } from './policy-shape.js';

/** Whether every statement these policies hold for `svc` has `Resource: "*"`. */
function wildcardOnly(lps: readonly LabeledPolicy[], svc: string): boolean {
  return lps.every((lp) =>
    lp.compiled.forService(svc).every((st) => st.source.notResource === undefined && st.source.resource !== undefined && st.source.resource.every((x) => x === '*')),
  );
}

/** See the module comment. */
export class ShortcutLayer {
  /** Questions answered "nothing" without the engine. */
  skipped = 0;
  /** Questions answered from an ARN-independent earlier answer. */
  memoHits = 0;
  private readonly mentions = new WeakMap<NamedPolicy, ReturnType<typeof allowedPrincipalMentions>>();
  private readonly denies = new WeakMap<NamedPolicy, boolean>();
  private readonly rcpFree = new WeakMap<object, Map<string, boolean>>();

  constructor(
    private readonly compiler: PolicyCompiler,
    private readonly plain: PlainEvaluator,
  ) {}

  /** The capabilities of the scope's principal on `r`: the plain answer, or a provably equal one without it. */
  capabilities(scope: PrincipalScope, r: ResourceContext): CapabilityGrant[] {
    const p = scope.principal;
    const svc = arnService(r.arn);
    if (this.nothingGranted(scope, r, svc)) {
      this.skipped++;
      return [];
    }
    // A resource policy whose statements are all Allows that cannot name this principal (no `*`, no
    // NotPrincipal, not its account) contributes nothing to its requests, so the request is the same as with
    // no resource policy, and shares that index. KMS keys are excluded: their key policy must allow on its own.
    const policy = r.policy && r.type !== 'kms:key' && !r.arn.startsWith('arn:aws:kms:') && !this.policyMayApply(r.policy, p) ? undefined : r.policy;
    // Memo for resources whose answer cannot depend on their ARN: no resource policy, and every statement the
    // engine's per-service index holds for this service (identity, boundary, SCPs, RCPs) has `Resource: "*"`.
    // The engine then sees the same policies, context (same account, region, tags) and matches for each such
    // resource, so one answer serves them all. The one ARN-dependent rule left is AWS's refusal of some actions on
    // resources it owns (service-linked roles, `alias/aws/*`, …): the key carries which of those shapes the ARN has.
    let memoKey: string | undefined;
    if (!policy && this.arnIndependent(scope, svc) && this.rcpArnIndependent(r, svc)) {
      memoKey = `${svc}\u0000${r.type}\u0000${placeKey(r)}\u0000${awsOwnedResourceBits(r.arn)}`;
      const hit = scope.answers.get(memoKey);
      if (hit) {
        this.memoHits++;
        return hit;
      }
    }
    const result = this.plain.capabilities(scope, r, policy);
    if (memoKey !== undefined) scope.answers.set(memoKey, result);
    return result;
  }

  /**
   * Necessary condition, read from the engine's own per-service statement index: without an identity Allow
   * statement that may match the service, only a resource policy naming this principal (same account) can
   * grant anything. Cross-account access always needs the identity side too.
   */
  private nothingGranted(scope: PrincipalScope, r: ResourceContext, svc: string): boolean {
    const p = scope.principal;
    let mayIdentity = scope.identityServices.get(svc);
    if (mayIdentity === undefined) {
      mayIdentity = scope.base.identity.some((lp) => lp.compiled.forService(svc).some((st) => !st.deny));
      scope.identityServices.set(svc, mayIdentity);
    }
    if (mayIdentity) return false;
    if (r.accountId !== p.accountId || !r.policy) return true;
    const m = this.mentionsOf(r.policy);
    return !m.any && !m.arns.some((a) => a.includes(`:${p.accountId}:`));
  }

  /**
   * Whether `np` (a resource or trust policy) may name an external caller. The caller is outside the organization
   * (or anonymous), so only a resource or trust policy statement whose Principal matches it can allow it (its own
   * account's side is assumed to allow everything, and no policy of the organization grants to another account
   * without naming it). An anonymous caller is matched only by `*` (or NotPrincipal); an account's principal by
   * its account id or an ARN in it; service callers are always asked.
   */
  externalMayName(np: NamedPolicy, caller: ExternalCaller): boolean {
    if (caller.kind === 'service') return true;
    const m = this.mentionsOf(np);
    if (m.any) return true;
    if (caller.kind === 'anonymous') return false;
    const account = /^\d{12}$/.test(caller.principal) ? caller.principal : /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(caller.principal)?.[1];
    return account === undefined || m.accounts.includes(account);
  }

  private mentionsOf(np: NamedPolicy): ReturnType<typeof allowedPrincipalMentions> {
    let m = this.mentions.get(np);
    if (!m) this.mentions.set(np, (m = allowedPrincipalMentions(np.document)));
    return m;
  }

  private policyMayApply(np: NamedPolicy, p: PrincipalContext): boolean {
    let d = this.denies.get(np);
    if (d === undefined) {
      // anything but a plain Allow (Deny, or a malformed Effect the engine would reject) keeps the policy
      d = statementsOf(np.document).some((st) => st.value['Effect'] !== 'Allow');
      this.denies.set(np, d);
    }
    if (d) return true;
    const m = this.mentionsOf(np);
    return m.any || m.accounts.includes(p.accountId);
  }

  private arnIndependent(scope: PrincipalScope, svc: string): boolean {
    let v = scope.arnFree.get(svc);
    if (v === undefined) {
      const base: IdentitySide = scope.base;
      v = wildcardOnly(base.identity, svc) && wildcardOnly(base.boundary ? [base.boundary] : [], svc) && wildcardOnly((base.scps ?? []).flat(), svc);
      scope.arnFree.set(svc, v);
    }
    return v;
  }

  private rcpArnIndependent(r: ResourceContext, svc: string): boolean {
    if (!r.rcpLevels) return true;
    let m = this.rcpFree.get(r.rcpLevels);
    if (!m) this.rcpFree.set(r.rcpLevels, (m = new Map()));
    let v = m.get(svc);
    if (v === undefined) m.set(svc, (v = wildcardOnly((this.compiler.levels(r.rcpLevels, 'rcp') ?? []).flat(), svc)));
    return v;
  }
}
