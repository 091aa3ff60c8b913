/**
 * `emit --adopt SNAPSHOT`: Terraform `import` blocks for everything the planned model designs that the collected
 * organization already has, so the first `terraform apply` of an adopted spec takes them over instead of creating
 * them. The organization and the accounts go through the emitter's own adoption options (`organizationId`,
 * `accountIds`, written to imports.tf); this adds OUs, SCPs/RCPs, their attachments and IAM roles, found through the
 * addresses the emitter recorded in its manifest, in `adopt-imports.tf`.
 *
 * Import ids, as the AWS provider documents them (Terraform Registry, hashicorp/aws: "aws_organizations_organizational_unit"
 * Import: the OU id `ou-…`; "aws_organizations_policy" Import: the policy id `p-…`; "aws_organizations_policy_attachment"
 * Import: `TARGET_ID:POLICY_ID`, e.g. `123456789012:p-12345678`; "aws_iam_role" Import: the role name).
 * CloudFormation has no import block: adopting there is a resource import change set (not written by bulkhead).
 */
import { matchAccounts } from '../changes/diff.js';
import type { OrganizationModel, OrganizationPolicy } from '../model/organization.js';
import { ROOT_PATH } from '../model/organization.js';
import { ORGANIZATION_ID } from '../plan/guardrails.js';
import { compareStrings } from '../util/order.js';
import { h, renderBlocks, type HclBodyItem } from './hcl.js';
import { tfIdent } from './names.js';

/**
 * The emitter's adoption options for a planned model and the live organization: accounts matched as apply matches
 * them (email, then name), and the organization id when it has AWS's shape (a synthetic snapshot's may not).
 */
export function adoptionOptions(planned: OrganizationModel, live: OrganizationModel): { organizationId?: string; accountIds: Record<string, string> } {
  const accountIds: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, account] of matchAccounts(planned, live)) if (account.id !== undefined) accountIds[name] = account.id;
  const id = live.organization.id;
  return { ...(id !== undefined && ORGANIZATION_ID.test(id) ? { organizationId: id } : {}), accountIds };
}

/** What the import blocks were written for, and what was left out. */
export interface AdoptImports {
  /** `adopt-imports.tf`, or undefined when nothing beyond the organization and accounts exists. */
  readonly text: string | undefined;
  readonly count: number;
}

/** One import: the resource address and the id Terraform imports it by. */
interface ImportEntry {
  readonly to: string;
  readonly id: string;
  readonly provider?: string;
}

/** Live ids of the OUs (by path) and accounts (by planned name), and the live policies by name. */
interface LiveIndex {
  readonly ouIds: ReadonlyMap<string, string>;
  readonly accountIds: ReadonlyMap<string, string>;
  readonly liveAccountName: ReadonlyMap<string, string>;
  readonly scps: ReadonlyMap<string, OrganizationPolicy>;
  readonly rcps: ReadonlyMap<string, OrganizationPolicy>;
}

function liveIndex(planned: OrganizationModel, live: OrganizationModel): LiveIndex {
  const matched = matchAccounts(planned, live);
  const accountIds = new Map<string, string>();
  const liveAccountName = new Map<string, string>();
  for (const [name, a] of matched) {
    if (a.id !== undefined) accountIds.set(name, a.id);
    liveAccountName.set(name, a.name);
  }
  return {
    ouIds: new Map(live.organizationalUnits.filter((o) => o.id !== undefined).map((o) => [o.path, o.id!])),
    accountIds,
    liveAccountName,
    scps: new Map(live.serviceControlPolicies.map((p) => [p.name, p])),
    rcps: new Map(live.resourceControlPolicies.map((p) => [p.name, p])),
  };
}

/** The import for one recorded address, when the live organization has that object. */
function importFor(identity: string, address: string, ix: LiveIndex, live: OrganizationModel, management: string): ImportEntry | undefined {
  const colon = identity.indexOf(':');
  const kind = identity.slice(0, colon);
  const rest = identity.slice(colon + 1);
  if (kind === 'ou') {
    const id = rest === ROOT_PATH ? undefined : ix.ouIds.get(rest);
    return id ? { to: address, id } : undefined;
  }
  if (kind === 'scp' || kind === 'rcp') {
    const p = (kind === 'scp' ? ix.scps : ix.rcps).get(rest);
    return p?.id !== undefined && p.managedBy !== 'aws' ? { to: address, id: p.id } : undefined;
  }
  if (kind === 'org-attachment') return attachmentImport(rest, address, ix);
  if (kind === 'role') {
    const slash = rest.indexOf('/');
    const account = rest.slice(0, slash);
    const name = rest.slice(slash + 1);
    const liveName = ix.liveAccountName.get(account);
    if (liveName === undefined || !live.roles.some((r) => r.account === liveName && r.name === name)) return undefined;
    return { to: address, id: name, ...(account === management ? {} : { provider: `aws.${tfIdent(account)}` }) };
  }
  return undefined;
}

/** `POLICY@ou:PATH` / `POLICY@account:NAME` → `TARGET_ID:POLICY_ID`, when the live policy is attached there. */
function attachmentImport(rest: string, address: string, ix: LiveIndex): ImportEntry | undefined {
  const at = rest.lastIndexOf('@');
  const name = rest.slice(0, at);
  const target = rest.slice(at + 1);
  const policy = ix.scps.get(name) ?? ix.rcps.get(name);
  if (policy?.id === undefined) return undefined;
  const isOu = target.startsWith('ou:');
  const key = target.slice(isOu ? 3 : 8);
  const targetId = isOu ? ix.ouIds.get(key) : ix.accountIds.get(key);
  const liveKey = isOu ? key : ix.liveAccountName.get(key);
  const attached = policy.targets.some((t) => ('ou' in t ? isOu && t.ou === liveKey : !isOu && t.account === liveKey));
  return targetId !== undefined && attached ? { to: address, id: `${targetId}:${policy.id}` } : undefined;
}

/** The import blocks for the recorded `addresses` (identity → address) of an emission of `planned`. */
export function adoptImportsTf(planned: OrganizationModel, live: OrganizationModel, addresses: Readonly<Record<string, string>>): AdoptImports {
  const ix = liveIndex(planned, live);
  const entries: ImportEntry[] = [];
  for (const [identity, address] of Object.entries(addresses)) {
    const e = importFor(identity, address, ix, live, planned.organization.managementAccount);
    if (e) entries.push(e);
  }
  entries.sort((a, b) => compareStrings(a.to, b.to));
  if (entries.length === 0) return { text: undefined, count: 0 };
  const blocks: HclBodyItem[] = [
    h.comment('Written by bulkhead emit --adopt: these resources exist in the organization already; Terraform imports them\ninstead of creating them. The organization and the accounts are in imports.tf.'),
    ...entries.map((e) => h.block('import', [], [...(e.provider ? [h.attr('provider', h.raw(e.provider))] : []), h.attr('to', h.raw(e.to)), h.attr('id', h.str(e.id))])),
  ];
  return { text: renderBlocks(blocks), count: entries.length };
}
