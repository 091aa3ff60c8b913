import { describe, expect, it } from 'vitest';
import { parsePolicy, type ParseOptions } from './parse.js';
import type { PolicyType } from './types.js';
import { policySizeDiagnostic, SIZE_LIMITS } from './limits.js';

/** A valid identity-style document of exactly `chars` characters once minified. */
function docOf(chars: number, withPrincipal = false): Record<string, unknown> {
  const base = (pad: string): Record<string, unknown> => ({
    Version: '2012-10-17',
    Statement: [
      withPrincipal
        ? { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:PrincipalTag/x': pad } } }
        : { Effect: 'Deny', Action: 's3:GetObject', Resource: `arn:aws:s3:::b/${pad}` },
    ],
  });
  const empty = JSON.stringify(base('')).length;
  const doc = base('x'.repeat(chars - empty));
  expect(JSON.stringify(doc).length).toBe(chars);
  return doc;
}

const sizeFindings = (doc: unknown, type: PolicyType, options?: ParseOptions) => parsePolicy(doc, type, options).diagnostics.filter((d) => d.code === 'BH3002');

describe('policy size limits per kind', () => {
  it('accepts a 10,000-character SCP (the SCP limit is 10,240 since May 2026) and refuses 10,241', () => {
    expect(sizeFindings(docOf(10_000), 'scp')).toEqual([]);
    expect(sizeFindings(docOf(10_240), 'scp')).toEqual([]);
    expect(sizeFindings(docOf(10_241), 'scp')).toMatchObject([{ severity: 'error', message: expect.stringContaining('over the limit of 10240') }]);
  });

  it('keeps the RCP limit at 5,120', () => {
    expect(sizeFindings(docOf(5_120), 'rcp')).toEqual([]);
    expect(sizeFindings(docOf(5_121), 'rcp')).toMatchObject([{ severity: 'error' }]);
  });

  it('gives an AWS managed policy no size finding, however large', () => {
    expect(sizeFindings(docOf(30_000), 'identity', { sizeKind: 'aws-managed' })).toEqual([]);
    expect(policySizeDiagnostic(1_000_000, 'aws-managed')).toBeUndefined();
    expect(sizeFindings(docOf(30_000), 'identity')).toMatchObject([{ severity: 'error', message: expect.stringContaining('managed policy') }]);
  });

  it('bounds one inline policy by its principal’s aggregate: role 10,240, group 5,120, user 2,048', () => {
    expect(sizeFindings(docOf(10_000), 'identity', { sizeKind: 'inline-role' })).toEqual([]);
    expect(sizeFindings(docOf(10_241), 'identity', { sizeKind: 'inline-role' })).toMatchObject([{ severity: 'error' }]);
    expect(sizeFindings(docOf(5_121), 'identity', { sizeKind: 'inline-group' })).toMatchObject([{ severity: 'error' }]);
    expect(sizeFindings(docOf(5_120), 'identity', { sizeKind: 'inline-group' })).toEqual([]);
    expect(sizeFindings(docOf(2_049), 'identity', { sizeKind: 'inline-user' })).toMatchObject([{ severity: 'error' }]);
    expect(sizeFindings(docOf(6_145), 'identity')).toMatchObject([{ severity: 'error' }]);
  });

  it('warns for a trust policy between the 2,048 default and the 4,096 maximum, errs above', () => {
    expect(sizeFindings(docOf(2_048, true), 'trust')).toEqual([]);
    expect(sizeFindings(docOf(3_000, true), 'trust')).toMatchObject([{ severity: 'warning', message: expect.stringContaining('request an increase') }]);
    expect(sizeFindings(docOf(4_097, true), 'trust')).toMatchObject([{ severity: 'error' }]);
  });

  it('has a limit for every stored kind except AWS managed policies', () => {
    const unlimited = Object.entries(SIZE_LIMITS).filter(([, l]) => l === undefined).map(([k]) => k);
    expect(unlimited).toEqual(['aws-managed']);
  });
});
