/**
 * `verify` core: attribution → structural rules → access graph → access rules → one report value.
 * Pure: no file system, no console; the CLI renders the report.
 */
import type { GateSummary } from './gate.js';
import type { OrganizationModel, PolicyDocument } from '../model/organization.js';
import { referencedAccounts, referencesOrganization, resolveAccountRefs, resolveOrganizationRef } from '../model/account-ref.js';
import { attribute, type Attributed, type Attribution } from './attribution.js';
import type { AccessEvaluator } from './engine-port.js';
import { RULES, SEVERITIES, sortFindings, type Finding, type FindingSeverity } from './finding.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import {
  assembleGraph,
  buildNodes,
  candidatePairs,
  evaluateShare,
  type AccessGraph,
  type PrincipalNode,
  type ResourceNode,
} from './graph.js';
import { compareStrings, sortedRecord } from '../util/order.js';
import { accessFindings, type AuditScopeClosure, type BlastRadius, type MatrixRow } from './access-rules.js';
import { escalationFindings } from './escalation-rules.js';
import { attributionFindings, faultBoundaryFindings, hygieneFindings } from './structural-rules.js';
import { externalAccessFindings } from './external-access.js';
import { attachPeople, nonProductionGroupFindings, peopleIndex, type PeopleSummary } from './people.js';
import { reportingShare, type VerifyProgress } from './progress.js';

/** How one account was attributed, for the report. */
export interface AccountSummary {
  readonly name: string;
  readonly id: string;
  readonly idSynthetic: boolean;
  readonly ouPath: string;
  readonly purpose: string;
  readonly businessUnit: string | null;
  readonly businessUnitSource: Attributed['source'];
  readonly phase: string | null;
  readonly phaseSource: Attributed['source'];
  readonly production: boolean;
  /** How the attributes were decided, e.g. "phase: tag `Environment=prod`; business unit: OU `Root/Retail`". */
  readonly decidedBy: string;
}

/** The `summary` object of the JSON output (documented in docs/verify.md). */
export interface VerifySummary {
  readonly target: string;
  readonly source: OrganizationModel['source'];
  readonly organization: string;
  readonly managementAccount: string;
  /** `true` when the access rules ran (a policy engine was available). */
  readonly accessAnalysis: boolean;
  /** Rules that did not run, with the reason. */
  readonly skippedRules: readonly { rule: string; reason: string }[];
  readonly counts: {
    readonly total: number;
    readonly bySeverity: Readonly<Record<FindingSeverity, number>>;
    readonly byRule: Readonly<Record<string, number>>;
  };
  readonly principals: number;
  readonly resources: number;
  readonly abstractResources: number;
  readonly assumeEdges: number;
  /** People (Identity Center or identity-account groups) and where they land, per group × permission set. */
  readonly people: PeopleSummary;
  readonly accounts: readonly AccountSummary[];
  readonly unattributed: readonly string[];
  /**
   * Principals and resources whose own tags override their account's phase or business unit (the others
   * inherit it), sorted by ARN; at most 200 are listed, `overrideCount` has the total.
   */
  readonly attributionOverrides: readonly { arn: string; account: string; phase: string | null; businessUnit: string | null; decidedBy: string }[];
  readonly overrideCount: number;
  /** Top principals by the number of accounts (then resources) they can destroy in. */
  readonly blastRadius: readonly BlastRadius[];
  readonly auditScopes: readonly AuditScopeClosure[];
  readonly stats: { readonly capabilityQueries: number; readonly assumeQueries: number; readonly prunedPairs: number };
  /** Problems met during analysis (policies the engine could not evaluate), sorted and unique. */
  readonly warnings: readonly string[];
  /**
   * What the access analysis had to leave out, sorted by source then reason: documents or statements the engine
   * could not evaluate (`BH7101`, `source` names the document) and principals it could not ask about
   * (`BH7102`, `source` is the principal's ARN). Empty when the analysis is complete; the CLI exits 4 otherwise.
   */
  readonly incomplete: readonly IncompleteReason[];
  /** What `--baseline` and `--exclusions` took out (src/verify/gate.ts); absent without them. */
  readonly gate?: GateSummary;
}

/**
 * One thing the analysis left out (see {@link VerifySummary.incomplete}): a document or statement the engine could
 * not evaluate (`BH7101`), a principal it could not ask about (`BH7102`), or an ACTIVE account the snapshot holds
 * no account file for (`BH6009`, `source` is the account id), so its roles, users and resources are unknown.
 */
export interface IncompleteReason {
  readonly code: 'BH7101' | 'BH7102' | 'BH6009';
  readonly reason: string;
  readonly source: string;
}

/**
 * The summary line of an incomplete analysis for the renderers, e.g. `analysis incomplete: 2 documents left out`;
 * undefined when nothing was left out.
 */
export function incompleteLine(incomplete: readonly IncompleteReason[]): string | undefined {
  if (incomplete.length === 0) return undefined;
  const count = (code: IncompleteReason['code']) => new Set(incomplete.filter((i) => i.code === code).map((i) => i.source)).size;
  const docs = count('BH7101');
  const principals = count('BH7102');
  const accounts = count('BH6009');
  const parts: string[] = [];
  if (accounts > 0) parts.push(`${accounts} account${accounts === 1 ? '' : 's'} not in the snapshot`);
  if (docs > 0 || parts.length === 0) parts.push(`${docs} document${docs === 1 ? '' : 's'} left out`);
  if (principals > 0) parts.push(`${principals} principal${principals === 1 ? '' : 's'} not evaluated`);
  return `analysis incomplete: ${parts.join(', ')}`;
}

/** Incomplete reasons unique (by source and reason) and sorted by source, then reason. */
function sortIncomplete(reasons: readonly IncompleteReason[]): IncompleteReason[] {
  const seen = new Map<string, IncompleteReason>();
  for (const r of reasons) seen.set(`${r.source}\u0000${r.reason}`, r);
  return [...seen.values()].sort((a, b) => compareStrings(a.source, b.source) || compareStrings(a.reason, b.reason));
}

/** The left-out entries among the engine's warnings, unique and sorted. */
export function incompleteReasons(warnings: readonly Diagnostic[]): IncompleteReason[] {
  const entries: IncompleteReason[] = [];
  for (const d of warnings) {
    if (d.code !== 'BH7101' && d.code !== 'BH7102') continue;
    entries.push({ code: d.code, reason: d.message, source: d.path ?? '' });
  }
  return sortIncomplete(entries);
}

/** Extra data for the HTML report (diagram, matrix, graph); not part of the JSON contract. */
export interface VerifyView {
  readonly organizationalUnits: readonly string[];
  readonly matrix: readonly MatrixRow[];
  readonly assumeEdges: readonly { from: string; to: string }[];
  /** Escalation edges besides assumption (principal ARNs; kind `pass-role:<service>`, `instance-role:ssm`, `iam-modify:<kind>`). */
  readonly escalationEdges?: readonly { from: string; to: string; kind: string }[];
  readonly phases: readonly { name: string; production: boolean }[];
}

/** Everything verify found. */
export interface VerifyReport {
  readonly findings: readonly Finding[];
  readonly summary: VerifySummary;
  readonly view: VerifyView;
}

/** Options for verify. */
export interface VerifyOptions {
  /** Name of what was verified (file or directory), echoed in the report. */
  readonly target: string;
  /** A planned model for attribution of collected accounts (`--spec`); its boundaries and audit scopes are used too. */
  readonly spec?: OrganizationModel;
  /** The policy engine; without it only the structural rules run (and the report says so). */
  readonly evaluator?: AccessEvaluator;
  readonly destroyAccountThreshold?: number;
  readonly defaultBoundaries?: boolean;
  /** How many blast-radius entries the summary keeps (default 10). */
  readonly topBlastRadius?: number;
  /**
   * What the input itself lacks, e.g. the ACTIVE accounts a snapshot has no account file for; listed in
   * `summary.incomplete` with what the engine left out.
   */
  readonly incomplete?: readonly IncompleteReason[];
  /** Receives the progress of the long steps (engine principal by principal, then each group of rules). */
  readonly progress?: VerifyProgress;
}

/** The model as verify sees it (spec merged in, account references resolved) and its nodes. */
export interface PreparedVerify {
  readonly effective: OrganizationModel;
  readonly attribution: Attribution;
  readonly principals: readonly PrincipalNode[];
  readonly resources: readonly ResourceNode[];
}

/** Attribution, reference resolution and nodes: everything before the engine is asked. Deterministic. */
export function prepareVerify(model: OrganizationModel, options: Pick<VerifyOptions, 'spec'>): PreparedVerify {
  // a spec given for a snapshot contributes its intended boundaries and audit scopes
  const effectiveRaw: OrganizationModel =
    options.spec && model.source === 'snapshot'
      ? {
          ...model,
          boundaries: model.boundaries.length > 0 ? model.boundaries : options.spec.boundaries,
          auditScopes: model.auditScopes.length > 0 ? model.auditScopes : options.spec.auditScopes,
          phases: model.phases.length > 0 ? model.phases : options.spec.phases,
          businessUnits: model.businessUnits.length > 0 ? model.businessUnits : options.spec.businessUnits,
        }
      : model;
  const attribution = attribute(effectiveRaw, options.spec ? { spec: options.spec } : {});
  const effective = resolveModelRefs(effectiveRaw, attribution);
  const { principals, resources } = buildNodes(effective, attribution);
  return { effective, attribution, principals, resources };
}

/** Runs every rule over the model (single-threaded; see parallel.ts for the threaded edge). */
export function verifyModel(model: OrganizationModel, options: VerifyOptions): VerifyReport {
  options.progress?.({ step: 'preparing' });
  const prepared = prepareVerify(model, options);
  let graph: AccessGraph | undefined;
  if (options.evaluator) {
    const candidates = candidatePairs(prepared.principals, prepared.resources);
    const inShare = reportingShare(prepared.principals.length, () => true, options.progress, 'engine: principals');
    const share = evaluateShare(prepared.principals, prepared.resources, candidates, options.evaluator, inShare);
    graph = assembleGraph(prepared.principals, prepared.resources, candidates, [share]);
  }
  return finishVerify(prepared, graph, options, options.evaluator?.diagnostics ?? []);
}

/**
 * The external-access findings: they ask the engine about outside callers and do not read the access graph, so the
 * threaded edge runs them while the workers finish their shares.
 */
export function externalFindings(prepared: PreparedVerify, evaluator: AccessEvaluator): Finding[] {
  return externalAccessFindings(prepared.effective, prepared.attribution, prepared.principals, prepared.resources, evaluator);
}

/**
 * Runs the rules and builds the report from a prepared model and (when an engine ran) its access graph.
 * `external`: the external-access findings when the caller already has them (see {@link externalFindings}); then
 * `options.evaluator` is not needed, and a caller that drops it frees the engine's caches before the rules run.
 */
export function finishVerify(
  prepared: PreparedVerify,
  graph: AccessGraph | undefined,
  options: VerifyOptions,
  warnings: readonly Diagnostic[],
  external?: readonly Finding[],
): VerifyReport {
  const { effective, attribution, principals, resources } = prepared;
  const people = peopleIndex(effective, principals);
  // `warnings` may be the evaluator's live list: the external-access rules below add to it, so it is read at the end
  const step = (name: string) => options.progress?.({ step: name });
  step('structural rules');
  const findings: Finding[] = [
    ...nonProductionGroupFindings(attribution, people, principals, graph),
    ...attributionFindings(attribution),
    ...faultBoundaryFindings(effective, attribution, principals, resources),
    ...hygieneFindings(effective, attribution, principals, resources),
  ];
  if (graph) step('access rules');
  const access = graph
    ? accessFindings(effective, attribution, graph, {
        ...(options.destroyAccountThreshold !== undefined ? { destroyAccountThreshold: options.destroyAccountThreshold } : {}),
        ...(options.defaultBoundaries !== undefined ? { defaultBoundaries: options.defaultBoundaries } : {}),
      })
    : undefined;
  if (access) findings.push(...access.findings);
  if (graph && external !== undefined) findings.push(...external);
  else if (graph && options.evaluator) {
    step('external access');
    findings.push(...externalFindings(prepared, options.evaluator));
  }
  if (graph) step('escalation paths');
  if (graph) findings.push(...escalationFindings(effective, attribution, graph));
  const sorted = sortFindings(attachPeople(findings, people));

  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<FindingSeverity, number>;
  const byRule: Record<string, number> = {};
  for (const f of sorted) {
    bySeverity[f.severity]++;
    byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
  }
  const accounts: AccountSummary[] = [...effective.accounts]
    .sort((a, b) => compareStrings(a.name, b.name))
    .map((a) => {
      const at = attribution.accounts.get(a.name)!;
      const how = (label: string, x: Attributed) => `${label}: ${x.source === 'none' ? 'undecided' : (x.detail ?? x.source)}`;
      return {
        name: a.name,
        id: at.id,
        idSynthetic: at.idSynthetic,
        ouPath: a.ouPath,
        purpose: a.purpose,
        businessUnit: at.businessUnit.value ?? null,
        businessUnitSource: at.businessUnit.source,
        phase: at.phase.value ?? null,
        phaseSource: at.phase.source,
        production: at.production,
        decidedBy: `${how('phase', at.phase)}; ${how('business unit', at.businessUnit)}`,
      };
    });
  const overrides = [
    ...principals.map((p) => ({ arn: p.ctx.arn, account: p.ctx.accountName, attr: p.attr })),
    ...resources.filter((r) => !r.ctx.abstract).map((r) => ({ arn: r.ctx.arn, account: r.ctx.accountName, attr: r.attr })),
  ]
    .filter((x) => x.attr.phase.source === 'tag' || x.attr.businessUnit.source === 'tag')
    .map((x) => ({
      arn: x.arn,
      account: x.account,
      phase: x.attr.phase.value ?? null,
      businessUnit: x.attr.businessUnit.value ?? null,
      decidedBy: [x.attr.phase.source === 'tag' ? `phase: ${x.attr.phase.detail}` : '', x.attr.businessUnit.source === 'tag' ? `business unit: ${x.attr.businessUnit.detail}` : '']
        .filter((d) => d !== '')
        .join('; '),
    }))
    .sort((a, b) => compareStrings(a.arn, b.arn));
  const skippedRules = graph
    ? []
    : RULES.filter((r) => r.needsEngine).map((r) => ({ rule: r.id, reason: 'no policy engine available' }));
  const arnOf = (i: number) => graph!.principals[i]!.ctx.arn;
  return {
    findings: sorted,
    summary: {
      target: options.target,
      source: effective.source,
      organization: effective.organization.name,
      managementAccount: effective.organization.managementAccount,
      accessAnalysis: graph !== undefined,
      skippedRules,
      counts: { total: sorted.length, bySeverity, byRule: sortedRecord(byRule) },
      principals: principals.length,
      resources: resources.filter((r) => !r.ctx.abstract).length,
      abstractResources: resources.filter((r) => r.ctx.abstract).length,
      assumeEdges: graph?.edges.length ?? 0,
      people: people.summary,
      accounts,
      unattributed: attribution.unattributed,
      attributionOverrides: overrides.slice(0, 200),
      overrideCount: overrides.length,
      blastRadius: (access?.blastRadius ?? []).slice(0, options.topBlastRadius ?? 10),
      auditScopes: access?.auditScopes ?? [],
      stats: graph?.stats ?? { capabilityQueries: 0, assumeQueries: 0, prunedPairs: 0 },
      warnings: [...new Set([...warnings, ...people.diagnostics].map((d) => `${d.code}: ${d.message}`))].sort(),
      incomplete: sortIncomplete([...incompleteReasons([...warnings, ...people.diagnostics]), ...(options.incomplete ?? [])]),
    },
    view: {
      organizationalUnits: effective.organizationalUnits.map((o) => o.path).sort(),
      matrix: access?.matrix ?? [],
      assumeEdges: (graph?.edges ?? []).map((e) => ({ from: arnOf(e.from), to: arnOf(e.to) })),
      escalationEdges: (graph?.escalations ?? []).map((e) => ({ from: arnOf(e.from), to: arnOf(e.to), kind: e.kind })),
      phases: effective.phases.map((p) => ({ name: p.name, production: p.production })),
    },
  };
}

/** The stand-in id of the organization being designed (`o-` and 12 lowercase letters, the shape AWS gives ids). */
export const DESIGN_ORGANIZATION_ID = 'o-designedorg0';

/**
 * The engine options verify evaluates a model with: its first region, and its organization id (or, at design time,
 * the stand-in its data-perimeter policies are resolved to; see `verifyOrganizationId`). Diff uses the same.
 */
export function verifyEngineOptions(model: OrganizationModel): { defaultRegion?: string; organizationId?: string } {
  const organizationId = verifyOrganizationId(model);
  return {
    ...(model.organization.regions[0] ? { defaultRegion: model.organization.regions[0] } : {}),
    ...(organizationId !== undefined ? { organizationId } : {}),
  };
}

/**
 * The organization id verify evaluates with (`aws:PrincipalOrgID` of the organization's principals, and
 * `{{organization:id}}` in its SCPs and RCPs): the model's own, else, when an SCP or RCP names the organization it is
 * part of (a planned data perimeter without `organizationId`), a stand-in for the organization being designed.
 */
export function verifyOrganizationId(model: OrganizationModel): string | undefined {
  if (model.organization.id !== undefined) return model.organization.id;
  const names = (ps: readonly { readonly document: PolicyDocument }[]) => ps.some((p) => referencesOrganization(p.document));
  return names(model.serviceControlPolicies) || names(model.resourceControlPolicies) ? DESIGN_ORGANIZATION_ID : undefined;
}

/**
 * Planned policies name other accounts as `{{account:NAME}}`; verify evaluates them with the synthetic ids
 * attribution assigned (unknown names stay as they are and so match nothing). `{{organization:id}}` in SCPs and RCPs
 * (the only documents the planner writes it into) becomes `verifyOrganizationId(model)`.
 */
export function resolveModelRefs(model: OrganizationModel, attribution: Attribution): OrganizationModel {
  // documents without references are kept as they are (no copy: collected models are large)
  const r = (d: PolicyDocument): PolicyDocument =>
    referencedAccounts(d).length === 0 ? d : resolveAccountRefs(d, (name) => attribution.accounts.get(name)?.id ?? `{{account:${name}}}`);
  const organizationId = verifyOrganizationId(model);
  const orgPolicy = (d: PolicyDocument): PolicyDocument => resolveOrganizationRef(r(d), organizationId);
  // a role or user none of whose documents names another account is kept as it is (no copy per principal)
  const names = (x: { readonly policies: readonly { readonly document: PolicyDocument }[]; readonly permissionBoundary?: { readonly document: PolicyDocument } }) =>
    x.policies.some((p) => r(p.document) !== p.document) || (x.permissionBoundary !== undefined && r(x.permissionBoundary.document) !== x.permissionBoundary.document);
  return {
    ...model,
    roles: model.roles.map((x) =>
      !names(x) && r(x.trustPolicy) === x.trustPolicy
        ? x
        : {
            ...x,
            trustPolicy: r(x.trustPolicy),
            policies: x.policies.map((p) => ({ ...p, document: r(p.document) })),
            ...(x.permissionBoundary ? { permissionBoundary: { ...x.permissionBoundary, document: r(x.permissionBoundary.document) } } : {}),
          },
    ),
    users: model.users.map((x) =>
      !names(x)
        ? x
        : {
            ...x,
            policies: x.policies.map((p) => ({ ...p, document: r(p.document) })),
            ...(x.permissionBoundary ? { permissionBoundary: { ...x.permissionBoundary, document: r(x.permissionBoundary.document) } } : {}),
          },
    ),
    serviceControlPolicies: model.serviceControlPolicies.map((p) => ({ ...p, document: orgPolicy(p.document) })),
    resourceControlPolicies: model.resourceControlPolicies.map((p) => ({ ...p, document: orgPolicy(p.document) })),
    resources: model.resources.map((x) => (x.policy !== undefined ? { ...x, policy: r(x.policy) } : x)),
  };
}
