/**
 * Renders a planned model for people: the sizing explanation, then the OU tree with accounts (business unit,
 * phase, email), the roles and their policies per account, and the SCPs where they are attached.
 */
import type { Account, OrganizationModel } from '../model/organization.js';
import { ROOT_PATH } from '../model/organization.js';
import { parentPath, targetIs } from '../model/query.js';

/** Renders the plan as a tree; pure, deterministic. */
export function renderPlanText(model: OrganizationModel): string {
  const out: string[] = [];
  const sizing = model.sizing;
  out.push(`${model.organization.name}: ${model.accounts.length} accounts`);
  out.push('');
  if (sizing) {
    out.push(`Why ${sizing.total} accounts`);
    for (const l of sizing.lines) out.push(`  - ${l.explanation}`);
    out.push(`  = ${sizing.total} accounts${sizing.total > sizing.accountQuota ? ` (over the account quota of ${sizing.accountQuota}: request an increase)` : ` (within the account quota of ${sizing.accountQuota})`}`);
    out.push('');
  }
  const customScps = model.serviceControlPolicies.filter((p) => p.managedBy !== 'aws');
  const scpsOn = (kind: 'ou' | 'account', ref: string) =>
    customScps.filter((p) => p.targets.some((t) => targetIs(t, kind, ref))).map((p) => p.name);
  const rolesOf = (account: string) => model.roles.filter((r) => r.account === account);

  const children = new Map<string, string[]>();
  for (const ou of model.organizationalUnits) {
    const parent = parentPath(ou.path);
    if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), ou.path]);
  }
  const accountsIn = (path: string) => model.accounts.filter((a) => a.ouPath === path);

  const describe = (a: Account): string => {
    const tags = [a.purpose === 'runtime' ? 'runtime' : a.purpose, a.businessUnit, a.phase].filter(Boolean).join(' · ');
    const scps = scpsOn('account', a.name);
    return `${a.name}  (${tags})  ${a.email}${scps.length ? `  [SCP: ${scps.join(', ')}]` : ''}`;
  };
  const walk = (path: string, indent: string): void => {
    const kids = [...(children.get(path) ?? [])].sort();
    const accts = accountsIn(path);
    const entries: ({ kind: 'ou'; path: string } | { kind: 'account'; account: Account })[] = [
      ...accts.map((account) => ({ kind: 'account' as const, account })),
      ...kids.map((p) => ({ kind: 'ou' as const, path: p })),
    ];
    entries.forEach((e, i) => {
      const last = i === entries.length - 1;
      const branch = last ? '└── ' : '├── ';
      const cont = indent + (last ? '    ' : '│   ');
      if (e.kind === 'account') {
        out.push(`${indent}${branch}${describe(e.account)}`);
        for (const r of rolesOf(e.account.name)) {
          out.push(`${cont}    role ${r.name}: ${r.policies.map((p) => p.name).join(', ')}`);
        }
      } else {
        const scps = scpsOn('ou', e.path);
        out.push(`${indent}${branch}${e.path.slice(e.path.lastIndexOf('/') + 1)}/${scps.length ? `  [SCP: ${scps.join(', ')}]` : ''}`);
        walk(e.path, cont);
      }
    });
  };
  const rootScps = scpsOn('ou', ROOT_PATH);
  out.push('Organization');
  out.push(`Root/${rootScps.length ? `  [SCP: ${rootScps.join(', ')}]` : ''}`);
  walk(ROOT_PATH, '');
  out.push('');
  out.push('AWS attaches FullAWSAccess to the root, every OU and every account; SCPs never restrict the management account.');
  if (model.boundaries.length || model.auditScopes.length) {
    out.push('');
    if (model.boundaries.length) out.push(`Boundaries to verify: ${model.boundaries.map((b) => b.name).join(', ')}`);
    if (model.auditScopes.length) out.push(`Audit scopes: ${model.auditScopes.map((s) => s.name).join(', ')}`);
  }
  return `${out.join('\n')}\n`;
}
