/**
 * The IAM Identity Center template of the CloudFormation output: groups, memberships of users that already exist,
 * permission sets and group assignments, for a stack in the management account (or the delegated administrator)
 * in the instance's home region. The instance and the identity store are parameters: Identity Center is enabled
 * by hand. Users are parameters too: cfn-lint knows no `AWS::IdentityStore::User`, and the spec holds none of the
 * display names and emails a user needs.
 */
import type { JsonValue, PermissionSet } from '../model/organization.js';
import { compareEntries } from '../util/order.js';
import { cfnTags, json, policyJson, withoutUndefined, type Template } from './cloudformation.js';
import { cfnIdent } from './names.js';
import { isAwsManaged, type PreparedIdentityCenter, type PreparedModel } from './prepare.js';

type Json = JsonValue;

/** The file name of the Identity Center template. */
export const IDENTITY_CENTER_TEMPLATE = 'identity-center.template.json';

/**
 * Parameter patterns, as the resource schemas give them ("AWS::SSO::PermissionSet", "AWS::SSO::Assignment",
 * "AWS::IdentityStore::Group", CloudFormation Template Reference,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sso-permissionset.html,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sso-assignment.html,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-identitystore-group.html).
 */
const INSTANCE_ARN = '^arn:aws(-[a-z]{1,5}){0,3}:sso:::instance/(sso)?ins-[a-zA-Z0-9-.]{16}$';
const IDENTITY_STORE_ID = '^d-[0-9a-f]{10}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
const PRINCIPAL_ID = '^([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$';

/** What the resource builders share: the content, the parameters so far, and the model identity → logical id map. */
interface IdentityContext {
  readonly ic: PreparedIdentityCenter;
  readonly params: Record<string, Json>;
  readonly addresses: Record<string, string>;
  readonly resources: Record<string, Json>;
}

/** The parameter with an account's id (added on first use). */
function accountParam(ctx: IdentityContext, account: string): string {
  const p = `AccountId${cfnIdent(account)}`;
  ctx.params[p] = { Type: 'String', Description: `Account id of ${account}`, AllowedPattern: '^[0-9]{12}$' };
  return p;
}

/** identity-center.template.json, or undefined when the identity provider is not IAM Identity Center. Records logical ids in `addresses`. */
export function identityCenterTemplate(prepared: PreparedModel, addresses: Record<string, string>): string | undefined {
  const ic = prepared.identityCenter;
  if (!ic) return undefined;
  const ctx: IdentityContext = { ic, params: {}, addresses, resources: {} };
  groupResources(ctx);
  for (const p of ic.permissionSets) permissionSetResource(ctx, p);
  assignmentResources(ctx);
  const fixed: Record<string, Json> = {
    InstanceArn: { Type: 'String', Description: 'ARN of the IAM Identity Center instance (aws sso-admin list-instances)', AllowedPattern: INSTANCE_ARN },
    IdentityStoreId: { Type: 'String', Description: 'Id of its identity store (aws sso-admin list-instances)', AllowedPattern: IDENTITY_STORE_ID },
  };
  const template: Template = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `bulkhead: IAM Identity Center groups, permission sets and assignments of ${prepared.model.organization.name}. Deploy in the management account in ${ic.homeRegion}, after the member-account StackSets.`,
    Parameters: { ...fixed, ...Object.fromEntries(Object.entries(ctx.params).sort(compareEntries)) },
    Resources: ctx.resources,
  };
  return json(template);
}

/** The groups, and the memberships of their users (whose ids are parameters: the users are created outside this template). */
function groupResources(ctx: IdentityContext): void {
  for (const g of ctx.ic.groups) {
    const id = `Group${cfnIdent(g.name)}`;
    ctx.addresses[`identity-group:${g.name}`] = id;
    ctx.resources[id] = {
      Type: 'AWS::IdentityStore::Group',
      Properties: withoutUndefined({ IdentityStoreId: { Ref: 'IdentityStoreId' }, DisplayName: g.name, Description: g.description }),
    };
    for (const m of g.members) {
      const user = `UserId${cfnIdent(m)}`;
      ctx.params[user] = { Type: 'String', Description: `Identity store user id of ${m} (create the user first)`, AllowedPattern: PRINCIPAL_ID };
      const mid = `Membership${cfnIdent(g.name)}${cfnIdent(m)}`;
      ctx.addresses[`identity-membership:${g.name}/${m}`] = mid;
      ctx.resources[mid] = {
        Type: 'AWS::IdentityStore::GroupMembership',
        Properties: { IdentityStoreId: { Ref: 'IdentityStoreId' }, GroupId: { 'Fn::GetAtt': [id, 'GroupId'] }, MemberId: { UserId: { Ref: user } } },
      };
    }
  }
}

/** One permission set with its customer managed policy references, AWS managed policies and inline policy. */
function permissionSetResource(ctx: IdentityContext, p: PermissionSet): void {
  const id = `PermissionSet${cfnIdent(p.name)}`;
  ctx.addresses[`permission-set:${p.name}`] = id;
  const customer = p.policies.filter((x) => x.kind === 'managed' && !isAwsManaged(x)).map((x) => ({ Name: x.name, Path: '/' }));
  const aws = p.policies.filter(isAwsManaged).map((x) => x.arn!);
  const inline = p.policies.find((x) => x.kind === 'inline');
  ctx.resources[id] = {
    Type: 'AWS::SSO::PermissionSet',
    Properties: withoutUndefined({
      Name: p.name,
      Description: p.description,
      InstanceArn: { Ref: 'InstanceArn' },
      SessionDuration: p.sessionDuration,
      CustomerManagedPolicyReferences: customer.length ? customer : undefined,
      ManagedPolicies: aws.length ? aws : undefined,
      InlinePolicy: inline ? policyJson(inline.document, (n) => accountParam(ctx, n)) : undefined,
      Tags: cfnTags(p.tags),
    }),
  };
}

/** The group assignments; each account's id is a parameter. */
function assignmentResources(ctx: IdentityContext): void {
  for (const a of ctx.ic.assignments) {
    const id = `Assignment${cfnIdent(a.permissionSet)}${cfnIdent(a.group)}${cfnIdent(a.account)}`;
    ctx.addresses[`assignment:${a.account}/${a.permissionSet}/${a.group}`] = id;
    ctx.resources[id] = {
      Type: 'AWS::SSO::Assignment',
      Properties: {
        InstanceArn: { Ref: 'InstanceArn' },
        PermissionSetArn: { 'Fn::GetAtt': [`PermissionSet${cfnIdent(a.permissionSet)}`, 'PermissionSetArn'] },
        PrincipalType: 'GROUP',
        PrincipalId: { 'Fn::GetAtt': [`Group${cfnIdent(a.group)}`, 'GroupId'] },
        TargetType: 'AWS_ACCOUNT',
        TargetId: { Ref: accountParam(ctx, a.account) },
      },
    };
  }
}
