import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { planFromYaml } from './index.js';

const PHASE_POOL = ['dev', 'test', 'qa', 'stage', 'preprod', 'prod'];
const CAPS = ['administer-resource', 'read-config', 'read-data', 'write-data', 'delete-data', 'use-resource'];

/** Random but valid specs: business units × phases, roles with per-phase access, either OU layout. */
const specArb = fc
  .record({
    phases: fc.subarray(PHASE_POOL, { minLength: 1 }),
    buCount: fc.integer({ min: 1, max: 8 }),
    prefix: fc.constantFrom('', 'ac-', 'x'),
    layout: fc.constantFrom('phase-first', 'bu-first'),
    shared: fc.subarray(['security', 'log-archive', 'shared-services', 'network', 'delivery', 'identity', 'backup']),
    roleCount: fc.integer({ min: 0, max: 4 }),
    seed: fc.integer(),
    extras: fc.boolean(),
  })
  .chain((b) =>
    fc
      .array(fc.record({ phases: fc.subarray(b.phases, { minLength: 1 }), star: fc.boolean(), caps: fc.subarray(CAPS, { minLength: 1 }) }), {
        minLength: b.roleCount,
        maxLength: b.roleCount,
      })
      .map((roles) => ({ ...b, roles })),
  )
  .map((b) => ({
    version: 1,
    organization: {
      name: 'prop',
      managementAccount: { name: 'prop-management', email: 'root@prop.example' },
      emailTemplate: 'aws+{account}@prop.example',
      accountPrefix: b.prefix,
      regions: ['eu-west-1'],
      ouLayout: b.layout,
      accountQuota: 1000,
    },
    phases: b.phases.map((name, i) => ({ name, ...(i === b.phases.length - 1 ? { production: true } : {}) })),
    businessUnits: Array.from({ length: b.buCount }, (_, i) => ({
      name: `bu${i}`,
      ...(b.extras && i % 2 === 0 ? { extraAccounts: ['sandbox', 'dr'] } : {}),
      ...(i % 3 === 1 ? { phases: [b.phases[b.phases.length - 1]] } : {}),
    })),
    sharedAccounts: b.shared,
    roles: Object.fromEntries(
      b.roles.map((r, i) => [
        `role${i}`,
        {
          assumedFrom: { account: 'prop-management' },
          access: r.star ? { '*': { capabilities: r.caps, services: ['s3'] } } : Object.fromEntries(r.phases.map((p) => [p, { capabilities: r.caps, services: ['s3'] }])),
        },
      ]),
    ),
  }));

describe('planner properties', () => {
  it('plans every valid spec, deterministically, with unique names and emails', () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        const text = stringify(spec);
        const a = planFromYaml(text, 'p.yaml');
        const b = planFromYaml(text, 'p.yaml');
        expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(JSON.stringify(a.ok ? a.value : undefined)).toBe(JSON.stringify(b.ok ? b.value : undefined));
        const m = (a.ok ? a.value : undefined)!;
        const names = m.accounts.map((x) => x.name.toLowerCase());
        expect(new Set(names).size).toBe(names.length);
        const emails = m.accounts.map((x) => x.email.toLowerCase());
        expect(new Set(emails).size).toBe(emails.length);
        expect(m.sizing!.total).toBe(m.accounts.length);
        expect(m.sizing!.lines.reduce((n, l) => n + l.count, 0)).toBe(m.accounts.length);
      }),
      { numRuns: 60 },
    );
  });

  it('gives every account exactly the {phase}-{role} policies of its own phase', () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        const r = planFromYaml(stringify(spec), 'p.yaml');
        const m = (r.ok ? r.value : undefined)!;
        for (const account of m.accounts) {
          const roles = m.roles.filter((r) => r.account === account.name);
          const inRuntime = account.phase !== undefined && account.businessUnit !== undefined;
          const expected = Object.entries(spec.roles)
            .filter(([, r]) => inRuntime && ('*' in r.access || account.phase! in r.access))
            .map(([name]) => name)
            .sort();
          expect(roles.map((r) => r.name).sort()).toEqual(expected);
          for (const r of roles) {
            const managed = r.policies.filter((p) => p.kind === 'managed').map((p) => p.name);
            // one `{phase}-{role}` policy, continued as `-2`, `-3`… only when IAM's size limit forces a split;
            // none when no action of the services has only the requested capabilities
            managed.forEach((name, i) => expect(name).toBe(i === 0 ? `${account.phase}-${r.name}` : `${account.phase}-${r.name}-${i + 1}`));
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('attaches FullAWSAccess to every OU and member account, and nothing else more than 5 times per target', () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        const r = planFromYaml(stringify(spec), 'p.yaml');
        const m = (r.ok ? r.value : undefined)!;
        const full = m.serviceControlPolicies.find((p) => p.name === 'FullAWSAccess')!;
        expect(full.targets.filter((t) => 'ou' in t)).toHaveLength(m.organizationalUnits.length);
        expect(full.targets.filter((t) => 'account' in t)).toHaveLength(m.accounts.length - 1);
      }),
      { numRuns: 30 },
    );
  });
});
