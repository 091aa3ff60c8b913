import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  actionsWithCapability,
  CAPABILITIES,
  capabilitiesOf,
  type Capability,
  checkPolicyScope,
  DEFAULT_POLICY_SERVICES,
  expandActionPattern,
  policyActionsFor,
  serviceActions,
  serviceExists,
} from './index.js';
import { compress } from './policy-actions.js';

/** The set the patterns must cover exactly: actions of `services` all of whose capabilities are in `caps`. */
function expected(caps: readonly Capability[], services: readonly string[]): string[] {
  const set = new Set<string>();
  for (const c of caps) for (const s of services) for (const a of actionsWithCapability(c, s)) set.add(a);
  return [...set].filter((a) => capabilitiesOf(a).every((c) => caps.includes(c))).sort();
}

function expand(patterns: readonly string[]): string[] {
  return [...new Set(patterns.flatMap((p) => expandActionPattern(p)))].sort();
}

describe('policyActionsFor', () => {
  it('defaults to the 15 curated data services', () => {
    expect(DEFAULT_POLICY_SERVICES).toHaveLength(15);
    for (const s of DEFAULT_POLICY_SERVICES) expect(serviceExists(s)).toBe(true);
  });
  for (const cap of CAPABILITIES) {
    for (const compact of [false, true]) {
      it(`expands to exactly the ${cap} actions of the default services${compact ? ' (compact)' : ''}`, () => {
        const patterns = policyActionsFor([cap], undefined, { compact });
        expect(patterns).toEqual([...patterns].sort());
        expect(new Set(patterns).size).toBe(patterns.length);
        expect(expand(patterns)).toEqual(expected([cap], DEFAULT_POLICY_SERVICES));
      });
    }
  }
  it('is shorter than listing every action, and uses readable word-boundary prefixes', () => {
    const patterns = policyActionsFor(['read-config'], ['s3']);
    expect(patterns.length).toBeLessThan(actionsWithCapability('read-config', 's3').length);
    expect(patterns).toContain('s3:GetBucket*');
    expect(patterns).toContain('s3:List*');
    // s3:GetObject* would also grant s3:GetObject (read-data), so it must not appear for read-config
    expect(patterns).not.toContain('s3:GetObject*');
  });
  it('grants an action only when every capability it carries was asked for', () => {
    expect(capabilitiesOf('s3:PutReplicationConfiguration')).toEqual(['administer-resource', 'read-data']);
    expect(expand(policyActionsFor(['read-data'], ['s3']))).not.toContain('s3:PutReplicationConfiguration');
    expect(expand(policyActionsFor(['administer-resource'], ['s3']))).not.toContain('s3:PutReplicationConfiguration');
    expect(expand(policyActionsFor(['administer-resource', 'read-data'], ['s3']))).toContain('s3:PutReplicationConfiguration');
    expect(expand(policyActionsFor(['read-data'], ['s3']))).toContain('s3:GetObject');
  });
  it('uses `service:*` when the capabilities cover the whole service', () => {
    expect(policyActionsFor([...CAPABILITIES], ['sqs', 'KMS'])).toEqual(['kms:*', 'sqs:*']);
  });
  it('returns nothing when no action of the services has the capabilities', () => {
    expect(policyActionsFor(['use-resource'], ['sns'])).toEqual([]);
    expect(policyActionsFor([], ['s3'])).toEqual([]);
  });
  it('covers exactly the union for random capability and service sets (property)', () => {
    fc.assert(
      fc.property(
        fc.subarray([...CAPABILITIES], { minLength: 1 }),
        fc.subarray([...DEFAULT_POLICY_SERVICES, 'rds-data', 'athena', 'glue'], { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (caps, services, compact) => {
          expect(expand(policyActionsFor(caps, services, { compact }))).toEqual(expected(caps, services));
        },
      ),
      { numRuns: 40 },
    );
  });
  it('throws (a caller bug) for unvalidated input', () => {
    expect(() => policyActionsFor(['read-everything' as Capability], ['s3'])).toThrow(/unknown capability/);
    expect(() => policyActionsFor(['read-data'], ['s4'])).toThrow(/unknown AWS service prefix `s4`/);
  });
  it('reports the sizes a planner has to fit into 6,144 characters', () => {
    // Not a limit test: it pins that the most specific capabilities stay far below the policy size limit.
    for (const cap of ['read-data', 'write-data', 'delete-data', 'use-resource'] as const) {
      expect(JSON.stringify(policyActionsFor([cap])).length).toBeLessThan(2000);
    }
  });
});

describe('checkPolicyScope', () => {
  it('accepts known capabilities and services (any case for services)', () => {
    expect(checkPolicyScope(['read-data'], ['S3', 'secretsmanager'])).toEqual([]);
  });
  it('explains unknown names with did-you-mean and a JSON path', () => {
    const d = checkPolicyScope(['read-dta'], ['s3', 'dynamdb'], { capabilities: 'roles[0].capabilities', services: 'roles[0].services' });
    expect(d).toEqual([
      {
        code: 'BH4001',
        severity: 'error',
        message:
          'unknown capability `read-dta`; did you mean `read-data`?; use one of administer-resource, read-config, read-data, write-data, delete-data, use-resource',
        path: 'roles[0].capabilities[0]',
      },
      {
        code: 'BH4002',
        severity: 'error',
        message: 'unknown AWS service prefix `dynamdb`; did you mean `dynamodb`?; use a prefix as IAM writes it, e.g. `s3` or `secretsmanager`',
        path: 'roles[0].services[1]',
      },
    ]);
  });
});

describe('compress', () => {
  const names = ['GetA', 'GetB', 'GetBucketAcl', 'GetBucketPolicy', 'List', 'ListA', 'Put'];
  it('uses a prefix only when everything it matches is wanted', () => {
    const want = new Set(['x:GetBucketAcl', 'x:GetBucketPolicy', 'x:List', 'x:ListA']);
    expect(compress('x', names, (a) => want.has(a))).toEqual(['x:GetBucket*', 'x:List*']);
  });
  it('writes single actions as plain names', () => {
    expect(compress('x', names, (a) => a === 'x:GetA')).toEqual(['x:GetA']);
  });
  it('matches case-insensitively, like IAM', () => {
    // `x:Get*` would also match `x:getSecret`, which is not wanted
    const n = ['GetA', 'GetB', 'getSecret'];
    expect(compress('x', n, (a) => a !== 'x:getSecret')).toEqual(['x:GetA', 'x:GetB']);
  });
  it('is exact for random name sets and memberships (property)', () => {
    const name = fc.stringMatching(/^[A-Z][a-z]{0,2}([A-Z][a-z]{0,2}){0,3}$/);
    fc.assert(
      fc.property(fc.uniqueArray(name, { minLength: 1, maxLength: 40, selector: (s) => s.toLowerCase() }), fc.func(fc.boolean()), fc.boolean(), (ns, f, anyCut) => {
        const want = new Set(ns.filter((n) => f(n)).map((n) => `x:${n}`));
        const patterns = compress('x', ns, (a) => want.has(a), anyCut);
        const covered = ns
          .filter((n) =>
            patterns.some((p) => {
              const body = p.slice(2);
              return body.endsWith('*')
                ? n.toLowerCase().startsWith(body.slice(0, -1).toLowerCase())
                : n.toLowerCase() === body.toLowerCase();
            }),
          )
          .map((n) => `x:${n}`);
        expect(covered.sort()).toEqual([...want].sort());
      }),
      { numRuns: 300 },
    );
  });
});

it('serviceActions lists a whole service', () => {
  expect(serviceActions('sqs')).toContain('sqs:SendMessage');
});
