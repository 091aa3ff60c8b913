/**
 * Pure loader: snapshot files (already read as text) → validated Snapshot → OrganizationModel
 * (source `snapshot`), the same model a plan produces. No file system here; see read.ts for the edge.
 */
import type { z } from 'zod';
import { error, fail, ok, warning, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
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
  SNAPSHOT_VERSION,
  accountSnapshotSchema,
  manifestSchema,
  organizationSchema,
  type AccountSnapshot,
  type Snapshot,
} from './format.js';
import { SnapshotCodes } from './codes.js';

export { SnapshotCodes } from './codes.js';

function parseJson(files: ReadonlyMap<string, string>, rel: string, dir: string): { value: unknown } | { diagnostic: Diagnostic } {
  const file = `${dir}/${rel}`;
  const text = files.get(rel);
  if (text === undefined) {
    return {
      diagnostic: {
        ...error(SnapshotCodes.MissingFile, `snapshot file \`${rel}\` is missing; re-run \`bulkhead collect\` to write a complete snapshot`),
        file,
      },
    };
  }
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const m = /position (\d+)/.exec(msg);
    const position = m ? positionOf(text, Number(m[1])) : undefined;
    return {
      diagnostic: {
        ...error(SnapshotCodes.BadJson, `\`${rel}\` is not valid JSON (${msg}); restore it or re-run \`bulkhead collect\``),
        file,
        ...(position ? { position } : {}),
      },
    };
  }
}

function positionOf(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, col: (before[before.length - 1]?.length ?? 0) + 1 };
}

function jsonPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

function validate<T>(schema: z.ZodType<T>, value: unknown, rel: string, dir: string, diags: Diagnostic[]): T | undefined {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  for (const issue of r.error.issues.slice(0, 20)) {
    const p = jsonPath(issue.path);
    diags.push({
      ...error(SnapshotCodes.BadShape, `invalid snapshot field${p ? ` \`${p}\`` : ''}: ${issue.message.toLowerCase()}; fix the file or re-collect`, p),
      file: `${dir}/${rel}`,
    });
  }
  return undefined;
}

/**
 * Parses and validates a snapshot from its files (relative path → text). `dir` is only used in diagnostics.
 */
export function parseSnapshot(files: ReadonlyMap<string, string>, dir: string): Result<Snapshot> {
  const diags: Diagnostic[] = [];
  const m = parseJson(files, MANIFEST_FILE, dir);
  if ('diagnostic' in m) return fail([m.diagnostic]);
  const version = (m.value as { snapshotVersion?: unknown } | null)?.snapshotVersion;
  if (version !== SNAPSHOT_VERSION) {
    return fail([
      {
        ...error(
          SnapshotCodes.BadVersion,
          `snapshot format version \`${String(version)}\` is not supported (this bulkhead reads version ${SNAPSHOT_VERSION}); re-collect with this version`,
          'snapshotVersion',
        ),
        file: `${dir}/${MANIFEST_FILE}`,
      },
    ]);
  }
  const manifest = validate(manifestSchema, m.value, MANIFEST_FILE, dir, diags);
  const o = parseJson(files, ORGANIZATION_FILE, dir);
  if ('diagnostic' in o) diags.push(o.diagnostic);
  const organization = 'value' in o ? validate(organizationSchema, o.value, ORGANIZATION_FILE, dir, diags) : undefined;
  const accounts: AccountSnapshot[] = [];
  for (const rel of manifest?.accountFiles ?? []) {
    const a = parseJson(files, rel, dir);
    if ('diagnostic' in a) {
      diags.push(a.diagnostic);
      continue;
    }
    const v = validate(accountSnapshotSchema, a.value, rel, dir, diags);
    if (v) accounts.push(v);
  }
  if (!manifest || !organization || diags.some((d) => d.severity === 'error')) return fail(diags);
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

/**
 * Converts a validated snapshot into the organization model. Accounts are named by their Organizations
 * name (a duplicate name gets ` (<id>)` appended, with a warning); OUs by path `Root/...`; business unit,
 * phase and purpose come from account tags when present (`BusinessUnit`, `Phase`/`Environment`/`Stage`,
 * `Purpose`). A user's group policies are included in its policy list, named `group:<group>/<policy>`.
 */
export function snapshotToModel(s: Snapshot, dir = 'snapshot'): Result<OrganizationModel> {
  const diags: Diagnostic[] = [];
  const org = s.organization;
  const orgFile = `${dir}/${ORGANIZATION_FILE}`;

  // OU paths from the parent chain.
  const ouById = new Map(org.organizationalUnits.map((o) => [o.id, o]));
  const pathById = new Map<string, string>([[org.root.id, ROOT_PATH]]);
  const pathOf = (id: string, seen = new Set<string>()): string | undefined => {
    const known = pathById.get(id);
    if (known !== undefined) return known;
    const ou = ouById.get(id);
    if (!ou || seen.has(id)) return undefined;
    seen.add(id);
    const parent = pathOf(ou.parentId, seen);
    if (parent === undefined) return undefined;
    const p = `${parent}/${ou.name}`;
    pathById.set(id, p);
    return p;
  };
  const organizationalUnits: OrganizationalUnit[] = [{ path: ROOT_PATH, id: org.root.id, tags: org.root.tags }];
  org.organizationalUnits.forEach((ou, i) => {
    const p = pathOf(ou.id);
    if (p === undefined) {
      diags.push({
        ...error(SnapshotCodes.DanglingReference, `OU \`${ou.name}\` (${ou.id}) has parent \`${ou.parentId}\`, which is not in the snapshot; re-collect`, `organizationalUnits[${i}].parentId`),
        file: orgFile,
      });
      return;
    }
    organizationalUnits.push({ path: p, id: ou.id, tags: ou.tags });
  });

  // Account names: unique in the model.
  const nameCount = new Map<string, number>();
  for (const a of org.accounts) nameCount.set(a.name, (nameCount.get(a.name) ?? 0) + 1);
  const nameById = new Map<string, string>();
  const accounts: Account[] = [];
  let managementAccount = org.managementAccountId;
  org.accounts.forEach((a, i) => {
    let name = a.name;
    if ((nameCount.get(a.name) ?? 0) > 1) {
      name = `${a.name} (${a.id})`;
      diags.push({
        ...warning(SnapshotCodes.DuplicateAccountName, `account name \`${a.name}\` is used by several accounts; this one is called \`${name}\` in the model; rename accounts to keep names unique`, `accounts[${i}].name`),
        file: orgFile,
      });
    }
    nameById.set(a.id, name);
    const ouPath = pathOf(a.parentId);
    if (ouPath === undefined) {
      diags.push({
        ...error(SnapshotCodes.DanglingReference, `account \`${a.name}\` has parent \`${a.parentId}\`, which is not in the snapshot; re-collect`, `accounts[${i}].parentId`),
        file: orgFile,
      });
      return;
    }
    const isMgmt = a.id === org.managementAccountId;
    if (isMgmt) managementAccount = name;
    const purposeTag = tagValue(a.tags, ['purpose'])?.toLowerCase();
    const purpose: AccountPurpose = isMgmt
      ? 'management'
      : purposeTag && (PURPOSES as readonly string[]).includes(purposeTag)
        ? (purposeTag as AccountPurpose)
        : 'unknown';
    const bu = tagValue(a.tags, BU_KEYS);
    const phase = tagValue(a.tags, PHASE_KEYS);
    accounts.push({
      name,
      email: a.email,
      id: a.id,
      ouPath,
      purpose,
      ...(bu !== undefined ? { businessUnit: bu } : {}),
      ...(phase !== undefined ? { phase } : {}),
      status: a.status,
      tags: a.tags,
    });
  });

  const targetOf = (id: string, where: string): PolicyTarget | undefined => {
    const ou = pathById.get(id) ?? (ouById.has(id) ? pathOf(id) : undefined);
    if (ou !== undefined) return { ou };
    const acct = nameById.get(id);
    if (acct !== undefined) return { account: acct };
    diags.push({ ...warning(SnapshotCodes.DanglingReference, `policy target \`${id}\` is not in the snapshot; it is left out`, where), file: orgFile });
    return undefined;
  };
  const scps: OrganizationPolicy[] = [];
  const rcps: OrganizationPolicy[] = [];
  org.policies.forEach((p, i) => {
    const targets = p.targets
      .map((t, j) => targetOf(t, `policies[${i}].targets[${j}]`))
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

  // IAM and resources per collected account.
  const roles: Role[] = [];
  const users: User[] = [];
  const resources: Resource[] = [];
  const collected = new Set<string>();
  for (const acct of s.accounts) {
    const accountName = nameById.get(acct.accountId) ?? acct.accountName;
    collected.add(acct.accountId);
    const rel = `accounts/${acct.accountId}.json`;
    const managed = new Map(acct.iam.managedPolicies.map((p) => [p.arn, p]));
    const managedPolicy = (arn: string, where: string): AttachedPolicy => {
      const p = managed.get(arn);
      if (!p) {
        diags.push({
          ...warning(SnapshotCodes.MissingManagedPolicy, `managed policy \`${arn}\` is attached but its document is not in the snapshot; it is treated as granting nothing`, where),
          file: `${dir}/${rel}`,
        });
      }
      return { name: p?.name ?? arn.slice(arn.lastIndexOf('/') + 1), kind: 'managed', arn, document: p?.document ?? EMPTY_POLICY };
    };
    acct.iam.roles.forEach((r, i) => {
      roles.push({
        account: accountName,
        name: r.name,
        path: r.path,
        arn: r.arn,
        ...(r.description ? { description: r.description } : {}),
        trustPolicy: r.trustPolicy,
        policies: [
          ...r.inlinePolicies.map((p): AttachedPolicy => ({ name: p.name, kind: 'inline', document: p.document })),
          ...r.managedPolicyArns.map((arn, j) => managedPolicy(arn, `iam.roles[${i}].managedPolicyArns[${j}]`)),
        ],
        ...(r.permissionBoundaryArn ? { permissionBoundary: managedPolicy(r.permissionBoundaryArn, `iam.roles[${i}].permissionBoundaryArn`) } : {}),
        tags: r.tags,
      });
    });
    const groups = new Map(acct.iam.groups.map((g) => [g.name, g]));
    acct.iam.users.forEach((u, i) => {
      const groupPolicies: AttachedPolicy[] = [];
      for (const gName of u.groups) {
        const g = groups.get(gName);
        if (!g) continue;
        for (const p of g.inlinePolicies) groupPolicies.push({ name: `group:${gName}/${p.name}`, kind: 'inline', document: p.document });
        g.managedPolicyArns.forEach((arn, j) => {
          const mp = managedPolicy(arn, `iam.groups[${gName}].managedPolicyArns[${j}]`);
          groupPolicies.push({ ...mp, name: `group:${gName}/${mp.name}` });
        });
      }
      users.push({
        account: accountName,
        name: u.name,
        path: u.path,
        arn: u.arn,
        policies: [
          ...u.inlinePolicies.map((p): AttachedPolicy => ({ name: p.name, kind: 'inline', document: p.document })),
          ...u.managedPolicyArns.map((arn, j) => managedPolicy(arn, `iam.users[${i}].managedPolicyArns[${j}]`)),
          ...groupPolicies,
        ],
        groups: [...u.groups].sort(),
        ...(u.permissionBoundaryArn ? { permissionBoundary: managedPolicy(u.permissionBoundaryArn, `iam.users[${i}].permissionBoundaryArn`) } : {}),
        tags: u.tags,
      });
    });
    for (const r of acct.resources) {
      resources.push({
        account: accountName,
        arn: r.arn,
        type: r.type,
        region: r.region,
        ...(r.policy !== undefined ? { policy: r.policy } : {}),
        tags: r.tags,
      });
    }
  }
  s.manifest.errors.forEach((e, i) => {
    const who = `\`${e.accountName ?? e.accountId}\``;
    const message =
      e.stage === 'decode'
        ? `a policy document in account ${who} could not be decoded (${e.message}); it is kept as raw text and grants nothing`
        : `account ${who} could not be read at collection (${e.stage}: ${e.message}); its IAM and resources are missing from the model — check the access role there and re-collect`;
    diags.push({ ...warning(SnapshotCodes.AccountNotCollected, message, `errors[${i}]`), file: `${dir}/${MANIFEST_FILE}` });
  });
  if (diags.some((d) => d.severity === 'error')) return fail(diags);

  const phaseNames = [...new Set(accounts.map((a) => a.phase).filter((p): p is string => p !== undefined))].sort();
  const phases: Phase[] = phaseNames.map((name) => ({ name, production: looksProduction(name) }));
  const businessUnits: BusinessUnit[] = [...new Set(accounts.map((a) => a.businessUnit).filter((b): b is string => b !== undefined))]
    .sort()
    .map((name) => ({ name }));

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
  };
  return ok(sortModel(model), diags);
}

/** parseSnapshot then snapshotToModel. */
export function loadSnapshot(files: ReadonlyMap<string, string>, dir: string): Result<OrganizationModel> {
  const s = parseSnapshot(files, dir);
  if (!s.ok) return s;
  const m = snapshotToModel(s.value, dir);
  return m.ok ? ok(m.value, [...s.diagnostics, ...m.diagnostics]) : fail([...s.diagnostics, ...m.diagnostics]);
}
