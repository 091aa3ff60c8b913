import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { OrganizationModel } from '../model/organization.js';
import { attribute, syntheticAccountId } from './attribution.js';
import type { AccessEvaluator, CapabilityGrant } from './engine-port.js';
import type { Capability } from './finding.js';
import { verifyModel } from './verify.js';
import { renderTerminal } from '../report/terminal.js';

const model = JSON.parse(readFileSync(new URL('./testdata/small-org.json', import.meta.url), 'utf8')) as OrganizationModel;

/**
 * A test double for AccessEvaluator: answers from an explicit table of (principal, resource) → capabilities and
 * (principal, role) → assumable. It matches no policies; it lets these tests drive the graph and rules exactly.
 */
interface FakeTable {
  readonly grants: Readonly<Record<string, readonly Capability[]>>;
  readonly assumes: readonly string[];
}

/** Builds the fake and a log of the questions asked (to test pruning). */
function fakeEvaluator(table: FakeTable): AccessEvaluator & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    capabilities(p, r) {
      asked.push(`${p.arn}|${r.arn}`);
      const caps = table.grants[`${p.arn}|${r.arn}`] ?? [];
      return caps.map(
        (c): CapabilityGrant => ({ capability: c, actions: [`fake:${c}`], evidence: [{ source: `fake ${p.name}`, statement: c, effect: 'Allow' }] }),
      );
    },
    canAssume(p, role, trust) {
      asked.push(`${p.arn}|${role.arn}`);
      const allowed = table.assumes.includes(`${p.arn}|${role.arn}`);
      return { allowed, evidence: allowed ? [{ source: trust.source, statement: 'fake', effect: 'Allow' }] : [] };
    },
  };
}
const A = {
  appeng: 'arn:aws:iam::222222222222:role/appeng',
  migrator: 'arn:aws:iam::333333333333:role/migrator',
  admin: 'arn:aws:iam::333333333333:role/admin',
  analyst: 'arn:aws:iam::444444444444:role/analyst',
  orders: 'arn:aws:s3:::retail-orders',
  reports: 'arn:aws:s3:::bi-reports',
  scratch: 'arn:aws:s3:::retail-dev-scratch',
};
const table = {
  grants: {
    [`${A.appeng}|${A.orders}`]: ['read-data'],
    [`${A.appeng}|${A.scratch}`]: ['delete-data'],
    [`${A.migrator}|${A.orders}`]: ['read-data', 'write-data', 'delete-data'],
    [`${A.admin}|${A.orders}`]: ['administer-resource', 'read-data'],
    // cross-account without a resource policy: must be pruned, never asked
    [`${A.admin}|${A.reports}`]: ['read-data'],
    [`${A.analyst}|${A.reports}`]: ['read-data'],
  },
  assumes: [`${A.appeng}|${A.migrator}`],
} as const;

describe('attribution', () => {
  const at = attribute(model);
  it('decides from tags case-insensitively, then OU path, and says how', () => {
    const rd = at.accounts.get('retail-dev')!;
    expect(rd.businessUnit).toMatchObject({ value: 'retail', source: 'tag' });
    expect(rd.phase).toMatchObject({ value: 'dev', source: 'ou-path' });
    const rp = at.accounts.get('retail-prod')!;
    expect(rp.businessUnit.value).toBe('retail');
    expect(rp.phase).toMatchObject({ value: 'prod', source: 'tag', detail: 'tag `Environment=prod`' });
    expect(rp.production).toBe(true);
    expect(at.accounts.get('bi-prod')!.phase.detail).toBe('tag `stage=prod`');
  });
  it('lists what could not be attributed', () => {
    expect(at.unattributed).toEqual(['mystery']);
  });
  it('lets an entity override its account by tag, else inherits', () => {
    expect(at.entity('bi-prod', { Environment: 'dev' })).toMatchObject({ production: false, phase: { value: 'dev', source: 'tag' } });
    expect(at.entity('bi-prod', {})).toMatchObject({ production: true, phase: { source: 'inherited' } });
  });
  it('uses the spec first, matching by email then name', () => {
    const spec: OrganizationModel = {
      ...model,
      source: 'plan',
      phases: [{ name: 'qa', production: false }],
      accounts: [{ ...model.accounts[4]!, name: 'renamed', email: 'MY@x.example', phase: 'qa', businessUnit: 'ops' }],
    };
    const m = attribute(model, { spec }).accounts.get('mystery')!;
    expect(m.phase).toMatchObject({ value: 'qa', source: 'spec' });
    expect(m.phase.detail).toContain('matched by email');
  });
  it('does not expect a business unit or phase of shared accounts (spec purpose, or a foundational OU)', () => {
    const mystery = model.accounts.find((a) => a.name === 'mystery')!;
    const withShared: OrganizationModel = {
      ...model,
      accounts: [
        ...model.accounts,
        { ...mystery, name: 'log-archive', email: 'logs@x.example', ouPath: 'Root/Security' },
        { ...mystery, name: 'tooling', email: 'tooling@x.example', ouPath: 'Root/Workloads' },
      ],
    };
    expect(attribute(withShared).unattributed).toEqual(['mystery', 'tooling']);
    const spec: OrganizationModel = {
      ...model,
      source: 'plan',
      accounts: [{ ...mystery, name: 'tooling', email: 'tooling@x.example', purpose: 'shared-services' }],
    };
    expect(attribute(withShared, { spec }).unattributed).toEqual(['mystery']);
  });
  it('gives planned accounts stable, distinct synthetic ids', () => {
    const id = syntheticAccountId('retail-prod');
    expect(id).toMatch(/^9\d{11}$/);
    expect(syntheticAccountId('retail-prod')).toBe(id);
    expect(syntheticAccountId('retail-prod', new Set([id]))).not.toBe(id);
  });
});

describe('verifyModel with an evaluator', () => {
  const ev = fakeEvaluator(table);
  const report = verifyModel(model, { target: 't', evaluator: ev, destroyAccountThreshold: 2 });
  const by = (rule: string) => report.findings.filter((f) => f.rule === rule);

  it('prunes cross-account pairs the resource policy cannot grant', () => {
    expect(ev.asked).not.toContain(`${A.admin}|${A.reports}`);
    expect(ev.asked).toContain(`${A.appeng}|${A.orders}`); // named by the bucket policy's account principal
    expect(report.summary.stats.prunedPairs).toBeGreaterThan(0);
  });
  it('follows role assumption transitively and reports the chain', () => {
    const f = by('boundary.nonprod-to-prod').filter((x) => x.principal === A.appeng && x.resource === A.orders);
    expect(f).toHaveLength(2);
    const direct = f.find((x) => x.path.length === 0)!;
    expect(direct.capabilities).toEqual(['read-data']);
    const chain = f.find((x) => x.path.length > 0)!;
    expect(chain.path).toEqual([A.appeng, A.migrator]);
    expect(chain.pathNames).toEqual(['retail-dev/appeng', 'retail-prod/migrator']);
    expect(chain.principalName).toBe('retail-dev/appeng');
    expect(renderTerminal(report)).toContain('path: retail-dev/appeng -> retail-prod/migrator');
    expect(chain.capabilities).toEqual(['read-data', 'write-data', 'delete-data']);
    expect(chain.evidence.map((e) => e.source)).toEqual([
      'role retail-prod/migrator trust policy',
      'fake migrator',
      'fake migrator',
      'fake migrator',
    ]);
    expect(chain.severity).toBe('critical');
  });
  it('treats a principal tagged non-production as such even inside a prod account', () => {
    expect(by('boundary.nonprod-to-prod').some((f) => f.principal === A.analyst && f.resource === A.reports)).toBe(true);
  });
  it('does not flag production principals reaching production data', () => {
    expect(by('boundary.nonprod-to-prod').some((f) => f.principal === A.admin || f.principal === A.migrator)).toBe(false);
  });
  it('reports blast radius across accounts', () => {
    const f = by('blast-radius.multi-account-destroy');
    expect(f.map((x) => x.principal)).toEqual([A.appeng]);
    expect(report.summary.blastRadius[0]).toMatchObject({ principal: A.appeng, accounts: ['retail-dev', 'retail-prod'], resources: 2 });
  });
  it('computes the audit-scope closure', () => {
    expect(report.summary.auditScopes).toEqual([
      { name: 'pci', scopeAccounts: ['retail-prod'], closureAccounts: ['retail-dev', 'retail-prod'], principals: [A.admin, A.migrator, A.appeng].sort() },
    ]);
    expect(by('audit.scope-closure').map((f) => f.account)).toEqual(['retail-dev']);
  });
  it('checks spec boundary assertions instead of the defaults when given, honouring except', () => {
    const withB: OrganizationModel = {
      ...model,
      boundaries: [{ name: 'dev-no-prod-writes', from: { phase: ['dev'] }, to: { phase: ['prod'] }, deny: ['write-data'], except: [] }],
    };
    const r = verifyModel(withB, { target: 't', evaluator: fakeEvaluator(table) });
    const f = r.findings.filter((x) => x.rule === 'boundary.assertion');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ principal: A.appeng, resource: A.orders, capabilities: ['write-data'], path: [A.appeng, A.migrator] });
    expect(r.findings.some((x) => x.rule === 'boundary.nonprod-to-prod')).toBe(false);
    const exempt = verifyModel({ ...withB, boundaries: [{ ...withB.boundaries[0]!, except: ['appeng'] }] }, { target: 't', evaluator: fakeEvaluator(table) });
    expect(exempt.findings.some((x) => x.rule === 'boundary.assertion')).toBe(false);
  });
  it('flags cross business unit data access', () => {
    const t2 = { ...table, grants: { ...table.grants, [`${A.analyst}|${A.orders}`]: ['read-data'] as const } };
    // analyst is in bi-prod; the orders bucket policy names only retail-dev, so this pair is pruned...
    expect(verifyModel(model, { target: 't', evaluator: fakeEvaluator(t2) }).findings.some((f) => f.rule === 'boundary.cross-business-unit')).toBe(false);
    // ...until the bucket policy names bi-prod's account
    const m2: OrganizationModel = {
      ...model,
      resources: model.resources.map((r) =>
        r.arn === A.orders
          ? { ...r, policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ['444444444444', 'arn:aws:iam::222222222222:root'] }, Action: 's3:GetObject', Resource: '*' }] } }
          : r,
      ),
    };
    const f = verifyModel(m2, { target: 't', evaluator: fakeEvaluator(t2) }).findings.filter((x) => x.rule === 'boundary.cross-business-unit');
    expect(f.map((x) => [x.principal, x.resource])).toEqual([[A.analyst, A.orders]]);
  });
  it('terminates on assumption cycles and still reports the shortest chain', () => {
    const cyc = { ...table, assumes: [`${A.appeng}|${A.migrator}`, `${A.migrator}|${A.appeng}`, `${A.admin}|${A.migrator}`, `${A.migrator}|${A.admin}`] };
    const withTrust: OrganizationModel = {
      ...model,
      roles: model.roles.map((r) =>
        r.name === 'appeng' || r.name === 'admin' || r.name === 'migrator'
          ? { ...r, trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ['222222222222', '333333333333'] }, Action: 'sts:AssumeRole' }] } }
          : r,
      ),
    };
    const r = verifyModel(withTrust, { target: 't', evaluator: fakeEvaluator(cyc) });
    expect(r.summary.assumeEdges).toBe(4);
    const viaAdmin = r.findings.filter((f) => f.rule === 'boundary.nonprod-to-prod' && f.principal === A.appeng && f.path.length === 3);
    // appeng -> migrator -> admin adds administer-resource on the orders bucket (read-data was already reached)
    expect(viaAdmin.map((f) => f.path)).toEqual([[A.appeng, A.migrator, A.admin]]);
  });
  it('is deterministic', () => {
    const again = verifyModel(model, { target: 't', evaluator: fakeEvaluator(table), destroyAccountThreshold: 2 });
    expect(JSON.stringify(again)).toBe(JSON.stringify(report));
  });
});

describe('structural rules (no engine)', () => {
  const report = verifyModel(model, { target: 't' });
  const rules = (rule: string) => report.findings.filter((f) => f.rule === rule);
  it('says access analysis did not run and which rules were skipped', () => {
    expect(report.summary.accessAnalysis).toBe(false);
    expect(report.summary.skippedRules.map((r) => r.rule)).toContain('boundary.nonprod-to-prod');
  });
  it('finds kitchen-sink accounts', () => {
    expect(rules('fault.kitchen-sink').map((f) => f.account)).toEqual(['bi-prod', 'retail-dev']);
  });
  it('finds workloads in the management account', () => {
    expect(rules('fault.management-workload')).toHaveLength(1);
    expect(rules('fault.management-workload')[0]!.message).toContain('role ops');
  });
  it('finds automation homed in a production workload account but not deploy roles assumed from elsewhere', () => {
    expect(rules('fault.automation-shares-production').map((f) => f.principal)).toEqual(['arn:aws:iam::333333333333:role/github-deploy']);
  });
  it('finds whole-account trust, star principals and admin roles in production', () => {
    expect(rules('hygiene.trust-whole-account').map((f) => [f.principal, f.severity])).toEqual([
      [A.appeng, 'low'],
      [A.admin, 'low'],
    ]);
    expect(rules('hygiene.star-principal').map((f) => [f.resource, f.severity])).toEqual([['arn:aws:s3:::retail-public', 'high']]);
    expect(rules('hygiene.admin-in-production').map((f) => f.principal)).toEqual([A.admin]);
    expect(rules('hygiene.admin-in-production')[0]!.evidence[0]).toMatchObject({ statement: 'Everything' });
  });
  it('lists principals and resources whose own tags override their account', () => {
    expect(report.summary.overrideCount).toBe(2);
    expect(report.summary.attributionOverrides).toEqual([
      { arn: 'arn:aws:iam::444444444444:role/analyst', account: 'bi-prod', phase: 'dev', businessUnit: 'bi', decidedBy: 'phase: tag `Environment=dev`' },
      { arn: 'arn:aws:s3:::retail-dev-scratch', account: 'retail-dev', phase: 'prod', businessUnit: 'retail', decidedBy: 'phase: tag `Environment=prod`' },
    ]);
  });
  it('reports unattributed accounts', () => {
    expect(rules('attribution.unattributed').map((f) => f.account)).toEqual(['mystery']);
  });
  it('sorts findings most severe first', () => {
    const ranks = report.findings.map((f) => ['critical', 'high', 'medium', 'low', 'info'].indexOf(f.severity));
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
  });
});
