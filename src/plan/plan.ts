/**
 * The planner: spec → organization model. It decides the OU tree, the accounts (business unit × phase runtime
 * accounts, shared and per-BU accounts, custom ones), names and emails, roles with stage-specific policies,
 * SCPs with their targets, and the sizing explanation. Every cross-reference problem is collected with its
 * position; AWS quotas are checked on the result by `checkLimits`.
 */
import { error, fail, ok, warning, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import type {
  Account,
  AccountPurpose,
  AccountSelector,
  AttachedPolicy,
  OrganizationModel,
  OrganizationPolicy,
  OrganizationalUnit,
  PolicyDocument,
  PolicyTarget,
  Role,
  Tags,
} from '../model/organization.js';
import { DEFAULT_ACCESS_ROLE, RECOMMENDED_OU, ROOT_PATH } from '../model/organization.js';
import { ouChain, sortModel } from '../model/query.js';
import { formatPath, type ParsedSpec, type SpecPath } from '../spec/parse.js';
import {
  EXTRA_CATALOGUE,
  GUARDRAIL_PRESETS,
  OU_LAYOUTS,
  SHARED_CATALOGUE,
  type Spec,
  type SpecAttach,
  type SpecSelector,
} from '../spec/schema.js';
import { didYouMean } from '../util/suggest.js';
import { FULL_AWS_ACCESS, FULL_AWS_ACCESS_NAME, presetDocument } from './guardrails.js';
import { checkLimits, DEFAULT_ACCOUNT_QUOTA, emailProblem, LIMITS } from './limits.js';
import { CAPABILITIES, DEFAULT_POLICY_SERVICES, checkPolicyScope } from '../catalog/index.js';
import { permissionPolicies, trustPolicy, type ActionsFor } from './role-policies.js';
import { computeSizing } from './sizing.js';

/** Options for planning. */
export interface PlanOptions {
  /** Capability → action patterns (the capability table). */
  readonly actionsFor: ActionsFor;
  /** Validates a policy document of a type; returns diagnostics with paths relative to the document. */
  readonly validatePolicy?: (doc: PolicyDocument, type: 'scp' | 'identity' | 'trust') => readonly Diagnostic[];
}

/** OU paths of the recommended structure; the same object as `RECOMMENDED_OU` of the model, kept under its old name. */
export const OU = RECOMMENDED_OU;

/** Which OU each shared catalogue account goes to. */
const SHARED_OU: Record<(typeof SHARED_CATALOGUE)[number], string> = {
  security: OU.security,
  'log-archive': OU.security,
  'shared-services': OU.infrastructure,
  network: OU.infrastructure,
  identity: OU.infrastructure,
  backup: OU.infrastructure,
  delivery: OU.deployments,
};

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function list<T>(v: T | readonly T[] | undefined): readonly T[] | undefined {
  return v === undefined ? undefined : Array.isArray(v) ? (v as readonly T[]) : [v as T];
}

function dedupeInPlace(ds: Diagnostic[]): void {
  const seen = new Set<string>();
  const kept = ds.filter((d) => {
    const k = `${d.code}|${d.path}|${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  ds.splice(0, ds.length, ...kept);
}

function cachedPolicy<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let doc = cache.get(key);
  if (doc === undefined) {
    doc = make();
    cache.set(key, doc);
  }
  return doc;
}

/** Normalizes a user OU path (`Infrastructure/Data` or `Root/Infrastructure/Data`) to `Root/...`. */
export function normalizeOuPath(p: string): string {
  const trimmed = p.replace(/^\/+|\/+$/g, '');
  if (trimmed === ROOT_PATH || trimmed.toLowerCase() === 'root') return ROOT_PATH;
  return trimmed.startsWith(`${ROOT_PATH}/`) ? trimmed : `${ROOT_PATH}/${trimmed}`;
}

/** Plans an organization from a parsed spec: the model (with any warnings), or every problem that prevents one. */
export function planOrganization(parsed: ParsedSpec, options: PlanOptions): Result<OrganizationModel> {
  const { spec, locate } = parsed;
  const diagnostics: Diagnostic[] = [];
  const at = (path: SpecPath, d: Diagnostic, atKey = false): void => {
    const position = locate(path, atKey);
    diagnostics.push({ ...d, path: formatPath(path), ...(position ? { position } : {}) });
  };

  /** Checks a value of one of the spec's closed lists (parsing accepts any string so all problems surface together). */
  const inList = (value: string, list: readonly string[], code: string, what: string, path: SpecPath): boolean => {
    if (list.includes(value)) return true;
    at(path, error(code, `unknown ${what} \`${value}\`${didYouMean(value, list) || `; use one of ${list.map((v) => `\`${v}\``).join(', ')}`}`));
    return false;
  };
  // Policy sizes are checked by checkLimits with plan-specific advice, so the engine's size diagnostic is dropped here.
  const validatePolicy = options.validatePolicy
    ? (doc: PolicyDocument, type: 'scp' | 'identity' | 'trust') => options.validatePolicy!(doc, type).filter((d) => d.code !== 'BH3002')
    : undefined;
  const org = spec.organization;
  const prefix = org.accountPrefix ?? '';
  // an unknown layout is reported below and plans as phase-first, so the other problems still show
  const layout = org.ouLayout ?? 'phase-first';
  const accessRoleName = org.accessRoleName ?? DEFAULT_ACCESS_ROLE;
  const phaseNames = spec.phases.map((p) => p.name);
  const buNames = spec.businessUnits.map((b) => b.name);

  // --- names must be unique -------------------------------------------------------------------------------
  const dupes = (items: readonly string[], basePath: string, what: string) => {
    const seen = new Map<string, number>();
    items.forEach((n, i) => {
      const k = n.toLowerCase();
      if (seen.has(k)) at([basePath, i, 'name'], error('BH1016', `${what} \`${n}\` is declared twice (also at ${basePath}[${seen.get(k)}]); rename or remove one`));
      else seen.set(k, i);
    });
  };
  if (org.ouLayout !== undefined) inList(org.ouLayout, OU_LAYOUTS, 'BH1013', 'OU layout', ['organization', 'ouLayout']);
  dupes(phaseNames, 'phases', 'phase');
  dupes(buNames, 'businessUnits', 'business unit');
  for (const [i, p] of spec.phases.entries()) {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(p.name)) at(['phases', i, 'name'], error('BH1017', `phase name \`${p.name}\` must be lowercase letters, digits and hyphens (it becomes part of account and policy names)`));
  }
  for (const [i, b] of spec.businessUnits.entries()) {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(b.name)) at(['businessUnits', i, 'name'], error('BH1017', `business unit name \`${b.name}\` must be lowercase letters, digits and hyphens (it becomes part of account names)`));
  }
  if (!spec.phases.some((p) => p.production)) {
    at(['phases'], warning('BH1050', 'no phase is marked `production: true`; mark the production phase so verify can protect its data'));
  }
  if (!org.emailTemplate.includes('{account}')) {
    at(['organization', 'emailTemplate'], error('BH1023', `email template \`${org.emailTemplate}\` has no \`{account}\` placeholder, so every account would get the same email; add \`{account}\`, e.g. \`aws+{account}@example.com\``));
  }
  for (const [i, r] of org.regions.entries()) {
    if (!/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/.test(r)) at(['organization', 'regions', i], error('BH1042', `\`${r}\` is not an AWS region code; use one like \`us-east-1\` or \`eu-central-1\``));
  }

  const phaseOf = (name: string) => spec.phases.find((p) => p.name === name);
  const checkPhase = (name: string, path: SpecPath): boolean => {
    if (phaseOf(name)) return true;
    at(path, error('BH1010', `unknown phase \`${name}\`${didYouMean(name, phaseNames) || `; declared phases: ${phaseNames.map((p) => `\`${p}\``).join(', ')}`}`));
    return false;
  };
  const checkBu = (name: string, path: SpecPath): boolean => {
    if (buNames.includes(name)) return true;
    at(path, error('BH1011', `unknown business unit \`${name}\`${didYouMean(name, buNames) || `; declared business units: ${buNames.map((p) => `\`${p}\``).join(', ')}`}`));
    return false;
  };

  // --- OUs --------------------------------------------------------------------------------------------------
  const ous = new Map<string, Tags>();
  const addOu = (path: string, tags: Tags = {}) => {
    for (const p of ouChain(path)) if (!ous.has(p)) ous.set(p, {});
    ous.set(path, { ...ous.get(path), ...tags });
  };
  addOu(ROOT_PATH);
  const phaseOu = (phase: string) => {
    const p = phaseOf(phase);
    return `${OU.workloads}/${p?.ouName ?? capitalize(phase)}`;
  };
  const buOu = (bu: string) => {
    const b = spec.businessUnits.find((x) => x.name === bu);
    return `${OU.workloads}/${b?.ouName ?? capitalize(bu)}`;
  };

  // --- accounts ---------------------------------------------------------------------------------------------
  const accounts: Account[] = [];
  const accountPath = new Map<string, SpecPath>();
  const emailFor = (name: string) => org.emailTemplate.split('{account}').join(name);
  const baseTags = org.tags ?? {};
  // Where each account's email came from, to point email problems at the right place.
  const emailPath = new Map<string, SpecPath>();
  const pushAccount = (a: Omit<Account, 'tags'> & { tags?: Tags }, path: SpecPath, ownEmailPath?: SpecPath) => {
    accounts.push({ ...a, tags: { ...baseTags, ...(a.tags ?? {}) } });
    accountPath.set(a.name, path);
    emailPath.set(a.name, ownEmailPath ?? ['organization', 'emailTemplate']);
    addOu(a.ouPath);
  };

  pushAccount(
    { name: org.managementAccount.name, email: org.managementAccount.email, ouPath: ROOT_PATH, purpose: 'management' },
    ['organization', 'managementAccount', 'name'],
    ['organization', 'managementAccount', 'email'],
  );

  const shared = spec.sharedAccounts ?? [];
  const sharedSeen = new Set<string>();
  shared.forEach((s, i) => {
    if (!inList(s, SHARED_CATALOGUE, 'BH1013', 'shared account', ['sharedAccounts', i])) return;
    if (sharedSeen.has(s)) {
      at(['sharedAccounts', i], error('BH1016', `shared account \`${s}\` is listed twice; remove one`));
      return;
    }
    sharedSeen.add(s);
    const name = `${prefix}${s}`;
    pushAccount({ name, email: emailFor(name), ouPath: SHARED_OU[s], purpose: s }, ['sharedAccounts', i]);
  });

  const mostCriticalProd = [...spec.phases].reverse().find((p) => p.production)?.name ?? phaseNames[phaseNames.length - 1]!;
  const buPhases = new Map<string, string[]>();
  spec.businessUnits.forEach((bu, bi) => {
    const phases = bu.phases ?? phaseNames;
    const valid: string[] = [];
    const seenPhase = new Set<string>();
    phases.forEach((p, pi) => {
      if (seenPhase.has(p)) {
        at(['businessUnits', bi, 'phases', pi], error('BH1016', `phase \`${p}\` is listed twice for business unit \`${bu.name}\`; remove one`));
        return;
      }
      seenPhase.add(p);
      if (checkPhase(p, ['businessUnits', bi, 'phases', pi])) valid.push(p);
    });
    // keep the declared phase order, whatever order the business unit lists them in
    const ordered = phaseNames.filter((p) => valid.includes(p));
    buPhases.set(bu.name, ordered);
    const buTags: Tags = { ...(bu.owner ? { Owner: bu.owner } : {}), ...(bu.tags ?? {}) };
    for (const phase of ordered) {
      const name = `${prefix}${bu.name}-${phase}`;
      pushAccount(
        {
          name,
          email: emailFor(name),
          ouPath: layout === 'phase-first' ? phaseOu(phase) : buOu(bu.name),
          purpose: 'runtime',
          businessUnit: bu.name,
          phase,
          tags: { ...buTags, BusinessUnit: bu.name, Environment: phase },
        },
        ['businessUnits', bi],
      );
    }
    const extras = new Set<string>();
    (bu.extraAccounts ?? []).forEach((x, xi) => {
      if (!inList(x, EXTRA_CATALOGUE, 'BH1013', 'per-business-unit account', ['businessUnits', bi, 'extraAccounts', xi])) return;
      if (extras.has(x)) {
        at(['businessUnits', bi, 'extraAccounts', xi], error('BH1016', `extra account \`${x}\` is listed twice for \`${bu.name}\`; remove one`));
        return;
      }
      extras.add(x);
      const name = `${prefix}${bu.name}-${x}`;
      if (x === 'sandbox') {
        pushAccount(
          { name, email: emailFor(name), ouPath: OU.sandbox, purpose: 'sandbox', businessUnit: bu.name, tags: { ...buTags, BusinessUnit: bu.name, Environment: 'sandbox' } },
          ['businessUnits', bi, 'extraAccounts', xi],
        );
      } else {
        // A DR account holds copies of production data, so it is planned as production.
        pushAccount(
          {
            name,
            email: emailFor(name),
            ouPath: layout === 'phase-first' ? phaseOu(mostCriticalProd) : buOu(bu.name),
            purpose: 'dr',
            businessUnit: bu.name,
            phase: mostCriticalProd,
            tags: { ...buTags, BusinessUnit: bu.name, Environment: mostCriticalProd, Purpose: 'dr' },
          },
          ['businessUnits', bi, 'extraAccounts', xi],
        );
      }
    });
  });

  (spec.accounts ?? []).forEach((a, i) => {
    const purpose: AccountPurpose = (SHARED_CATALOGUE as readonly string[]).includes(a.purpose ?? '') ? (a.purpose as AccountPurpose) : 'custom';
    if (a.businessUnit !== undefined) checkBu(a.businessUnit, ['accounts', i, 'businessUnit']);
    if (a.phase !== undefined) checkPhase(a.phase, ['accounts', i, 'phase']);
    const ouPath = normalizeOuPath(a.ou);
    if (ouPath.split('/').some((seg) => seg.length === 0 || seg.length > 128)) {
      at(['accounts', i, 'ou'], error('BH1044', `OU path \`${a.ou}\` has an empty or over-long (>128) segment; write it like \`Infrastructure/Data\``));
    }
    pushAccount(
      {
        name: a.name,
        email: a.email ?? emailFor(a.name),
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

  addOu(OU.suspended);
  if (org.policyStagingOu) addOu(OU.policyStaging);

  // Duplicate account names (e.g. a custom account named like a generated one).
  const byName = new Map<string, string>();
  for (const a of accounts) {
    const k = a.name.toLowerCase();
    if (byName.has(k)) {
      at(accountPath.get(a.name) ?? [], error('BH1043', `two accounts are named \`${a.name}\`; account names must be unique: rename the custom account or the business unit`));
    } else byName.set(k, a.name);
  }
  const accountNames = accounts.map((a) => a.name);
  const checkAccount = (name: string, path: SpecPath): boolean => {
    if (accountNames.includes(name)) return true;
    const catalogueName = name.startsWith(prefix) ? name.slice(prefix.length) : name;
    const hint = (SHARED_CATALOGUE as readonly string[]).includes(catalogueName)
      ? `; \`${catalogueName}\` is a shared account of the catalogue: add it to \`sharedAccounts\` to plan it`
      : didYouMean(name, accountNames) || `; planned accounts: ${accountNames.map((p) => `\`${p}\``).join(', ')}`;
    at(path, error('BH1012', `unknown account \`${name}\`${hint}`));
    return false;
  };

  // --- roles ------------------------------------------------------------------------------------------------
  const roles: Role[] = [];
  const badTrust = new Set<string>();
  for (const [roleName, role] of Object.entries(spec.roles ?? {})) {
    const base: SpecPath = ['roles', roleName];
    const sources = [...(list(role.assumedFrom) ?? [])];
    sources.forEach((src, si) => {
      const p: SpecPath = Array.isArray(role.assumedFrom) ? [...base, 'assumedFrom', si] : [...base, 'assumedFrom'];
      if ('account' in src) {
        // `management` means the management account; `identity` means the shared account even when a prefix is set.
        const name =
          src.account === 'management' && !accountNames.includes('management')
            ? org.managementAccount.name
            : accountNames.includes(src.account)
              ? src.account
              : `${prefix}${src.account}`;
        if (checkAccount(name, [...p, 'account'])) sources[si] = { ...src, account: name };
      } else if ('arn' in src && !/^arn:aws[a-z-]*:(iam|sts)::(\d{12}|\*)?:[^\s]+$/.test(src.arn)) {
        badTrust.add(roleName);
        at([...p, 'arn'], error('BH1045', `\`${src.arn}\` is not an IAM principal ARN; use one like \`arn:aws:iam::111122223333:role/name\``));
      } else if ('saml' in src && !/^arn:aws[a-z-]*:iam::\d{12}:saml-provider\/[\w+=,.@-]+$/.test(src.saml)) {
        badTrust.add(roleName);
        at([...p, 'saml'], error('BH1045', `\`${src.saml}\` is not a SAML provider ARN; use one like \`arn:aws:iam::111122223333:saml-provider/okta\``));
      }
    });
    const accessPhases = Object.keys(role.access);
    const badScope = new Set<string>();
    for (const k of accessPhases) {
      if (k !== '*') checkPhase(k, [...base, 'access', k]);
      const scope = role.access[k]!;
      for (const d of checkPolicyScope(scope.capabilities, scope.services ?? [], { capabilities: 'capabilities', services: 'services' })) {
        // the catalogue reports `capabilities[i]` / `services[i]`; re-anchor it under this role's access entry
        const [, field, index] = /^(\w+)\[(\d+)\]$/.exec(d.path ?? '') ?? [];
        at([...base, 'access', k, ...(field ? [field, Number(index)] : [])], d);
        badScope.add(k);
      }
    }
    const trust = trustPolicy(roleName, sources);
    const inline: AttachedPolicy[] = Object.entries(role.inlinePolicies ?? {}).map(([n, d]) => ({
      name: n,
      kind: 'inline' as const,
      document: d as PolicyDocument,
    }));
    // One set of documents per phase, shared by every account of that phase (validated once, serialized alike).
    const policyCache = new Map<string, PolicyDocument[]>();
    const emptyWarned = new Set<string>();
    for (const account of accounts) {
      if (account.phase === undefined || account.businessUnit === undefined) continue;
      const accessKey = account.phase in role.access ? account.phase : '*';
      const access = role.access[accessKey];
      if (!access || badScope.has(accessKey)) continue;
      const policyName = `${account.phase}-${roleName}`;
      const documents = cachedPolicy(policyCache, account.phase, () =>
        permissionPolicies(access.capabilities, access.services ?? DEFAULT_POLICY_SERVICES, options.actionsFor, LIMITS.managedPolicyCharsMax),
      );
      if (documents.length === 0 && !emptyWarned.has(accessKey)) {
        emptyWarned.add(accessKey);
        at([...base, 'access', accessKey], warning('BH1055', `no action of ${(access.services ?? DEFAULT_POLICY_SERVICES).map((s) => `\`${s}\``).join(', ')} has only the capabilities ${access.capabilities.map((c) => `\`${c}\``).join(', ')}, so role \`${roleName}\` gets no permission policy here; add capabilities or services`));
      }
      roles.push({
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
    if (badScope.size === 0 && roles.every((r) => r.name !== roleName)) {
      at(base, warning('BH1051', `role \`${roleName}\` is created in no account: no runtime account has a phase listed in its \`access\`; add a phase or \`"*"\``), true);
    }
  }

  // --- guardrails -------------------------------------------------------------------------------------------
  const scps: OrganizationPolicy[] = [];
  const resolveAttach = (attach: SpecAttach, path: SpecPath): PolicyTarget[] => {
    if (attach === 'root') return [{ ou: ROOT_PATH }];
    if ('ou' in attach) {
      const p = normalizeOuPath(attach.ou);
      if (!ous.has(p)) {
        at([...path, 'ou'], error('BH1044', `unknown OU \`${attach.ou}\`${didYouMean(p, [...ous.keys()]) || `; planned OUs: ${[...ous.keys()].map((o) => `\`${o}\``).join(', ')}`}`));
        return [];
      }
      return [{ ou: p }];
    }
    if ('account' in attach) return checkAccount(attach.account, [...path, 'account']) ? [{ account: attach.account }] : [];
    if ('phase' in attach) {
      if (!checkPhase(attach.phase, [...path, 'phase'])) return [];
      if (layout === 'phase-first' && ous.has(phaseOu(attach.phase))) return [{ ou: phaseOu(attach.phase) }];
      return accounts.filter((a) => a.phase === attach.phase && a.purpose !== 'management').map((a) => ({ account: a.name }));
    }
    if (!checkBu(attach.businessUnit, [...path, 'businessUnit'])) return [];
    if (layout === 'bu-first' && ous.has(buOu(attach.businessUnit))) return [{ ou: buOu(attach.businessUnit) }];
    return accounts.filter((a) => a.businessUnit === attach.businessUnit).map((a) => ({ account: a.name }));
  };
  const scpNames = new Map<string, number>();
  (spec.guardrails ?? []).forEach((g, gi) => {
    const path: SpecPath = ['guardrails', gi];
    if ('preset' in g && !inList(g.preset, GUARDRAIL_PRESETS, 'BH1015', 'guardrail preset', [...path, 'preset'])) return;
    const name = g.name ?? ('preset' in g ? g.preset : `guardrail-${gi}`);
    if (scpNames.has(name) || name === FULL_AWS_ACCESS_NAME) {
      at([...path, 'preset' in g && !g.name ? 'preset' : 'name'], error('BH1016', `guardrail name \`${name}\` is used twice; give one a different \`name\``));
      return;
    }
    scpNames.set(name, gi);
    let document: PolicyDocument;
    let description: string;
    if ('preset' in g) {
      document = presetDocument(g.preset, { regions: g.regions ?? org.regions, exemptRoles: g.exemptRoles ?? [accessRoleName] });
      description = `bulkhead preset ${g.preset}`;
    } else {
      if (g.policy === undefined || g.policy === null || typeof g.policy !== 'object' || Array.isArray(g.policy)) {
        at([...path, 'policy'], error('BH1041', 'the guardrail `policy` must be an SCP document: a mapping with `Version` and `Statement`'));
        return;
      }
      document = g.policy as PolicyDocument;
      description = g.description ?? `bulkhead guardrail ${name}`;
      for (const d of validatePolicy?.(document, 'scp') ?? []) {
        const sub = d.path ? d.path.replace(/^\$\.?/, '').split(/\.|\[|\]/).filter(Boolean).map((s) => (/^\d+$/.test(s) ? Number(s) : s)) : [];
        at([...path, 'policy', ...sub], { ...d, code: d.code, message: d.message });
      }
    }
    const targets = new Map<string, PolicyTarget>();
    (g.attach ?? ['root' as const]).forEach((a, ai) => {
      for (const t of resolveAttach(a, [...path, 'attach', ai])) targets.set('ou' in t ? `ou:${t.ou}` : `account:${t.account}`, t);
    });
    if ([...targets.values()].some((t) => 'account' in t && t.account === org.managementAccount.name)) {
      at([...path, 'attach'], warning('BH1052', `guardrail \`${name}\` is attached to the management account, which SCPs never restrict; attach it to OUs or member accounts`));
    }
    scps.push({ name, description, managedBy: 'customer', document, targets: [...targets.values()] });
  });
  // AWS attaches FullAWSAccess to the root, every OU and every account; without it nothing would be allowed.
  scps.push({
    name: FULL_AWS_ACCESS_NAME,
    description: 'AWS managed: allows every action (attached by AWS to every root, OU and account)',
    managedBy: 'aws',
    document: FULL_AWS_ACCESS,
    targets: [
      ...[...ous.keys()].map((ou) => ({ ou })),
      ...accounts.filter((a) => a.purpose !== 'management').map((a) => ({ account: a.name })),
    ],
  });

  // --- boundaries and audit scopes --------------------------------------------------------------------------
  const selector = (s: SpecSelector, path: SpecPath): AccountSelector => {
    const out: { -readonly [K in keyof AccountSelector]: AccountSelector[K] } = {};
    const ph = list(s.phase);
    const bu = list(s.businessUnit);
    const ac = list(s.account);
    const ou = list(s.ou);
    if (ph) {
      ph.forEach((p, i) => checkPhase(p, Array.isArray(s.phase) ? [...path, 'phase', i] : [...path, 'phase']));
      out.phase = ph;
    }
    if (bu) {
      bu.forEach((b, i) => checkBu(b, Array.isArray(s.businessUnit) ? [...path, 'businessUnit', i] : [...path, 'businessUnit']));
      out.businessUnit = bu;
    }
    if (ac) {
      ac.forEach((a, i) => checkAccount(a, Array.isArray(s.account) ? [...path, 'account', i] : [...path, 'account']));
      out.account = ac;
    }
    if (ou) out.ou = ou.map(normalizeOuPath);
    if (Object.keys(out).length === 0) at(path, warning('BH1053', 'this selector is empty and so selects every account; say which `phase`, `businessUnit`, `account` or `ou`'));
    return out;
  };
  const boundaryNames = new Set<string>();
  const boundaries = (spec.boundaries ?? []).map((b, i) => {
    if (boundaryNames.has(b.name)) at(['boundaries', i, 'name'], error('BH1016', `boundary \`${b.name}\` is declared twice; rename one`));
    boundaryNames.add(b.name);
    b.deny.forEach((c, ci) => inList(c, CAPABILITIES, 'BH4001', 'capability', ['boundaries', i, 'deny', ci]));
    (b.except ?? []).forEach((r, ri) => {
      if (!(r in (spec.roles ?? {}))) at(['boundaries', i, 'except', ri], warning('BH1054', `\`${r}\` is not a role of this spec${didYouMean(r, Object.keys(spec.roles ?? {}))}; it can only match collected principals`));
    });
    return {
      name: b.name,
      from: selector(b.from, ['boundaries', i, 'from']),
      to: selector(b.to, ['boundaries', i, 'to']),
      deny: [...b.deny],
      ...(b.except ? { except: [...b.except] } : {}),
    };
  });
  const auditScopes = (spec.auditScopes ?? []).map((s, i) => ({ name: s.name, accounts: selector(s.accounts, ['auditScopes', i, 'accounts']) }));

  // --- assemble, check quotas, size -------------------------------------------------------------------------
  const organizationalUnits: OrganizationalUnit[] = [...ous.entries()].map(([path, tags]) => ({ path, tags }));
  const draft: OrganizationModel = {
    modelVersion: 1,
    source: 'plan',
    organization: { name: org.name, managementAccount: org.managementAccount.name, regions: [...org.regions], accessRoleName },
    phases: spec.phases.map((p) => ({ name: p.name, production: p.production ?? false })),
    businessUnits: spec.businessUnits.map((b) => ({
      name: b.name,
      ...(b.displayName ? { displayName: b.displayName } : {}),
      ...(b.owner ? { owner: b.owner } : {}),
    })),
    organizationalUnits,
    accounts,
    roles,
    users: [],
    serviceControlPolicies: scps,
    resourceControlPolicies: [],
    resources: [],
    boundaries,
    auditScopes,
  };
  const quota = org.accountQuota ?? DEFAULT_ACCOUNT_QUOTA;
  // A bad template makes every generated email bad the same way: say it once, at the template.
  const templateProblem = emailProblem(emailFor('account'));
  if (templateProblem && org.emailTemplate.includes('{account}')) {
    at(['organization', 'emailTemplate'], error('BH1021', `email template \`${org.emailTemplate}\` gives addresses like \`${emailFor('account')}\` that ${templateProblem.replace(/^is /, 'are ').replace(/^has /, 'have ').replace(/^does /, 'do ').replace(/^starts /, 'start ')}; fix the template`));
  }
  const templateBroken = templateProblem !== undefined || !org.emailTemplate.includes('{account}');
  for (const d of checkLimits(draft, { accountQuota: quota, validatePolicy })) {
    // a bad `assumedFrom` is reported once, by the planner, not again by the engine on the generated trust policy
    if (d.specPath?.[2] === 'assumedFrom' && badTrust.has(String(d.specPath[1])) && d.diagnostic.code.startsWith('BH3')) continue;
    if (d.field === 'email' && d.accountName !== undefined) {
      const path = emailPath.get(d.accountName) ?? [];
      if (templateBroken && path[1] === 'emailTemplate') continue;
      at(path, d.diagnostic);
      continue;
    }
    if (d.field === 'ou' && d.accountName !== undefined) {
      at([...(accountPath.get(d.accountName) ?? []), 'ou'], d.diagnostic);
      continue;
    }
    const scpIndex = d.scpName !== undefined ? scpNames.get(d.scpName) : undefined;
    const path = d.accountName ? (accountPath.get(d.accountName) ?? []) : scpIndex !== undefined ? ['guardrails', scpIndex] : (d.specPath ?? []);
    at(path, d.diagnostic);
  }
  dedupeInPlace(diagnostics);
  if (diagnostics.some((d) => d.severity === 'error')) return fail(diagnostics);
  const sizing = computeSizing(draft, spec as Spec, quota, buPhases);
  return ok(sortModel({ ...draft, sizing }), diagnostics);
}
