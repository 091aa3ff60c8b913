/**
 * GAAD pagination: moto ignores MaxItems and never truncates, so this path is tested with a scripted IAM
 * client (the only fake in these tests; everything else runs against moto).
 */
import { describe, expect, it } from 'vitest';
import { IAMClient } from '@aws-sdk/client-iam';
import type { AccountClients } from './clients.js';
import { Scheduler } from './scheduler.js';
import { collectIam } from './collector.js';

/** A real IAMClient (SDK paginators check the client's class) whose `send` is scripted. */
function scriptedIam(send: (cmd: { input: { Marker?: string } }) => Promise<unknown>): IAMClient {
  return Object.assign(new IAMClient({ region: 'us-east-1' }), { send });
}

const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] };

describe('collectIam', () => {
  it('follows Marker across truncated pages and decodes URL-encoded and plain documents', async () => {
    const markers: (string | undefined)[] = [];
    const pages = [
      {
        IsTruncated: true,
        Marker: 'm1',
        RoleDetailList: [
          {
            RoleName: 'a',
            Path: '/',
            Arn: 'arn:aws:iam::111111111111:role/a',
            AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(doc)),
            RolePolicyList: [{ PolicyName: 'p', PolicyDocument: encodeURIComponent(JSON.stringify(doc)) }],
            AttachedManagedPolicies: [],
            Tags: [],
          },
        ],
      },
      {
        IsTruncated: false,
        RoleDetailList: [
          { RoleName: 'b', Path: '/x/', Arn: 'arn:aws:iam::111111111111:role/x/b', AssumeRolePolicyDocument: JSON.stringify(doc), AttachedManagedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }] },
        ],
        Policies: [{ Arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', PolicyName: 'ReadOnlyAccess', Path: '/', PolicyVersionList: [{ IsDefaultVersion: true, Document: encodeURIComponent(JSON.stringify(doc)) }] }],
      },
    ];
    const iam = scriptedIam(async (cmd) => {
      markers.push(cmd.input.Marker);
      return pages[markers.length - 1];
    });
    const warnings: string[] = [];
    const out = await collectIam({ accountId: '111111111111', iam } as unknown as AccountClients, new Scheduler(), (w) => warnings.push(w));
    expect(markers).toEqual([undefined, 'm1']);
    expect(out.roles.map((r) => r.name)).toEqual(['a', 'b']);
    expect(out.roles[0]?.trustPolicy).toEqual(doc);
    expect(out.roles[0]?.inlinePolicies).toEqual([{ name: 'p', document: doc }]);
    expect(out.roles[1]?.trustPolicy).toEqual(doc);
    expect(out.managedPolicies).toEqual([{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', name: 'ReadOnlyAccess', path: '/', document: doc }]);
    expect(warnings).toEqual([]);
  });

  it('keeps an undecodable document raw and warns', async () => {
    const iam = scriptedIam(async () => ({ IsTruncated: false, RoleDetailList: [{ RoleName: 'a', Path: '/', Arn: 'arn', AssumeRolePolicyDocument: '%7Bbroken' }] }));
    const warnings: string[] = [];
    const out = await collectIam({ accountId: '1', iam } as unknown as AccountClients, new Scheduler(), (w) => warnings.push(w));
    expect(out.roles[0]?.trustPolicy).toBe('%7Bbroken');
    expect(warnings[0]).toContain('role a trust policy');
  });
});
