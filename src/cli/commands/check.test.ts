import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test-support/cli.js';
import { CHECK_POLICY_TYPES } from '../../operations/check.js';
import { CHECK_TYPES } from './check.js';

const dir = mkdtempSync(join(tmpdir(), 'bulkhead-check-'));
function file(name: string, statements: object[]): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2));
  return path;
}
const oldP = file('old.json', [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }]);
const newP = file('new.json', [{ Sid: 'More', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::b/*' }]);

describe('check new-access', () => {
  it('exit 0 when nothing is new, 3 with the new grants and their statements', async () => {
    expect((await runCli(['check', 'new-access', '--policy', oldP, '--baseline', oldP])).code).toBe(0);
    expect((await runCli(['check', 'new-access', '--policy', oldP, '--baseline', newP])).code).toBe(0);
    const r = await runCli(['check', 'new-access', '--policy', newP, '--baseline', oldP]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('new access: 1 grant:\n  s3:PutObject on arn:aws:s3:::b/* — statement More\n');
    const j = JSON.parse((await runCli(['check', 'new-access', '--policy', newP, '--baseline', oldP, '--format', 'json'])).stdout);
    expect(j).toMatchObject({ holds: false, approximate: false, grants: [{ action: 's3:PutObject', statement: 'More' }] });
  });
  it('answers for Action * against the whole catalogue in reasonable time', async () => {
    const admin = file('admin.json', [{ Effect: 'Allow', Action: '*', Resource: '*' }]);
    const started = Date.now();
    const r = await runCli(['check', 'new-access', '--policy', admin, '--baseline', oldP, '--format', 'json']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).grants.length).toBeGreaterThan(10_000);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect((await runCli(['check', 'new-access', '--policy', oldP, '--baseline', admin])).code).toBe(0);
  });
  it('a bad policy file is an error with file:line:col', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Permit", "Action": "s3:GetObject", "Resource": "*"}]\n}\n');
    const r = await runCli(['check', 'new-access', '--policy', bad, '--baseline', oldP]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${bad}:3:`);
  });
});

describe('check not-granted', () => {
  it('exit 0 when none is granted, 3 when one is', async () => {
    expect((await runCli(['check', 'not-granted', '--policy', oldP, '--actions', 's3:PutObject,s3:DeleteObject'])).code).toBe(0);
    const r = await runCli(['check', 'not-granted', '--policy', oldP, '--actions', 's3:PutObject', '--actions', 's3:Get*']);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('s3:GetObject on *');
    expect((await runCli(['check', 'not-granted', '--policy', oldP, '--actions', 's3:GetObject', '--resources', 'arn:aws:s3:::other/*'])).code).toBe(0);
  });
  it('asks by capability', async () => {
    expect((await runCli(['check', 'not-granted', '--policy', oldP, '--capabilities', 'write-data,delete-data'])).code).toBe(0);
    expect((await runCli(['check', 'not-granted', '--policy', oldP, '--capabilities', 'read-data'])).code).toBe(3);
  });
  it('unknown actions and capabilities are errors with did-you-mean', async () => {
    const r = await runCli(['check', 'not-granted', '--policy', oldP, '--actions', 's3:GetObjekt', '--capabilities', 'read']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('BH9145');
    expect(r.stderr).toContain('did you mean `s3:GetObject`');
    expect(r.stderr).toContain('BH9146');
    expect((await runCli(['check', 'not-granted', '--policy', oldP])).stderr).toContain('BH9147');
  });
});

it('the --type choices are the operation\'s policy types', () => {
  expect([...CHECK_TYPES]).toEqual([...CHECK_POLICY_TYPES]);
});
