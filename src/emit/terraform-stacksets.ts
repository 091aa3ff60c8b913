/**
 * The Terraform `stacksets` layout: member-account IAM (roles and customer managed policies) deployed from the
 * management account's one root module through service-managed CloudFormation StackSets that target OUs, so the
 * configuration needs one AWS provider however many accounts there are. The templates are the CloudFormation
 * output's member templates (`memberStackSets`), written as `stacksets/<name>.template.json` and read with `file()`.
 *
 * AWS facts used here:
 * - "DeploymentTargets", AWS CloudFormation API Reference
 *   (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DeploymentTargets.html): with both
 *   OrganizationalUnitIds and Accounts, AccountFilterType is required; INTERSECTION targets only the listed accounts
 *   inside the OUs; StackSets never deploy to the management account.
 * - "ActivateOrganizationsAccess", AWS CloudFormation API Reference
 *   (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ActivateOrganizationsAccess.html): trusted
 *   access between StackSets and Organizations must be active before service-managed StackSets can be created.
 * - "StackSetOperationPreferences", AWS CloudFormation API Reference
 *   (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_StackSetOperationPreferences.html):
 *   MaxConcurrentPercentage, the share of accounts an operation works on at once (the default is one account).
 */
import type { StackSetPlan } from './cloudformation.js';
import { h, renderBlocks, type HclBodyItem } from './hcl.js';
import { tfIdent } from './names.js';

/** A member StackSet as the Terraform emitter gets it: its plan and its template text. */
export interface MemberStackSet {
  readonly plan: StackSetPlan;
  readonly text: string;
}

/** How the StackSets file refers to the rest of the root module. */
export interface StackSetRefs {
  /** Expression for an account's id. */
  readonly accountId: (name: string) => string;
  /** Expression for an OU's id (the root's for `Root`). */
  readonly ouId: (path: string) => string;
  /** Address of a member account's resource. */
  readonly accountAddress: (name: string) => string;
}

/** What the StackSets part of the output adds: files, and the addresses by model identity. */
export interface StackSetsOutput {
  readonly files: Map<string, string>;
  /** `stackset:<name>` and `stackset-instance:<name>` → address. */
  readonly addresses: Map<string, string>;
  /** Account name → address of the StackSet instance that deploys its IAM (to wait for). */
  readonly deployedBy: Map<string, string>;
}

/** Share of the targeted accounts deployed at once; the StackSets default is one account at a time. */
const MAX_CONCURRENT_PERCENTAGE = 25;

/** stacksets.tf and the templates it reads; empty when no member account has IAM content. */
export function stackSetsFiles(sets: readonly MemberStackSet[], refs: StackSetRefs): StackSetsOutput {
  const out: StackSetsOutput = { files: new Map(), addresses: new Map(), deployedBy: new Map() };
  if (!sets.length) return out;
  const blocks: HclBodyItem[] = [
    h.comment(
      'IAM roles and policies of member accounts, deployed by service-managed CloudFormation StackSets (one per OU and\n' +
        'template). Before the first apply, activate trusted access for StackSets once in the management account:\n' +
        '`aws cloudformation activate-organizations-access`.',
    ),
  ];
  for (const s of sets) blocks.push(...stackSetBlocks(s, refs, out));
  out.files.set('stacksets.tf', renderBlocks(blocks));
  for (const s of sets) out.files.set(s.plan.template, s.text);
  return out;
}

/** One StackSet and its instance (the deployment to its accounts). */
function stackSetBlocks({ plan }: MemberStackSet, refs: StackSetRefs, out: StackSetsOutput): HclBodyItem[] {
  const id = tfIdent(plan.name);
  const setAddr = `aws_cloudformation_stack_set.${id}`;
  const instanceAddr = `aws_cloudformation_stack_set_instance.${id}`;
  out.addresses.set(`stackset:${plan.name}`, setAddr);
  out.addresses.set(`stackset-instance:${plan.name}`, instanceAddr);
  for (const a of plan.accounts) out.deployedBy.set(a, instanceAddr);
  const params = Object.entries(plan.parameters);
  const intersect = plan.accountFilter === 'INTERSECTION';
  return [
    h.block('resource', ['aws_cloudformation_stack_set', id], [
      h.attr('name', h.str(plan.name)),
      h.attr('description', h.str(`bulkhead: IAM roles of ${plan.accounts.length === 1 ? `account ${plan.accounts[0]!}` : `${plan.accounts.length} accounts`} in ${plan.organizationalUnits[0]!}`)),
      h.attr('permission_model', h.str('SERVICE_MANAGED')),
      h.attr('capabilities', h.list([h.str('CAPABILITY_NAMED_IAM')])),
      h.attr('template_body', h.call('file', h.tpl({ ref: 'path.module' }, `/${plan.template}`))),
      ...(params.length ? [h.attr('parameters', h.obj(params.map(([p, acct]) => [p, h.raw(refs.accountId(acct))] as const)))] : []),
      h.blank(),
      h.comment(
        intersect
          ? 'The OU holds other accounts too: new accounts there must not get these roles.'
          : 'Every account of the OU gets these roles, so accounts moved into it later get them too.',
      ),
      h.block('auto_deployment', [], [h.attr('enabled', h.bool(!intersect)), ...(intersect ? [] : [h.attr('retain_stacks_on_account_removal', h.bool(false))])]),
      h.blank(),
      h.block('lifecycle', [], [
        h.comment('Service-managed StackSets use the service-linked role; AWS reports an administration role anyway.'),
        h.attr('ignore_changes', h.list([h.raw('administration_role_arn')])),
      ]),
    ]),
    h.block('resource', ['aws_cloudformation_stack_set_instance', id], [
      h.attr('stack_set_name', h.raw(`${setAddr}.name`)),
      h.blank(),
      h.block('deployment_targets', [], [
        h.attr('organizational_unit_ids', h.list([h.raw(refs.ouId(plan.organizationalUnits[0]!))])),
        ...(intersect
          ? [h.attr('accounts', h.list(plan.accounts.map((a) => h.raw(refs.accountId(a))))), h.attr('account_filter_type', h.str('INTERSECTION'))]
          : []),
      ]),
      h.blank(),
      h.block('operation_preferences', [], [h.attr('max_concurrent_percentage', h.num(MAX_CONCURRENT_PERCENTAGE))]),
      h.blank(),
      h.comment('The accounts must be in the OU before the StackSet deploys to it.'),
      h.attr('depends_on', h.list(plan.accounts.map((a) => h.raw(refs.accountAddress(a))))),
    ]),
  ];
}
