/**
 * The escalation edge set: every documented way a principal becomes another principal of its account, or can
 * grant one any permission, besides sts:AssumeRole (which graph.ts asks about). The coverage follows the field's
 * references (PMapper's edge checkers and Cloudsplaining's privilege-escalation class); each entry cites the AWS
 * page that documents the behaviour. docs/verify.md ("Escalation") explains each edge.
 *
 * Fact shared by every pass-role edge: "You can only use the PassRole permission to pass an IAM role to a service
 * that shares the same AWS account" (Grant a user permissions to pass a role to an AWS service,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html), and the service then acts as the
 * role. IAM has no resource policies besides trust policies, so the iam-modify edges are same-account too.
 */

/** A pass-role edge: pass a role that trusts `principal` to the service, through one of `ways`. */
export interface PassRoleService {
  /** Edge kind suffix: `pass-role:<id>`. */
  readonly id: string;
  /** Service principal the role's trust policy must allow (and the `iam:PassedToService` value). */
  readonly principal: string;
  /** Any one way suffices; a way needs all of its actions. */
  readonly ways: readonly (readonly string[])[];
  /** Representative ARN of what the caller creates (`{r}` region, `{a}` account id); `*` when the action has none. */
  readonly resource: string;
  /** The AWS page that documents that the service acts as the passed role. */
  readonly doc: string;
}

/**
 * The compute and orchestration services that run as a role passed to them (PMapper's service edge checkers:
 * Lambda, EC2, EC2 Auto Scaling, ECS, Glue, CloudFormation, CodeBuild, SageMaker, Data Pipeline; plus Step
 * Functions from Cloudsplaining's list).
 */
export const PASS_ROLE_SERVICES: readonly PassRoleService[] = [
  {
    // Lambda execution role: https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
    id: 'lambda',
    principal: 'lambda.amazonaws.com',
    ways: [
      ['lambda:CreateFunction', 'lambda:InvokeFunction'],
      ['lambda:CreateFunction', 'lambda:CreateEventSourceMapping'],
    ],
    resource: 'arn:aws:lambda:{r}:{a}:function:any-function',
    doc: 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html',
  },
  {
    // IAM roles for Amazon EC2 (instance profiles): https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/iam-roles-for-amazon-ec2.html
    id: 'ec2',
    principal: 'ec2.amazonaws.com',
    ways: [['ec2:RunInstances'], ['ec2:AssociateIamInstanceProfile']],
    resource: 'arn:aws:ec2:{r}:{a}:instance/any-instance',
    doc: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/iam-roles-for-amazon-ec2.html',
  },
  {
    // IAM role for applications that run on Amazon EC2 instances (Auto Scaling):
    // https://docs.aws.amazon.com/autoscaling/ec2/userguide/us-iam-role.html
    id: 'autoscaling',
    principal: 'ec2.amazonaws.com',
    ways: [
      ['autoscaling:CreateLaunchConfiguration', 'autoscaling:CreateAutoScalingGroup'],
      ['autoscaling:CreateLaunchConfiguration', 'autoscaling:UpdateAutoScalingGroup'],
    ],
    resource: '*',
    doc: 'https://docs.aws.amazon.com/autoscaling/ec2/userguide/us-iam-role.html',
  },
  {
    // Amazon ECS task IAM role: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html
    id: 'ecs',
    principal: 'ecs-tasks.amazonaws.com',
    ways: [
      ['ecs:RegisterTaskDefinition', 'ecs:RunTask'],
      ['ecs:RegisterTaskDefinition', 'ecs:StartTask'],
      ['ecs:RegisterTaskDefinition', 'ecs:CreateService'],
    ],
    resource: '*',
    doc: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html',
  },
  {
    // Setting up IAM permissions for AWS Glue: https://docs.aws.amazon.com/glue/latest/dg/create-an-iam-role.html
    id: 'glue',
    principal: 'glue.amazonaws.com',
    ways: [['glue:CreateDevEndpoint'], ['glue:UpdateDevEndpoint'], ['glue:CreateJob', 'glue:StartJobRun']],
    resource: '*',
    doc: 'https://docs.aws.amazon.com/glue/latest/dg/create-an-iam-role.html',
  },
  {
    // AWS CloudFormation service role: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-iam-servicerole.html
    id: 'cloudformation',
    principal: 'cloudformation.amazonaws.com',
    ways: [['cloudformation:CreateStack'], ['cloudformation:UpdateStack'], ['cloudformation:CreateChangeSet', 'cloudformation:ExecuteChangeSet']],
    resource: 'arn:aws:cloudformation:{r}:{a}:stack/any-stack/*',
    doc: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-iam-servicerole.html',
  },
  {
    // Allow CodeBuild to interact with other AWS services (service role):
    // https://docs.aws.amazon.com/codebuild/latest/userguide/setting-up-service-role.html
    id: 'codebuild',
    principal: 'codebuild.amazonaws.com',
    ways: [
      ['codebuild:CreateProject', 'codebuild:StartBuild'],
      ['codebuild:UpdateProject', 'codebuild:StartBuild'],
    ],
    resource: 'arn:aws:codebuild:{r}:{a}:project/any-project',
    doc: 'https://docs.aws.amazon.com/codebuild/latest/userguide/setting-up-service-role.html',
  },
  {
    // How to use SageMaker AI execution roles: https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-roles.html
    id: 'sagemaker',
    principal: 'sagemaker.amazonaws.com',
    ways: [['sagemaker:CreateNotebookInstance'], ['sagemaker:CreateTrainingJob'], ['sagemaker:CreateProcessingJob']],
    resource: '*',
    doc: 'https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-roles.html',
  },
  {
    // Creating an IAM role for your state machine: https://docs.aws.amazon.com/step-functions/latest/dg/procedure-create-iam-role.html
    id: 'states',
    principal: 'states.amazonaws.com',
    ways: [
      ['states:CreateStateMachine', 'states:StartExecution'],
      ['states:UpdateStateMachine', 'states:StartExecution'],
    ],
    resource: 'arn:aws:states:{r}:{a}:stateMachine:any-state-machine',
    doc: 'https://docs.aws.amazon.com/step-functions/latest/dg/procedure-create-iam-role.html',
  },
  {
    // IAM roles for AWS Data Pipeline: https://docs.aws.amazon.com/datapipeline/latest/DeveloperGuide/dp-iam-roles.html
    id: 'datapipeline',
    principal: 'datapipeline.amazonaws.com',
    ways: [['datapipeline:CreatePipeline', 'datapipeline:PutPipelineDefinition', 'datapipeline:ActivatePipeline']],
    resource: '*',
    doc: 'https://docs.aws.amazon.com/datapipeline/latest/DeveloperGuide/dp-iam-roles.html',
  },
];

/**
 * SSM: a principal that can run commands on (or open sessions to) the account's instances acts as their instance
 * role. A role is taken to be a managed instance's role when it trusts ec2.amazonaws.com and may call
 * `ssm:UpdateInstanceInformation` (how the SSM Agent registers; Configure instance permissions for Systems Manager,
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-instance-permissions.html).
 */
export const SSM_EDGE = {
  kind: 'instance-role:ssm',
  instancePrincipal: 'ec2.amazonaws.com',
  agentAction: 'ssm:UpdateInstanceInformation',
  actions: ['ssm:SendCommand', 'ssm:StartSession'],
  resource: 'arn:aws:ec2:{r}:{a}:instance/any-instance',
  doc: 'https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-instance-permissions.html',
} as const;

/** An iam-modify edge kind: the IAM action on the target and what it gives the caller. */
export interface ModifyKind {
  /** Edge kind suffix: `iam-modify:<id>`. */
  readonly id: string;
  readonly action: string;
  /** Which targets it applies to. */
  readonly target: 'role' | 'user';
  /**
   * `become`: the caller can act as the target (credentials or trust); `grant`: the caller can give the target
   * any permission; `lift`: the caller can remove or replace the target's permissions boundary.
   */
  readonly effect: 'become' | 'grant' | 'lift';
  /** Extra request context (e.g. the policy an attach would attach). */
  readonly context?: Readonly<Record<string, string>>;
  readonly doc: string;
}

/** What an attach edge is asked to attach: the AWS managed AdministratorAccess policy (`iam:PolicyARN`). */
export const ADMIN_POLICY_ARN = 'arn:aws:iam::aws:policy/AdministratorAccess';

// IAM condition keys (iam:PolicyARN, iam:PermissionsBoundary, iam:PassedToService):
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html
const TRUST_DOC = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_update-role-trust-policy.html';
const KEYS_DOC = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html';
const PASSWORD_DOC = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_admin-change-user.html';
const POLICY_DOC = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_manage-attach-detach.html';
const BOUNDARY_DOC = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html';

/** The IAM self- and other-modification edges (PMapper's IAM checker plus Cloudsplaining's escalation actions). */
export const MODIFY_KINDS: readonly ModifyKind[] = [
  // Update a role trust policy: the caller writes itself into the trust policy, then assumes the role
  { id: 'update-assume-role-policy', action: 'iam:UpdateAssumeRolePolicy', target: 'role', effect: 'become', doc: TRUST_DOC },
  // Manage access keys for IAM users: a new key authenticates as the user
  { id: 'create-access-key', action: 'iam:CreateAccessKey', target: 'user', effect: 'become', doc: KEYS_DOC },
  // Change an IAM user's password: a console password signs in as the user
  { id: 'create-login-profile', action: 'iam:CreateLoginProfile', target: 'user', effect: 'become', doc: PASSWORD_DOC },
  { id: 'update-login-profile', action: 'iam:UpdateLoginProfile', target: 'user', effect: 'become', doc: PASSWORD_DOC },
  // Adding and removing IAM identity permissions: inline policies and managed-policy attachments
  { id: 'put-role-policy', action: 'iam:PutRolePolicy', target: 'role', effect: 'grant', doc: POLICY_DOC },
  { id: 'attach-role-policy', action: 'iam:AttachRolePolicy', target: 'role', effect: 'grant', context: { 'iam:PolicyARN': ADMIN_POLICY_ARN }, doc: POLICY_DOC },
  { id: 'put-user-policy', action: 'iam:PutUserPolicy', target: 'user', effect: 'grant', doc: POLICY_DOC },
  { id: 'attach-user-policy', action: 'iam:AttachUserPolicy', target: 'user', effect: 'grant', context: { 'iam:PolicyARN': ADMIN_POLICY_ARN }, doc: POLICY_DOC },
  // Permissions boundaries for IAM entities: deleting (or replacing) the boundary lifts its limit
  { id: 'delete-role-permissions-boundary', action: 'iam:DeleteRolePermissionsBoundary', target: 'role', effect: 'lift', doc: BOUNDARY_DOC },
  { id: 'put-role-permissions-boundary', action: 'iam:PutRolePermissionsBoundary', target: 'role', effect: 'lift', context: { 'iam:PermissionsBoundary': ADMIN_POLICY_ARN }, doc: BOUNDARY_DOC },
  { id: 'delete-user-permissions-boundary', action: 'iam:DeleteUserPermissionsBoundary', target: 'user', effect: 'lift', doc: BOUNDARY_DOC },
  { id: 'put-user-permissions-boundary', action: 'iam:PutUserPermissionsBoundary', target: 'user', effect: 'lift', context: { 'iam:PermissionsBoundary': ADMIN_POLICY_ARN }, doc: BOUNDARY_DOC },
];

/**
 * Creating a new default version of a customer managed policy attached to the target grants it anything
 * (Versioning IAM policies, https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-versioning.html:
 * CreatePolicyVersion with SetAsDefault). AWS managed policies cannot be changed (the engine's aws-owned rule).
 */
export const POLICY_VERSION_KIND = {
  id: 'create-policy-version',
  action: 'iam:CreatePolicyVersion',
  doc: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-versioning.html',
} as const;

/**
 * Making another, already existing version of a customer managed policy attached to the target its default: any of
 * the (up to five) versions may be broader than the default one, and bulkhead does not collect the non-default
 * versions, so this counts as granting the target anything (SetDefaultPolicyVersion, IAM API Reference,
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_SetDefaultPolicyVersion.html: "This operation affects all
 * users, groups, and roles that the policy is attached to"; Versioning IAM policies,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-versioning.html).
 */
export const SET_DEFAULT_VERSION_KIND = {
  id: 'set-default-policy-version',
  action: 'iam:SetDefaultPolicyVersion',
  doc: 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_SetDefaultPolicyVersion.html',
} as const;

/**
 * Adding a user to an IAM group gives it the group's policies (AddUserToGroup, IAM API Reference,
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_AddUserToGroup.html; IAM user groups,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups.html: "the users in the group automatically have the
 * permissions that are assigned to the group"). The action's resource is the group
 * (`arn:aws:iam::{a}:group/{name}`). An edge when, with the group's policies, the user could grant itself any
 * permission. The model knows a group through its members only, so a group without members is not asked about.
 */
export const ADD_USER_TO_GROUP_KIND = {
  id: 'add-user-to-group',
  action: 'iam:AddUserToGroup',
  resource: 'arn:aws:iam::{a}:group/{g}',
  doc: 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_AddUserToGroup.html',
} as const;

/** Every action an escalation edge asks about, lowercase (the structural pre-filter's list). */
export const ESCALATION_ACTIONS: readonly string[] = [
  ...new Set(
    [
      'iam:PassRole',
      ...PASS_ROLE_SERVICES.flatMap((s) => s.ways.flat()),
      ...SSM_EDGE.actions,
      ...MODIFY_KINDS.map((m) => m.action),
      POLICY_VERSION_KIND.action,
      SET_DEFAULT_VERSION_KIND.action,
      ADD_USER_TO_GROUP_KIND.action,
    ].map((a) => a.toLowerCase()),
  ),
].sort();
