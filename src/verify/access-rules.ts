/**
 * Rules over the access graph: the spec's boundary assertions (1), the default boundaries (2), blast radius (3)
 * and audit-scope closure (5). Each works on every principal's effective access (direct and through chains).
 */
import type { Account, AccountSelector, OrganizationModel } from '../model/organization.js';
import { accountMatches } from '../model/query.js';
import type { Attribution, EntityAttribution } from './attribution.js';
import {
  DATA_CAPABILITIES,
  DESTRUCTIVE_CAPABILITIES,
  cappedList,
  orderEvidence,
  principalDisplayName,
  sortCapabilities,
  type Capability,
  type Evidence,
  type Finding,
} from './finding.js';
import { accessEvidence, effectiveAccess, type AccessGraph, type EffectiveAccess, type PrincipalNode, type ResourceNode } from './graph.js';
import { compareEntries, compareStrings } from '../util/order.js';

/** A principal's blast radius. */
export interface BlastRadius {
  readonly principal: string;
  readonly account: string;
  /** Resources it can delete data from or administer. */
  readonly resources: number;
  /** Accounts those resources are in (sorted). */
  readonly accounts: readonly string[];
}

/** An audit scope's closure. */
export interface AuditScopeClosure {
  readonly name: string;
  /** Accounts the scope names (sorted). */
  readonly scopeAccounts: readonly string[];
  /** Scope accounts plus every account holding a principal that reaches in-scope data (sorted). */
  readonly closureAccounts: readonly string[];
  /** Principals (ARNs, sorted) that reach in-scope data. */
  readonly principals: readonly string[];
}

/** Per principal and account, the capabilities it effectively has (for the access matrix). */
export interface MatrixRow {
  readonly principal: string;
  readonly account: string;
  readonly cells: Readonly<Record<string, readonly Capability[]>>;
}

/** Output of the access rules. */
export interface AccessRuleResult {
  readonly findings: Finding[];
  readonly blastRadius: BlastRadius[];
  readonly auditScopes: AuditScopeClosure[];
  readonly matrix: MatrixRow[];
}

/** Options for the access rules. */
export interface AccessRuleOptions {
  /** A principal that can destroy in at least this many accounts is a finding (default 3). */
  readonly destroyAccountThreshold?: number;
  /** Apply the default boundaries even when the spec gives its own (default: only when it gives none). */
  readonly defaultBoundaries?: boolean;
}

function withAttr(account: Account | undefined, attr: EntityAttribution): Account | undefined {
  if (!account) return undefined;
  const { phase: _p, businessUnit: _b, ...rest } = account;
  return {
    ...rest,
    ...(attr.phase.value !== undefined ? { phase: attr.phase.value } : {}),
    ...(attr.businessUnit.value !== undefined ? { businessUnit: attr.businessUnit.value } : {}),
  };
}

function capList(caps: readonly Capability[]): string {
  return caps.map((c) => `\`${c}\``).join(', ');
}

/** What every rule shares during one run: the inputs, lookups and the outputs being collected. */
interface RuleRun {
  readonly model: OrganizationModel;
  readonly graph: AccessGraph;
  readonly threshold: number;
  readonly useDefaults: boolean;
  readonly accountsByName: ReadonlyMap<string, Account>;
  /** Attributed account views per resource, built on first use (only boundary assertions need them). */
  readonly rAccounts: (Account | undefined)[];
  /** Accounts each audit scope names, and the principals that reach in-scope data. */
  readonly scopeAccounts: readonly Set<string>[];
  readonly scopePrincipals: readonly Set<string>[];
  readonly findings: Finding[];
  readonly blastRadius: BlastRadius[];
  readonly matrix: MatrixRow[];
  /** The current principal's access findings, one per (rule, boundary, target account, capability set, path). */
  readonly groups: Map<string, AccessGroup>;
}

/** Words of an access finding's message: the capabilities, the resources phrase and the ` through …` path. */
type AccessMessage = (capText: string, resourcesText: (adjective: string) => string, viaText: string) => string;

/** One access finding being gathered: every resource of one account one principal reaches alike. */
interface AccessGroup {
  readonly rule: Finding['rule'];
  readonly severity: Finding['severity'];
  readonly p: PrincipalNode;
  readonly account: string;
  readonly capabilities: readonly Capability[];
  readonly path: readonly string[];
  readonly pathNames: readonly string[];
  readonly viaText: string;
  readonly message: AccessMessage;
  readonly resources: Set<string>;
  readonly evidence: Evidence[];
}

/** How many resources a message names before `+ N more` (the JSON `resources` has them all). */
const MESSAGE_RESOURCES = 3;

/** One principal as the rules see it, with one effective access of it. */
interface Access {
  readonly p: PrincipalNode;
  readonly pAccount: Account | undefined;
  readonly e: EffectiveAccess;
  readonly r: ResourceNode;
}

/** Runs rules 1, 2, 3 and 5 over the graph. */
export function accessFindings(
  model: OrganizationModel,
  attribution: Attribution,
  graph: AccessGraph,
  options: AccessRuleOptions = {},
): AccessRuleResult {
  const run: RuleRun = {
    model,
    graph,
    threshold: options.destroyAccountThreshold ?? 3,
    useDefaults: options.defaultBoundaries === true || model.boundaries.length === 0,
    accountsByName: new Map(model.accounts.map((a) => [a.name, a])),
    rAccounts: new Array<Account | undefined>(graph.resources.length),
    scopeAccounts: model.auditScopes.map((s) => selectAttributed(model, attribution, s.accounts)),
    scopePrincipals: model.auditScopes.map(() => new Set<string>()),
    findings: [],
    blastRadius: [],
    matrix: [],
    groups: new Map(),
  };
  for (const p of graph.principals) principalRules(run, p);
  const auditScopes = auditScopeClosures(run);
  run.blastRadius.sort((a, b) => b.accounts.length - a.accounts.length || b.resources - a.resources || compareStrings(a.principal, b.principal));
  return { findings: run.findings, blastRadius: run.blastRadius, auditScopes, matrix: run.matrix };
}

/** Principal ARNs of an assumption path (empty for direct access). */
function pathArns(run: RuleRun, e: EffectiveAccess): string[] {
  return e.path.length > 1 ? e.path.map((i) => run.graph.principals[i]!.ctx.arn) : [];
}

/** Display names of an assumption path (empty for direct access). */
function pathNames(run: RuleRun, e: EffectiveAccess): string[] {
  return e.path.length > 1 ? e.path.map((i) => principalDisplayName(run.graph.principals[i]!.ctx)) : [];
}

/** ` through `a` → `b`` for an assumption path, '' for direct access. */
function via(run: RuleRun, e: EffectiveAccess): string {
  return e.path.length > 1 ? ` through ${e.path.slice(1).map((i) => `\`${principalDisplayName(run.graph.principals[i]!.ctx)}\``).join(' → ')}` : '';
}

/** Every rule over one principal's effective access; adds its matrix row and blast radius. */
function principalRules(run: RuleRun, p: PrincipalNode): void {
  const { model, graph, rAccounts, accountsByName } = run;
  const eff = effectiveAccess(graph, p.index);
  if (eff.length === 0) return;
  const pAccount = withAttr(accountsByName.get(p.ctx.accountName), p.attr);
  const destroyAccounts = new Set<string>();
  const destroyed = new Set<number>();
  const cells = new Map<string, Set<Capability>>();

  for (const e of eff) {
    const r = graph.resources[e.resource]!;
    let rAccount = rAccounts[e.resource];
    if (rAccount === undefined && model.boundaries.length > 0) {
      rAccount = rAccounts[e.resource] = withAttr(accountsByName.get(r.ctx.accountName), r.attr);
    }
    const data = e.capabilities.filter((c) => DATA_CAPABILITIES.includes(c));
    const cell = cells.get(r.ctx.accountName) ?? new Set<Capability>();
    e.capabilities.forEach((c) => cell.add(c));
    cells.set(r.ctx.accountName, cell);
    const access: Access = { p, pAccount, e, r };
    // 1. the spec's boundary assertions
    if (pAccount && rAccount) boundaryAssertions(run, access, rAccount);
    // 2. default boundaries
    if (run.useDefaults && data.length > 0) defaultBoundaries(run, access, data);
    // 3. blast radius (count each resource once even when several paths reach it)
    if (e.capabilities.some((c) => DESTRUCTIVE_CAPABILITIES.includes(c)) && !destroyed.has(e.resource)) {
      destroyed.add(e.resource);
      destroyAccounts.add(r.ctx.accountName);
    }
    // 5. audit scope membership
    if (data.length > 0) {
      run.scopeAccounts.forEach((accts, i) => {
        if (accts.has(r.ctx.accountName)) run.scopePrincipals[i]!.add(p.ctx.arn);
      });
    }
  }
  flushGroups(run);
  run.matrix.push({
    principal: p.ctx.arn,
    account: p.ctx.accountName,
    cells: Object.fromEntries([...cells].sort(compareEntries).map(([k, v]) => [k, sortCapabilities(v)])),
  });
  if (destroyed.size > 0) blastRadiusRule(run, p, destroyed.size, [...destroyAccounts].sort());
}

/**
 * Adds one access to its finding: one per (rule, key, target account, capability set, path), so a principal that
 * reads 100 buckets of one account alike is one finding with 100 resources, not 100 findings.
 */
function addAccess(run: RuleRun, { p, e, r }: Access, rule: Finding['rule'], key: string, severity: Finding['severity'], caps: readonly Capability[], message: AccessMessage): void {
  const capabilities = sortCapabilities(caps);
  const path = pathArns(run, e);
  const k = [rule, key, r.ctx.accountName, capabilities.join(','), path.join(' ')].join('\u0000');
  let g = run.groups.get(k);
  if (!g) {
    g = { rule, severity, p, account: r.ctx.accountName, capabilities, path, pathNames: pathNames(run, e), viaText: via(run, e), message, resources: new Set(), evidence: [] };
    run.groups.set(k, g);
  }
  g.resources.add(r.ctx.arn);
  g.evidence.push(...accessEvidence(run.graph, e));
}

/** ``arn` in `account`` for one resource, `N <adjective>resources in `account` (`a`, …, + M more)` for several. */
function resourcesPhrase(resources: readonly string[], account: string): (adjective: string) => string {
  return (adjective) =>
    resources.length === 1
      ? `${adjective}\`${resources[0]}\` in \`${account}\``
      : `${resources.length} ${adjective}resources in \`${account}\` (${cappedList(resources, MESSAGE_RESOURCES)})`;
}

/** Turns the current principal's gathered access into findings (in the order first met) and clears them. */
function flushGroups(run: RuleRun): void {
  for (const g of run.groups.values()) {
    const resources = [...g.resources].sort(compareStrings);
    run.findings.push({
      rule: g.rule,
      severity: g.severity,
      principal: g.p.ctx.arn,
      principalName: principalDisplayName(g.p.ctx),
      resource: resources[0]!,
      ...(resources.length > 1 ? { resources } : {}),
      account: g.account,
      capabilities: g.capabilities,
      path: g.path,
      ...(g.path.length > 0 ? { pathNames: g.pathNames } : {}),
      evidence: orderEvidence(g.evidence),
      message: g.message(capList(g.capabilities), resourcesPhrase(resources, g.account), g.viaText),
    });
  }
  run.groups.clear();
}

/** Rule 1: the spec's boundaries this access breaks. */
function boundaryAssertions(run: RuleRun, access: Access, rAccount: Account): void {
  const { p, pAccount, e } = access;
  for (const b of run.model.boundaries) {
    if (b.except?.includes(p.ctx.name)) continue;
    if (!accountMatches(pAccount!, b.from) || !accountMatches(rAccount, b.to)) continue;
    const hit = e.capabilities.filter((c) => b.deny.includes(c));
    if (hit.length === 0) continue;
    const message: AccessMessage = (caps, on, path) =>
      `boundary \`${b.name}\` is broken: \`${principalDisplayName(p.ctx)}\` has ${caps} on ${on('')}${path}; remove the granting statements or add the principal to the boundary's \`except\``;
    addAccess(run, access, 'boundary.assertion', b.name, 'critical', hit, message);
  }
}

/** Rule 2: the default boundaries (non-production to production, across business units) for data access. */
function defaultBoundaries(run: RuleRun, access: Access, data: readonly Capability[]): void {
  const { p, r } = access;
  const pPhase = p.attr.phase.value;
  if (pPhase !== undefined && !p.attr.production && r.attr.production) {
    const message: AccessMessage = (caps, on, path) =>
      `non-production (\`${pPhase}\`) principal \`${principalDisplayName(p.ctx)}\` has ${caps} on ${on('production ')}${path}; remove the granting statements listed as evidence`;
    addAccess(run, access, 'boundary.nonprod-to-prod', '', 'critical', data, message);
  }
  const pBu = p.attr.businessUnit.value;
  const rBu = r.attr.businessUnit.value;
  if (pBu !== undefined && rBu !== undefined && pBu !== rBu) {
    const message: AccessMessage = (caps, on, path) =>
      `principal \`${principalDisplayName(p.ctx)}\` of business unit \`${pBu}\` has ${caps} on ${on('')} of business unit \`${rBu}\`${path}; remove the grant, or declare the intended access in the spec's \`boundaries\``;
    addAccess(run, access, 'boundary.cross-business-unit', rBu, 'high', data, message);
  }
}

/** Rule 3: records the principal's blast radius, a finding when it spans `threshold` accounts or more. */
function blastRadiusRule(run: RuleRun, p: PrincipalNode, destroyResources: number, accounts: readonly string[]): void {
  run.blastRadius.push({ principal: p.ctx.arn, account: p.ctx.accountName, resources: destroyResources, accounts });
  if (accounts.length < run.threshold) return;
  run.findings.push({
    rule: 'blast-radius.multi-account-destroy',
    severity: 'high',
    principal: p.ctx.arn,
    principalName: principalDisplayName(p.ctx),
    resource: '-',
    account: p.ctx.accountName,
    capabilities: [...DESTRUCTIVE_CAPABILITIES],
    path: [],
    evidence: [],
    message: `\`${principalDisplayName(p.ctx)}\` can delete data or administer ${destroyResources} resource(s) across ${accounts.length} accounts (${accounts
      .slice(0, 5)
      .map((a) => `\`${a}\``)
      .join(', ')}${accounts.length > 5 ? ', …' : ''}); split its duties so one principal cannot destroy several accounts`,
  });
}

/** Rule 5: each audit scope's closure, a finding per account outside the scope that reaches in-scope data. */
function auditScopeClosures(run: RuleRun): AuditScopeClosure[] {
  const { scopeAccounts, scopePrincipals } = run;
  const principalAccount = new Map(run.graph.principals.map((p) => [p.ctx.arn, p.ctx.accountName]));
  const displayName = new Map(run.graph.principals.map((p) => [p.ctx.arn, principalDisplayName(p.ctx)]));
  return run.model.auditScopes.map((s, i) => {
    const scope = [...scopeAccounts[i]!].sort();
    const principals = [...scopePrincipals[i]!].sort();
    const closure = new Set(scope);
    for (const arn of principals) closure.add(principalAccount.get(arn)!);
    const closureAccounts = [...closure].sort();
    const outside = closureAccounts.filter((a) => !scopeAccounts[i]!.has(a));
    for (const a of outside) {
      const who = principals.filter((arn) => principalAccount.get(arn) === a);
      run.findings.push({
        rule: 'audit.scope-closure',
        severity: 'medium',
        principal: who[0] ?? '-',
        ...(who[0] !== undefined ? { principalName: displayName.get(who[0])! } : {}),
        resource: '-',
        account: a,
        capabilities: [...DATA_CAPABILITIES],
        path: [],
        evidence: [],
        message: `account \`${a}\` is outside audit scope \`${s.name}\` but ${who.length} of its principal(s) (${who
          .slice(0, 3)
          .map((x) => `\`${displayName.get(x)!}\``)
          .join(', ')}${who.length > 3 ? ', …' : ''}) reach in-scope data, so it belongs in the audit (scope ${scope.length} → closure ${closureAccounts.length} accounts); remove that access to shrink the audit`,
      });
    }
    return { name: s.name, scopeAccounts: scope, closureAccounts, principals };
  });
}

/** Accounts matching a selector, judged by their attributed phase and business unit. */
export function selectAttributed(model: OrganizationModel, attribution: Attribution, selector: AccountSelector): Set<string> {
  const out = new Set<string>();
  for (const a of model.accounts) {
    const attr = attribution.accounts.get(a.name);
    const view = withAttr(a, {
      phase: attr?.phase ?? { value: undefined, source: 'none' },
      businessUnit: attr?.businessUnit ?? { value: undefined, source: 'none' },
      production: attr?.production ?? false,
    })!;
    if (accountMatches(view, selector)) out.add(a.name);
  }
  return out;
}
