// Runs in its own file (vitest isolates files) so the catalogue starts unparsed.
import { describe, it, expect } from 'vitest';
import { parsedServiceCount } from './actions.js';
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
});
