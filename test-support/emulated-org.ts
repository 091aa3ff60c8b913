/**
 * Builds an organization in moto with the real SDK, for collect tests and the collect benchmark.
 * Not part of the library: it talks to an emulator with dummy credentials.
 */
import {
  AttachPolicyCommand,
  CreateAccountCommand,
  CreateOrganizationCommand,
  CreateOrganizationalUnitCommand,
  CreatePolicyCommand,
  EnablePolicyTypeCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { AttachRolePolicyCommand, CreatePolicyCommand as IamCreatePolicy, CreateRoleCommand, IAMClient, PutRolePolicyCommand, CreateUserCommand, CreateGroupCommand, AddUserToGroupCommand, PutGroupPolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutBucketPolicyCommand, PutBucketTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import { pool } from '../src/util/pool.js';
import { inAccount } from './moto-client.js';

/** What to build. */
export interface EmulatedOrgSpec {
  readonly endpoint: string;
  /** Business units; each gets an OU under Workloads with dev/prod child OUs. */
  readonly businessUnits: readonly string[];
  /** Accounts per (BU × phase). */
  readonly accountsPerOu: number;
  /** Roles per account (each with one inline and one customer-managed policy). */
  readonly rolesPerAccount: number;
  /** Buckets per account, each with a policy and tags. */
  readonly bucketsPerAccount: number;
  /** Parallel requests while building. */
  readonly concurrency?: number;
}

/** What was built, for assertions. */
export interface EmulatedOrg {
  readonly organizationId: string;
  readonly managementAccountId: string;
  readonly rootId: string;
  readonly accounts: readonly { id: string; name: string; email: string; ou: string }[];
  readonly ouIds: ReadonlyMap<string, string>;
  readonly scpId: string;
}

const creds = { accessKeyId: 'testing', secretAccessKey: 'testing' };

/** Builds the organization; moto must be freshly reset. */
export async function buildEmulatedOrg(spec: EmulatedOrgSpec): Promise<EmulatedOrg> {
  const cfg = { endpoint: spec.endpoint, region: 'us-east-1', credentials: creds };
  const org = new OrganizationsClient(cfg);
  const conc = spec.concurrency ?? 8;
  const created = await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const organizationId = created.Organization?.Id ?? '';
  const managementAccountId = created.Organization?.MasterAccountId ?? '';
  const rootId = (await org.send(new ListRootsCommand({}))).Roots?.[0]?.Id ?? '';
  await org.send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' }));
  const ouIds = new Map<string, string>();
  const mkOu = async (parentPath: string, parentId: string, name: string) => {
    const r = await org.send(
      new CreateOrganizationalUnitCommand({ ParentId: parentId, Name: name, Tags: [{ Key: 'Layer', Value: name.toLowerCase() }] }),
    );
    const id = r.OrganizationalUnit?.Id ?? '';
    ouIds.set(`${parentPath}/${name}`, id);
    return id;
  };
  const workloads = await mkOu('Root', rootId, 'Workloads');
  const leafOus: { path: string; id: string; bu: string; phase: string }[] = [];
  for (const bu of spec.businessUnits) {
    const buId = await mkOu('Root/Workloads', workloads, bu);
    for (const phase of ['dev', 'prod']) {
      const id = await mkOu(`Root/Workloads/${bu}`, buId, phase);
      leafOus.push({ path: `Root/Workloads/${bu}/${phase}`, id, bu, phase });
    }
  }
  const scp = await org.send(
    new CreatePolicyCommand({
      Name: 'deny-leave',
      Description: 'no leaving',
      Type: 'SERVICE_CONTROL_POLICY',
      Content: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' }] }),
    }),
  );
  const scpId = scp.Policy?.PolicySummary?.Id ?? '';
  await org.send(new AttachPolicyCommand({ PolicyId: scpId, TargetId: workloads }));

  const wanted: { name: string; email: string; ou: (typeof leafOus)[number] }[] = [];
  for (const ou of leafOus) {
    for (let i = 0; i < spec.accountsPerOu; i++) {
      const name = `${ou.bu}-${ou.phase}-${i}`;
      wanted.push({ name, email: `${name}@example.com`, ou });
    }
  }
  const accounts: { id: string; name: string; email: string; ou: string }[] = [];
  // CreateAccount is an Organizations write: keep it serial, as AWS wants.
  for (const w of wanted) {
    const r = await org.send(
      new CreateAccountCommand({
        AccountName: w.name,
        Email: w.email,
        Tags: [
          { Key: 'BusinessUnit', Value: w.ou.bu },
          { Key: 'Phase', Value: w.ou.phase },
        ],
      }),
    );
    const id = r.CreateAccountStatus?.AccountId ?? '';
    await org.send(new MoveAccountCommand({ AccountId: id, SourceParentId: rootId, DestinationParentId: w.ou.id }));
    accounts.push({ id, name: w.name, email: w.email, ou: w.ou.path });
  }
  const doc = (o: unknown) => JSON.stringify(o);
  await pool(accounts, conc, async (a) => {
    const iam = inAccount(new IAMClient(cfg), a.id);
    const s3 = inAccount(new S3Client({ ...cfg, forcePathStyle: true }), a.id);
    const managed = await iam.send(
      new IamCreatePolicy({
        PolicyName: 'read-logs',
        PolicyDocument: doc({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['logs:Get*', 'logs:Describe*'], Resource: '*' }] }),
      }),
    );
    for (let r = 0; r < spec.rolesPerAccount; r++) {
      const roleName = `app-role-${r}`;
      await iam.send(
        new CreateRoleCommand({
          RoleName: roleName,
          Path: '/app/',
          AssumeRolePolicyDocument: doc({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${managementAccountId}:root` }, Action: 'sts:AssumeRole' }],
          }),
          Tags: [{ Key: 'Owner', Value: `team-${r}` }],
        }),
      );
      await iam.send(
        new PutRolePolicyCommand({
          RoleName: roleName,
          PolicyName: 'inline-s3',
          PolicyDocument: doc({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${a.name}-*/*` }] }),
        }),
      );
      await iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: managed.Policy?.Arn ?? '' }));
    }
    if (spec.rolesPerAccount > 0) {
      await iam.send(new CreateGroupCommand({ GroupName: 'ops' }));
      await iam.send(
        new PutGroupPolicyCommand({
          GroupName: 'ops',
          PolicyName: 'ops-read',
          PolicyDocument: doc({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' }] }),
        }),
      );
      await iam.send(new CreateUserCommand({ UserName: 'alice', Tags: [{ Key: 'Owner', Value: 'alice' }] }));
      await iam.send(new AddUserToGroupCommand({ GroupName: 'ops', UserName: 'alice' }));
    }
    for (let b = 0; b < spec.bucketsPerAccount; b++) {
      const bucket = `${a.name}-data-${b}`;
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      await s3.send(
        new PutBucketPolicyCommand({
          Bucket: bucket,
          Policy: doc({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
          }),
        }),
      );
      await s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: [{ Key: 'Confidentiality', Value: 'internal' }] } }));
    }
    iam.destroy();
    s3.destroy();
  });
  org.destroy();
  return { organizationId, managementAccountId, rootId, accounts, ouIds, scpId };
}
