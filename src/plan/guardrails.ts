/**
 * Guardrail presets. The SCP presets are written from the AWS Organizations User Guide's example SCPs (see README
 * "Guardrails"). Exempt roles are matched with `ArnNotLike aws:PrincipalARN arn:aws:iam::*:role/NAME`, the pattern
 * AWS documents for letting break-glass or automation roles bypass a guardrail.
 *
 * The `data-perimeter-*` presets follow AWS's data perimeter guidance: "Building a data perimeter on AWS",
 * Perimeter implementation (https://docs.aws.amazon.com/whitepapers/latest/building-a-data-perimeter-on-aws/perimeter-implementation.html)
 * and the policy examples it links (github.com/aws-samples/data-perimeter-policy-examples, `resource_control_policies/`
 * and `service_control_policies/`). The documents are bulkhead's own, written from the documented pattern: a Deny
 * with `StringNotEqualsIfExists aws:PrincipalOrgID` and `BoolIfExists aws:PrincipalIsAWSService false` (identity
 * perimeter), a Deny with `StringNotEqualsIfExists aws:SourceOrgID`, `Null aws:SourceAccount false` and
 * `Bool aws:PrincipalIsAWSService true` (confused-deputy protection), and a Deny with `NotIpAddressIfExists
 * aws:SourceIp`, `StringNotEqualsIfExists aws:SourceVpc` and `BoolIfExists aws:ViaAWSService false` (network
 * perimeter). RCPs must name `Principal: "*"` ("RCP syntax",
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html).
 */
import { ORGANIZATION_REF } from '../model/account-ref.js';
import type { JsonValue, PolicyDocument } from '../model/organization.js';
import type { GUARDRAIL_PRESETS } from '../spec/schema.js';

/** A preset's name. */
export type GuardrailPreset = (typeof GUARDRAIL_PRESETS)[number];

/** What each preset is for (shown by `plan` and in the README). */
export const PRESET_DESCRIPTIONS: Readonly<Record<GuardrailPreset, string>> = {
  'deny-leave-organization': 'member accounts cannot leave the organization',
  'deny-root-user': 'the root user of member accounts can do nothing',
  'region-restriction': 'deny regional services outside the allowed regions (global services exempt)',
  'protect-security-services': 'CloudTrail, Config, GuardDuty and Security Hub cannot be stopped or changed',
  'deny-external-ram-sharing': 'resource shares cannot include principals outside the organization',
  'data-perimeter-identity': 'RCP: principals outside the organization cannot use S3, KMS, SQS, Secrets Manager or STS on its resources',
  'data-perimeter-confused-deputy': 'RCP: AWS services acting for another organization cannot use S3, KMS, SQS, Secrets Manager or STS on its resources',
  'data-perimeter-network': "SCP: the organization's principals cannot use S3, KMS, SQS or Secrets Manager from outside its networks",
};

/** Presets that are resource control policies (the others are SCPs). */
export const RCP_PRESETS: ReadonlySet<GuardrailPreset> = new Set<GuardrailPreset>(['data-perimeter-identity', 'data-perimeter-confused-deputy']);

/** Whether a preset is an RCP or an SCP. */
export function presetKind(preset: GuardrailPreset): 'rcp' | 'scp' {
  return RCP_PRESETS.has(preset) ? 'rcp' : 'scp';
}

/**
 * The services the data-perimeter presets cover: the ones the issue names, all of which RCPs support ("Resource
 * control policies (RCPs)", List of AWS services that support RCPs,
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html).
 */
export const PERIMETER_ACTIONS: readonly string[] = ['kms:*', 's3:*', 'secretsmanager:*', 'sqs:*', 'sts:*'];

/**
 * The network perimeter covers the data services only: denying `sts:*` outside the organization's networks would
 * also refuse the console's and IAM Identity Center's own role sessions.
 */
export const NETWORK_PERIMETER_ACTIONS: readonly string[] = ['kms:*', 's3:*', 'secretsmanager:*', 'sqs:*'];

/** AWS's managed RCP: attached to every root, OU and account once RCPs are enabled ("RCP evaluation", orgs_manage_policies_rcps_evaluation.html). */
export const RCP_FULL_AWS_ACCESS: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }],
};

/** The name AWS gives RCPFullAWSAccess. */
export const RCP_FULL_AWS_ACCESS_NAME = 'RCPFullAWSAccess';

/** What a preset's document is built from. */
export interface PresetOptions {
  readonly regions: readonly string[];
  readonly exemptRoles: readonly string[];
  /** The organization id (data-perimeter-identity, data-perimeter-confused-deputy); default `{{organization:id}}`. */
  readonly organizationId?: string;
  /** The organization's CIDR ranges and VPC ids (data-perimeter-network). */
  readonly sourceIps?: readonly string[];
  readonly sourceVpcs?: readonly string[];
}

const one = (xs: readonly string[]): JsonValue => (xs.length === 1 ? xs[0]! : [...xs]);

/** The data-perimeter presets' documents. */
function perimeterDocument(preset: 'data-perimeter-identity' | 'data-perimeter-confused-deputy' | 'data-perimeter-network', opts: PresetOptions): PolicyDocument {
  const org = opts.organizationId ?? ORGANIZATION_REF;
  switch (preset) {
    case 'data-perimeter-identity':
      return doc({
        Sid: 'EnforceOrgIdentities',
        Effect: 'Deny',
        Principal: '*',
        Action: [...PERIMETER_ACTIONS],
        Resource: '*',
        Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': org }, BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } },
      });
    case 'data-perimeter-confused-deputy':
      return doc({
        Sid: 'EnforceConfusedDeputyProtection',
        Effect: 'Deny',
        Principal: '*',
        Action: [...PERIMETER_ACTIONS],
        Resource: '*',
        Condition: { StringNotEqualsIfExists: { 'aws:SourceOrgID': org }, Null: { 'aws:SourceAccount': 'false' }, Bool: { 'aws:PrincipalIsAWSService': 'true' } },
      });
    case 'data-perimeter-network': {
      const condition: { [k: string]: JsonValue } = { BoolIfExists: { 'aws:ViaAWSService': 'false' } };
      if (opts.sourceIps?.length) condition['NotIpAddressIfExists'] = { 'aws:SourceIp': one(opts.sourceIps) };
      if (opts.sourceVpcs?.length) condition['StringNotEqualsIfExists'] = { 'aws:SourceVpc': one(opts.sourceVpcs) };
      const ex = exemption(opts.exemptRoles);
      if (ex['ArnNotLike']) condition['ArnNotLikeIfExists'] = ex['ArnNotLike'];
      return doc({ Sid: 'EnforceNetworkPerimeter', Effect: 'Deny', Action: [...NETWORK_PERIMETER_ACTIONS], Resource: '*', Condition: condition });
    }
  }
}

/** Global services exempt from region restriction (AWS's example SCP, Organizations User Guide). */
export const GLOBAL_SERVICE_ACTIONS: readonly string[] = [
  'a4b:*', 'acm:*', 'aws-marketplace-management:*', 'aws-marketplace:*', 'aws-portal:*', 'budgets:*', 'ce:*',
  'chime:*', 'cloudfront:*', 'config:*', 'cur:*', 'directconnect:*', 'ec2:DescribeRegions', 'ec2:DescribeTransitGateways',
  'ec2:DescribeVpnGateways', 'fms:*', 'globalaccelerator:*', 'health:*', 'iam:*', 'importexport:*', 'kms:*',
  'mobileanalytics:*', 'networkmanager:*', 'organizations:*', 'pricing:*', 'route53:*', 'route53domains:*',
  's3:GetAccountPublic*', 's3:ListAllMyBuckets', 's3:PutAccountPublic*', 'shield:*', 'sts:*', 'support:*',
  'trustedadvisor:*', 'waf-regional:*', 'waf:*', 'wafv2:*', 'wellarchitected:*',
];

const SECURITY_SERVICE_ACTIONS: readonly string[] = [
  'cloudtrail:DeleteTrail', 'cloudtrail:PutEventSelectors', 'cloudtrail:StopLogging', 'cloudtrail:UpdateTrail',
  'config:DeleteConfigRule', 'config:DeleteConfigurationRecorder', 'config:DeleteDeliveryChannel',
  'config:StopConfigurationRecorder',
  'guardduty:DeleteDetector', 'guardduty:DisassociateFromMasterAccount', 'guardduty:DisassociateFromAdministratorAccount',
  'guardduty:StopMonitoringMembers', 'guardduty:UpdateDetector',
  'securityhub:DeleteInvitations', 'securityhub:DisableSecurityHub', 'securityhub:DisassociateFromMasterAccount',
  'securityhub:DisassociateFromAdministratorAccount', 'securityhub:DeleteMembers', 'securityhub:DisassociateMembers',
];

function exemption(roles: readonly string[]): { [k: string]: JsonValue } {
  if (roles.length === 0) return {};
  const arns = roles.map((r) => `arn:aws:iam::*:role/${r}`);
  return { ArnNotLike: { 'aws:PrincipalARN': arns.length === 1 ? arns[0]! : arns } };
}

function doc(statement: { [k: string]: JsonValue }): PolicyDocument {
  return { Version: '2012-10-17', Statement: [statement] };
}

/** Builds a preset's SCP or RCP document (see `presetKind`). */
export function presetDocument(preset: GuardrailPreset, opts: PresetOptions): PolicyDocument {
  switch (preset) {
    case 'data-perimeter-identity':
    case 'data-perimeter-confused-deputy':
    case 'data-perimeter-network':
      return perimeterDocument(preset, opts);
    case 'deny-leave-organization':
      return doc({ Sid: 'DenyLeaveOrganization', Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' });
    case 'deny-root-user':
      return doc({
        Sid: 'DenyRootUser',
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:root' } },
      });
    case 'region-restriction':
      return doc({
        Sid: 'DenyOutsideAllowedRegions',
        Effect: 'Deny',
        NotAction: [...GLOBAL_SERVICE_ACTIONS],
        Resource: '*',
        Condition: {
          StringNotEquals: { 'aws:RequestedRegion': [...opts.regions] },
          ...exemption(opts.exemptRoles),
        },
      });
    case 'protect-security-services': {
      const ex = exemption(opts.exemptRoles);
      return doc({
        Sid: 'ProtectSecurityServices',
        Effect: 'Deny',
        Action: [...SECURITY_SERVICE_ACTIONS],
        Resource: '*',
        ...(Object.keys(ex).length ? { Condition: ex } : {}),
      });
    }
    case 'deny-external-ram-sharing':
      return doc({
        Sid: 'DenyExternalResourceSharing',
        Effect: 'Deny',
        Action: ['ram:CreateResourceShare', 'ram:UpdateResourceShare'],
        Resource: '*',
        Condition: { Bool: { 'ram:RequestedAllowsExternalPrincipals': 'true' } },
      });
  }
}

/** AWS's FullAWSAccess SCP, attached by AWS to the root, every OU and every account. */
export const FULL_AWS_ACCESS: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};

/** The name AWS gives FullAWSAccess. */
export const FULL_AWS_ACCESS_NAME = 'FullAWSAccess';

/** The shape of an organization id: AWS Organizations API Reference, "Organization" (Id pattern `^o-[a-z0-9]{10,32}$`). */
export const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;

/** The shape of a VPC id (`vpc-` and 8 or 17 hexadecimal digits, Amazon EC2 API Reference, "Vpc"). */
export const VPC_ID = /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/;

/** Whether `s` is an IPv4 or IPv6 CIDR range as `aws:SourceIp` takes it (RFC 4632 / RFC 4291 notation). */
export function isCidr(s: string): boolean {
  const slash = s.indexOf('/');
  if (slash < 0) return false;
  const addr = s.slice(0, slash);
  const bits = s.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits)) return false;
  const n = Number(bits);
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(addr)) return n <= 32 && addr.split('.').every((o) => Number(o) <= 255 && (o === '0' || !o.startsWith('0')));
  if (!/^[0-9a-fA-F:]+$/.test(addr) || n > 128) return false;
  const halves = addr.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  if (groups.some((g) => g.length === 0 || g.length > 4)) return false;
  return halves.length === 2 ? groups.length < 8 : groups.length === 8;
}
