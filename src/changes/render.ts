/**
 * Prints a change set like a plan: grouped, one line per change with `+` (add), `~` (change), `-` (remove),
 * and a count line. Pure; deterministic. Names, paths, emails and tags come from the spec and the live
 * organization, so every line goes through `escapeText`: one change is always one line, with no terminal escapes.
 */
import type { Tags } from '../model/organization.js';
import { targetLabel } from '../model/query.js';
import { escapeText } from '../util/escape.js';
import { changeSign, type Change, type ChangeSet, type IdentityChange } from './changes.js';

const GROUPS: readonly { title: string; kinds: readonly Change['kind'][] }[] = [
  { title: 'Organization', kinds: ['create-organization', 'enable-policy-type'] },
  { title: 'Organizational units', kinds: ['create-ou', 'tag-ou'] },
  { title: 'Organization policies', kinds: ['create-policy', 'update-policy'] },
  { title: 'Accounts', kinds: ['create-account', 'move-account', 'tag-account'] },
  { title: 'Policy attachments', kinds: ['attach-policy', 'detach-policy'] },
  { title: 'Roles', kinds: ['create-role', 'update-role'] },
  { title: 'Identity Center', kinds: ['put-account-policy', 'create-user', 'create-group', 'add-group-member', 'create-permission-set', 'update-permission-set', 'create-assignment', 'delete-assignment'] },
  { title: 'Removed accounts', kinds: ['suspend-account', 'close-account'] },
];

function tagText(tags: Tags): string {
  return Object.entries(tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

function short(type: string): string {
  return type === 'SERVICE_CONTROL_POLICY' ? 'SCP' : 'RCP';
}

/** One line describing a change (without the sign), its echoed values escaped for a terminal (`escapeText`). */
export function describeChange(c: Change): string {
  return escapeText(describeRaw(c));
}

/** The description before escaping; its fixed text has no control characters, so escaping the whole is exact. */
function describeRaw(c: Change): string {
  switch (c.kind) {
    case 'create-organization':
      return 'organization with all features (the caller\'s account becomes the management account)';
    case 'enable-policy-type':
      return `enable ${short(c.policyType)}s on the root`;
    case 'create-ou':
      return `OU ${c.path}${Object.keys(c.tags).length ? ` (tags: ${tagText(c.tags)})` : ''}`;
    case 'tag-ou':
      return `OU ${c.path}: tags ${tagText(c.tags)}`;
    case 'create-policy':
      return `${short(c.policyType)} ${c.name}`;
    case 'update-policy':
      return `${short(c.policyType)} ${c.name}: new document`;
    case 'create-account':
      return `account ${c.name} <${c.email}> in ${c.ouPath}`;
    case 'move-account':
      return `account ${c.name}: move ${c.from} → ${c.to}`;
    case 'tag-account':
      return `account ${c.name}: tags ${tagText(c.tags)}`;
    case 'attach-policy':
      return `${short(c.policyType)} ${c.name} → ${targetLabel(c.target)}`;
    case 'detach-policy':
      return `${short(c.policyType)} ${c.name} ✕ ${targetLabel(c.target)}`;
    case 'create-role': {
      const managed = c.policies.filter((p) => p.kind === 'managed').map((p) => p.name);
      const inline = c.policies.filter((p) => p.kind === 'inline').map((p) => p.name);
      const parts = [managed.length ? `managed: ${managed.join(', ')}` : '', inline.length ? `inline: ${inline.join(', ')}` : ''].filter(Boolean);
      return `role ${c.name} in ${c.account}${parts.length ? ` (${parts.join('; ')})` : ''}`;
    }
    case 'update-role': {
      const u = c.update;
      const parts = [
        u.trustPolicy ? 'trust policy' : '',
        ...u.putInline.map((p) => `inline ${p.name}`),
        ...u.deleteInline.map((n) => `delete inline ${n}`),
        ...u.putManaged.map((p) => `managed ${p.name}`),
        ...u.detachManaged.map((a) => `detach ${a.slice(a.lastIndexOf('/') + 1)}`),
        u.tags ? `tags ${tagText(u.tags)}` : '',
      ].filter(Boolean);
      return `role ${c.name} in ${c.account}: ${parts.join(', ')}`;
    }
    case 'suspend-account':
      return `account ${c.name}: not in the plan; move ${c.from} → ${c.to}`;
    case 'close-account':
      return `account ${c.name}: CLOSE (--allow-close)`;
    default:
      return describeIdentity(c);
  }
}

/** Identity Center changes. */
function describeIdentity(c: IdentityChange): string {
  switch (c.kind) {
    case 'put-account-policy':
      return `policy ${c.name} in ${c.account}${c.exists ? ': new document' : ''} (referenced by permission sets)`;
    case 'create-user':
      return `user ${c.name}`;
    case 'create-group':
      return `group ${c.name}`;
    case 'add-group-member':
      return `group ${c.group}: add ${c.user}`;
    case 'create-permission-set': {
      const p = c.policies;
      const parts = [
        `session ${c.sessionDuration}`,
        p.customerManaged.length ? `customer managed: ${p.customerManaged.join(', ')}` : '',
        p.managedArns.length ? `AWS managed: ${p.managedArns.map((a) => a.slice(a.lastIndexOf('/') + 1)).join(', ')}` : '',
        p.inline ? 'inline' : '',
      ].filter(Boolean);
      return `permission set ${c.name} (${parts.join('; ')})`;
    }
    case 'update-permission-set': {
      const u = c.update;
      const parts = [
        u.description !== undefined ? 'description' : '',
        u.sessionDuration !== undefined ? `session ${u.sessionDuration}` : '',
        u.inline ? 'inline policy' : '',
        u.deleteInline ? 'delete inline policy' : '',
        ...u.attachCustomer.map((n) => `customer managed ${n}`),
        ...u.detachCustomer.map((n) => `detach ${n}`),
        ...u.attachManaged.map((a) => `AWS managed ${a.slice(a.lastIndexOf('/') + 1)}`),
        ...u.detachManaged.map((a) => `detach ${a.slice(a.lastIndexOf('/') + 1)}`),
      ].filter(Boolean);
      return `permission set ${c.name}: ${parts.join(', ')}`;
    }
    case 'create-assignment':
      return `${c.permissionSet} → group ${c.group} in ${c.account}`;
    case 'delete-assignment':
      return `${c.permissionSet} ✕ group ${c.group} in ${c.account} (not in the plan)`;
  }
}

/** Counts by sign. */
export function countChanges(cs: ChangeSet): { add: number; change: number; remove: number } {
  const n = { add: 0, change: 0, remove: 0 };
  for (const c of cs.changes) {
    const s = changeSign(c);
    if (s === '+') n.add++;
    else if (s === '~') n.change++;
    else n.remove++;
  }
  return n;
}

/** The change set as text. */
export function renderChangeSet(cs: ChangeSet): string {
  const lines: string[] = [];
  if (cs.changes.length === 0) lines.push('no changes: the live organization matches the plan');
  for (const g of GROUPS) {
    const items = cs.changes.filter((c) => g.kinds.includes(c.kind));
    if (items.length === 0) continue;
    lines.push(`${g.title}:`);
    for (const c of items) lines.push(`  ${changeSign(c)} ${describeChange(c)}`);
  }
  for (const n of cs.notes) lines.push(`note: ${escapeText(n)}`);
  if (cs.changes.length > 0) {
    const n = countChanges(cs);
    lines.push(`${cs.changes.length} change${cs.changes.length === 1 ? '' : 's'}: ${n.add} to add, ${n.change} to change, ${n.remove} to remove`);
  }
  return `${lines.join('\n')}\n`;
}
