import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test-support/cli.js';

describe('bulkhead capabilities', () => {
  it('prints a table of access level and capabilities for actions', async () => {
    const r = await runCli(['capabilities', 's3:GetObject', 'SQS:purgequeue']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      [
        'ACTION          ACCESS LEVEL  CAPABILITIES',
        's3:GetObject    Read          read-data',
        'sqs:PurgeQueue  Write         administer-resource, delete-data',
        '',
      ].join('\n'),
    );
  });
  it('expands patterns and explains where capabilities come from', async () => {
    const r = await runCli(['capabilities', 'sts:AssumeRole*', '--explain']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('SOURCE');
    expect(r.stdout).toMatch(/sts:AssumeRoleWithSAML\s+Write\s+use-resource\s+rule sts:AssumeRole\*: /);
    expect(r.stdout).not.toContain('sts:GetCallerIdentity');
  });
  it('prints JSON with --format json', async () => {
    const r = await runCli(['capabilities', 'kms:Decrypt', 'ec2:DescribeInstances', '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.actions).toEqual([
      {
        action: 'ec2:DescribeInstances',
        service: 'ec2',
        name: 'DescribeInstances',
        accessLevel: 'List',
        capabilities: ['read-config'],
        source: { kind: 'default', accessLevel: 'List' },
      },
      expect.objectContaining({ action: 'kms:Decrypt', capabilities: ['read-data'], source: expect.objectContaining({ kind: 'rule' }) }),
    ]);
  });
  it('lists actions with a capability, optionally per service', async () => {
    const r = await runCli(['capabilities', '--capability', 'delete-data', '--service', 'sqs']);
    expect(r.code).toBe(0);
    const actions = r.stdout.trim().split('\n').slice(1).map((l) => l.split(/\s+/)[0]);
    expect(actions).toEqual(['sqs:DeleteMessage', 'sqs:DeleteQueue', 'sqs:PurgeQueue', 'sqs:StartMessageMoveTask']);
  });
  it('lists every action of a service with --service alone', async () => {
    const r = await runCli(['capabilities', '--service', 'sqs', '-f', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.actions.length).toBe(20);
    expect(j.actions.every((a: { service: string }) => a.service === 'sqs')).toBe(true);
  });
  it('filters listed actions by --capability', async () => {
    const r = await runCli(['capabilities', 'sqs:*', '-c', 'read-data']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['sqs:ReceiveMessage']);
  });
  it('prints the compact policy action list with --policy', async () => {
    const r = await runCli(['capabilities', '--policy', '-c', 'read-data', '-s', 'ssm,sqs']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('sqs:ReceiveMessage\nssm:GetCommandInvocation\nssm:GetParameter*\n');
  });
  it('prints the policy list as JSON with its size', async () => {
    const r = await runCli(['capabilities', '--policy', '-c', 'use-resource', '-s', 'sts', '--compact', '-f', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.capabilities).toEqual(['use-resource']);
    expect(j.services).toEqual(['sts']);
    expect(j.patterns).toContain('sts:A*'); // compact: every sts action starting with A is an Assume* action today
    expect(j.chars).toBe(JSON.stringify(j.patterns).length);
  });
  it('rejects an unknown action with did-you-mean and exit 1, still printing the known ones', async () => {
    const r = await runCli(['capabilities', 's3:GetObject', 's3:GetObjekt']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('s3:GetObject ');
    expect(r.stderr).toContain('error BH4003: unknown action `s3:GetObjekt`; did you mean `s3:GetObject`?');
    expect(r.stderr).toContain('(at actions[1])');
  });
  it('explains unknown services, bare names and empty patterns', async () => {
    const svc = await runCli(['capabilities', 's4:GetObject']);
    expect(svc.code).toBe(1);
    expect(svc.stderr).toContain('no AWS service has the prefix `s4`; did you mean `s3:GetObject`?');
    const bare = await runCli(['capabilities', 'GetObject']);
    expect(bare.code).toBe(1);
    expect(bare.stderr).toContain('`GetObject` is not an action; write `service:Action`');
    const pat = await runCli(['capabilities', 's3:Zz*']);
    expect(pat.code).toBe(1);
    expect(pat.stderr).toContain('error BH4004: pattern `s3:Zz*` matches no action');
  });
  it('rejects unknown capabilities and services with did-you-mean', async () => {
    const r = await runCli(['capabilities', '--capability', 'read-dta', '--service', 'dynamdb']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unknown capability `read-dta`; did you mean `read-data`?');
    expect(r.stderr).toContain('unknown AWS service prefix `dynamdb`; did you mean `dynamodb`?');
  });
  it('prints usage and exits 2 without actions or --capability', async () => {
    const r = await runCli(['capabilities']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('give one or more actions');
    const p = await runCli(['capabilities', '--policy', 's3:GetObject']);
    expect(p.code).toBe(2);
    const f = await runCli(['capabilities', 's3:GetObject', '--format', 'xml']);
    expect(f.code).toBe(2);
    const c = await runCli(['capabilities', 's3:GetObject', '--compact']);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('`--compact` only applies to `--policy`');
  });
});
