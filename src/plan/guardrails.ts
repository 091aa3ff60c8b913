/**
 * SCP presets, written from the AWS Organizations User Guide's example SCPs (see README "Guardrails").
 * Exempt roles are matched with `ArnNotLike aws:PrincipalARN arn:aws:iam::*:role/NAME`, the pattern AWS documents
 * for letting break-glass or automation roles bypass a guardrail.
 */
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
};

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

/** Builds a preset's SCP document. */
export function presetDocument(preset: GuardrailPreset, opts: { regions: readonly string[]; exemptRoles: readonly string[] }): PolicyDocument {
  switch (preset) {
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
