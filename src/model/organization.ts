/**
 * The organization model: one shape for an organization designed by `plan` and one read by `collect`,
 * so that emitters, `apply` and `verify` work on both alike.
 *
 * Conventions:
 * - Accounts are referred to by **name** everywhere in the model (AWS ids are unknown at design time).
 * - OUs are referred to by **path** from the root: `Root`, `Root/Workloads/Prod`.
 * - Policy documents are kept as the raw JSON values the user or AWS gave; the policy engine parses them.
 * - Arrays are sorted (see `sortModel`) so the JSON form is deterministic.
 */

import type { Inventory } from './inventory.js';

/** Any JSON value; policy documents are stored as such. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A raw IAM/SCP/RCP policy document (normally an object with Version and Statement). */
export type PolicyDocument = JsonValue;

/** Tags as AWS stores them: keys are case-sensitive. */
export type Tags = Record<string, string>;

/**
 * The tags of an entity without any, one frozen object that `sortModel` gives every untagged entity (so every
 * loaded snapshot, planned design and synthetic organization): a large organization has hundreds of thousands of
 * untagged roles and resources, and one empty object each held ~56 bytes and one more object for every full
 * collection to mark.
 */
export const NO_TAGS: Tags = Object.freeze({});

/** `tags`, or {@link NO_TAGS} when it has none. */
export function sharedTags(tags: Tags): Tags {
  for (const _ in tags) return tags;
  return NO_TAGS;
}

/** Where a model came from. */
export type ModelSource = 'plan' | 'snapshot';

/** Why an account exists. `runtime` = a business unit's delivery-phase account. */
export type AccountPurpose =
  | 'management'
  | 'runtime'
  | 'security'
  | 'log-archive'
  | 'shared-services'
  | 'network'
  | 'delivery'
  | 'identity'
  | 'backup'
  | 'sandbox'
  | 'dr'
  | 'custom'
  | 'unknown';

/** A delivery phase (dev, stage, prod…), ordered from least to most critical in the model. */
export interface Phase {
  readonly name: string;
  readonly production: boolean;
}

/** A business unit. */
export interface BusinessUnit {
  readonly name: string;
  readonly displayName?: string;
  readonly owner?: string;
}

/** How an attribute (business unit, phase) of an account or principal was decided. */
export type AttributionSource = 'spec' | 'tag' | 'ou-path' | 'inherited' | 'none';

/** An AWS account. */
export interface Account {
  readonly name: string;
  readonly email: string;
  /** 12-digit id when known (collected, or given for adoption). */
  readonly id?: string;
  /** Path of the parent OU, e.g. `Root/Workloads/Prod`. */
  readonly ouPath: string;
  readonly purpose: AccountPurpose;
  readonly businessUnit?: string;
  readonly phase?: string;
  /** AWS status when collected: ACTIVE, SUSPENDED, PENDING_CLOSURE. */
  readonly status?: string;
  readonly tags: Tags;
}

/** An organizational unit. */
export interface OrganizationalUnit {
  /** `Root/Workloads/Prod`; the root itself is `Root`. */
  readonly path: string;
  readonly id?: string;
  readonly tags: Tags;
}

/** A policy attached to (or inline in) a principal. */
export interface AttachedPolicy {
  readonly name: string;
  /** `managed` = a customer or AWS managed policy attached to the principal; `inline` = embedded. */
  readonly kind: 'managed' | 'inline';
  /** ARN of a managed policy when known (`arn:aws:iam::aws:policy/...` for AWS managed). */
  readonly arn?: string;
  readonly document: PolicyDocument;
}

/** An IAM role in a member account. */
export interface Role {
  /** Account name the role lives in. */
  readonly account: string;
  readonly name: string;
  /** IAM path, `/` by default. */
  readonly path: string;
  readonly arn?: string;
  readonly description?: string;
  readonly trustPolicy: PolicyDocument;
  readonly policies: readonly AttachedPolicy[];
  readonly permissionBoundary?: AttachedPolicy;
  readonly tags: Tags;
}

/** An IAM user (only collected organizations have them; the planner never designs users). */
export interface User {
  readonly account: string;
  readonly name: string;
  readonly path: string;
  readonly arn?: string;
  readonly policies: readonly AttachedPolicy[];
  readonly groups: readonly string[];
  readonly permissionBoundary?: AttachedPolicy;
  readonly tags: Tags;
}

/** Where an organization policy is attached: the root, an OU (by path) or an account (by name). */
export type PolicyTarget = { readonly ou: string } | { readonly account: string };

/** A service control policy or resource control policy and its direct attachments. */
export interface OrganizationPolicy {
  readonly name: string;
  readonly id?: string;
  readonly description?: string;
  /** `aws` for AWS managed policies such as FullAWSAccess. */
  readonly managedBy?: 'aws' | 'customer';
  readonly document: PolicyDocument;
  readonly targets: readonly PolicyTarget[];
}

/** A resource with a resource-based policy (S3 bucket, KMS key, SQS queue, …). */
export interface Resource {
  readonly account: string;
  /** Full ARN; abstract design-time resources use a wildcard ARN, e.g. `arn:aws:s3:::*`. */
  readonly arn: string;
  /** Service-qualified type, e.g. `s3:bucket`, `kms:key`, `sqs:queue`. */
  readonly type: string;
  readonly region?: string;
  readonly policy?: PolicyDocument;
  readonly tags: Tags;
}

/** One line of the sizing explanation. */
export interface SizingLine {
  readonly category: string;
  readonly count: number;
  readonly explanation: string;
}

/** "How many accounts do we need, and why." */
export interface Sizing {
  readonly total: number;
  readonly lines: readonly SizingLine[];
  /**
   * How people get in (permission sets, assignments, source roles), when the spec has groups; not accounts, so not
   * part of `total`.
   */
  readonly identity?: readonly SizingLine[];
  /** The default AWS Organizations account quota the total was compared with. */
  readonly accountQuota: number;
}

/** A selector over accounts, as the spec writes it. Several keys = AND; list values = OR. */
export interface AccountSelector {
  readonly phase?: readonly string[];
  readonly businessUnit?: readonly string[];
  readonly account?: readonly string[];
  readonly ou?: readonly string[];
}

/** An intended boundary: no principal matching `from` may have `deny` capabilities on `to`. */
export interface BoundaryAssertion {
  readonly name: string;
  readonly from: AccountSelector;
  readonly to: AccountSelector;
  readonly deny: readonly string[];
  /** Principals (role names) exempt from the assertion. */
  readonly except?: readonly string[];
}

/** A compliance scope: the accounts whose data is in scope. */
export interface AuditScope {
  readonly name: string;
  readonly accounts: AccountSelector;
}

/** How people reach the runtime roles. `external`: an IdP outside the model, trusted by the roles' `assumedFrom`. */
export type IdentityProvider = 'identity-center' | 'identity-account' | 'external';

/** A group of people (an Identity Center identity store group, or a group the identity account serves). */
export interface IdentityGroup {
  readonly name: string;
  /** Identity store group id when collected. */
  readonly id?: string;
  readonly description?: string;
  /** User names of the members (as the spec lists them, or as the identity store reports them). */
  readonly members: readonly string[];
}

/** A user of the identity store (Identity Center) or the people the spec names as group members. */
export interface IdentityUser {
  readonly name: string;
  /** Identity store user id when collected. */
  readonly id?: string;
}

/**
 * An IAM Identity Center permission set. The planner names it `{phase}-{role}` and gives it the role's per-phase
 * capability policies as customer managed policy references (`policies` of kind `managed`, each with the document
 * bulkhead designs in every account the set is assigned to, since a reference names a policy that must exist there),
 * and the role's `inlinePolicies` as its one inline policy (kind `inline`).
 */
export interface PermissionSet {
  readonly name: string;
  readonly arn?: string;
  readonly description?: string;
  /** ISO 8601 duration, `PT1H` to `PT12H`. */
  readonly sessionDuration: string;
  readonly policies: readonly AttachedPolicy[];
  readonly permissionBoundary?: AttachedPolicy;
  /** The spec role and phase the set was designed from (planned models). */
  readonly role?: string;
  readonly phase?: string;
  readonly tags: Tags;
}

/**
 * Who gets what where: a group given access to one account. With Identity Center, through `permissionSet` (and
 * `role` is the role AWS creates in that account for it); with an identity account, through `sourceRole` (a role in
 * the identity account that may assume `role` in that account).
 */
export interface AccountAssignment {
  readonly group: string;
  readonly account: string;
  /** The role the group ends up in, in `account`. */
  readonly role: string;
  readonly permissionSet?: string;
  /** identity-account: the group's role in the identity account. */
  readonly sourceRole?: string;
}

/**
 * How people get into the accounts. Filled by the planner from the spec's `identity` section, and by a collector
 * from sso-admin and identitystore (instance, store, groups, users, permission sets, assignments).
 *
 * With Identity Center, each assignment's account also holds, in `roles`, the role AWS creates for it: name
 * `AWSReservedSSO_{permissionSet}_{suffix}`, path `/aws-reserved/sso.amazonaws.com/` (plus `{region}/` when the
 * instance is not in us-east-1), trusted by the account's `AWSSSO_{suffix}_DO_NOT_DELETE` SAML provider for
 * `sts:AssumeRoleWithSAML` and `sts:TagSession`. AWS picks the suffixes; a planned model has no real ones, so the
 * planner writes a deterministic placeholder (16 hex digits hashed from the names) that a collected model replaces:
 * compare planned and live SSO roles by account and permission set, never by the suffix.
 */
export interface IdentityModel {
  readonly provider: IdentityProvider;
  /** identity-center: the instance ARN and identity store id, when collected. */
  readonly instanceArn?: string;
  readonly identityStoreId?: string;
  /** identity-center: the instance's region. */
  readonly homeRegion?: string;
  /** identity-account: the account the source roles live in. */
  readonly identityAccount?: string;
  readonly groups: readonly IdentityGroup[];
  readonly users: readonly IdentityUser[];
  readonly permissionSets: readonly PermissionSet[];
  readonly assignments: readonly AccountAssignment[];
}

/** The organization model. */
export interface OrganizationModel {
  /** Model format version; bump on breaking changes of the JSON form. */
  readonly modelVersion: 1;
  readonly source: ModelSource;
  readonly organization: {
    readonly name: string;
    readonly id?: string;
    /** Name of the management account (also present in `accounts`). */
    readonly managementAccount: string;
    readonly regions: readonly string[];
    /** Role that the management account assumes in member accounts. */
    readonly accessRoleName: string;
  };
  readonly phases: readonly Phase[];
  readonly businessUnits: readonly BusinessUnit[];
  readonly organizationalUnits: readonly OrganizationalUnit[];
  readonly accounts: readonly Account[];
  readonly roles: readonly Role[];
  readonly users: readonly User[];
  readonly serviceControlPolicies: readonly OrganizationPolicy[];
  readonly resourceControlPolicies: readonly OrganizationPolicy[];
  readonly resources: readonly Resource[];
  readonly boundaries: readonly BoundaryAssertion[];
  readonly auditScopes: readonly AuditScope[];
  /** How people get in; absent when the spec has no `identity` section (roles are reached through `assumedFrom` only). */
  readonly identity?: IdentityModel;
  /** Present on planned models. */
  readonly sizing?: Sizing;
  /** The workload inventory; present on snapshot models collected with it (snapshot format version 2). */
  readonly inventory?: Inventory;
}

/** The root OU's path. */
export const ROOT_PATH = 'Root';

/**
 * OU paths of the recommended structure (AWS whitepaper "Organizing Your AWS Environment Using Multiple Accounts",
 * "Recommended OUs"): the planner places accounts in them, and `apply` moves accounts the plan no longer has to
 * `suspended` instead of closing them.
 */
export const RECOMMENDED_OU = {
  security: `${ROOT_PATH}/Security`,
  infrastructure: `${ROOT_PATH}/Infrastructure`,
  deployments: `${ROOT_PATH}/Deployments`,
  workloads: `${ROOT_PATH}/Workloads`,
  sandbox: `${ROOT_PATH}/Sandbox`,
  suspended: `${ROOT_PATH}/Suspended`,
  policyStaging: `${ROOT_PATH}/PolicyStaging`,
} as const;

/** Default role the management account assumes in member accounts (created by CreateAccount). */
export const DEFAULT_ACCESS_ROLE = 'OrganizationAccountAccessRole';
