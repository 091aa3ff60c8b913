import { describe, expect, it } from 'vitest';
import { keepEnvironmentValue, looksLikeArn } from './inventory.js';

describe('inventory: which Lambda environment values may be stored', () => {
  const known = new Set(['orders', 'arn:aws:sqs:us-east-1:111111111111:jobs']);

  it('keeps ARNs and names of collected resources', () => {
    expect(keepEnvironmentValue('arn:aws:dynamodb:us-east-1:111111111111:table/orders', known)).toBe(true);
    expect(keepEnvironmentValue('arn:aws:s3:::bucket', known)).toBe(true);
    expect(keepEnvironmentValue('orders', known)).toBe(true);
  });

  it('drops anything else, secret-looking or not', () => {
    for (const v of ['hunter2', 'AKIAIOSFODNN7EXAMPLE', 'postgres://u:p@db/x', 'arn:', 'arn:aws:s3', 'arn:aws:sqs:us-east-1:1:jobs with space', '', 'Orders']) {
      expect(keepEnvironmentValue(v, known), v).toBe(false);
    }
  });

  it('checks the ARN shape: partition, service and resource present', () => {
    expect(looksLikeArn('arn:aws:iam::111111111111:role/x')).toBe(true);
    expect(looksLikeArn('arn::iam::1:role/x')).toBe(false);
    expect(looksLikeArn('arn:aws:iam::1:')).toBe(false);
  });
});
