import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { editDistance } from '../util/suggest.js';
import {
  allActions,
  allServices,
  didYouMeanAction,
  expandActionPattern,
  lookupAction,
  rcpSupportedServices,
  serviceExists,
  suggestAction,
} from './index.js';

describe('lookupAction', () => {
  it('finds actions case-insensitively and returns canonical case', () => {
    const a = lookupAction('S3:getobject');
    expect(a?.service).toBe('s3');
    expect(a?.name).toBe('GetObject');
    expect(a?.action).toBe('s3:GetObject');
    expect(a?.accessLevel).toBe('Read');
    expect(a?.resourceTypes).toContain('object');
    expect(a?.conditionKeys).toContain('s3:ExistingObjectTag/<key>');
  });
  it('maps combined iam-data levels to the IAM docs level', () => {
    expect(lookupAction('iam:CreatePolicy')?.accessLevel).toBe('Permissions management');
    expect(lookupAction('s3:PutBucketPolicy')?.accessLevel).toBe('Permissions management');
    expect(lookupAction('sqs:TagQueue')?.accessLevel).toBe('Tagging');
    expect(lookupAction('s3:ListAllMyBuckets')?.accessLevel).toBe('List');
    expect(lookupAction('sqs:SendMessage')?.accessLevel).toBe('Write');
  });
  it('includes the condition keys of the action’s resource types', () => {
    // sqs:SendMessage lists no keys itself; the queue resource type lists aws:ResourceTag/${TagKey}
    expect(lookupAction('sqs:SendMessage')?.conditionKeys).toContain('aws:ResourceTag/${TagKey}');
  });
  it('returns undefined for unknown actions, bare names and patterns', () => {
    expect(lookupAction('s3:GetObjekt')).toBeUndefined();
    expect(lookupAction('GetObject')).toBeUndefined();
    expect(lookupAction('s3:Get*')).toBeUndefined();
    expect(lookupAction('nosuchservice:Foo')).toBeUndefined();
  });
});

describe('services', () => {
  it('knows services case-insensitively and lists them sorted', () => {
    expect(serviceExists('S3')).toBe(true);
    expect(serviceExists('s4')).toBe(false);
    const s = allServices();
    expect(s).toEqual([...s].sort());
    expect(s.length).toBeGreaterThan(400);
  });
  it('lists RCP-capable services from iam-data, including the core data services', () => {
    const r = rcpSupportedServices();
    for (const svc of ['s3', 'sts', 'kms', 'sqs', 'secretsmanager']) expect(r).toContain(svc);
    expect(r).not.toContain('ec2');
  });
});

describe('expandActionPattern', () => {
  it('expands prefix wildcards within the service', () => {
    const got = expandActionPattern('s3:GetObject*');
    expect(got).toContain('s3:GetObject');
    expect(got).toContain('s3:GetObjectVersionTagging');
    expect(got.every((a) => a.startsWith('s3:GetObject'))).toBe(true);
    expect(got).toEqual([...got].sort());
  });
  it('is case-insensitive and supports ?', () => {
    expect(expandActionPattern('S3:?ETOBJECT')).toEqual(['s3:GetObject']);
    expect(expandActionPattern('sqs:*message')).toEqual(
      expect.arrayContaining(['sqs:DeleteMessage', 'sqs:ReceiveMessage', 'sqs:SendMessage']),
    );
  });
  it('expands `*` to the whole catalogue and wildcard services across services', () => {
    expect(expandActionPattern('*')).toEqual(allActions());
    const s3ish = expandActionPattern('s3*:GetObject');
    expect(s3ish).toContain('s3:GetObject');
    expect(s3ish.some((a) => a.startsWith('s3-object-lambda:'))).toBe(true);
  });
  it('returns a known plain action as itself and nothing for unknown ones', () => {
    expect(expandActionPattern('sqs:sendmessage')).toEqual(['sqs:SendMessage']);
    expect(expandActionPattern('sqs:SendMesage')).toEqual([]);
    expect(expandActionPattern('nosuch:*')).toEqual([]);
  });
  it('treats regex metacharacters literally', () => {
    expect(expandActionPattern('s3:Get.bject')).toEqual([]);
    expect(expandActionPattern('s3:(Get)*')).toEqual([]);
  });
});

describe('suggestAction', () => {
  it('fixes a misspelt action name', () => {
    expect(suggestAction('s3:GetObjekt')).toBe('s3:GetObject');
    expect(suggestAction('sqs:SendMesage')).toBe('sqs:SendMessage');
  });
  it('fixes a misspelt service prefix', () => {
    expect(suggestAction('s4:GetObject')).toBe('s3:GetObject');
    expect(suggestAction('dynamdb:GetItem')).toBe('dynamodb:GetItem');
  });
  it('gives up on text that is nothing like an action', () => {
    expect(suggestAction('zzzzzz:Qqqqqqqq')).toBeUndefined();
    expect(didYouMeanAction('zzzzzz:Qqqqqqqq')).toBe('');
    expect(didYouMeanAction('s3:GetObjekt')).toBe('; did you mean `s3:GetObject`?');
  });
});

describe('properties over the whole catalogue', () => {
  const all = allActions();
  const pick = fc.integer({ min: 0, max: all.length - 1 }).map((i) => all[i]!);

  it('a pattern made from an action by wildcarding parts of its name matches it, and only matching actions', () => {
    fc.assert(
      fc.property(pick, fc.array(fc.nat(), { maxLength: 3 }), fc.boolean(), (action, holes, star) => {
        const colon = action.indexOf(':');
        const chars = action.split('');
        for (const h of holes) chars[colon + 1 + (h % (action.length - colon - 1))] = '?';
        let pattern = chars.join('');
        if (star) pattern = `${pattern.slice(0, colon + 2)}*`;
        const got = expandActionPattern(pattern.toUpperCase());
        expect(got).toContain(action);
        const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\/-]/g, '\\$&').replace(/\?/g, '.').replace(/\*/g, '.*')}$`, 'i');
        expect(got.every((a) => re.test(a))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('a one-letter typo in an action name is fixed to an action one edit away', () => {
    fc.assert(
      fc.property(pick, fc.nat(), (action, at) => {
        const colon = action.indexOf(':');
        const name = action.slice(colon + 1);
        if (name.length < 6) return; // too short for did-you-mean's one-third rule
        const i = at % name.length;
        const typo = `${action.slice(0, colon + 1)}${name.slice(0, i)}${name[i] === 'x' ? 'y' : 'x'}${name.slice(i + 1)}`;
        if (lookupAction(typo)) return; // the typo happens to be another real action
        const s = suggestAction(typo);
        expect(s).toBeDefined();
        expect(editDistance(s!.toLowerCase(), typo.toLowerCase())).toBeLessThanOrEqual(1);
      }),
      { numRuns: 200 },
    );
  });
});
