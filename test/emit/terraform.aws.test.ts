/**
 * End to end: emit Terraform for test/emit/e2e.yaml, apply it to moto_server, read the organization back with the
 * AWS SDK and compare it with the planned model, then check that a second `terraform plan` reports no changes.
 *
 * The moto endpoints come from a test-only `moto_override.tf` written next to the emitted files (Terraform merges
 * override files into the provider blocks of the same name and alias); the emitter never writes endpoints.
 * One apply and one plan only (~15–20 s each on 2 cores). The default layout deploys member roles through
 * service-managed StackSets; what moto 5.2 leaves out of them is listed where the checks skip it (docs/emit.md).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OrganizationsClient,
  ListRootsCommand,
  ListOrganizationalUnitsForParentCommand,
  ListAccountsForParentCommand,
  ListAccountsCommand,
  ListPoliciesCommand,
  ListTargetsForPolicyCommand,
  DescribePolicyCommand,
  DescribeOrganizationCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-organizations';
import {
  IAMClient,
  GetRoleCommand,
  ListRolesCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  GetRolePolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
} from '@aws-sdk/client-iam';
import { emitTerraform } from '../../src/emit/terraform.js';
import { resolveAccountRefs } from '../../src/model/account-ref.js';
import { ROOT_PATH, type OrganizationModel, type PolicyDocument } from '../../src/model/organization.js';
import { planFromYaml } from '../../src/plan/index.js';
import { motoClientConfig, motoEndpoint, resetMoto } from '../../test-support/moto-client.js';
import { REPO } from '../../test-support/emit/models.js';
import { expectExit, motoOverride, terraform, writeFiles } from '../../test-support/emit/tools.js';

const SPEC = 'test/emit/e2e.yaml';
const work = mkdtempSync(join(tmpdir(), 'bulkhead-tf-e2e-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * moto's DescribeStackSet returns neither Capabilities nor AutoDeployment (moto 5.2), so a plan after apply would
 * want to replace every StackSet; the override ignores those two attributes for the test only.
 */
function motoStackSetOverride(stackSets: readonly string[]): string {
  return stackSets
    .map((name) => [`resource "aws_cloudformation_stack_set" "${name}" {`, '  lifecycle {', '    ignore_changes = [administration_role_arn, capabilities, auto_deployment]', '  }', '}'].join('\n'))
    .join('\n\n');
}

/** Decodes a policy document as IAM returns it (URL-encoded JSON; moto sometimes sends plain JSON). */
function decodeDoc(s: string | undefined): unknown {
  if (s === undefined) return undefined;
  return JSON.parse(s.startsWith('%') ? decodeURIComponent(s) : s);
}

/** JSON with object keys sorted, for comparing documents regardless of key order. */
function canonical(v: unknown): string {
  const sort = (x: unknown): unknown =>
    Array.isArray(x) ? x.map(sort) : x && typeof x === 'object' ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, y]) => [k, sort(y)])) : x;
  return JSON.stringify(sort(v));
}

describe('terraform end to end against moto', () => {
  let model: OrganizationModel;
  let endpoint: string;

  beforeAll(async () => {
    endpoint = motoEndpoint();
    await resetMoto(endpoint);
    const planned = planFromYaml(readFileSync(join(REPO, SPEC), 'utf8'), SPEC);
    if (!planned.ok) throw new Error(`${SPEC} does not plan: ${JSON.stringify(planned.diagnostics)}`);
    model = planned.value;
    const out = emitTerraform(model);
    if (!out.ok) throw new Error(`emit failed: ${JSON.stringify(out.diagnostics)}`);
    writeFiles(work, out.value.files);
    const aliases = [...out.value.files.get('providers.tf')!.matchAll(/alias\s+= "([^"]+)"/g)].map((m) => m[1]!);
    const stackSets = [...(out.value.files.get('stacksets.tf') ?? '').matchAll(/resource "aws_cloudformation_stack_set" "([^"]+)"/g)].map((m) => m[1]!);
    expect(stackSets.length, 'the default layout deploys member roles through StackSets').toBeGreaterThan(0);
    writeFileSync(join(work, 'moto_override.tf'), `${motoOverride(endpoint, aliases)}\n${motoStackSetOverride(stackSets)}\n`);
  });

  it('applies, reads back the model from the AWS APIs, and then plans no changes', { timeout: 400_000 }, async () => {
    expectExit(await terraform(['init', '-input=false', '-no-color'], work), 0, 'terraform init');
    const apply = await terraform(['apply', '-auto-approve', '-input=false', '-no-color'], work);
    expectExit(apply, 0, 'terraform apply');

    const org = new OrganizationsClient(motoClientConfig(endpoint));
    const rootId = (await org.send(new ListRootsCommand({}))).Roots![0]!.Id!;
    // OU tree by path.
    const ouIdByPath = new Map<string, string>([[ROOT_PATH, rootId]]);
    const queue = [ROOT_PATH];
    while (queue.length) {
      const path = queue.shift()!;
      const kids = await org.send(new ListOrganizationalUnitsForParentCommand({ ParentId: ouIdByPath.get(path)! }));
      for (const ou of kids.OrganizationalUnits ?? []) {
        ouIdByPath.set(`${path}/${ou.Name}`, ou.Id!);
        queue.push(`${path}/${ou.Name}`);
      }
    }
    expect([...ouIdByPath.keys()].sort()).toEqual(model.organizationalUnits.map((o) => o.path).sort());

    // Accounts, each in its OU.
    const accountIdByName = new Map<string, string>();
    const accountOu = new Map<string, string>();
    for (const [path, id] of ouIdByPath) {
      for (const a of (await org.send(new ListAccountsForParentCommand({ ParentId: id }))).Accounts ?? []) {
        accountIdByName.set(a.Name!, a.Id!);
        accountOu.set(a.Name!, path);
      }
    }
    const all = (await org.send(new ListAccountsCommand({}))).Accounts ?? [];
    const mgmt = model.organization.managementAccount;
    // The management account is the one that created the organization (moto: its own fixture account, in the root).
    for (const a of model.accounts.filter((x) => x.name !== mgmt)) {
      expect(accountOu.get(a.name), a.name).toBe(a.ouPath);
      expect(all.find((x) => x.Name === a.name)?.Email).toBe(a.email);
    }
    expect(all).toHaveLength(model.accounts.length);
    // Tags of OUs and accounts, as planned.
    const tagsOf = async (id: string) =>
      Object.fromEntries(((await org.send(new ListTagsForResourceCommand({ ResourceId: id }))).Tags ?? []).map((t) => [t.Key!, t.Value!]));
    for (const o of model.organizationalUnits.filter((x) => x.path !== ROOT_PATH)) expect(await tagsOf(ouIdByPath.get(o.path)!), o.path).toEqual(o.tags);
    for (const a of model.accounts.filter((x) => x.name !== mgmt)) expect(await tagsOf(accountIdByName.get(a.name)!), a.name).toEqual(a.tags);
    expect(model.accounts.some((a) => Object.keys(a.tags).length > 0)).toBe(true);
    const masterId = (await org.send(new DescribeOrganizationCommand({}))).Organization!.MasterAccountId!;
    const idOf = (name: string): string => (name === mgmt ? masterId : accountIdByName.get(name)!);

    // Customer SCPs exist with their content and are attached exactly to their targets.
    const livePolicies = (await org.send(new ListPoliciesCommand({ Filter: 'SERVICE_CONTROL_POLICY' }))).Policies ?? [];
    const customer = model.serviceControlPolicies.filter((p) => p.managedBy !== 'aws');
    expect(livePolicies.filter((p) => !p.AwsManaged).map((p) => p.Name).sort()).toEqual(customer.map((p) => p.name).sort());
    for (const p of customer) {
      const live = livePolicies.find((x) => x.Name === p.name)!;
      const content = (await org.send(new DescribePolicyCommand({ PolicyId: live.Id! }))).Policy!.Content!;
      expect(canonical(JSON.parse(content)), p.name).toBe(canonical(resolveAccountRefs(p.document, idOf)));
      const targets = (await org.send(new ListTargetsForPolicyCommand({ PolicyId: live.Id! }))).Targets ?? [];
      const expected = p.targets.map((t) => ('ou' in t ? ouIdByPath.get(t.ou)! : idOf(t.account))).sort();
      expect(targets.map((t) => t.TargetId!).sort(), p.name).toEqual(expected);
    }

    // AWS managed FullAWSAccess was left alone: still attached to the root.
    const full = livePolicies.find((p) => p.AwsManaged && p.Name === 'FullAWSAccess');
    expect(full, 'FullAWSAccess').toBeDefined();
    expect(((await org.send(new ListTargetsForPolicyCommand({ PolicyId: full!.Id! }))).Targets ?? []).map((t) => t.TargetId)).toContain(rootId);

    // Roles in their member accounts, with trust policies and policies as planned.
    for (const account of new Set(model.roles.map((r) => r.account))) {
      const iam = new IAMClient(motoClientConfig(endpoint));
      const id = idOf(account);
      iam.middlewareStack.add(
        (next) => async (args) => {
          (args.request as { headers: Record<string, string> }).headers['x-moto-account-id'] = id;
          return next(args);
        },
        { step: 'build' },
      );
      const roles = model.roles.filter((r) => r.account === account);
      const liveRoles = ((await iam.send(new ListRolesCommand({}))).Roles ?? []).map((r) => r.RoleName!);
      expect(liveRoles.filter((n) => n !== model.organization.accessRoleName).sort(), account).toEqual(roles.map((r) => r.name).sort());
      for (const r of roles) {
        const live = (await iam.send(new GetRoleCommand({ RoleName: r.name }))).Role!;
        expect(live.Arn).toBe(`arn:aws:iam::${id}:role${r.path}${r.name}`);
        expect(canonical(decodeDoc(live.AssumeRolePolicyDocument)), `${account}/${r.name} trust`).toBe(canonical(resolveAccountRefs(r.trustPolicy, idOf)));
        const attached = (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: r.name }))).AttachedPolicies ?? [];
        const managed = r.policies.filter((p) => p.kind === 'managed');
        // moto 5.2's CloudFormation ignores `ManagedPolicyArns` of `AWS::IAM::Role`, so in member accounts (deployed
        // by StackSets) only the policies themselves can be checked; the management account's are Terraform resources.
        const viaStackSet = account !== mgmt;
        if (!viaStackSet) expect(attached.map((p) => p.PolicyName).sort(), `${account}/${r.name} managed`).toEqual(managed.map((p) => p.name).sort());
        for (const p of managed) {
          const arn = `arn:aws:iam::${id}:policy/${p.name}`;
          if (!viaStackSet) expect(attached.find((x) => x.PolicyName === p.name)?.PolicyArn).toBe(arn);
          const pol = (await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!;
          const version = (await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: pol.DefaultVersionId! }))).PolicyVersion!;
          expect(canonical(decodeDoc(version.Document)), p.name).toBe(canonical(resolveAccountRefs(p.document as PolicyDocument, idOf)));
        }
        const inline = r.policies.filter((p) => p.kind === 'inline');
        expect(((await iam.send(new ListRolePoliciesCommand({ RoleName: r.name }))).PolicyNames ?? []).sort()).toEqual(inline.map((p) => p.name).sort());
        for (const p of inline) {
          const doc = (await iam.send(new GetRolePolicyCommand({ RoleName: r.name, PolicyName: p.name }))).PolicyDocument;
          // moto 5.2's CloudFormation stores a role's inline policy documents as Python reprs (`{'Version': …}`),
          // not JSON: in member accounts the inline policy's presence is all that can be checked.
          if (viaStackSet) expect(doc, p.name).toBeTruthy();
          else expect(canonical(decodeDoc(doc)), p.name).toBe(canonical(resolveAccountRefs(p.document, idOf)));
        }
      }
    }

    // The applied configuration is stable: a fresh plan finds nothing to change.
    const plan = await terraform(['plan', '-detailed-exitcode', '-input=false', '-no-color'], work);
    expectExit(plan, 0, 'terraform plan -detailed-exitcode after apply (2 = it wants changes)');
  });
});
