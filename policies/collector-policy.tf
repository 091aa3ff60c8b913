# Least-privilege policy for `bulkhead collect`, for the principal that runs it in the management account.
# The same document works for a read-only role in member accounts (pass its name with --access-role);
# then change the AssumeRole resource below to that role's name.
# Keep in step with collector-policy.json (a test checks that file against the collector's calls).

variable "bulkhead_access_role_name" {
  type        = string
  default     = "OrganizationAccountAccessRole"
  description = "Role bulkhead assumes in member accounts."
}

data "aws_iam_policy_document" "bulkhead_collector" {
  statement {
    sid    = "ReadOrganization"
    effect = "Allow"
    actions = [
      "organizations:DescribeOrganization",
      "organizations:DescribePolicy",
      "organizations:ListAccountsForParent",
      "organizations:ListOrganizationalUnitsForParent",
      "organizations:ListPolicies",
      "organizations:ListRoots",
      "organizations:ListTagsForResource",
      "organizations:ListTargetsForPolicy",
    ]
    resources = ["*"]
  }

  statement {
    sid       = "AssumeTheAccessRoleInMemberAccounts"
    effect    = "Allow"
    actions   = ["sts:AssumeRole"]
    resources = ["arn:aws:iam::*:role/${var.bulkhead_access_role_name}"]
  }

  statement {
    sid    = "ReadIamAndResourcePolicies"
    effect = "Allow"
    actions = [
      "iam:GetAccountAuthorizationDetails",
      "kms:GetKeyPolicy",
      "kms:ListKeys",
      "kms:ListResourceTags",
      "lambda:GetPolicy",
      "lambda:ListFunctions",
      "lambda:ListTags",
      "s3:GetBucketLocation",
      "s3:GetBucketPolicy",
      "s3:GetBucketTagging",
      "s3:ListAllMyBuckets",
      "secretsmanager:GetResourcePolicy",
      "secretsmanager:ListSecrets",
      "sns:GetTopicAttributes",
      "sns:ListTagsForResource",
      "sns:ListTopics",
      "sqs:GetQueueAttributes",
      "sqs:ListQueueTags",
      "sqs:ListQueues",
    ]
    resources = ["*"]
  }

  statement {
    sid    = "ReadWorkloadInventory"
    effect = "Allow"
    actions = [
      "cloudformation:ListStackResources",
      "cloudformation:ListStacks",
      "dynamodb:DescribeTable",
      "dynamodb:GetResourcePolicy",
      "dynamodb:ListTables",
      "kms:ListAliases",
      "lambda:ListEventSourceMappings",
      "s3:GetBucketNotification",
      "s3:GetEncryptionConfiguration",
      "sns:ListSubscriptions",
      "tag:GetResources",
    ]
    resources = ["*"]
  }

  statement {
    sid = "ReadIdentityCenter"
    actions = [
      "identitystore:ListGroupMemberships",
      "identitystore:ListGroups",
      "identitystore:ListUsers",
      "sso:DescribePermissionSet",
      "sso:GetInlinePolicyForPermissionSet",
      "sso:GetPermissionsBoundaryForPermissionSet",
      "sso:ListAccountAssignments",
      "sso:ListAccountAssignmentsForPrincipal",
      "sso:ListAccountsForProvisionedPermissionSet",
      "sso:ListCustomerManagedPolicyReferencesInPermissionSet",
      "sso:ListInstances",
      "sso:ListManagedPoliciesInPermissionSet",
      "sso:ListPermissionSets",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "bulkhead_collector" {
  name        = "bulkhead-collector"
  description = "Read-only access for bulkhead collect"
  policy      = data.aws_iam_policy_document.bulkhead_collector.json
}
