/**
 * Pure loader: snapshot files (already read as text) → validated Snapshot → OrganizationModel
 * (source `snapshot`), the same model a plan produces. No file system here; see read.ts for the edge.
 */
import type { z } from 'zod';
import { error, fail, hasErrors, ok, warning, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import { escapeText } from '../util/escape.js';
import { findDeepJson, formatJsonPath, MAX_JSON_DEPTH } from '../util/json-depth.js';
import { compareStrings, sortBy } from '../util/order.js';
import type { Inventory, InventoryReference, InventoryResource } from '../model/inventory.js';
import {
  ROOT_PATH,
  type Account,
  type AccountPurpose,
  type AttachedPolicy,
  type BusinessUnit,
  type OrganizationModel,
  type OrganizationPolicy,
  type OrganizationalUnit,
  type Phase,
  type PolicyDocument,
  type PolicyTarget,
  type Resource,
  type Role,
  type Tags,
  type User,
} from '../model/organization.js';
import { sortModel } from '../model/query.js';
import {
  MANIFEST_FILE,
  ORGANIZATION_FILE,
  PROTO_KEY_ISSUE,
  SUPPORTED_SNAPSHOT_VERSIONS,
  accountFile,
  accountSnapshotSchema,
  manifestSchema,
  organizationSchema,
  type AccountSnapshot,
  type Snapshot,
} from './format.js';
import { SnapshotCodes } from './codes.js';
import { convertIdentity } from './identity.js';
import { unknownKeyWarnings } from './unknown-keys.js';
import { messageValue } from '../util/message-value.js';

/** The loader's diagnostic codes, re-exported where they have always been importable from. */
export { SnapshotCodes } from './codes.js';

/** Parses one snapshot file as JSON; a missing file or bad JSON is one error diagnostic on that file. */
function parseJson(files: ReadonlyMap<string, string>, rel: string, dir: string): Result<unknown> {
  const file = `${dir}/${rel}`;
  const text = files.get(rel);
  if (text === undefined) {
    return fail([
      {
        ...error(SnapshotCodes.MissingFile, `snapshot file \`${rel}\` is missing; re-run \`bulkhead collect\` to write a complete snapshot`),
        file,
      },
    ]);
  }
  // before the parser and the schema, which recurse per level: 100,000 levels overflowed the stack in the schema
  const deep = findDeepJson(text);
  if (deep) {
    const at = formatJsonPath(deep);
    return fail([
      {
        ...error(
          SnapshotCodes.TooDeep,
          `\`${rel}\` nests deeper than ${MAX_JSON_DEPTH} levels (objects and lists inside each other); a snapshot needs about 15: restore it or re-run \`bulkhead collect\``,
          at ? escapeText(at) : undefined,
        ),
        file,
        position: { line: deep.line, col: deep.col },
      },
    ]);
  }
  try {
    return ok(JSON.parse(text) as unknown);
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    const msg = e.message;
    const m = /position (\d+)/.exec(msg);
    // a truncated file (`Unexpected end of JSON input`) carries no offset: it breaks at its end
    const position = positionOf(text, m ? Number(m[1]) : text.length);
    return fail([
      {
        ...error(SnapshotCodes.BadJson, `\`${rel}\` is not valid JSON (${msg}); restore it or re-run \`bulkhead collect\``),
        file,
        position,
      },
    ]);
  }
}

function positionOf(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, col: (before[before.length - 1]?.length ?? 0) + 1 };
}

function jsonPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

/** Validates one file's value against its schema; every key the schema does not know is warned about (not dropped silently). */
function validate<T>(schema: z.ZodType<T>, value: unknown, rel: string, dir: string, diags: Diagnostic[]): T | undefined {
  diags.push(...unknownKeyWarnings(schema, value, `${dir}/${rel}`));
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  for (const issue of r.error.issues.slice(0, 20)) {
    const p = jsonPath(issue.path);
    if (issue.code === 'custom' && issue.params?.[PROTO_KEY_ISSUE] === true) {
      diags.push({
        ...error(SnapshotCodes.ProtoKey, `key \`__proto__\` at \`${p}\` is not a field of the snapshot format (a JSON reader would drop it silently); remove the key or re-collect`, p),
        file: `${dir}/${rel}`,
      });
      continue;
    }
    diags.push({
      ...error(SnapshotCodes.BadShape, `invalid snapshot field${p ? ` \`${p}\`` : ''}: ${issue.message.toLowerCase()}; fix the file or re-collect`, p),
      file: `${dir}/${rel}`,
    });
  }
  return undefined;
}

/** The account id an account file's name promises (`accounts/<id>.json`), undefined for another name. */
function idOfAccountFile(rel: string): string | undefined {
  return /^accounts\/(\d{12})\.json$/.exec(rel)?.[1];
}

/**
 * Account files parsed once per distinct text across the snapshots loaded with it (`diff` loads two snapshots whose
 * account files are mostly byte-identical). A file's value depends on its text alone; only files that parse and
 * validate without any diagnostic (whose messages name the file) are kept, deep-frozen, so every snapshot loaded
 * with this memo gets the same objects for the same text and none can change them for another.
 */
export class SharedAccountFiles {
  private readonly byText = new Map<string, AccountSnapshot>();
  /** Account files answered from the memo / parsed. */
  hits = 0;
  misses = 0;

  /** The value parsed before from exactly this text. */
  get(text: string): AccountSnapshot | undefined {
    const v = this.byText.get(text);
    if (v !== undefined) this.hits++;
    return v;
  }

  /** Keeps `value` (frozen, deeply) as the value of `text`. */
  set(text: string, value: AccountSnapshot): void {
    this.misses++;
    this.byText.set(text, deepFreeze(value));
  }
}

function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  for (const v of Object.values(value)) deepFreeze(v);
  return Object.freeze(value);
}

/** One account file parsed and validated (from `shared` when its text was parsed before); undefined on errors. */
function parseAccountFile(files: ReadonlyMap<string, string>, rel: string, dir: string, diags: Diagnostic[], shared?: SharedAccountFiles): AccountSnapshot | undefined {
  const text = files.get(rel);
  const known = text !== undefined ? shared?.get(text) : undefined;
  if (known) return known;
  const a = parseJson(files, rel, dir);
  if (!a.ok) {
    diags.push(...a.diagnostics);
    return undefined;
  }
  const own: Diagnostic[] = [];
  const v = validate(accountSnapshotSchema, a.value, rel, dir, own);
  diags.push(...own);
  if (v && shared && text !== undefined && own.length === 0) shared.set(text, v);
  return v;
}

/**
 * The account files the manifest lists, parsed and validated. A file listed twice, or whose `accountId` is not
 * the id in its name, is an error; a file under `accounts/` the manifest does not list is warned about and not
 * read (the manifest is what collect wrote; the file may be a leftover or planted).
 */
function parseAccountFiles(files: ReadonlyMap<string, string>, listed: readonly string[], dir: string, diags: Diagnostic[], shared?: SharedAccountFiles): AccountSnapshot[] {
  const accounts: AccountSnapshot[] = [];
  const seen = new Set<string>();
  listed.forEach((rel, i) => {
    if (seen.has(rel)) {
      diags.push({ ...error(SnapshotCodes.Inconsistent, `account file \`${rel}\` is listed twice in \`accountFiles\`; remove the duplicate or re-collect`, `accountFiles[${i}]`), file: `${dir}/${MANIFEST_FILE}` });
      return;
    }
    seen.add(rel);
    const v = parseAccountFile(files, rel, dir, diags, shared);
    if (!v) return;
    const named = idOfAccountFile(rel);
    if (named !== v.accountId) {
      diags.push({
        ...error(SnapshotCodes.Inconsistent, `account file \`${rel}\` holds account \`${v.accountId}\`; an account's file is \`accounts/<its id>.json\` — restore the file or re-collect`, 'accountId'),
        file: `${dir}/${rel}`,
      });
      return;
    }
    accounts.push(v);
  });
  const unlisted = [...files.keys()].filter((rel) => rel.startsWith('accounts/') && !seen.has(rel)).sort(compareStrings);
  for (const rel of unlisted) {
    diags.push({
      ...warning(SnapshotCodes.UnlistedAccountFile, `account file \`${rel}\` is not listed in \`manifest.json\` \`accountFiles\`, so it is not read; re-collect, or list it there if it belongs to this snapshot`),
      file: `${dir}/${rel}`,
    });
  }
  return accounts;
}

/** An id listed twice in `organization.json` (accounts, OUs) is an error at its second place. */
function checkOrganizationIds(org: Snapshot['organization'], dir: string, diags: Diagnostic[]): void {
  const file = `${dir}/${ORGANIZATION_FILE}`;
  const lists: [string, readonly { id: string }[]][] = [
    ['accounts', org.accounts],
    ['organizationalUnits', org.organizationalUnits],
  ];
  for (const [key, list] of lists) {
    const first = new Map<string, number>();
    list.forEach((x, i) => {
      const at = first.get(x.id);
      if (at === undefined) first.set(x.id, i);
      else diags.push({ ...error(SnapshotCodes.Inconsistent, `id \`${x.id}\` is listed twice in \`${key}\` (also at \`${key}[${at}]\`); remove the duplicate or re-collect`, `${key}[${i}].id`), file });
    });
  }
}

/** Every account file must belong to an account `organization.json` lists. */
function checkAccountsInOrganization(org: Snapshot['organization'], accounts: readonly AccountSnapshot[], dir: string, diags: Diagnostic[]): void {
  const ids = new Set(org.accounts.map((a) => a.id));
  for (const a of accounts) {
    if (ids.has(a.accountId)) continue;
    diags.push({
      ...error(SnapshotCodes.Inconsistent, `account file \`${accountFile(a.accountId)}\` is for account \`${a.accountId}\`, which \`organization.json\` does not list; re-collect`, 'accountId'),
      file: `${dir}/${accountFile(a.accountId)}`,
    });
  }
}

/** The manifest, version first (another version's shape is not this one's business). */
function parseManifest(files: ReadonlyMap<string, string>, dir: string, diags: Diagnostic[]): Result<Snapshot['manifest'] | undefined> {
  const m = parseJson(files, MANIFEST_FILE, dir);
  if (!m.ok) return m;
  const version = (m.value as { snapshotVersion?: unknown } | null)?.snapshotVersion;
  if (typeof version !== 'number' || !SUPPORTED_SNAPSHOT_VERSIONS.includes(version)) {
    return fail([
      {
        ...error(
          SnapshotCodes.BadVersion,
          `snapshot format version \`${messageValue(version)}\` is not supported (this bulkhead reads versions ${SUPPORTED_SNAPSHOT_VERSIONS.join(', ')}); re-collect with this version`,
          'snapshotVersion',
        ),
        file: `${dir}/${MANIFEST_FILE}`,
      },
    ]);
  }
  return ok(validate(manifestSchema, m.value, MANIFEST_FILE, dir, diags));
}

/**
 * Parses and validates a snapshot from its files (relative path → text). `dir` is only used in diagnostics.
 * Besides each file's shape it checks that the files agree with each other (ids, file names, listings). With
 * `shared`, an account file whose text was parsed before (by any snapshot loaded with it) is not parsed again.
 */
export function parseSnapshot(files: ReadonlyMap<string, string>, dir: string, shared?: SharedAccountFiles): Result<Snapshot> {
  const diags: Diagnostic[] = [];
  const m = parseManifest(files, dir, diags);
  if (!m.ok) return m;
  const manifest = m.value;
  const o = parseJson(files, ORGANIZATION_FILE, dir);
  if (!o.ok) diags.push(...o.diagnostics);
  const organization = o.ok ? validate(organizationSchema, o.value, ORGANIZATION_FILE, dir, diags) : undefined;
  const accounts = manifest ? parseAccountFiles(files, manifest.accountFiles, dir, diags, shared) : [];
  if (organization) {
    checkOrganizationIds(organization, dir, diags);
    checkAccountsInOrganization(organization, accounts, dir, diags);
  }
  if (!manifest || !organization || hasErrors(diags)) return fail(diags);
  return ok({ manifest, organization, accounts }, diags);
}

const BU_KEYS = ['businessunit', 'business-unit', 'business_unit', 'business unit', 'bu'];
const PHASE_KEYS = ['phase', 'environment', 'stage', 'sdlc stage', 'sdlc-stage', 'env'];
const PURPOSES: readonly AccountPurpose[] = [
  'management', 'runtime', 'security', 'log-archive', 'shared-services', 'network', 'delivery', 'identity', 'backup', 'sandbox', 'dr', 'custom', 'unknown',
];

function tagValue(tags: Tags, keys: readonly string[]): string | undefined {
  for (const k of keys) {
    for (const [tk, tv] of Object.entries(tags)) if (tk.toLowerCase() === k && tv !== '') return tv;
  }
  return undefined;
}

/** Whether a phase name means production (used only when the snapshot has no spec to say so). */
function looksProduction(phase: string): boolean {
  return /^(prod|production|prd|live)$/i.test(phase);
}

const EMPTY_POLICY: PolicyDocument = { Version: '2012-10-17', Statement: [] };

type SnapshotOu = Snapshot['organization']['organizationalUnits'][number];

/**
 * What the conversion of one snapshot shares between its steps: the input, where diagnostics go, and the
 * id → OU path and id → account name maps the earlier steps fill for the later ones. All maps are keyed by
 * AWS ids or names from the snapshot, so they are Maps (never plain objects).
 */
interface ModelContext {
  readonly snapshot: Snapshot;
  readonly dir: string;
  /** `<dir>/organization.json`, for diagnostics about it. */
  readonly orgFile: string;
  readonly diags: Diagnostic[];
  readonly ouById: ReadonlyMap<string, SnapshotOu>;
  /** OU (and root) id → model path, filled lazily by `ouPathOf`. */
  readonly pathById: Map<string, string>;
  /** Account id → model name, filled by `convertAccounts`. */
  readonly nameById: Map<string, string>;
  /** The snapshot's uncollectedAccounts. */
  readonly uncollected: ReturnType<typeof uncollectedAccounts>;
}

/** The model path of an OU id from its parent chain; undefined when the chain breaks or loops. */
function ouPathOf(ctx: ModelContext, id: string, seen = new Set<string>()): string | undefined {
  const known = ctx.pathById.get(id);
  if (known !== undefined) return known;
  const ou = ctx.ouById.get(id);
  if (!ou || seen.has(id)) return undefined;
  seen.add(id);
  const parent = ouPathOf(ctx, ou.parentId, seen);
  if (parent === undefined) return undefined;
  const p = `${parent}/${ou.name}`;
  ctx.pathById.set(id, p);
  return p;
}

/** The root and every OU whose parent chain reaches it; an OU with a dangling parent is an error. */
function convertOus(ctx: ModelContext): OrganizationalUnit[] {
  const org = ctx.snapshot.organization;
  const organizationalUnits: OrganizationalUnit[] = [{ path: ROOT_PATH, id: org.root.id, tags: org.root.tags }];
  org.organizationalUnits.forEach((ou, i) => {
    const p = ouPathOf(ctx, ou.id);
    if (p === undefined) {
      ctx.diags.push({
        ...error(SnapshotCodes.DanglingReference, `OU \`${ou.name}\` (${ou.id}) has parent \`${ou.parentId}\`, which is not in the snapshot; re-collect`, `organizationalUnits[${i}].parentId`),
        file: ctx.orgFile,
      });
      return;
    }
    organizationalUnits.push({ path: p, id: ou.id, tags: ou.tags });
  });
  return organizationalUnits;
}

/** An account's purpose: `management` for the management account, else its `Purpose` tag when known. */
function accountPurpose(tags: Tags, isManagement: boolean): AccountPurpose {
  if (isManagement) return 'management';
  const purposeTag = tagValue(tags, ['purpose'])?.toLowerCase();
  return purposeTag && (PURPOSES as readonly string[]).includes(purposeTag) ? (purposeTag as AccountPurpose) : 'unknown';
}

/**
 * The accounts, named uniquely (fills `ctx.nameById`), and the management account's model name (its id when
 * it could not be placed).
 */
function convertAccounts(ctx: ModelContext): { accounts: Account[]; managementAccount: string } {
  const org = ctx.snapshot.organization;
  const nameCount = new Map<string, number>();
  for (const a of org.accounts) nameCount.set(a.name, (nameCount.get(a.name) ?? 0) + 1);
  const accounts: Account[] = [];
  let managementAccount = org.managementAccountId;
  org.accounts.forEach((a, i) => {
    let name = a.name;
    if ((nameCount.get(a.name) ?? 0) > 1) {
      name = `${a.name} (${a.id})`;
      ctx.diags.push({
        ...warning(SnapshotCodes.DuplicateAccountName, `account name \`${a.name}\` is used by several accounts; this one is called \`${name}\` in the model; rename accounts to keep names unique`, `accounts[${i}].name`),
        file: ctx.orgFile,
      });
    }
    ctx.nameById.set(a.id, name);
    const ouPath = ouPathOf(ctx, a.parentId);
    if (ouPath === undefined) {
      ctx.diags.push({
        ...error(SnapshotCodes.DanglingReference, `account \`${a.name}\` has parent \`${a.parentId}\`, which is not in the snapshot; re-collect`, `accounts[${i}].parentId`),
        file: ctx.orgFile,
      });
      return;
    }
    const isMgmt = a.id === org.managementAccountId;
    if (isMgmt) managementAccount = name;
    const bu = tagValue(a.tags, BU_KEYS);
    const phase = tagValue(a.tags, PHASE_KEYS);
    accounts.push({
      name,
      email: a.email,
      id: a.id,
      ouPath,
      purpose: accountPurpose(a.tags, isMgmt),
      ...(bu !== undefined ? { businessUnit: bu } : {}),
      ...(phase !== undefined ? { phase } : {}),
      status: a.status,
      tags: a.tags,
    });
  });
  return { accounts, managementAccount };
}

/** A policy target id as an OU path or account name; an unknown id is warned about and left out. */
function policyTarget(ctx: ModelContext, id: string, where: string): PolicyTarget | undefined {
  const ou = ctx.pathById.get(id) ?? (ctx.ouById.has(id) ? ouPathOf(ctx, id) : undefined);
  if (ou !== undefined) return { ou };
  const acct = ctx.nameById.get(id);
  if (acct !== undefined) return { account: acct };
  ctx.diags.push({ ...warning(SnapshotCodes.DanglingReference, `policy target \`${id}\` is not in the snapshot; it is left out`, where), file: ctx.orgFile });
  return undefined;
}

/** SCPs and RCPs with their targets translated to model references. */
function convertPolicies(ctx: ModelContext): { scps: OrganizationPolicy[]; rcps: OrganizationPolicy[] } {
  const scps: OrganizationPolicy[] = [];
  const rcps: OrganizationPolicy[] = [];
  ctx.snapshot.organization.policies.forEach((p, i) => {
    const targets = p.targets
      .map((t, j) => policyTarget(ctx, t, `policies[${i}].targets[${j}]`))
      .filter((t): t is PolicyTarget => t !== undefined);
    const policy: OrganizationPolicy = {
      name: p.name,
      id: p.id,
      ...(p.description ? { description: p.description } : {}),
      managedBy: p.awsManaged ? 'aws' : 'customer',
      document: p.document,
      targets,
    };
    (p.type === 'SERVICE_CONTROL_POLICY' ? scps : rcps).push(policy);
  });
  return { scps, rcps };
}

/** The principals and resources of all collected accounts. */
interface Collected {
  readonly roles: Role[];
  readonly users: User[];
  readonly resources: Resource[];
  readonly inventory?: Inventory;
}

/** One collected account being converted: its model name, its file, and its managed policies by ARN. */
interface AccountContext {
  readonly ctx: ModelContext;
  readonly acct: AccountSnapshot;
  readonly accountName: string;
  /** `<dir>/accounts/<id>.json`, for diagnostics about it. */
  readonly file: string;
  readonly managed: ReadonlyMap<string, AccountSnapshot['iam']['managedPolicies'][number]>;
  readonly groups: ReadonlyMap<string, AccountSnapshot['iam']['groups'][number]>;
}

/** An attached managed policy with its document; one whose document is missing is warned about and grants nothing. */
function managedPolicy(a: AccountContext, arn: string, where: string): AttachedPolicy {
  const p = a.managed.get(arn);
  if (!p) {
    a.ctx.diags.push({
      ...warning(SnapshotCodes.MissingManagedPolicy, `managed policy \`${arn}\` is attached but its document is not in the snapshot; it is treated as granting nothing`, where),
      file: a.file,
    });
  }
  return { name: p?.name ?? arn.slice(arn.lastIndexOf('/') + 1), kind: 'managed', arn, document: p?.document ?? EMPTY_POLICY };
}

function inlinePolicy(p: { name: string; document: PolicyDocument }): AttachedPolicy {
  return { name: p.name, kind: 'inline', document: p.document };
}

function convertRoles(a: AccountContext): Role[] {
  return a.acct.iam.roles.map((r, i) => ({
    account: a.accountName,
    name: r.name,
    path: r.path,
    arn: r.arn,
    ...(r.description ? { description: r.description } : {}),
    trustPolicy: r.trustPolicy,
    policies: [
      ...r.inlinePolicies.map(inlinePolicy),
      ...r.managedPolicyArns.map((arn, j) => managedPolicy(a, arn, `iam.roles[${i}].managedPolicyArns[${j}]`)),
    ],
    ...(r.permissionBoundaryArn ? { permissionBoundary: managedPolicy(a, r.permissionBoundaryArn, `iam.roles[${i}].permissionBoundaryArn`) } : {}),
    tags: r.tags,
  }));
}

/** The policies a user gets from its groups, named `group:<group>/<policy>`; unknown groups give nothing. */
function groupPolicies(a: AccountContext, groupNames: readonly string[]): AttachedPolicy[] {
  const out: AttachedPolicy[] = [];
  for (const gName of groupNames) {
    const g = a.groups.get(gName);
    if (!g) continue;
    for (const p of g.inlinePolicies) out.push({ name: `group:${gName}/${p.name}`, kind: 'inline', document: p.document });
    g.managedPolicyArns.forEach((arn, j) => {
      const mp = managedPolicy(a, arn, `iam.groups[${gName}].managedPolicyArns[${j}]`);
      out.push({ ...mp, name: `group:${gName}/${mp.name}` });
    });
  }
  return out;
}

function convertUsers(a: AccountContext): User[] {
  return a.acct.iam.users.map((u, i) => {
    const fromGroups = groupPolicies(a, u.groups);
    return {
      account: a.accountName,
      name: u.name,
      path: u.path,
      arn: u.arn,
      policies: [
        ...u.inlinePolicies.map(inlinePolicy),
        ...u.managedPolicyArns.map((arn, j) => managedPolicy(a, arn, `iam.users[${i}].managedPolicyArns[${j}]`)),
        ...fromGroups,
      ],
      groups: [...u.groups].sort(compareStrings),
      ...(u.permissionBoundaryArn ? { permissionBoundary: managedPolicy(a, u.permissionBoundaryArn, `iam.users[${i}].permissionBoundaryArn`) } : {}),
      tags: u.tags,
    };
  });
}

function convertResources(a: AccountContext): Resource[] {
  return a.acct.resources.map((r) => ({
    account: a.accountName,
    arn: r.arn,
    type: r.type,
    region: r.region,
    ...(r.policy !== undefined ? { policy: r.policy } : {}),
    tags: r.tags,
  }));
}

/** The account's workload inventory (format version 2), attributed to the account's model name; none in version 1. */
function convertInventory(a: AccountContext): { resources: InventoryResource[]; references: InventoryReference[] } {
  const inv = a.acct.inventory;
  if (!inv) return { resources: [], references: [] };
  return { resources: inv.resources.map((r) => ({ ...r, account: a.accountName })), references: [...inv.references] };
}

/** The inventory of all accounts in sorted order, or undefined when no account file has one (older snapshots). */
function mergeInventory(parts: readonly { resources: InventoryResource[]; references: InventoryReference[] }[], any: boolean): Inventory | undefined {
  if (!any) return undefined;
  const key = (r: InventoryReference) => `${r.kind}\u0000${r.from}\u0000${r.to}\u0000${r.evidence}`;
  return {
    resources: sortBy(parts.flatMap((p) => p.resources), (r) => r.arn),
    references: sortBy(parts.flatMap((p) => p.references), key),
  };
}

/** IAM and resources of every collected account, attributed to the account's model name. */
function convertCollected(ctx: ModelContext): Collected {
  const out: Collected = { roles: [], users: [], resources: [] };
  const inventories: ReturnType<typeof convertInventory>[] = [];
  for (const acct of ctx.snapshot.accounts) {
    const a: AccountContext = {
      ctx,
      acct,
      accountName: ctx.nameById.get(acct.accountId) ?? acct.accountName,
      file: `${ctx.dir}/${accountFile(acct.accountId)}`,
      managed: new Map(acct.iam.managedPolicies.map((p) => [p.arn, p])),
      groups: new Map(acct.iam.groups.map((g) => [g.name, g])),
    };
    out.roles.push(...convertRoles(a));
    out.users.push(...convertUsers(a));
    out.resources.push(...convertResources(a));
    inventories.push(convertInventory(a));
  }
  const inventory = mergeInventory(inventories, ctx.snapshot.accounts.some((a) => a.inventory !== undefined));
  return inventory ? { ...out, inventory } : out;
}

/**
 * One warning per collection error in the manifest: an account not read, a document not decoded, or Identity Center
 * not read (wholly, or in part when the snapshot still has `identity`).
 */
function reportCollectionErrors(ctx: ModelContext): void {
  ctx.snapshot.manifest.errors.forEach((e, i) => {
    const who = `\`${e.accountName ?? e.accountId}\``;
    const message =
      e.stage === 'identity' && ctx.snapshot.organization.identity !== undefined
        ? `IAM Identity Center was read only in part at collection (${e.message}); its people and permission sets in the model may be incomplete — re-collect against an endpoint that serves every Identity Center read of the collector policy`
        : e.stage === 'identity'
        ? `IAM Identity Center could not be read at collection (${e.message}); its groups, users, permission sets and assignments are missing from the model — grant the collector the \`sso:\` and \`identitystore:\` read actions of the collector policy and re-collect`
        : e.stage === 'inventory'
        ? `the workload inventory of account ${who} could not be read at collection (${e.message}); its IAM and resources are in the model but its inventory is missing — grant the collector the inventory read actions of the collector policy and re-collect`
        : e.stage === 'decode'
        ? `a policy document in account ${who} could not be decoded (${e.message}); it is kept as raw text and grants nothing`
        : `account ${who} could not be read at collection (${e.stage}: ${e.message}); its IAM and resources are missing from the model — check the access role there and re-collect`;
    ctx.diags.push({ ...warning(SnapshotCodes.AccountNotCollected, message, `errors[${i}]`), file: `${ctx.dir}/${MANIFEST_FILE}` });
  });
}

/** An account `organization.json` lists that the snapshot holds no account file for. */
export interface UncollectedAccount {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  /** Its index in `organization.json` `accounts`. */
  readonly index: number;
  /** What the manifest records about its collection failing (`stage: message`), when it does. */
  readonly collectionError?: string;
}

/**
 * The accounts of the organization without an account file: `active` ones make any analysis of the snapshot
 * incomplete (their roles, users and resources are unknown); the others are not ACTIVE, which the collector skips.
 *
 * Why only ACTIVE accounts count: a closed account is SUSPENDED (PENDING_CLOSURE while closing) and stays in the
 * organization for 90 days, but its resources are not available in that time unless AWS Support reopens it, and
 * an account PENDING_ACTIVATION is unusable until its sign-up completes. Nothing in them can act, and their
 * principals cannot be read; a reopened account is ACTIVE again and then must be collected.
 * (CloseAccount, AWS Organizations API Reference: https://docs.aws.amazon.com/organizations/latest/APIReference/API_CloseAccount.html;
 * Monitor the state of your AWS accounts, AWS Organizations User Guide:
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_account_state.html)
 */
export function uncollectedAccounts(s: Snapshot): { active: UncollectedAccount[]; inactive: UncollectedAccount[] } {
  const collected = new Set(s.accounts.map((a) => a.accountId));
  const failures = new Map<string, string>();
  for (const e of s.manifest.errors) if (e.stage !== 'decode' && !failures.has(e.accountId)) failures.set(e.accountId, `${e.stage}: ${e.message}`);
  const active: UncollectedAccount[] = [];
  const inactive: UncollectedAccount[] = [];
  s.organization.accounts.forEach((a, index) => {
    if (collected.has(a.id)) return;
    const failure = failures.get(a.id);
    const u: UncollectedAccount = { id: a.id, name: a.name, status: a.status, index, ...(failure !== undefined ? { collectionError: failure } : {}) };
    (a.status === 'ACTIVE' ? active : inactive).push(u);
  });
  return { active, inactive };
}

/** The message of an ACTIVE account the snapshot lacks (also the verify report's incomplete reason). */
export function uncollectedMessage(u: UncollectedAccount): string {
  const why = u.collectionError !== undefined ? ` (collection failed: ${u.collectionError})` : '';
  return `account \`${u.name}\` (${u.id}) is ACTIVE in \`organization.json\` but the snapshot has no account file for it${why}; its roles, users and resources are not analysed — re-collect${u.collectionError !== undefined ? ' after fixing access there' : ''}`;
}

/** One warning per ACTIVE account without an account file, one for all accounts that are not ACTIVE. */
function reportUncollected(ctx: ModelContext): void {
  const { active, inactive } = ctx.uncollected;
  for (const u of active) ctx.diags.push({ ...warning(SnapshotCodes.AccountMissing, uncollectedMessage(u), `accounts[${u.index}]`), file: ctx.orgFile });
  if (inactive.length === 0) return;
  const list = inactive.map((u) => `\`${u.name}\` (${u.id}, ${u.status})`).join(', ');
  ctx.diags.push({
    ...warning(SnapshotCodes.AccountNotActive, `${inactive.length} account${inactive.length === 1 ? ' is' : 's are'} not ACTIVE and ${inactive.length === 1 ? 'was' : 'were'} not collected: ${list}; a closed account's resources are unavailable until it is reopened — re-collect if one is reopened`, 'accounts'),
    file: ctx.orgFile,
  });
}

/** The distinct defined values, sorted. */
function distinctSorted(values: readonly (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== undefined))].sort(compareStrings);
}

/**
 * Converts a validated snapshot into the organization model. Accounts are named by their Organizations
 * name (a duplicate name gets ` (<id>)` appended, with a warning); OUs by path `Root/...`; business unit,
 * phase and purpose come from account tags when present (`BusinessUnit`, `Phase`/`Environment`/`Stage`,
 * `Purpose`). A user's group policies are included in its policy list, named `group:<group>/<policy>`.
 * `uncollected`: the snapshot's uncollectedAccounts, for a caller that has them already (they become the BH6009 and BH6013 warnings).
 */
export function snapshotToModel(s: Snapshot, dir = 'snapshot', uncollected = uncollectedAccounts(s)): Result<OrganizationModel> {
  const org = s.organization;
  const ctx: ModelContext = {
    snapshot: s,
    dir,
    orgFile: `${dir}/${ORGANIZATION_FILE}`,
    diags: [],
    ouById: new Map(org.organizationalUnits.map((o) => [o.id, o])),
    pathById: new Map([[org.root.id, ROOT_PATH]]),
    nameById: new Map(),
    uncollected,
  };
  const organizationalUnits = convertOus(ctx);
  const { accounts, managementAccount } = convertAccounts(ctx);
  const { scps, rcps } = convertPolicies(ctx);
  const { roles, users, resources, inventory } = convertCollected(ctx);
  reportCollectionErrors(ctx);
  reportUncollected(ctx);
  if (hasErrors(ctx.diags)) return fail(ctx.diags);

  const phases: Phase[] = distinctSorted(accounts.map((a) => a.phase)).map((name) => ({ name, production: looksProduction(name) }));
  const businessUnits: BusinessUnit[] = distinctSorted(accounts.map((a) => a.businessUnit)).map((name) => ({ name }));
  const model: OrganizationModel = {
    modelVersion: 1,
    source: 'snapshot',
    organization: {
      name: org.id,
      id: org.id,
      managementAccount,
      regions: s.manifest.organization.regions,
      accessRoleName: s.manifest.organization.accessRoleName,
    },
    phases,
    businessUnits,
    organizationalUnits,
    accounts,
    roles,
    users,
    serviceControlPolicies: scps,
    resourceControlPolicies: rcps,
    resources,
    boundaries: [],
    auditScopes: [],
    ...(inventory ? { inventory } : {}),
    ...(org.identity
      ? { identity: convertIdentity({ identity: org.identity, accounts: s.accounts, nameById: ctx.nameById, roles, file: ctx.orgFile, diags: ctx.diags }) }
      : {}),
  };
  return ok(sortModel(model), ctx.diags);
}

/** parseSnapshot then snapshotToModel. */
export function loadSnapshot(files: ReadonlyMap<string, string>, dir: string): Result<OrganizationModel> {
  const s = parseSnapshot(files, dir);
  if (!s.ok) return s;
  const m = snapshotToModel(s.value, dir);
  return m.ok ? ok(m.value, [...s.diagnostics, ...m.diagnostics]) : fail([...s.diagnostics, ...m.diagnostics]);
}
