import { describe, expect, it } from 'vitest';
import { arnAccountOf } from './evaluate.js';

/** The regular expression arnAccountOf replaces; both must agree on every input. */
const REFERENCE = /^arn:[^:]*:[^:]*:[^:]*:(\d{12}):/;

describe('arnAccountOf', () => {
  const cases = [
    'arn:aws:dynamodb:eu-west-1:111122223333:table/t',
    'arn:aws:iam::111122223333:role/x',
    'arn:aws:s3:::bucket/key',
    'arn:aws:sqs:eu-west-1:111122223333:q',
    'arn:aws:sqs:eu-west-1:111122223333',
    'arn:aws:sqs:eu-west-1:11112222333:q',
    'arn:aws:sqs:eu-west-1:1111222233334:q',
    'arn:aws:sqs:eu-west-1:11112222333a:q',
    'arn:aws:iam::aws:policy/ReadOnlyAccess',
    'arn::::111122223333:',
    'arn:aws:iam:111122223333:role/x',
    'arn:aws:iam::111122223333',
    'ARN:aws:iam::111122223333:role/x',
    'xarn:aws:iam::111122223333:role/x',
    '*',
    '',
    'arn:',
    'arn:aws',
    'arn:aws:s3',
    'arn:aws:s3:eu',
    'arn:aws-cn:ec2:cn-north-1:999988887777:instance/i-1',
  ];
  it('agrees with the regular expression on ARNs, near misses and non-ARNs', () => {
    for (const c of cases) expect({ c, got: arnAccountOf(c) }).toEqual({ c, got: REFERENCE.exec(c)?.[1] });
  });
  it('agrees on generated strings over the ARN alphabet', () => {
    const alphabet = ['arn', ':', '1', '111122223333', 'aws', '/', 'a'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    for (let n = 0; n < 5000; n++) {
      let s = n % 2 === 0 ? 'arn:' : '';
      const len = next() % 9;
      for (let k = 0; k < len; k++) s += alphabet[next() % alphabet.length];
      expect({ s, got: arnAccountOf(s) }).toEqual({ s, got: REFERENCE.exec(s)?.[1] });
    }
  });
});
