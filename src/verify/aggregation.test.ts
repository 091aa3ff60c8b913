/**
 * Access findings people can act on: one per principal × target account × capability set (with the resources
 * listed and counted), the principal shown as `account/role`, granting statements before the SCP allows.
 */
import { describe, expect, it } from 'vitest';
import type { Account, OrganizationModel, PolicyDocument } from '../model/organization.js';
import { renderHtml } from '../report/html.js';
import { renderJson } from '../report/json.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderTerminal } from '../report/terminal.js';
import { createEngineEvaluator } from './engine-adapter.js';
import { findingResources } from './finding.js';
import { verifyModel } from './verify.js';
import { MGMT_ACCOUNT, policyDoc, snapshotModel } from '../../test-support/models.js';

const doc = policyDoc;
const DEV = '222222222222';
const CLOCK = new Date('2026-01-01T00:00:00.000Z');

/** A dev role reading every bucket; five buckets in `retail-prod`, and `perProd2` more in `retail-prod2`. */
function model(perProd2: number): OrganizationModel {
  const bucket = (account: string, name: string) => ({
    account,
    arn: `arn:aws:s3:::${name}`,
    type: 's3:bucket',
    tags: {},
    policy: doc({ Sid: `For${name}`, Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${DEV}:root` }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${name}/*` }),
  });
  const accounts: Account[] = [
    { name: 'mgmt', email: 'm@x.example', id: '111111111111', ouPath: 'Root', purpose: 'management', tags: {} },
    { name: 'retail-dev', email: 'd@x.example', id: DEV, ouPath: 'Root', purpose: 'unknown', tags: { Environment: 'dev', bu: 'retail' } },
    { name: 'retail-prod', email: 'p@x.example', id: '333333333333', ouPath: 'Root', purpose: 'unknown', tags: { Environment: 'prod', bu: 'retail' } },
    { name: 'retail-prod2', email: 'q@x.example', id: '444444444444', ouPath: 'Root', purpose: 'unknown', tags: { Environment: 'prod', bu: 'retail' } },
  ];
  return snapshotModel({
    accounts,
    roles: [
      {
        account: 'retail-dev',
        name: 'appeng',
        path: '/',
        trustPolicy: doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }),
        policies: [{ name: 'read', kind: 'inline', document: doc({ Sid: 'ReadAll', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }) }],
        tags: {},
      },
    ],
    resources: [
      ...['e', 'b', 'd', 'a', 'c'].map((n) => bucket('retail-prod', `prod-${n}`)),
      ...Array.from({ length: perProd2 }, (_, i) => bucket('retail-prod2', `prod2-${i}`)),
    ],
    serviceControlPolicies: [
      { name: 'FullAWSAccess', managedBy: 'aws', document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }), targets: [{ ou: 'Root' }, ...accounts.map((a) => ({ account: a.name }))] },
    ],
  });
}

const verify = (m: OrganizationModel) => verifyModel(m, { target: 't', evaluator: createEngineEvaluator() });
const nonprod = (m: OrganizationModel) => verify(m).findings.filter((f) => f.rule === 'boundary.nonprod-to-prod');

describe('aggregated access findings', () => {
  it('reports read-data on five buckets of one account as one finding with five resources', () => {
    const f = nonprod(model(0));
    expect(f).toHaveLength(1);
    const only = f[0]!;
    expect(findingResources(only)).toEqual(['prod-a', 'prod-b', 'prod-c', 'prod-d', 'prod-e'].map((n) => `arn:aws:s3:::${n}`));
    expect(only.resource).toBe('arn:aws:s3:::prod-a');
    expect(only).toMatchObject({ account: 'retail-prod', capabilities: ['read-data'], principalName: 'retail-dev/appeng' });
    expect(only.message).toContain('principal `retail-dev/appeng` has `read-data` on 5 production resources in `retail-prod`');
    expect(only.message).toContain('(`arn:aws:s3:::prod-a`, `arn:aws:s3:::prod-b`, `arn:aws:s3:::prod-c`, + 2 more)');
  });
  it('lists each granting statement once, before the SCP allow', () => {
    const ev = nonprod(model(0))[0]!.evidence.map((e) => `${e.source}#${e.statement}`);
    expect(ev[0]).toBe('role retail-dev/appeng policy inline:read#ReadAll');
    expect(new Set(ev).size).toBe(ev.length);
    const scp = ev.findIndex((e) => e.startsWith('scp '));
    expect(scp).toBeGreaterThan(ev.lastIndexOf('resource arn:aws:s3:::prod-e policy#Forprod-e'));
  });
  it('reports the same access in two accounts as two findings', () => {
    const f = nonprod(model(2));
    expect(f.map((x) => [x.account, findingResources(x).length])).toEqual([
      ['retail-prod', 5],
      ['retail-prod2', 2],
    ]);
  });
  it('shows the principal by account and role name in every format, and counts the cut evidence lines', () => {
    const report = verify(model(0));
    const text = renderTerminal(report);
    expect(text).toContain('`retail-dev/appeng`');
    expect(text).toMatch(/\+ \d+ more evidence lines?\n/);
    const md = renderMarkdown(report, CLOCK);
    expect(md).toContain('- principal: `retail-dev/appeng` (`arn:aws:iam::222222222222:role/appeng`)');
    expect(md).toContain('- resources (5): `arn:aws:s3:::prod-a`');
    const html = renderHtml(report, CLOCK);
    expect(html).toContain('principal <code>retail-dev/appeng</code>');
    expect(html).toContain('5 resources <code>arn:aws:s3:::prod-a</code>');
    const j = JSON.parse(renderJson(report, CLOCK)) as { findings: { rule: string; principalName: string; resources: string[]; resourceCount: number }[] };
    const f = j.findings.find((x) => x.rule === 'boundary.nonprod-to-prod')!;
    expect(f).toMatchObject({ principalName: 'retail-dev/appeng', resourceCount: 5 });
    expect(f.resources).toHaveLength(5);
  });
});
