import { describe, expect, it } from 'vitest';
import { nameOfArn, typeOfArn } from './collect-inventory.js';

describe('inventory: resource type and name of an ARN', () => {
  it.each([
    ['arn:aws:dynamodb:us-east-1:111111111111:table/orders', 'dynamodb:table', 'orders'],
    ['arn:aws:lambda:us-east-1:111111111111:function:api', 'lambda:function', 'api'],
    ['arn:aws:s3:::uploads', 's3:bucket', 'uploads'],
    ['arn:aws:sqs:us-east-1:111111111111:jobs', 'sqs:queue', 'jobs'],
    ['arn:aws:sns:us-east-1:111111111111:events', 'sns:topic', 'events'],
    ['arn:aws:kms:us-east-1:111111111111:key/1234abcd', 'kms:key', '1234abcd'],
    ['arn:aws:cloudformation:us-east-1:111111111111:stack/shop/uuid', 'cloudformation:stack', 'shop'],
    ['arn:aws:ec2:us-east-1:111111111111:instance/i-1', 'ec2:instance', 'i-1'],
  ])('%s', (arn, type, name) => {
    expect(typeOfArn(arn)).toBe(type);
    expect(nameOfArn(arn)).toBe(name);
  });
});
