// Runs in its own file (vitest isolates files) so the catalogue starts unparsed.
import { describe, it, expect } from 'vitest';
import { catalogIndex, parsedServiceCount, serviceKeyLists } from './actions.js';
import { capabilitiesOf, conditionKeyInfo, keyAppliesToAction, lookupAction, serviceExists } from './index.js';

describe('lazy loading', () => {
  it('parses only the services a lookup touches', () => {
    expect(parsedServiceCount()).toBe(0);
    expect(serviceExists('s3')).toBe(true);
    expect(parsedServiceCount()).toBe(0);
    expect(lookupAction('s3:GetObject')).toBeDefined();
    expect(capabilitiesOf('sqs:SendMessage')).toEqual(['write-data']);
    expect(conditionKeyInfo('s3:prefix')?.type).toBe('String');
    expect(conditionKeyInfo('aws:SourceIp')?.global).toBe(true);
    expect(keyAppliesToAction('s3:prefix', 's3:ListBucket')).toBe(true);
    expect(parsedServiceCount()).toBe(2);
  });

  it('answers a key no service defines under its own prefix from the key lists alone, and they equal the parsed index', () => {
    const before = parsedServiceCount();
    expect(conditionKeyInfo('saml:aud')).toBeDefined();
    expect(conditionKeyInfo('nosuchservice:nosuchkey')).toBeUndefined();
    expect(parsedServiceCount()).toBe(before);
    const lists = serviceKeyLists();
    const index = [...catalogIndex().values()];
    expect(lists.map((l) => [l.prefix, [...l.keys]])).toEqual(index.map((s) => [s.prefix, [...s.keys]]));
  });
});
