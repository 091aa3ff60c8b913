/**
 * The finding model of `bulkhead verify`: what a rule reports, in a shape that is stable across releases
 * (the JSON output, SARIF and the HTML report are all rendered from it).
 */
import type { Capability } from '../catalog/index.js';
import { compareStrings } from '../util/order.js';

// k9-style access capabilities (see docs/verify.md): the catalogue's one list and type, in its order (the order
// every report and table shows them); sortCapabilities sorts into that order
export { CAPABILITIES, sortCapabilities, type Capability } from '../catalog/index.js';

/** Capabilities that touch data (what "reaches data" means in the default boundaries). */
export const DATA_CAPABILITIES: readonly Capability[] = ['read-data', 'write-data', 'delete-data'];

/** Capabilities that can destroy (what blast radius counts). */
export const DESTRUCTIVE_CAPABILITIES: readonly Capability[] = ['delete-data', 'administer-resource'];

/** Finding severities, most severe first. */
export type FindingSeverity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** Severities from most to least severe. */
export const SEVERITIES: readonly FindingSeverity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** Numeric rank of a severity: critical = 4 … info = 0. */
export function severityRank(s: FindingSeverity): number {
  return 4 - SEVERITIES.indexOf(s);
}

/** True when `s` is at or above `threshold`. */
export function atOrAbove(s: FindingSeverity, threshold: FindingSeverity): boolean {
  return severityRank(s) >= severityRank(threshold);
}

/** One policy statement that contributed to a decision. */
export interface Evidence {
  /** Where the policy lives, e.g. `role retail-dev/app policy inline:app`, `resource arn:aws:s3:::b policy`, `scp deny-leave`. */
  readonly source: string;
  /** Statement Sid when present, else `#<index>` (0-based). */
  readonly statement: string;
  readonly effect: 'Allow' | 'Deny';
  /** Optional short note, e.g. which actions the statement matched. */
  readonly note?: string;
}

/** A finding: one rule's verdict on one principal/resource/account. */
export interface Finding {
  /** Stable rule id, e.g. `boundary.nonprod-to-prod`; see RULES. */
  readonly rule: string;
  readonly severity: FindingSeverity;
  /** Principal ARN (or `-` when the finding is about an account or resource only). */
  readonly principal: string;
  /** The principal as people read it, `<account name>/<role or user name>` (see principalDisplayName); absent when there is no principal in the organization. */
  readonly principalName?: string;
  /** Resource ARN (or `-`); for a finding over several resources, the first of `resources`. */
  readonly resource: string;
  /** Every resource the finding is about, sorted, when it covers several (an aggregated access finding); absent means `[resource]`. */
  readonly resources?: readonly string[];
  /** Account name the finding is about (the target's account for access findings). */
  readonly account: string;
  readonly capabilities: readonly Capability[];
  /** For assumption chains: principal ARNs from the origin to the role that holds the access; else []. */
  readonly path: readonly string[];
  /** `path` as display names (principalDisplayName), when the rule knows them; the reports show these. */
  readonly pathNames?: readonly string[];
  readonly evidence: readonly Evidence[];
  /** Lowercase sentence: what, where and what to change. */
  readonly message: string;
  /**
   * The people who land in the finding's principal (it is an `AWSReservedSSO_` role of an IAM Identity Center
   * assignment, or an identity-account source role), one entry per group; absent when people do not land there.
   */
  readonly people?: readonly PeopleAccess[];
}

/** One group whose members land in a principal: through a permission set (Identity Center) or a source role. */
export interface PeopleAccess {
  readonly group: string;
  /** The group's members (user names), sorted; empty when the model lists none. */
  readonly members: readonly string[];
  /** Identity Center: the permission set assigned to the group in the principal's account. */
  readonly permissionSet?: string;
  /** The account the assignment is in. */
  readonly account: string;
}

/**
 * One people path as a person reads it, e.g. `person alice (group retail-devs) → permission set dev-appeng →
 * retail-dev/AWSReservedSSO_dev-appeng_…`; `landing` is the principal's display name.
 */
export function peopleText(p: PeopleAccess, landing: string, arrow = ' → '): string {
  const who =
    p.members.length === 0
      ? `group ${p.group} (no members listed)`
      : `${p.members.length === 1 ? 'person' : 'people'} ${cappedNames(p.members, 5)} (group ${p.group})`;
  return `${who}${arrow}${p.permissionSet !== undefined ? `permission set ${p.permissionSet}${arrow}` : ''}${landing}`;
}

/** `a, b, c + N more`. */
function cappedNames(items: readonly string[], limit: number): string {
  const shown = items.slice(0, limit).join(', ');
  return items.length > limit ? `${shown} + ${items.length - limit} more` : shown;
}

/** How a principal is shown everywhere a person reads it: `<account name>/<role or user name>`, e.g. `retail-dev/appeng`. */
export function principalDisplayName(p: { readonly accountName: string; readonly name: string }): string {
  return `${p.accountName}/${p.name}`;
}

/** The principal as shown: its display name, else its ARN (or `-`). */
export function shownPrincipal(f: Pick<Finding, 'principal' | 'principalName'>): string {
  return f.principalName ?? f.principal;
}

/**
 * The fields of a finding that the JSON and SARIF reports both write, in their order: who, what, where, the path,
 * the evidence and, when known, the people behind the principal.
 */
export function findingReportFields(f: Finding) {
  const resources = findingResources(f);
  return {
    principal: f.principal,
    principalName: shownPrincipal(f),
    resource: f.resource,
    resources,
    resourceCount: resources.length,
    account: f.account,
    capabilities: f.capabilities,
    path: f.path,
    evidence: f.evidence,
    ...(f.people ? { people: f.people } : {}),
  };
}

/** The assumption path as shown: display names when known, else the ARNs. */
export function shownPath(f: Pick<Finding, 'path' | 'pathNames'>): readonly string[] {
  return f.pathNames ?? f.path;
}

/** The resources a finding is about: `resources`, else `[resource]` (`[]` for `-`). */
export function findingResources(f: Pick<Finding, 'resource' | 'resources'>): readonly string[] {
  return f.resources ?? (f.resource === '-' ? [] : [f.resource]);
}

/** Whether evidence comes from an organization policy (an SCP or RCP, e.g. `scp FullAWSAccess`), which only lets a grant through. */
function fromOrganizationPolicy(e: Evidence): boolean {
  return e.source.startsWith('scp ') || e.source.startsWith('rcp ');
}

/**
 * Evidence as people read it: each statement once (by source, statement and effect), the granting statements
 * (trust, identity and resource policies) before the SCP/RCP allows (such as `FullAWSAccess`) that only let
 * them through; otherwise in the order given.
 */
export function orderEvidence(evidence: Iterable<Evidence>): Evidence[] {
  const seen = new Set<string>();
  const granting: Evidence[] = [];
  const organization: Evidence[] = [];
  for (const e of evidence) {
    const k = `${e.source}\u0000${e.statement}\u0000${e.effect}`;
    if (seen.has(k)) continue;
    seen.add(k);
    (fromOrganizationPolicy(e) && e.effect === 'Allow' ? organization : granting).push(e);
  }
  return [...granting, ...organization];
}

/** `a`, `b`, `c`, + N more: the first `limit` items in backticks, then how many were left out. */
export function cappedList(items: readonly string[], limit: number): string {
  const shown = items.slice(0, limit).map((x) => `\`${x}\``);
  if (items.length > limit) shown.push(`+ ${items.length - limit} more`);
  return shown.join(', ');
}

/** Rule metadata for documentation and SARIF. */
export interface RuleInfo {
  readonly id: string;
  readonly name: string;
  readonly defaultSeverity: FindingSeverity;
  readonly description: string;
  /** Whether the rule needs the policy engine (access graph) to run. */
  readonly needsEngine: boolean;
}

/** Every rule verify knows, sorted by id. Ids are stable: never rename one. */
export const RULES: readonly RuleInfo[] = [
  {
    id: 'attribution.unattributed',
    name: 'UnattributedAccount',
    defaultSeverity: 'info',
    description: 'an account whose business unit or phase could not be decided from the spec, tags or OU path',
    needsEngine: false,
  },
  {
    id: 'audit.scope-closure',
    name: 'AuditScopeClosure',
    defaultSeverity: 'medium',
    description: 'accounts outside an audit scope hold principals that can reach in-scope data, so they belong in the audit',
    needsEngine: true,
  },
  {
    id: 'blast-radius.multi-account-destroy',
    name: 'MultiAccountDestroy',
    defaultSeverity: 'high',
    description: 'a principal can delete data or administer resources in several accounts',
    needsEngine: true,
  },
  {
    id: 'boundary.assertion',
    name: 'BoundaryAssertion',
    defaultSeverity: 'critical',
    description: "a principal has a capability that one of the spec's boundaries denies",
    needsEngine: true,
  },
  {
    id: 'boundary.cross-business-unit',
    name: 'CrossBusinessUnitData',
    defaultSeverity: 'high',
    description: "a principal reaches another business unit's data and no boundary allows it",
    needsEngine: true,
  },
  {
    id: 'boundary.nonprod-to-prod',
    name: 'NonProductionReachesProduction',
    defaultSeverity: 'critical',
    description: 'a non-production principal reaches production data',
    needsEngine: true,
  },
  {
    id: 'escalation.path',
    name: 'PrivilegeEscalationPath',
    defaultSeverity: 'critical',
    description:
      'a principal can become admin of an account (transitively, across accounts) by assuming roles, passing roles to services, SSM or rewriting IAM; critical from non-production into production, high across business units, medium otherwise',
    needsEngine: true,
  },
  {
    id: 'fault.automation-shares-production',
    name: 'AutomationSharesProductionAccount',
    defaultSeverity: 'low',
    description: "an automation principal lives in a production workload account and shares its per-region API rate limits",
    needsEngine: false,
  },
  {
    id: 'fault.kitchen-sink',
    name: 'KitchenSinkAccount',
    defaultSeverity: 'medium',
    description: 'an account holds principals or resources of several phases or business units',
    needsEngine: false,
  },
  {
    id: 'fault.management-workload',
    name: 'WorkloadInManagementAccount',
    defaultSeverity: 'high',
    description: 'workload roles, users or resources live in the management account, which SCPs do not restrict',
    needsEngine: false,
  },
  {
    id: 'gate.exclusion-expired',
    name: 'ExpiredExclusion',
    defaultSeverity: 'medium',
    description: 'an entry of the `--exclusions` file is past its `expires` date, so it suppresses nothing; renew it after review or remove it',
    needsEngine: false,
  },
  {
    id: 'hygiene.admin-in-production',
    name: 'AdminRoleInProduction',
    defaultSeverity: 'medium',
    description: 'an admin-equivalent role (Allow * on *) exists in a production account',
    needsEngine: false,
  },
  {
    id: 'hygiene.star-principal',
    name: 'StarPrincipalInResourcePolicy',
    defaultSeverity: 'high',
    description: 'a resource policy allows the `*` principal',
    needsEngine: false,
  },
  {
    id: 'hygiene.trust-whole-account',
    name: 'TrustWholeAccountWithoutCondition',
    defaultSeverity: 'medium',
    description: 'a role trust policy trusts a whole account without conditions',
    needsEngine: false,
  },
  {
    id: 'identity.nonprod-group-in-prod',
    name: 'NonProductionGroupInProduction',
    defaultSeverity: 'high',
    description:
      'a group of people assigned access in non-production accounts is also assigned a permission set (or source role) in a production account, so the same people reach production',
    needsEngine: false,
  },
  {
    id: 'perimeter.closed',
    name: 'ExternalPathClosedByPerimeter',
    defaultSeverity: 'info',
    description: 'a resource or trust policy would let a caller outside the organization in, but an RCP (a data perimeter) closes the path',
    needsEngine: true,
  },
  {
    id: 'perimeter.confused-deputy',
    name: 'ConfusedDeputy',
    defaultSeverity: 'medium',
    description: 'a resource policy lets an AWS service in on behalf of any account: no `aws:SourceAccount`, `aws:SourceArn` or `aws:SourceOrgID` condition keeps it to the organization',
    needsEngine: true,
  },
  {
    id: 'perimeter.external-access',
    name: 'ExternalAccess',
    defaultSeverity: 'high',
    description: 'a principal in an account outside the organization can reach data, administer a resource or assume a role',
    needsEngine: true,
  },
  {
    id: 'perimeter.network-restricted',
    name: 'NetworkRestrictedExternalAccess',
    defaultSeverity: 'low',
    description: 'callers outside the organization get in, but only from the networks the policy names (`aws:SourceIp`, `aws:SourceVpce`, `aws:SourceVpc`)',
    needsEngine: true,
  },
  {
    id: 'perimeter.public-access',
    name: 'PublicAccess',
    defaultSeverity: 'critical',
    description: 'an anonymous caller can reach data, administer a resource or assume a role (critical for production data)',
    needsEngine: true,
  },
];

/** Looks up a rule by id. */
export function ruleInfo(id: string): RuleInfo | undefined {
  return RULES.find((r) => r.id === id);
}

/** Sorts findings: most severe first, then rule, account, principal, resource (deterministic output). */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      compareStrings(a.rule, b.rule) ||
      compareStrings(a.account, b.account) ||
      compareStrings(a.principal, b.principal) ||
      compareStrings(a.resource, b.resource) ||
      compareStrings(a.message, b.message),
  );
}
