/**
 * The sizing explanation: how many accounts, and why each category exists (after Kuenzli, "How many AWS
 * accounts do we need?": business unit × delivery phase runtime accounts, plus management, plus specialized).
 */
import type { OrganizationModel, Sizing, SizingLine } from '../model/organization.js';
import type { Spec } from '../spec/schema.js';
import { pushTo } from '../util/multimap.js';

const SHARED_WHY: Record<string, string> = {
  security: 'security tooling and audit (GuardDuty, Security Hub, Config aggregation)',
  'log-archive': 'immutable CloudTrail and Config logs',
  'shared-services': 'monitoring, logging, DNS and directory services used by all',
  network: 'transit gateway, shared VPCs and egress',
  delivery: 'CI/CD systems that deploy into the runtime accounts',
  identity: 'central users or federation; roles are assumed from here',
  backup: 'backup vaults isolated from the workloads they protect',
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * The identity lines: permission sets (one per role × phase a group uses) and assignments with Identity Center,
 * source roles and the runtime roles they reach with an identity account. None without groups.
 */
function identityLines(model: OrganizationModel): SizingLine[] {
  const identity = model.identity;
  if (!identity || identity.assignments.length === 0) return [];
  const groups = new Set(identity.assignments.map((a) => a.group)).size;
  const accounts = new Set(identity.assignments.map((a) => a.account)).size;
  const assignments = `${plural(identity.assignments.length, 'account assignment')}: ${plural(groups, 'group')} × the accounts of the phases (and business units) they are given, over ${plural(accounts, 'account')}`;
  if (identity.provider === 'identity-center') {
    const byRole = new Map<string, string[]>();
    for (const p of identity.permissionSets) if (p.role !== undefined && p.phase !== undefined) pushTo(byRole, p.role, p.phase);
    const order = (ps: string[]) => model.phases.map((p) => p.name).filter((p) => ps.includes(p));
    const detail = [...byRole].map(([r, ps]) => `${r}: ${order(ps).join(', ')}`).join('; ');
    const roles = model.roles.filter((r) => identity.assignments.some((a) => a.account === r.account && a.role === r.name)).length;
    return [
      { category: 'permission-sets', count: identity.permissionSets.length, explanation: `${plural(identity.permissionSets.length, 'permission set')} \`{phase}-{role}\`: ${plural(byRole.size, 'role')} × the phases groups use them in (${detail})` },
      { category: 'assignments', count: identity.assignments.length, explanation: `${assignments}; AWS creates ${plural(roles, 'AWSReservedSSO_ role')}, one per permission set in each account it is assigned to` },
    ];
  }
  const sources = model.roles.filter((r) => r.account === identity.identityAccount && identity.assignments.some((a) => a.sourceRole === r.name)).length;
  return [
    { category: 'source-roles', count: sources, explanation: `${plural(sources, 'source role')} in ${identity.identityAccount ?? 'the identity account'}, one per group: each may assume only the runtime roles its group is given` },
    { category: 'assignments', count: identity.assignments.length, explanation: assignments },
  ];
}

/** Computes the sizing lines for a planned model. */
export function computeSizing(model: OrganizationModel, spec: Spec, accountQuota: number, buPhases: ReadonlyMap<string, readonly string[]>): Sizing {
  const lines: SizingLine[] = [];
  const runtime = model.accounts.filter((a) => a.purpose === 'runtime');
  const bus = spec.businessUnits.length;
  const counts = spec.businessUnits.map((b) => buPhases.get(b.name)?.length ?? 0);
  const uniform = counts.every((c) => c === counts[0]);
  lines.push({
    category: 'runtime',
    count: runtime.length,
    explanation: uniform && (counts[0] ?? 0) === 0
      ? `${plural(bus, 'business unit')} with \`phases: []\` = 0 runtime accounts (their accounts, if any, are custom entries)`
      : uniform
      ? `${plural(bus, 'business unit')} × ${plural(counts[0] ?? 0, 'phase')} (${spec.phases.map((p) => p.name).join(', ')}) = ${plural(runtime.length, 'runtime account')}`
      : `${spec.businessUnits.map((b, i) => `${b.name} ${counts[i]}`).join(' + ')} = ${plural(runtime.length, 'runtime account')} (business unit × its delivery phases)`,
  });
  lines.push({ category: 'management', count: 1, explanation: '1 management account: billing and the organization root; no workloads' });
  const shared = model.accounts.filter((a) => a.purpose in SHARED_WHY && a.purpose !== 'runtime');
  for (const a of shared) {
    lines.push({ category: a.purpose, count: 1, explanation: `1 ${a.purpose} account (${a.name}): ${SHARED_WHY[a.purpose]}` });
  }
  for (const kind of ['sandbox', 'dr'] as const) {
    const xs = model.accounts.filter((a) => a.purpose === kind);
    if (xs.length > 0) {
      const why = kind === 'sandbox' ? 'experiments, disconnected from internal networks' : 'disaster recovery copies of production, planned as production';
      lines.push({ category: kind, count: xs.length, explanation: `${plural(xs.length, `${kind} account`)} (${xs.map((a) => a.name).join(', ')}): ${why}` });
    }
  }
  const custom = model.accounts.filter((a) => a.purpose === 'custom');
  if (custom.length > 0) {
    lines.push({ category: 'custom', count: custom.length, explanation: `${plural(custom.length, 'custom account')} declared in the spec (${custom.map((a) => a.name).join(', ')})` });
  }
  const total = model.accounts.length;
  const sum = lines.reduce((n, l) => n + l.count, 0);
  if (sum !== total) throw new Error(`bug: sizing lines add up to ${sum}, the plan has ${total} accounts`);
  const identity = identityLines(model);
  return { total, lines, accountQuota, ...(identity.length > 0 ? { identity } : {}) };
}
