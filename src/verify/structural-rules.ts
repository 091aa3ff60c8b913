/**
 * Rules that need no policy engine: fault boundaries (rule 4), boundary hygiene (rule 6) and attribution gaps.
 * They read the model and policy documents structurally.
 */
import type { OrganizationModel } from '../model/organization.js';
import { DEFAULT_ACCESS_ROLE } from '../model/organization.js';
import type { Attribution } from './attribution.js';
import { principalDisplayName, type Evidence, type Finding } from './finding.js';
import type { PrincipalNode, ResourceNode } from './graph.js';
import { groupBy } from '../util/multimap.js';
import {
  ADMINISTRATOR_ACCESS_ARN,
  hasCondition,
  isAdminStatement,
  principalMentions,
  statementsOf,
} from './policy-shape.js';

/** Role and user names that look like automation (CI/CD, IaC). */
const AUTOMATION_NAME = /(^|[^a-z])(ci|cd|cicd|pipeline|deploy|deployer|deployment|automation|terraform|jenkins|github|gitlab|codebuild|codepipeline|circleci)([^a-z]|$)/i;

/** True when a principal is automation: tag `Automation` (not `false`), tag `Role=automation|ci|cd`, or its name. */
export function isAutomation(name: string, tags: Readonly<Record<string, string>>): boolean {
  for (const [k, v] of Object.entries(tags)) {
    const key = k.toLowerCase();
    if (key === 'automation' && v.toLowerCase() !== 'false') return true;
    if ((key === 'role' || key === 'usedby' || key === 'used-by') && /^(automation|ci|cd|ci\/cd|pipeline)$/i.test(v)) return true;
  }
  return AUTOMATION_NAME.test(name);
}

/** True when a trust policy lets a service or a principal of `accountId` (or anyone) assume the role. */
function homedHere(trust: import('../model/organization.js').PolicyDocument, accountId: string): boolean {
  for (const s of statementsOf(trust)) {
    if (s.value['Effect'] !== 'Allow') continue;
    const p = s.value['Principal'];
    if (typeof p === 'object' && p !== null && !Array.isArray(p) && p['Service'] !== undefined) return true;
    const m = principalMentions(s);
    if (m.any || m.accounts.includes(accountId)) return true;
  }
  return false;
}

/** Paths of roles AWS creates and manages; they are not workloads. */
function isAwsManagedRole(name: string, path: string): boolean {
  return path.startsWith('/aws-service-role/') || path.startsWith('/aws-reserved/') || name === DEFAULT_ACCESS_ROLE;
}

/** Rule 4: kitchen-sink accounts, workloads in the management account, automation sharing production accounts. */
export function faultBoundaryFindings(
  model: OrganizationModel,
  attribution: Attribution,
  principals: readonly PrincipalNode[],
  resources: readonly ResourceNode[],
): Finding[] {
  const findings: Finding[] = [];
  const mgmt = model.organization.managementAccount;
  // grouped by account once: a filter per account was quadratic in the organization's size
  const principalsOf = groupBy(principals, (p) => p.ctx.accountName);
  const resourcesOf = groupBy(
    resources.filter((r) => !r.ctx.abstract),
    (r) => r.ctx.accountName,
  );
  for (const account of model.accounts) {
    const inAccount = [
      ...(principalsOf.get(account.name) ?? []).map((p) => ({ label: p.ctx.arn, attr: p.attr })),
      ...(resourcesOf.get(account.name) ?? []).map((r) => ({ label: r.ctx.arn, attr: r.attr })),
    ];
    const phases = new Set(inAccount.map((x) => x.attr.phase.value).filter((v): v is string => v !== undefined));
    const bus = new Set(inAccount.map((x) => x.attr.businessUnit.value).filter((v): v is string => v !== undefined));
    const acct = attribution.accounts.get(account.name);
    if (acct?.phase.value !== undefined) phases.add(acct.phase.value);
    if (acct?.businessUnit.value !== undefined) bus.add(acct.businessUnit.value);
    if (phases.size > 1 || bus.size > 1) {
      const mixed = [
        ...(phases.size > 1 ? [`phases ${[...phases].sort().map((x) => `\`${x}\``).join(', ')}`] : []),
        ...(bus.size > 1 ? [`business units ${[...bus].sort().map((x) => `\`${x}\``).join(', ')}`] : []),
      ].join(' and ');
      const evidence: Evidence[] = inAccount
        .filter((x) => x.attr.phase.source === 'tag' || x.attr.businessUnit.source === 'tag')
        .slice(0, 10)
        .map((x) => ({
          source: x.label,
          statement: 'tags',
          effect: 'Allow',
          note: [x.attr.phase.detail, x.attr.businessUnit.detail].filter((d) => d !== undefined).join('; '),
        }));
      findings.push({
        rule: 'fault.kitchen-sink',
        severity: 'medium',
        principal: '-',
        resource: '-',
        account: account.name,
        capabilities: [],
        path: [],
        evidence,
        message: `account \`${account.name}\` mixes ${mixed}; move each phase and business unit into its own account`,
      });
    }
  }

  const mgmtWorkloads = [
    ...model.roles.filter((r) => r.account === mgmt && !isAwsManagedRole(r.name, r.path)).map((r) => `role ${r.name}`),
    ...model.users.filter((u) => u.account === mgmt).map((u) => `user ${u.name}`),
    ...model.resources.filter((r) => r.account === mgmt).map((r) => `resource ${r.arn}`),
  ];
  if (mgmtWorkloads.length > 0) {
    findings.push({
      rule: 'fault.management-workload',
      severity: 'high',
      principal: '-',
      resource: '-',
      account: mgmt,
      capabilities: [],
      path: [],
      evidence: mgmtWorkloads.slice(0, 20).map((w) => ({ source: w, statement: '-', effect: 'Allow' })),
      message: `management account \`${mgmt}\` holds ${mgmtWorkloads.length} workload principal(s) or resource(s) (${mgmtWorkloads
        .slice(0, 3)
        .map((w) => `\`${w}\``)
        .join(', ')}${mgmtWorkloads.length > 3 ? ', …' : ''}); SCPs do not restrict it, so move workloads to member accounts`,
    });
  }

  const workloadRolesOf = new Map<string, number>();
  const workloadRoles = (account: string): number => {
    let n = workloadRolesOf.get(account);
    if (n === undefined) {
      n = (principalsOf.get(account) ?? []).filter((q) => !isAutomation(q.ctx.name, q.ctx.tags) && !isAwsManagedRole(q.ctx.name, '/')).length;
      workloadRolesOf.set(account, n);
    }
    return n;
  };
  findings.push(...automationFindings(principals, attribution, (a) => resourcesOf.get(a)?.length ?? 0, workloadRoles));
  return findings;
}

/** Rule 4c: automation homed in a production account beside workloads (counts per account given). */
function automationFindings(
  principals: readonly PrincipalNode[],
  attribution: Attribution,
  workloadsIn: (account: string) => number,
  workloadRolesIn: (account: string) => number,
): Finding[] {
  const findings: Finding[] = [];
  for (const p of principals) {
    const acct = attribution.accounts.get(p.ctx.accountName);
    if (!acct?.production || acct.management) continue;
    if (!isAutomation(p.ctx.name, p.ctx.tags)) continue;
    // a deploy role assumed only from other accounts (a delivery account) is the remedy, not the problem:
    // flag automation homed here: users, and roles trusted by services or by principals of this same account
    if (p.trust && !homedHere(p.trust.document, p.ctx.accountId)) continue;
    const workloads = workloadsIn(p.ctx.accountName);
    const workloadRoles = workloadRolesIn(p.ctx.accountName);
    if (workloads + workloadRoles === 0) continue;
    findings.push({
      rule: 'fault.automation-shares-production',
      severity: 'low',
      principal: p.ctx.arn,
      principalName: principalDisplayName(p.ctx),
      resource: '-',
      account: p.ctx.accountName,
      capabilities: [],
      path: [],
      evidence: [],
      message: `automation ${p.ctx.kind} \`${principalDisplayName(p.ctx)}\` lives in production account \`${p.ctx.accountName}\` beside ${workloads} resource(s) and ${workloadRoles} workload principal(s) and shares its per-region API rate limits; run automation from a delivery account and assume a narrow deploy role`,
    });
  }
  return findings;
}

/** Rule 6: whole-account trust without conditions, `*` principals in resource policies, admin roles in production. */
export function hygieneFindings(
  model: OrganizationModel,
  attribution: Attribution,
  principals: readonly PrincipalNode[],
  resources: readonly ResourceNode[],
): Finding[] {
  const findings: Finding[] = [];
  for (const p of principals) {
    if (!p.trust) continue;
    for (const s of statementsOf(p.trust.document)) {
      if (s.value['Effect'] !== 'Allow' || hasCondition(s)) continue;
      const m = principalMentions(s);
      const whole = m.wholeAccounts;
      if (whole.length === 0 && !(m.any && s.value['NotPrincipal'] === undefined)) continue;
      const names = m.any ? ['`*` (every AWS account)'] : whole.map((id) => `\`${attribution.accountById(id) ?? id}\` (${id})`);
      const foreign = m.any || whole.some((id) => id !== p.ctx.accountId);
      // the organization access role trusting the management account is how AWS sets it up: still worth
      // knowing (anyone there allowed sts:AssumeRole can administer the member), but not an unusual design
      const mgmtId = attribution.accounts.get(model.organization.managementAccount)?.id;
      const orgAccess = p.ctx.name === model.organization.accessRoleName && whole.length === 1 && whole[0] === mgmtId;
      findings.push({
        rule: 'hygiene.trust-whole-account',
        severity: m.any ? 'critical' : orgAccess ? 'low' : foreign ? 'medium' : 'low',
        principal: p.ctx.arn,
        principalName: principalDisplayName(p.ctx),
        resource: p.ctx.arn,
        account: p.ctx.accountName,
        capabilities: ['use-resource'],
        path: [],
        evidence: [{ source: p.trust.source, statement: s.label, effect: 'Allow' }],
        message: `role \`${principalDisplayName(p.ctx)}\` trusts ${names.join(', ')} without conditions, so any principal there that is allowed sts:AssumeRole can assume it; name the roles in the trust policy or add a condition such as aws:PrincipalArn or sts:ExternalId`,
      });
    }
  }
  for (const r of resources) {
    if (!r.ctx.policy) continue;
    for (const s of statementsOf(r.ctx.policy.document)) {
      if (s.value['Effect'] !== 'Allow') continue;
      const p = s.value['Principal'];
      const star =
        p === '*' ||
        (typeof p === 'object' && p !== null && !Array.isArray(p) && (p['AWS'] === '*' || (Array.isArray(p['AWS']) && p['AWS'].includes('*'))));
      if (!star) continue;
      const conditioned = hasCondition(s);
      findings.push({
        rule: 'hygiene.star-principal',
        severity: conditioned ? 'low' : 'high',
        principal: '*',
        resource: r.ctx.arn,
        account: r.ctx.accountName,
        capabilities: [],
        path: [],
        evidence: [{ source: r.ctx.policy.source, statement: s.label, effect: 'Allow' }],
        message: conditioned
          ? `resource policy of \`${r.ctx.arn}\` allows principal \`*\` under conditions; check that the conditions (e.g. aws:PrincipalOrgID) really restrict it`
          : `resource policy of \`${r.ctx.arn}\` allows principal \`*\` without conditions, so anyone can use it; name the principals or add an aws:PrincipalOrgID condition`,
      });
    }
  }
  // by account and name once: a search of every role per principal was quadratic
  const roleByName = new Map<string, OrganizationModel['roles'][number]>();
  for (const r of model.roles) {
    const k = `${r.account}\u0000${r.name}`;
    if (!roleByName.has(k)) roleByName.set(k, r);
  }
  for (const p of principals) {
    if (p.ctx.kind !== 'role') continue;
    const acct = attribution.accounts.get(p.ctx.accountName);
    if (!acct?.production && !p.attr.production) continue;
    const role = roleByName.get(`${p.ctx.accountName}\u0000${p.ctx.name}`);
    const evidence: Evidence[] = [];
    for (const [i, pol] of (role?.policies ?? []).entries()) {
      if (pol.arn === ADMINISTRATOR_ACCESS_ARN) {
        evidence.push({ source: p.ctx.identityPolicies[i]?.source ?? pol.name, statement: '-', effect: 'Allow', note: 'AdministratorAccess' });
        continue;
      }
      for (const s of statementsOf(pol.document)) {
        if (isAdminStatement(s)) evidence.push({ source: p.ctx.identityPolicies[i]?.source ?? pol.name, statement: s.label, effect: 'Allow' });
      }
    }
    if (evidence.length === 0) continue;
    findings.push({
      rule: 'hygiene.admin-in-production',
      severity: 'medium',
      principal: p.ctx.arn,
      principalName: principalDisplayName(p.ctx),
      resource: '-',
      account: p.ctx.accountName,
      capabilities: ['administer-resource', 'read-config', 'read-data', 'write-data', 'delete-data'],
      path: [],
      evidence,
      message: `role \`${principalDisplayName(p.ctx)}\` in production account \`${p.ctx.accountName}\` is admin-equivalent (Allow \`*\` on \`*\`); scope its policy to the actions it needs or keep it as a monitored break-glass role`,
    });
  }
  return findings;
}

/** One info finding per account whose business unit or phase could not be decided. */
export function attributionFindings(attribution: Attribution): Finding[] {
  return attribution.unattributed.map((name) => {
    const a = attribution.accounts.get(name)!;
    const missing = [a.businessUnit.value === undefined ? 'business unit' : '', a.phase.value === undefined ? 'phase' : '']
      .filter((x) => x !== '')
      .join(' and ');
    return {
      rule: 'attribution.unattributed',
      severity: 'info' as const,
      principal: '-',
      resource: '-',
      account: name,
      capabilities: [],
      path: [],
      evidence: [],
      message: `the ${missing} of account \`${name}\` could not be decided; tag it (\`BusinessUnit\`, \`Environment\`), place it under an OU named after its phase, or pass \`--spec\``,
    };
  });
}
