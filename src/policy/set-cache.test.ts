import { describe, expect, it } from 'vitest';
import { lineCut, LineSetCache } from './set-cache.js';

const line = (policy: string, resource = 'arn:aws:s3:::b/k') =>
  `{"request":{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resource":"${resource}"},"identityPolicies":[${policy}]}`;
const policy = (n: number) => `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b${String(n).padStart(3, '0')}/*"}]}`;

describe('LineSetCache', () => {
  it('finds a line by the text after its request, whatever the request', () => {
    const cache = new LineSetCache();
    const a = lineCut(line(policy(1)))!;
    expect(cache.find(a)).toBeUndefined();
    cache.remember(a, JSON.parse(line(policy(1))) as Record<string, unknown>);
    expect(cache.find(lineCut(line(policy(1), 'arn:aws:s3:::other/x'))!)).toBeDefined();
    expect(cache.find(lineCut(line(policy(2)))!)).toBeUndefined();
  });
  it('tells apart many texts of one length that differ only between the characters it samples', () => {
    // 100 policies of equal length differing in one character: some share a fingerprint, and buckets overflow
    const cache = new LineSetCache();
    const values = new Map<number, unknown>();
    for (let n = 0; n < 100; n++) {
      const text = line(policy(n));
      const v = JSON.parse(text) as Record<string, unknown>;
      values.set(n, v['identityPolicies']);
      cache.remember(lineCut(text)!, v);
    }
    for (let n = 0; n < 100; n++) expect(cache.find(lineCut(line(policy(n), `arn:aws:s3:::x/${n}`))!)?.value['identityPolicies']).toStrictEqual(values.get(n));
    expect(cache.find(lineCut(line(policy(100)))!)).toBeUndefined();
  });
});
