/**
 * People for synthetic organizations (`synthOrganization({ people: true })`): IAM Identity Center users, groups,
 * permission sets and account assignments, and in each assigned account the `AWSReservedSSO_{permissionSet}_{suffix}`
 * role AWS creates for the assignment (path `/aws-reserved/sso.amazonaws.com/`, trusted by the account's
 * `AWSSSO_{suffix}_DO_NOT_DELETE` SAML provider, the set's inline policy as `AwsSSOInlinePolicy`; "Referencing
 * permission sets in resource policies, Amazon EKS cluster ConfigMaps, and AWS KMS key policies", IAM Identity Center
 * User Guide, https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html).
 *
 * The permission sets give verify's escalation edges something to follow: the developer sets may `iam:PassRole` the
 * account's Lambda-trusted `worker` role to Lambda (a PassRole edge to a compute service), the operator set may put
 * and attach role policies and update trust policies on the account's roles (IAM modification edges). Every business
 * unit has a developers group (dev and stage) and an operators group (prod); two platform groups read in
 * non-production and in production accounts.
 * Deterministic: no randomness, only the accounts' order.
 */
import { DEFAULT_REGION } from '../util/aws-defaults.js';
import type { Account, AccountAssignment, IdentityGroup, IdentityModel, IdentityUser, PermissionSet, PolicyDocument, Role } from '../model/organization.js';

const doc = (...Statement: Record<string, unknown>[]): PolicyDocument => ({ Version: '2012-10-17', Statement }) as PolicyDocument;

/** Identity Center's role path in us-east-1 (the synthetic home region). */
const SSO_PATH = '/aws-reserved/sso.amazonaws.com/';
/** Members per business-unit group. */
const MEMBERS_PER_GROUP = 4;

/** The permission sets: name → inline policy. */
function permissionSetPolicies(): ReadonlyMap<string, PolicyDocument> {
  const developer = doc(
    { Sid: 'Data', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:ListBucket', 'sqs:SendMessage', 'sqs:ReceiveMessage'], Resource: '*' },
    { Sid: 'LambdaDeploy', Effect: 'Allow', Action: ['lambda:CreateFunction', 'lambda:InvokeFunction', 'lambda:UpdateFunctionCode'], Resource: '*' },
    { Sid: 'PassWorker', Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::*:role/worker', Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } } },
  );
  const operator = doc(
    { Sid: 'Operate', Effect: 'Allow', Action: ['s3:*', 'sqs:*', 'kms:Describe*', 'cloudwatch:*'], Resource: '*' },
    { Sid: 'ManageRoles', Effect: 'Allow', Action: ['iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:UpdateAssumeRolePolicy'], Resource: 'arn:aws:iam::*:role/*' },
  );
  const reader = doc({ Sid: 'ReadConfig', Effect: 'Allow', Action: ['s3:ListAllMyBuckets', 'iam:Get*', 'iam:List*', 'sqs:ListQueues'], Resource: '*' });
  return new Map([
    ['dev-developer', developer],
    ['stage-developer', developer],
    ['prod-operator', operator],
    ['platform-reader', reader],
  ]);
}

/** A 16-hex-digit suffix for the i-th SSO role (AWS picks them; these only need to be unique and stable). */
function suffix(i: number): string {
  return (0x5a5a0000_00000000n + BigInt(i) * 0x9e3779b1n).toString(16).slice(-16).padStart(16, '0');
}

/** What the people step needs from the generator. */
export interface PeopleInput {
  /** Runtime accounts with their `BusinessUnit` and `Environment` tags. */
  readonly runtime: readonly Account[];
  /** Plant a prod permission set assigned to a dev group (rule `identity.nonprod-group-in-prod`). */
  readonly violations: boolean;
}

/** The identity section and the `AWSReservedSSO_` roles it creates. */
export interface SynthPeople {
  readonly identity: IdentityModel;
  readonly roles: readonly Role[];
}

interface PeopleContext {
  readonly policies: ReadonlyMap<string, PolicyDocument>;
  readonly assignments: AccountAssignment[];
  readonly roles: Role[];
  /** `account\0permissionSet` → the name of the role created for it (one role per set and account). */
  readonly roleOf: Map<string, string>;
}

/**
 * One assignment and, in its account, the role AWS creates for it: one role per permission set and account, shared
 * by every group assigned that set there.
 */
function assign(ctx: PeopleContext, group: string, account: Account, permissionSet: string): void {
  const key = `${account.name}\u0000${permissionSet}`;
  const existing = ctx.roleOf.get(key);
  if (existing !== undefined) {
    ctx.assignments.push({ group, account: account.name, role: existing, permissionSet });
    return;
  }
  const name = `AWSReservedSSO_${permissionSet}_${suffix(ctx.roles.length)}`;
  const s = name.slice(-16);
  ctx.roleOf.set(key, name);
  ctx.assignments.push({ group, account: account.name, role: name, permissionSet });
  ctx.roles.push({
    account: account.name,
    name,
    path: SSO_PATH,
    arn: `arn:aws:iam::${account.id}:role${SSO_PATH}${name}`,
    trustPolicy: doc({
      Sid: 'TrustIdentityCenter',
      Effect: 'Allow',
      Principal: { Federated: `arn:aws:iam::${account.id}:saml-provider/AWSSSO_${s}_DO_NOT_DELETE` },
      Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession'],
      Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
    }),
    policies: [{ name: 'AwsSSOInlinePolicy', kind: 'inline', document: ctx.policies.get(permissionSet)! }],
    tags: {},
  });
}

/** Generates the people of the synthetic organization over its runtime accounts. */
export function synthPeople(input: PeopleInput): SynthPeople {
  const ctx: PeopleContext = { policies: permissionSetPolicies(), assignments: [], roles: [], roleOf: new Map() };
  const users: IdentityUser[] = [];
  const groups: IdentityGroup[] = [];
  const group = (name: string, count: number) => {
    const members = Array.from({ length: count }, (_, k) => `${name}-${k}`);
    users.push(...members.map((m) => ({ name: m })));
    groups.push({ name, members });
  };
  // platform readers: one group per side, as a group spanning non-production and production is itself a finding
  group('platform-nonprod', 3);
  group('platform-prod', 3);
  const bus = [...new Set(input.runtime.map((a) => a.tags['BusinessUnit'] ?? ''))];
  for (const bu of bus) {
    group(`${bu}-developers`, MEMBERS_PER_GROUP);
    group(`${bu}-operators`, MEMBERS_PER_GROUP);
  }
  for (const a of input.runtime) {
    const bu = a.tags['BusinessUnit'] ?? '';
    const phase = a.tags['Environment'] ?? '';
    assign(ctx, phase === 'prod' ? 'platform-prod' : 'platform-nonprod', a, 'platform-reader');
    if (phase === 'prod') assign(ctx, `${bu}-operators`, a, 'prod-operator');
    else assign(ctx, `${bu}-developers`, a, `${phase}-developer`);
  }
  const prod = input.runtime.find((a) => a.tags['Environment'] === 'prod');
  if (input.violations && prod) assign(ctx, `${prod.tags['BusinessUnit'] ?? ''}-developers`, prod, 'prod-operator');
  const permissionSets: PermissionSet[] = [...ctx.policies].map(([name, document]) => ({
    name,
    sessionDuration: 'PT1H',
    policies: [{ name: 'inline', kind: 'inline', document }],
    tags: {},
  }));
  return {
    identity: { provider: 'identity-center', homeRegion: DEFAULT_REGION, groups, users, permissionSets, assignments: ctx.assignments },
    roles: ctx.roles,
  };
}
