/**
 * An AWS Organizations organization built in moto for tests: SCPs enabled at the root, organizational units by path
 * and member accounts placed in them. Not part of the library (it talks to the emulator with dummy credentials).
 */
import {
  CreateAccountCommand,
  CreateOrganizationCommand,
  CreateOrganizationalUnitCommand,
  EnablePolicyTypeCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { motoClientConfig } from './moto-client.js';

/** One member account: its name, e-mail, OU path (`Workloads/Dev`, or `Root` to stay at the root) and tags. */
export interface MotoAccount {
  readonly name: string;
  readonly email: string;
  readonly ou: string;
  readonly tags?: readonly { readonly Key: string; readonly Value: string }[];
}

/** What was built: the root's id, OU path → id, account name → id. */
export interface MotoOrganization {
  readonly rootId: string;
  readonly ous: ReadonlyMap<string, string>;
  readonly accounts: ReadonlyMap<string, string>;
}

/** Options of `motoOrganization`. */
export interface MotoOrganizationOptions {
  /** SDK client config; default `motoClientConfig()`. */
  readonly cfg?: ReturnType<typeof motoClientConfig>;
  /** Enable service control policies at the root (default true). */
  readonly scps?: boolean;
}

/**
 * Creates the organization (all features, SCPs enabled unless `scps: false`), the OUs of `ous` (paths below the
 * root, parents before children, e.g. `['Workloads', 'Workloads/Dev']`) and the accounts, each moved into its OU.
 * moto must be freshly reset.
 */
export async function motoOrganization(ous: readonly string[], accounts: readonly MotoAccount[], options: MotoOrganizationOptions = {}): Promise<MotoOrganization> {
  const org = new OrganizationsClient(options.cfg ?? motoClientConfig());
  try {
    await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const rootId = (await org.send(new ListRootsCommand({}))).Roots![0]!.Id!;
    if (options.scps !== false) await org.send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' }));
    const ouIds = new Map<string, string>([['Root', rootId]]);
    for (const path of ous) {
      const cut = path.lastIndexOf('/');
      const parent = cut < 0 ? rootId : ouIds.get(path.slice(0, cut));
      if (parent === undefined) throw new Error(`motoOrganization: the parent of OU ${path} is not listed before it`);
      ouIds.set(path, (await org.send(new CreateOrganizationalUnitCommand({ ParentId: parent, Name: path.slice(cut + 1) }))).OrganizationalUnit!.Id!);
    }
    const ids = new Map<string, string>();
    for (const a of accounts) {
      const ou = ouIds.get(a.ou);
      if (ou === undefined) throw new Error(`motoOrganization: account ${a.name} names OU ${a.ou}, which is not listed`);
      const id = (await org.send(new CreateAccountCommand({ AccountName: a.name, Email: a.email, Tags: a.tags?.map((t) => ({ ...t })) }))).CreateAccountStatus!.AccountId!;
      if (ou !== rootId) await org.send(new MoveAccountCommand({ AccountId: id, SourceParentId: rootId, DestinationParentId: ou }));
      ids.set(a.name, id);
    }
    ouIds.delete('Root');
    return { rootId, ous: ouIds, accounts: ids };
  } finally {
    org.destroy();
  }
}
