/**
 * Planning stage 3: roles. Each spec role is created in every runtime account whose phase it has access in, with
 * its trust policy from `assumedFrom` and the `{phase}-{role}` permission policies from the capability table.
 */
import { error, warning } from '../../diagnostics/diagnostic.js';
import type { AttachedPolicy, PolicyDocument } from '../../model/organization.js';
import { checkPolicyScope, DEFAULT_POLICY_SERVICES } from '../../catalog/index.js';
import type { SpecPath } from '../../spec/parse.js';
import type { SpecRole } from '../../spec/schema.js';
import { LIMITS } from '../limits.js';
import { permissionPolicies, trustPolicy, type AssumedFrom } from '../role-policies.js';
import { checkAccount, checkPhase, list, report, type PlanContext } from './context.js';

/** One `access` entry of a role. */
type AccessSpec = SpecRole['access'][string];

const PRINCIPAL_ARN = /^arn:aws[a-z-]*:(iam|sts)::(\d{12}|\*)?:[^\s]+$/;
const SAML_PROVIDER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:saml-provider\/[\w+=,.@-]+$/;

function cachedPolicy<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let doc = cache.get(key);
  if (doc === undefined) {
    doc = make();
    cache.set(key, doc);
  }
  return doc;
}

/** The role's `assumedFrom`, account names resolved to planned accounts; reports bad references and ARNs. */
function trustSources(ctx: PlanContext, roleName: string, role: SpecRole, base: SpecPath): AssumedFrom[] {
  const sources = [...(list(role.assumedFrom) ?? [])];
  sources.forEach((src, si) => {
    const p: SpecPath = Array.isArray(role.assumedFrom) ? [...base, 'assumedFrom', si] : [...base, 'assumedFrom'];
    if ('account' in src) {
      // `management` means the management account; `identity` means the shared account even when a prefix is set.
      const name =
        src.account === 'management' && !ctx.accountNames.includes('management')
          ? ctx.org.managementAccount.name
          : ctx.accountNames.includes(src.account)
            ? src.account
            : `${ctx.prefix}${src.account}`;
      if (checkAccount(ctx, name, [...p, 'account'])) sources[si] = { ...src, account: name };
    } else if ('arn' in src && !PRINCIPAL_ARN.test(src.arn)) {
      ctx.badTrust.add(roleName);
      report(ctx, [...p, 'arn'], error('BH1045', `\`${src.arn}\` is not an IAM principal ARN; use one like \`arn:aws:iam::111122223333:role/name\``));
    } else if ('saml' in src && !SAML_PROVIDER_ARN.test(src.saml)) {
      ctx.badTrust.add(roleName);
      report(ctx, [...p, 'saml'], error('BH1045', `\`${src.saml}\` is not a SAML provider ARN; use one like \`arn:aws:iam::111122223333:saml-provider/okta\``));
    }
  });
  return sources;
}

/** Checks each `access` entry's phase and scope; returns the entries with a bad scope (they plan no policy). */
function checkAccess(ctx: PlanContext, access: ReadonlyMap<string, AccessSpec>, base: SpecPath): Set<string> {
  const badScope = new Set<string>();
  for (const [k, scope] of access) {
    if (k !== '*') checkPhase(ctx, k, [...base, 'access', k]);
    for (const d of checkPolicyScope(scope.capabilities, scope.services ?? [], { capabilities: 'capabilities', services: 'services' })) {
      // the catalogue reports `capabilities[i]` / `services[i]`; re-anchor it under this role's access entry
      const [, field, index] = /^(\w+)\[(\d+)\]$/.exec(d.path ?? '') ?? [];
      report(ctx, [...base, 'access', k, ...(field ? [field, Number(index)] : [])], d);
      badScope.add(k);
    }
  }
  return badScope;
}

/** Creates the role in every runtime account whose phase (or `*`) it has access in. */
function planRoleInstances(
  ctx: PlanContext,
  roleName: string,
  role: SpecRole,
  accessByPhase: ReadonlyMap<string, AccessSpec>,
  base: SpecPath,
  trust: PolicyDocument,
  badScope: ReadonlySet<string>,
): void {
  const inline: AttachedPolicy[] = Object.entries(role.inlinePolicies ?? {}).map(([n, d]) => ({
    name: n,
    kind: 'inline' as const,
    document: d as PolicyDocument,
  }));
  // One set of documents per phase, shared by every account of that phase (validated once, serialized alike).
  const policyCache = new Map<string, PolicyDocument[]>();
  const emptyWarned = new Set<string>();
  for (const account of ctx.accounts) {
    if (account.phase === undefined || account.businessUnit === undefined) continue;
    const accessKey = accessByPhase.has(account.phase) ? account.phase : '*';
    const access = accessByPhase.get(accessKey);
    if (!access || badScope.has(accessKey)) continue;
    const policyName = `${account.phase}-${roleName}`;
    const services = access.services ?? DEFAULT_POLICY_SERVICES;
    const documents = cachedPolicy(policyCache, account.phase, () =>
      permissionPolicies(access.capabilities, services, ctx.options.actionsFor, LIMITS.managedPolicyCharsMax),
    );
    if (documents.length === 0 && !emptyWarned.has(accessKey)) {
      emptyWarned.add(accessKey);
      report(ctx, [...base, 'access', accessKey], warning('BH1055', `no action of ${services.map((s) => `\`${s}\``).join(', ')} has only the capabilities ${access.capabilities.map((c) => `\`${c}\``).join(', ')}, so role \`${roleName}\` gets no permission policy here; add capabilities or services`));
    }
    ctx.roles.push({
      account: account.name,
      name: roleName,
      path: role.path ?? '/',
      ...(role.description ? { description: role.description } : {}),
      trustPolicy: trust,
      policies: [
        ...documents.map((document, i) => ({ name: i === 0 ? policyName : `${policyName}-${i + 1}`, kind: 'managed' as const, document })),
        ...inline,
      ],
      tags: { ...(role.tags ?? {}), Phase: account.phase },
    });
  }
}

/** Plans every spec role (stage 3). */
export function planRoles(ctx: PlanContext): void {
  for (const [roleName, role] of Object.entries(ctx.spec.roles ?? {})) {
    const base: SpecPath = ['roles', roleName];
    const sources = trustSources(ctx, roleName, role, base);
    // by phase name as the user wrote it: a Map, so a phase called `constructor` finds nothing inherited
    const accessByPhase = new Map(Object.entries(role.access));
    const badScope = checkAccess(ctx, accessByPhase, base);
    // A role without `assumedFrom` is reached only through `identity` groups: with Identity Center it is no IAM role
    // (its permission sets are planned by the identity stage); with an identity account the identity stage adds the
    // trust and drops the instances no group reaches.
    const iamRole = role.assumedFrom !== undefined || ctx.spec.identity?.provider === 'identity-account';
    if (iamRole) planRoleInstances(ctx, roleName, role, accessByPhase, base, trustPolicy(roleName, sources), badScope);
    if (iamRole && badScope.size === 0 && ctx.roles.every((r) => r.name !== roleName)) {
      report(ctx, base, warning('BH1051', `role \`${roleName}\` is created in no account: no runtime account has a phase listed in its \`access\`; add a phase or \`"*"\``), true);
    }
  }
}
