/**
 * AWS global condition context keys, written from the IAM User Guide page "AWS global condition context keys"
 * (reference_policies_condition-keys). Includes the cross-service keys that page lists (ec2:, glue:, lambda:,
 * ssm:, identitystore:) because AWS documents them as usable in any service's policies.
 * Tag keys are written with a `${TagKey}` placeholder; lookups match any concrete tag key there.
 */

/** Data types the IAM docs give condition keys. */
export type ConditionKeyType =
  | 'String'
  | 'ArrayOfString'
  | 'Numeric'
  | 'Date'
  | 'Bool'
  | 'ARN'
  | 'ArrayOfARN'
  | 'ArrayOfBool'
  | 'IPAddress'
  | 'Binary';

/** One documented global key: canonical spelling, data type, and the doc page's section. */
export interface GlobalKeyDef {
  readonly key: string;
  readonly type: ConditionKeyType;
  readonly category: 'principal' | 'session' | 'network' | 'resource' | 'request';
}

const def = (category: GlobalKeyDef['category'], type: ConditionKeyType, ...keys: string[]): GlobalKeyDef[] =>
  keys.map((key) => ({ key, type, category }));

/** Every global key, in the order of the IAM User Guide's sections. */
export const GLOBAL_CONDITION_KEYS: readonly GlobalKeyDef[] = [
  // Properties of the principal
  ...def('principal', 'ARN', 'aws:PrincipalArn'),
  ...def('principal', 'String', 'aws:PrincipalAccount', 'aws:PrincipalOrgID', 'aws:PrincipalTag/${TagKey}'),
  ...def('principal', 'ArrayOfString', 'aws:PrincipalOrgPaths', 'aws:PrincipalServiceNamesList'),
  ...def('principal', 'Bool', 'aws:PrincipalIsAWSService'),
  ...def('principal', 'String', 'aws:PrincipalServiceName', 'aws:PrincipalType', 'aws:userid', 'aws:username'),
  // Properties of a role session
  ...def('session', 'Bool', 'aws:AssumedRoot', 'aws:MultiFactorAuthPresent'),
  ...def('session', 'String', 'aws:FederatedProvider', 'aws:Ec2InstanceSourceVpc', 'aws:SourceIdentity'),
  ...def('session', 'Date', 'aws:TokenIssueTime'),
  ...def('session', 'Numeric', 'aws:MultiFactorAuthAge', 'ec2:RoleDelivery'),
  ...def('session', 'ARN', 'aws:ChatbotSourceArn', 'ec2:SourceInstanceArn', 'lambda:SourceFunctionArn', 'ssm:SourceInstanceArn'),
  ...def('session', 'IPAddress', 'aws:Ec2InstanceSourcePrivateIPv4'),
  ...def('session', 'String', 'glue:RoleAssumedBy', 'glue:CredentialIssuingService', 'identitystore:UserId'),
  // Properties of the network
  ...def('network', 'IPAddress', 'aws:SourceIp', 'aws:VpcSourceIp'),
  ...def('network', 'String', 'aws:SourceVpc', 'aws:SourceVpce', 'aws:VpceAccount', 'aws:VpceOrgID'),
  ...def('network', 'ARN', 'aws:SourceVpcArn'),
  ...def('network', 'ArrayOfString', 'aws:VpceOrgPaths'),
  // Properties of the resource
  ...def('resource', 'String', 'aws:ResourceAccount', 'aws:ResourceOrgID', 'aws:ResourceTag/${TagKey}'),
  ...def('resource', 'ArrayOfString', 'aws:ResourceOrgPaths'),
  // Properties of the request
  ...def('request', 'ArrayOfString', 'aws:CalledVia', 'aws:TagKeys', 'aws:SourceOrgPaths'),
  ...def('request', 'String', 'aws:CalledViaFirst', 'aws:CalledViaLast', 'aws:CalledViaAWSMCP', 'aws:referer'),
  ...def('request', 'String', 'aws:RequestedRegion', 'aws:RequestTag/${TagKey}', 'aws:SourceAccount', 'aws:SourceOrgID'),
  ...def('request', 'String', 'aws:SourceOwner', 'aws:UserAgent'),
  ...def('request', 'Bool', 'aws:ViaAWSService', 'aws:ViaAWSMCPService', 'aws:SecureTransport', 'aws:IsMcpServiceAction'),
  ...def('request', 'Date', 'aws:CurrentTime', 'aws:EpochTime'),
  ...def('request', 'ARN', 'aws:SourceArn'),
];

/**
 * Global keys whose presence depends on the action: AWS lists them per action / resource type in the
 * Service Authorization Reference (tag-based access control), so `keyAppliesToAction` checks those lists.
 */
export const ACTION_SCOPED_GLOBAL_KEYS: ReadonlySet<string> = new Set([
  'aws:requesttag/${tagkey}',
  'aws:resourcetag/${tagkey}',
  'aws:tagkeys',
]);
