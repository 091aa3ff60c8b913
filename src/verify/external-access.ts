/**
 * External and public access (docs/verify.md "External and public access"), in the manner of IAM Access
 * Analyzer's external-access analyzer ("IAM Access Analyzer findings for external access",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-concepts.html): for every resource with a
 * resource policy and every role trust policy, the engine is asked, through the evaluator port and with the
 * resource's RCPs, whether three kinds of caller from outside the organization get in:
 * - an anonymous caller (`Principal: "*"` reaches it unless a condition such as `aws:PrincipalOrgID` refuses it);
 * - an IAM principal in an account outside the organization: a synthetic external account, and every account
 *   outside the organization a policy names (its own account is assumed to allow it everything);
 * - an AWS service principal a resource policy names, acting for an account outside the organization (the
 *   confused deputy: `aws:SourceAccount`/`aws:SourceArn` name that account, `aws:SourceOrgID` is absent).
 * Conditions are judged exactly by the engine. A grant the caller gets only from the networks the policy names
 * (`aws:SourceIp`, `aws:SourceVpce`, `aws:SourceVpc`) is reported as network-restricted, not public. A grant an RCP
 * takes away is reported as closed by that RCP (severity info), so the report shows which paths a perimeter closes.
 */
import type { OrganizationModel, PolicyDocument, JsonValue } from '../model/organization.js';
import type { Attribution } from './attribution.js';
import type { AccessEvaluator, CapabilityGrant, ExternalCaller, NamedPolicy, ResourceContext } from './engine-port.js';
import { DATA_CAPABILITIES, principalDisplayName, sortCapabilities, type Capability, type Evidence, type Finding, type FindingSeverity } from './finding.js';
import type { PrincipalNode, ResourceNode } from './graph.js';
import { DEFAULT_REGION } from '../util/aws-defaults.js';
import { compareStrings } from '../util/order.js';

/** The capabilities the external-access rules report: the data ones and administering the resource. */
const REPORTED: ReadonlySet<Capability> = new Set<Capability>([...DATA_CAPABILITIES, 'administer-resource']);

type Levels = ResourceContext['rcpLevels'];

/** What the rules share. */
interface ExternalContext {
  readonly evaluator: AccessEvaluator & Required<Pick<AccessEvaluator, 'externalCapabilities' | 'externalAssume'>>;
  readonly orgAccountIds: ReadonlySet<string>;
  /** The synthetic account outside the organization. */
  readonly externalId: string;
  readonly findings: Finding[];
}

/** One kind of outside caller with the rule its grants become. */
interface Probe {
  readonly caller: ExternalCaller;
  readonly rule: 'perimeter.public-access' | 'perimeter.external-access' | 'perimeter.confused-deputy';
  /** How the message names the caller. */
  readonly who: string;
}

/** A synthetic 12-digit account id that no account of the organization has. */
function syntheticExternalId(used: ReadonlySet<string>): string {
  for (let n = 999999999999; ; n--) if (!used.has(String(n))) return String(n);
}

function strings(v: JsonValue | undefined): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The Principal entries of a document's Allow statements, per type (`AWS`, `Service`, …; `*` as `AWS`). */
function namedPrincipals(doc: PolicyDocument): { aws: string[]; service: string[] } {
  const aws: string[] = [];
  const service: string[] = [];
  const stmts = doc && typeof doc === 'object' && !Array.isArray(doc) ? (doc as { Statement?: JsonValue }).Statement : undefined;
  for (const s of Array.isArray(stmts) ? stmts : stmts ? [stmts] : []) {
    if (!s || typeof s !== 'object' || Array.isArray(s) || s['Effect'] !== 'Allow') continue;
    const p = s['Principal'];
    if (p === '*') aws.push('*');
    else if (p && typeof p === 'object' && !Array.isArray(p)) {
      aws.push(...strings(p['AWS']));
      service.push(...strings(p['Service']));
    }
  }
  return { aws, service };
}

/** The account id of an `AWS` principal entry (an ARN or a bare account id), if it names one. */
function accountOf(entry: string): string | undefined {
  if (/^\d{12}$/.test(entry)) return entry;
  return /^arn:[a-z-]+:(iam|sts)::(\d{12}):/.exec(entry)?.[2];
}

/** The network values a document's conditions name, to ask again "from the named network". */
function namedNetwork(doc: PolicyDocument): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (v: JsonValue, key: string | undefined): void => {
    if (Array.isArray(v)) v.forEach((x) => visit(x, key));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) visit(x, k);
    else if (typeof v === 'string' && key !== undefined) {
      const k = key.toLowerCase();
      if (k === 'aws:sourceip' && out['aws:SourceIp'] === undefined) out['aws:SourceIp'] = v.split('/')[0]!;
      if (k === 'aws:sourcevpce' && out['aws:SourceVpce'] === undefined) out['aws:SourceVpce'] = v;
      if (k === 'aws:sourcevpc' && out['aws:SourceVpc'] === undefined) out['aws:SourceVpc'] = v;
    }
  };
  visit(doc, undefined);
  return out;
}

/** The callers to ask about one policy: anonymous, external accounts, named services acting for the outside. */
function probesFor(ctx: ExternalContext, doc: PolicyDocument, region: string | undefined, services: boolean): Probe[] {
  const named = namedPrincipals(doc);
  const probes: Probe[] = [{ caller: { kind: 'anonymous', principal: '*', context: {} }, rule: 'perimeter.public-access', who: 'anyone (an anonymous caller)' }];
  const accounts = new Set<string>([ctx.externalId]);
  for (const e of named.aws) {
    const a = accountOf(e);
    if (a !== undefined && !ctx.orgAccountIds.has(a)) accounts.add(a);
  }
  for (const a of [...accounts].sort(compareStrings)) {
    const synthetic = a === ctx.externalId;
    const principal = named.aws.find((e) => accountOf(e) === a && e.includes(':role/')) ?? `arn:aws:iam::${a}:root`;
    probes.push({ caller: { kind: 'account', principal, context: {} }, rule: 'perimeter.external-access', who: synthetic ? 'any AWS account outside the organization' : `account \`${a}\` outside the organization` });
  }
  if (!services) return probes;
  for (const svc of [...new Set(named.service.map((s) => s.toLowerCase()))].sort(compareStrings)) {
    const prefix = svc.split('.')[0]!;
    const context = { 'aws:SourceAccount': ctx.externalId, 'aws:SourceArn': `arn:aws:${prefix}:${region ?? DEFAULT_REGION}:${ctx.externalId}:external` };
    probes.push({ caller: { kind: 'service', principal: svc, context }, rule: 'perimeter.confused-deputy', who: `\`${svc}\` acting for an account outside the organization` });
  }
  return probes;
}

/** Severity of a grant: public or external data in production is worst. */
function severityOf(rule: Probe['rule'], caps: readonly Capability[], production: boolean): FindingSeverity {
  const data = caps.some((c) => DATA_CAPABILITIES.includes(c));
  if (rule === 'perimeter.public-access') return data && production ? 'critical' : 'high';
  if (rule === 'perimeter.external-access') return production ? 'high' : 'medium';
  return 'medium';
}

/** What one target (a resource or a role) is, for the shared finding code. */
interface Target {
  readonly arn: string;
  /** How messages name it: a role by `account/role` (principalDisplayName), a resource by its ARN. */
  readonly shown: string;
  readonly account: string;
  readonly production: boolean;
  readonly policy: NamedPolicy;
  readonly rcpLevels: Levels;
  /** The capabilities the caller gets with these RCP levels and this extra context. */
  readonly ask: (caller: ExternalCaller, levels: Levels) => readonly CapabilityGrant[];
}

/** The RCPs (by source label) that, each alone, take the grants away. */
function closingPolicies(t: Target, caller: ExternalCaller, caps: readonly Capability[]): string[] {
  const names: string[] = [];
  for (const np of (t.rcpLevels ?? []).flat()) {
    const left = t.ask(caller, [[np]]).filter((g) => caps.includes(g.capability));
    if (left.length < caps.length && !names.includes(np.source)) names.push(np.source);
  }
  return names.sort(compareStrings);
}

function reported(grants: readonly CapabilityGrant[]): CapabilityGrant[] {
  return grants.filter((g) => REPORTED.has(g.capability));
}

function evidenceOf(grants: readonly CapabilityGrant[]): Evidence[] {
  const seen = new Map<string, Evidence>();
  for (const g of grants) for (const e of g.evidence) seen.set(`${e.source}\u0000${e.statement}`, e);
  return [...seen.values()].sort((a, b) => compareStrings(a.source, b.source) || compareStrings(a.statement, b.statement));
}

/** Asks one probe about one target and records what it finds. Returns the capabilities it found open. */
function judge(ctx: ExternalContext, t: Target, probe: Probe, already: ReadonlySet<Capability>): Capability[] {
  const open = reported(t.ask(probe.caller, t.rcpLevels)).filter((g) => !already.has(g.capability));
  const base = { principal: probe.caller.principal, resource: t.arn, account: t.account, path: [probe.caller.principal, t.arn] };
  if (open.length > 0) {
    const caps = sortCapabilities(open.map((g) => g.capability));
    ctx.findings.push({
      ...base, rule: probe.rule, severity: severityOf(probe.rule, caps, t.production), capabilities: caps, evidence: evidenceOf(open),
      message: `${probe.who} can ${caps.join(', ')} on \`${t.shown}\` through ${t.policy.source}; name the principals, add an \`aws:PrincipalOrgID\`${probe.rule === 'perimeter.confused-deputy' ? ' or `aws:SourceAccount`/`aws:SourceOrgID`' : ''} condition, or attach the data-perimeter RCP presets`,
    });
    return caps;
  }
  const withoutRcps = t.rcpLevels ? reported(t.ask(probe.caller, undefined)).filter((g) => !already.has(g.capability)) : [];
  if (withoutRcps.length > 0) {
    const caps = sortCapabilities(withoutRcps.map((g) => g.capability));
    const by = closingPolicies(t, probe.caller, caps);
    ctx.findings.push({
      ...base, rule: 'perimeter.closed', severity: 'info', capabilities: caps, evidence: evidenceOf(withoutRcps),
      message: `${t.policy.source} would let ${probe.who} ${caps.join(', ')} on \`${t.shown}\`; closed by ${by.length > 0 ? by.map((b) => `\`${b}\``).join(', ') : 'the RCPs together'}`,
    });
    return caps;
  }
  const network = namedNetwork(t.policy.document);
  if (probe.caller.kind === 'service' || Object.keys(network).length === 0) return [];
  const fromNetwork = reported(t.ask({ ...probe.caller, context: { ...probe.caller.context, ...network } }, t.rcpLevels)).filter((g) => !already.has(g.capability));
  if (fromNetwork.length === 0) return [];
  const caps = sortCapabilities(fromNetwork.map((g) => g.capability));
  ctx.findings.push({
    ...base, rule: 'perimeter.network-restricted', severity: 'low', capabilities: caps, evidence: evidenceOf(fromNetwork),
    message: `${probe.who} can ${caps.join(', ')} on \`${t.shown}\` only from the networks ${t.policy.source} names (${Object.entries(network).map(([k, v]) => `${k} \`${v}\``).join(', ')}); check that those networks are yours`,
  });
  return caps;
}

/** Runs every probe on one target; a grant already public is not reported again for the external account. */
function judgeTarget(ctx: ExternalContext, t: Target, probes: readonly Probe[]): void {
  let publicCaps = new Set<Capability>();
  for (const p of probes) {
    const found = judge(ctx, t, p, p.rule === 'perimeter.external-access' && p.caller.principal.endsWith(`${ctx.externalId}:root`) ? publicCaps : new Set());
    if (p.rule === 'perimeter.public-access') publicCaps = new Set(found);
  }
}

function resourceTarget(ctx: ExternalContext, r: ResourceNode, policy: NamedPolicy): Target {
  return {
    arn: r.ctx.arn, shown: r.ctx.arn, account: r.ctx.accountName, production: r.attr.production, policy, rcpLevels: r.ctx.rcpLevels,
    ask: (caller, levels) => ctx.evaluator.externalCapabilities(caller, r.ctx, levels),
  };
}

function roleTarget(ctx: ExternalContext, p: PrincipalNode, trust: NamedPolicy): Target {
  return {
    arn: p.ctx.arn, shown: principalDisplayName(p.ctx), account: p.ctx.accountName, production: p.attr.production, policy: trust, rcpLevels: p.ctx.rcpLevels,
    ask: (caller, levels) => {
      const d = ctx.evaluator.externalAssume(caller, p.ctx, trust, levels);
      return d.allowed ? [{ capability: 'administer-resource', actions: ['sts:AssumeRole'], evidence: d.evidence }] : [];
    },
  };
}

/**
 * The external-access findings (`perimeter.*`): public access, external access, confused deputies, paths an RCP
 * closes and network-restricted grants. Empty when the evaluator cannot ask about external callers.
 */
export function externalAccessFindings(
  model: OrganizationModel,
  attribution: Attribution,
  principals: readonly PrincipalNode[],
  resources: readonly ResourceNode[],
  evaluator: AccessEvaluator,
): Finding[] {
  if (!evaluator.externalCapabilities || !evaluator.externalAssume) return [];
  const orgAccountIds = new Set([...attribution.accounts.values()].map((a) => a.id));
  const ctx: ExternalContext = {
    evaluator: evaluator as ExternalContext['evaluator'],
    orgAccountIds,
    externalId: syntheticExternalId(orgAccountIds),
    findings: [],
  };
  for (const r of resources) {
    if (r.ctx.abstract || !r.ctx.policy) continue;
    judgeTarget(ctx, resourceTarget(ctx, r, r.ctx.policy), probesFor(ctx, r.ctx.policy.document, r.ctx.region ?? model.organization.regions[0], true));
  }
  for (const p of principals) {
    if (p.ctx.kind !== 'role' || !p.trust || p.ctx.arn.includes(':role/aws-service-role/')) continue;
    // role trust: anonymous and external accounts; services assuming their service roles is the intended use
    judgeTarget(ctx, roleTarget(ctx, p, p.trust), probesFor(ctx, p.trust.document, undefined, false));
  }
  return ctx.findings;
}
