/**
 * AWS-owned resources: actions no customer policy can grant, because AWS (or the linked service) owns the resource.
 * A policy may allow them and AWS still refuses the call, so the engine answers ImplicitlyDenied with the reason
 * `aws-owned` (an explicit Deny still wins and is reported as such).
 *
 * Each rule is a resource ARN shape and the set of actions AWS refuses on it, with the page that says so:
 *
 * - Service-linked roles (`role/aws-service-role/…`). IAM User Guide, "Using service-linked roles"
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html): "The linked service defines
 *   the permissions of its service-linked roles … The defined permissions include the trust policy and the
 *   permissions policy"; "Update a service-linked role"
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_update-service-linked-role.html): "You can edit the
 *   description of any role from the IAM console, API, or CLI". IAM API Reference, error `UnmodifiableEntity`
 *   (listed by AttachRolePolicy, DetachRolePolicy, PutRolePolicy, DeleteRolePolicy, UpdateAssumeRolePolicy,
 *   PutRolePermissionsBoundary, DeleteRolePermissionsBoundary and DeleteRole,
 *   e.g. https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteRole.html): "service-linked roles are
 *   protected AWS resources. Only the service that depends on the service-linked role can modify or delete the role
 *   on your behalf"; deletion goes through "DeleteServiceLinkedRole"
 *   (https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteServiceLinkedRole.html). Left allowed:
 *   `iam:UpdateRoleDescription`, `iam:UpdateRole` (the description), `iam:TagRole`/`iam:UntagRole` ("TagRole": "The
 *   role can be a regular role or a service-linked role",
 *   https://docs.aws.amazon.com/IAM/latest/APIReference/API_TagRole.html), `iam:DeleteServiceLinkedRole`, reads.
 * - IAM Identity Center roles (`role/aws-reserved/sso.amazonaws.com/…`, named `AWSReservedSSO_…`). IAM Identity Center
 *   User Guide, "Troubleshooting IAM Identity Center issues", "I get a 'Cannot perform the operation on the protected
 *   role' error when modifying an IAM role" (https://docs.aws.amazon.com/singlesignon/latest/userguide/troubleshooting.html):
 *   "Attempting to modify these roles from within the IAM console will result in the following error: 'Cannot perform
 *   the operation on the protected role … - this role is only modifiable by AWS'. These roles can only be modified
 *   from the IAM Identity Center Administrator console"; "IAM roles created by IAM Identity Center"
 *   (https://docs.aws.amazon.com/singlesignon/latest/userguide/identity-center-and-iam-roles.html): "IAM Identity
 *   Center manages the role". Every IAM write on the role itself: the service-linked set plus `iam:UpdateRole`,
 *   `iam:UpdateRoleDescription`, `iam:TagRole`, `iam:UntagRole`. Reads and `sts:AssumeRole*` stay as policies say.
 * - AWS managed policies (`arn:aws:iam::aws:policy/…`). IAM User Guide, "Edit IAM policies"
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_manage-edit.html): "You can edit customer
 *   managed policies and inline policies in IAM. AWS managed policies cannot be edited"; "AWS managed policies"
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies):
 *   "created and administered by AWS", "You cannot change the permissions defined in AWS managed policies"; IAM API
 *   Reference "TagPolicy" (https://docs.aws.amazon.com/IAM/latest/APIReference/API_TagPolicy.html): "Adds one or more
 *   tags to an IAM customer managed policy" (UntagPolicy likewise). Refused: `iam:CreatePolicyVersion`,
 *   `iam:DeletePolicyVersion`, `iam:SetDefaultPolicyVersion`, `iam:DeletePolicy`, `iam:TagPolicy`,
 *   `iam:UntagPolicy`. Reading and attaching them stay as policies say.
 * - KMS aliases `alias/aws/…`. AWS KMS Developer Guide, "Create aliases"
 *   (https://docs.aws.amazon.com/kms/latest/developerguide/alias-create.html): "The alias name for a customer managed
 *   key cannot begin with alias/aws/. The alias/aws/ prefix is reserved for AWS managed key"; "You cannot manage
 *   aliases for AWS managed keys or AWS owned keys". Refused: `kms:CreateAlias`, `kms:UpdateAlias`, `kms:DeleteAlias`
 *   on an alias ARN `…:alias/aws/…`.
 */

/** One AWS-owned resource shape and the (lowercase) actions AWS refuses on it whatever the policies say. */
export interface AwsOwnedRule {
  /** Short id, e.g. `service-linked-role`. */
  readonly id: string;
  readonly resource: RegExp;
  readonly actions: ReadonlySet<string>;
  /** The explanation note (lowercase, names the page). */
  readonly note: string;
}

const ROLE_WRITES = [
  'iam:attachrolepolicy', 'iam:detachrolepolicy', 'iam:putrolepolicy', 'iam:deleterolepolicy', 'iam:updateassumerolepolicy',
  'iam:putrolepermissionsboundary', 'iam:deleterolepermissionsboundary', 'iam:deleterole',
];

/** The rules, in a fixed order (bit i of the masks below is rule i). See the module comment for the citations. */
export const AWS_OWNED_RULES: readonly AwsOwnedRule[] = Object.freeze([
  {
    id: 'service-linked-role',
    resource: /^arn:[^:]+:iam::\d{12}:role\/aws-service-role\//,
    actions: new Set(ROLE_WRITES),
    note: 'aws-owned: the linked service owns a service-linked role\'s trust and permissions policies; only its description and tags can be changed, and it is deleted with `iam:DeleteServiceLinkedRole` (IAM User Guide, "Using service-linked roles")',
  },
  {
    id: 'identity-center-role',
    resource: /^arn:[^:]+:iam::\d{12}:role\/aws-reserved\/sso\.amazonaws\.com\//,
    actions: new Set([...ROLE_WRITES, 'iam:updaterole', 'iam:updateroledescription', 'iam:tagrole', 'iam:untagrole']),
    note: 'aws-owned: IAM Identity Center roles (`AWSReservedSSO_…`) can only be modified through IAM Identity Center (IAM Identity Center User Guide, "Troubleshooting IAM Identity Center issues")',
  },
  {
    id: 'aws-managed-policy',
    resource: /^arn:[^:]+:iam::aws:policy\//,
    actions: new Set(['iam:createpolicyversion', 'iam:deletepolicyversion', 'iam:setdefaultpolicyversion', 'iam:deletepolicy', 'iam:tagpolicy', 'iam:untagpolicy']),
    note: 'aws-owned: AWS managed policies cannot be edited, deleted or tagged (IAM User Guide, "Edit IAM policies")',
  },
  {
    id: 'aws-kms-alias',
    resource: /^arn:[^:]+:kms:[^:]*:\d{12}:alias\/aws\//,
    actions: new Set(['kms:createalias', 'kms:updatealias', 'kms:deletealias']),
    note: 'aws-owned: the `alias/aws/` prefix is reserved for AWS managed keys; their aliases cannot be created, changed or deleted (AWS KMS Developer Guide, "Create aliases")',
  },
]);

const ANY_ACTION: ReadonlySet<string> = new Set(AWS_OWNED_RULES.flatMap((r) => [...r.actions]));

/** The rule that refuses this (lowercase) action on this resource, if any. One Set lookup for every other action. */
export function awsOwnedRule(lowerAction: string, resource: string): AwsOwnedRule | undefined {
  if (!ANY_ACTION.has(lowerAction)) return undefined;
  for (const rule of AWS_OWNED_RULES) if (rule.actions.has(lowerAction) && rule.resource.test(resource)) return rule;
  return undefined;
}

/**
 * Bit i set when rule i refuses this (lowercase) action on its resources. Actions with equal bits are refused on
 * exactly the same resources, so the bulk capability query may group them (it adds these bits to its signature).
 */
export function awsOwnedActionBits(lowerAction: string): number {
  if (!ANY_ACTION.has(lowerAction)) return 0;
  let bits = 0;
  for (let i = 0; i < AWS_OWNED_RULES.length; i++) if (AWS_OWNED_RULES[i]!.actions.has(lowerAction)) bits |= 1 << i;
  return bits;
}

/** Bit i set when the resource ARN has rule i's shape (0 for every resource AWS does not own). */
export function awsOwnedResourceBits(resource: string): number {
  let bits = 0;
  for (let i = 0; i < AWS_OWNED_RULES.length; i++) if (AWS_OWNED_RULES[i]!.resource.test(resource)) bits |= 1 << i;
  return bits;
}
