/**
 * The change set `apply` computes: what to do to the live organization to make it match the plan.
 * Pure data; see diff.ts for how it is computed and render.ts for how it is printed.
 */
import type { AttachedPolicy, PolicyDocument, PolicyTarget, Tags } from '../model/organization.js';

/** Organization policy types apply manages. */
export type OrgPolicyType = 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY';

/** What to do to one role that exists but differs. Empty lists mean "nothing of that kind". */
export interface RoleUpdate {
  /** New trust policy (planned form: may still hold `{{account:x}}` references). */
  readonly trustPolicy?: PolicyDocument;
  readonly putInline: readonly AttachedPolicy[];
  readonly deleteInline: readonly string[];
  /** Managed policies to create/update (customer) and attach; AWS managed ones only attach. */
  readonly putManaged: readonly AttachedPolicy[];
  readonly detachManaged: readonly string[];
  /** Tags to set (added or changed keys only). */
  readonly tags?: Tags;
}

/** One change. `key` identifies it in the journal and is stable across runs. */
export type Change =
  | { readonly kind: 'create-organization'; readonly key: string }
  | { readonly kind: 'enable-policy-type'; readonly key: string; readonly policyType: OrgPolicyType }
  | { readonly kind: 'create-ou'; readonly key: string; readonly path: string; readonly tags: Tags }
  | { readonly kind: 'tag-ou'; readonly key: string; readonly path: string; readonly tags: Tags }
  | {
      readonly kind: 'create-policy';
      readonly key: string;
      readonly policyType: OrgPolicyType;
      readonly name: string;
      readonly description?: string;
      readonly document: PolicyDocument;
    }
  | { readonly kind: 'update-policy'; readonly key: string; readonly policyType: OrgPolicyType; readonly name: string; readonly document: PolicyDocument }
  | { readonly kind: 'create-account'; readonly key: string; readonly name: string; readonly email: string; readonly ouPath: string; readonly tags: Tags }
  | { readonly kind: 'move-account'; readonly key: string; readonly name: string; readonly from: string; readonly to: string }
  | { readonly kind: 'tag-account'; readonly key: string; readonly name: string; readonly tags: Tags }
  | { readonly kind: 'attach-policy'; readonly key: string; readonly policyType: OrgPolicyType; readonly name: string; readonly target: PolicyTarget }
  | { readonly kind: 'detach-policy'; readonly key: string; readonly policyType: OrgPolicyType; readonly name: string; readonly target: PolicyTarget }
  | {
      readonly kind: 'create-role';
      readonly key: string;
      readonly account: string;
      readonly name: string;
      readonly path: string;
      readonly description?: string;
      readonly trustPolicy: PolicyDocument;
      readonly policies: readonly AttachedPolicy[];
      readonly tags: Tags;
    }
  | { readonly kind: 'update-role'; readonly key: string; readonly account: string; readonly name: string; readonly update: RoleUpdate }
  | { readonly kind: 'suspend-account'; readonly key: string; readonly name: string; readonly from: string; readonly to: string }
  | { readonly kind: 'close-account'; readonly key: string; readonly name: string }
  | IdentityChange;

/**
 * A permission set's policies as Identity Center holds them: at most one inline policy, AWS managed policies by ARN,
 * and customer managed policy references by name (path `/`), which name a policy that must exist in every account
 * the set is assigned to.
 */
export interface PermissionSetPolicies {
  readonly inline?: PolicyDocument;
  readonly managedArns: readonly string[];
  readonly customerManaged: readonly string[];
}

/** What to change on a permission set that exists. Empty lists mean "nothing of that kind". */
export interface PermissionSetUpdate {
  /** Set when it changes (new value). */
  readonly description?: string;
  /** Set when it changes (new value). */
  readonly sessionDuration?: string;
  /** The planned description and session duration, both sent when either changes (UpdatePermissionSet). */
  readonly planned: { readonly description?: string; readonly sessionDuration: string };
  /** The new inline policy; `deleteInline` when the plan has none and the live set has one. */
  readonly inline?: PolicyDocument;
  readonly deleteInline: boolean;
  readonly attachManaged: readonly string[];
  readonly detachManaged: readonly string[];
  readonly attachCustomer: readonly string[];
  readonly detachCustomer: readonly string[];
}

/** Changes to IAM Identity Center (groups, memberships, permission sets, assignments) and the policies they need. */
export type IdentityChange =
  | { readonly kind: 'create-user'; readonly key: string; readonly name: string }
  | { readonly kind: 'create-group'; readonly key: string; readonly name: string; readonly description?: string }
  | { readonly kind: 'add-group-member'; readonly key: string; readonly group: string; readonly user: string }
  | {
      readonly kind: 'create-permission-set';
      readonly key: string;
      readonly name: string;
      readonly description?: string;
      readonly sessionDuration: string;
      readonly policies: PermissionSetPolicies;
      readonly tags: Tags;
    }
  | { readonly kind: 'update-permission-set'; readonly key: string; readonly name: string; readonly update: PermissionSetUpdate }
  /** A customer managed policy a permission set references, created (or brought up to date) in one account. */
  | { readonly kind: 'put-account-policy'; readonly key: string; readonly account: string; readonly name: string; readonly document: PolicyDocument; readonly exists: boolean }
  | { readonly kind: 'create-assignment'; readonly key: string; readonly group: string; readonly account: string; readonly permissionSet: string }
  | { readonly kind: 'delete-assignment'; readonly key: string; readonly group: string; readonly account: string; readonly permissionSet: string };

/** Kinds of change. */
export type ChangeKind = Change['kind'];

/** Whether a change adds (`+`), changes (`~`) or removes (`-`) something. */
export function changeSign(c: Change): '+' | '~' | '-' {
  switch (c.kind) {
    case 'create-ou':
    case 'create-policy':
    case 'create-account':
    case 'attach-policy':
    case 'create-role':
    case 'enable-policy-type':
    case 'create-organization':
    case 'create-user':
    case 'create-group':
    case 'add-group-member':
    case 'create-permission-set':
    case 'create-assignment':
      return '+';
    case 'put-account-policy':
      return c.exists ? '~' : '+';
    case 'detach-policy':
    case 'suspend-account':
    case 'close-account':
    case 'delete-assignment':
      return '-';
    default:
      return '~';
  }
}

/** A computed change set. */
export interface ChangeSet {
  readonly changes: readonly Change[];
  /** Things apply noticed but will not do (e.g. the closure quota is used up); printed after the changes. */
  readonly notes: readonly string[];
}
