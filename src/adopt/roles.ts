/**
 * Roles common to many accounts → spec roles: a role name found in at least two business-unit accounts becomes one
 * spec role whose `access` per phase is the union of the capabilities (and services) its allowed actions have in
 * the catalogue's capability table, and whose `assumedFrom` is read from its trust policies. The planner writes its
 * own `{phase}-{role}` policies from that, so the live documents are replaced on apply: each role says so.
 */
import { capabilitiesOf, expandActionPattern, sortCapabilities, type Capability } from '../catalog/index.js';
import type { JsonValue, OrganizationModel, PolicyDocument, Role } from '../model/organization.js';
import { isIdentityCenterRole } from '../model/query.js';
import { compareStrings, sortBy } from '../util/order.js';
import type { Classification } from './classify.js';

/** One adopted role: its spec entry, and what a reader must know about it. */
export interface AdoptedRole {
  readonly name: string;
  readonly entry: Record<string, JsonValue>;
  readonly notes: readonly string[];
  /** Why the role is left out of the spec (then `entry` is not written). */
  readonly skipped?: string;
}

/** The role names AWS or the organization itself owns: never spec roles. */
function ownedByAws(model: OrganizationModel, r: Role): boolean {
  return (
    r.name === model.organization.accessRoleName ||
    r.path.startsWith('/aws-service-role/') ||
    r.path.startsWith('/aws-reserved/') ||
    r.path.startsWith('/service-role/') ||
    r.name.startsWith('AWSServiceRole') ||
    r.name.startsWith('stacksets-exec-') ||
    r.name === 'AWSCloudFormationStackSetExecutionRole' ||
    isIdentityCenterRole(r)
  );
}

const asList = (v: JsonValue | undefined): JsonValue[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The actions the document's Allow statements name with `Action` (NotAction is not expressible as capabilities). */
function allowedActions(doc: PolicyDocument): { actions: string[]; notAction: boolean } {
  const actions: string[] = [];
  let notAction = false;
  const statements = doc && typeof doc === 'object' && !Array.isArray(doc) ? asList(doc['Statement']) : [];
  for (const s of statements) {
    if (!s || typeof s !== 'object' || Array.isArray(s) || s['Effect'] !== 'Allow') continue;
    if (s['NotAction'] !== undefined) notAction = true;
    for (const a of asList(s['Action'])) if (typeof a === 'string') actions.push(a);
  }
  return { actions, notAction };
}

/** Capabilities and services of a set of role instances' policies. */
function accessOf(roles: readonly Role[]): { capabilities: Capability[]; services: string[]; unknown: string[]; notAction: boolean } {
  const caps = new Set<Capability>();
  const services = new Set<string>();
  const unknown = new Set<string>();
  let notAction = false;
  for (const r of roles) {
    for (const p of r.policies) {
      const found = allowedActions(p.document);
      notAction ||= found.notAction;
      for (const pattern of found.actions) {
        const expanded = expandActionPattern(pattern);
        if (expanded.length === 0) unknown.add(pattern);
        for (const action of expanded) {
          const c = capabilitiesOf(action);
          c.forEach((x) => caps.add(x));
          if (c.length > 0) services.add(action.slice(0, action.indexOf(':')).toLowerCase());
        }
      }
    }
  }
  return { capabilities: sortCapabilities([...caps]), services: [...services].sort(), unknown: [...unknown].sort(), notAction };
}

/** `assumedFrom` entries from the trust policies: account roots and roles by account name, other ARNs, SAML providers. */
function trustOf(roles: readonly Role[], accountById: (id: string) => string | undefined): JsonValue[] {
  const out = new Map<string, JsonValue>();
  for (const r of roles) {
    const statements = r.trustPolicy && typeof r.trustPolicy === 'object' && !Array.isArray(r.trustPolicy) ? asList(r.trustPolicy['Statement']) : [];
    for (const s of statements) {
      if (!s || typeof s !== 'object' || Array.isArray(s) || s['Effect'] !== 'Allow') continue;
      const principal = s['Principal'];
      if (!principal || typeof principal !== 'object' || Array.isArray(principal)) continue;
      for (const arn of asList(principal['AWS'])) {
        if (typeof arn !== 'string') continue;
        const id = /^\d{12}$/.test(arn) ? arn : /^arn:aws[a-z-]*:iam::(\d{12}):root$/.exec(arn)?.[1];
        const account = id ? accountById(id) : undefined;
        const entry: JsonValue = account ? { account } : { arn: id ? `arn:aws:iam::${id}:root` : arn };
        out.set(JSON.stringify(entry), entry);
      }
      for (const f of asList(principal['Federated'])) if (typeof f === 'string' && f.includes(':saml-provider/')) out.set(`saml:${f}`, { saml: f });
    }
  }
  return [...out.entries()].sort(([a], [b]) => compareStrings(a, b)).map(([, v]) => v);
}

/** The spec roles inferred from roles shared by at least `minAccounts` business-unit accounts. */
export function adoptRoles(model: OrganizationModel, c: Classification, minAccounts = 2): AdoptedRole[] {
  const placed = new Map(c.accounts.filter((a) => a.phase && a.businessUnit && !a.shared && !a.management && a.misfits.length === 0).map((a) => [a.account.name, a]));
  const byName = new Map<string, Role[]>();
  for (const r of model.roles) {
    if (!placed.has(r.account) || ownedByAws(model, r) || !/^[\w+=,.@-]{1,64}$/.test(r.name)) continue;
    byName.set(r.name, [...(byName.get(r.name) ?? []), r]);
  }
  const out: AdoptedRole[] = [];
  for (const [name, roles] of sortBy(byName.entries(), ([n]) => n)) {
    if (roles.length < minAccounts) continue;
    const role = adoptRole(name, roles, placed, c);
    if (Object.keys(role.entry['access'] as object).length === 0) {
      out.push({ ...role, skipped: `role \`${name}\` is in ${roles.length} accounts but its policies allow no catalogued action with a capability, so it is left out (apply leaves it alone)` });
    } else if (role.entry['assumedFrom'] === undefined) {
      out.push({ ...role, skipped: `role \`${name}\` is in ${roles.length} accounts but its trust policy names no account, role ARN or SAML provider (only services?), which \`assumedFrom\` needs, so it is left out (apply leaves it alone)` });
    } else out.push(role);
  }
  return out;
}

function adoptRole(name: string, roles: readonly Role[], placed: ReadonlyMap<string, { phase?: string }>, c: Classification): AdoptedRole {
  const notes: string[] = [];
  const access: Record<string, JsonValue> = {};
  for (const phase of c.phases.map((p) => p.name)) {
    const inPhase = roles.filter((r) => placed.get(r.account)?.phase === phase);
    if (inPhase.length === 0) continue;
    const a = accessOf(inPhase);
    if (a.notAction) notes.push(`phase \`${phase}\`: a \`NotAction\` statement has no capability form and is not carried over`);
    if (a.unknown.length > 0) notes.push(`phase \`${phase}\`: actions not in the catalogue are not carried over: ${a.unknown.map((x) => `\`${x}\``).join(', ')}`);
    if (a.capabilities.length === 0) continue;
    access[phase] = { capabilities: a.capabilities, services: a.services };
  }
  const assumedFrom = trustOf(roles, (id) => c.attribution.accountById(id));
  const entry: Record<string, JsonValue> = { access };
  if (assumedFrom.length > 0) entry['assumedFrom'] = assumedFrom;
  const accounts = roles.map((r) => `\`${r.account}\``).sort();
  const missing = [...placed.entries()].filter(([acct, a]) => a.phase !== undefined && access[a.phase] !== undefined && !roles.some((r) => r.account === acct)).map(([acct]) => `\`${acct}\``);
  if (missing.length > 0) notes.push(`apply also creates it in ${missing.sort().join(', ')} (same phase, no such role today)`);
  notes.unshift(`found in ${accounts.join(', ')}; on apply bulkhead replaces their policies with its \`{phase}-${name}\` policies for these capabilities: review before applying`);
  return { name, entry, notes };
}
