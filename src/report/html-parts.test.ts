/** The HTML report's parts without a browser: the access graph's aggregation and layout, the grid, the CSP. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { OrganizationModel as Model } from '../model/organization.js';
import { createEngineEvaluator } from '../verify/engine-adapter.js';
import { verifyModel, type AccountSummary } from '../verify/verify.js';
import { renderHtml } from './html.js';
import { graphSection } from './html-graph.js';
import { matrixSection } from './html-matrix.js';
import { organizationSection } from './html-org.js';
import { REPORT_SCRIPT_TAG, reportCsp } from './html-script.js';

function account(name: string, id: string, bu: string | null, phase: string | null): AccountSummary {
  return {
    name,
    id,
    idSynthetic: false,
    ouPath: phase ? `Root/Workloads/${phase}` : 'Root/Security',
    purpose: 'workload',
    businessUnit: bu,
    businessUnitSource: 'tag',
    phase,
    phaseSource: 'tag',
    production: phase === 'prod',
    decidedBy: 'tags',
  } as AccountSummary;
}

const PHASES = ['dev', 'stage', 'prod'];
const accounts = Array.from({ length: 90 }, (_, i) => account(`bu${Math.floor(i / 3)}-${PHASES[i % 3]}`, String(100000000000 + i), `bu${Math.floor(i / 3)}`, PHASES[i % 3]!));
const arn = (i: number, role: string) => `arn:aws:iam::${100000000000 + i}:role/${role}`;

function render(part: (h: string[]) => void): string {
  const h: string[] = [];
  part(h);
  return h.join('');
}

describe('access graph', () => {
  it('draws principals by display name with every edge kind when small', () => {
    const html = render((h) =>
      graphSection(h, {
        accounts,
        assumeEdges: [{ from: arn(0, 'app'), to: arn(2, 'deploy') }],
        escalationEdges: [
          { from: arn(2, 'deploy'), to: arn(2, 'admin'), kind: 'pass-role:ec2' },
          { from: arn(1, 'ops'), to: arn(2, 'admin'), kind: 'iam-modify:attach-role-policy' },
        ],
        people: [{ group: 'devs', members: ['alice'], permissionSet: 'dev-appeng', accounts: ['bu0-dev'], principals: ['bu0-dev/AWSReservedSSO_dev-appeng_1'] }],
      }),
    );
    expect(html).toContain('data-level="principal"');
    for (const n of ['bu0-dev/app', 'bu0-prod/deploy', 'bu0-prod/admin', 'group devs', 'permission set dev-appeng', 'bu0-dev/AWSReservedSSO_dev-appeng_1']) expect(html).toContain(`data-node="${n}"`);
    for (const k of ['assume', 'pass-role', 'iam-modify', 'people']) expect(html).toContain(`class="edge edge-${k}"`);
    expect(html).not.toContain('arn:aws:iam::100000000000:role/app"');
  });

  it('aggregates to accounts when there are too many principals, to phases when there are too many accounts', () => {
    // n accounts × 2 roles each assuming a role in the next account: 3n principals, n accounts
    const ring = (n: number) =>
      Array.from({ length: n }, (_, i) => [
        { from: arn(i, 'a'), to: arn((i + 1) % n, 'b') },
        { from: arn(i, 'c'), to: arn((i + 1) % n, 'b') },
      ]).flat();
    const byAccount = render((h) => graphSection(h, { accounts, assumeEdges: ring(30), escalationEdges: [], people: [] }));
    expect(byAccount).toContain('data-level="account"');
    expect(byAccount.match(/<g class="node"/g)).toHaveLength(30);
    // parallel edges merged, with their count in the title
    expect(byAccount).toContain('bu0-dev → bu0-stage: assume (2 edges)');
    // 90 accounts, one per business unit × phase: drawn by phase
    const byPhase = render((h) => graphSection(h, { accounts, assumeEdges: ring(90), escalationEdges: [], people: [] }));
    expect(byPhase).toContain('data-level="phase"');
    expect(byPhase.match(/<g class="node"/g)).toHaveLength(3);
  });

  it('lays layers left to right: an edge of a chain goes to a column further right', () => {
    const chain = [0, 1, 2, 3].map((i) => ({ from: arn(i, 'r'), to: arn(i + 1, 'r') }));
    const html = render((h) => graphSection(h, { accounts, assumeEdges: chain, escalationEdges: [], people: [] }));
    const xs = [0, 1, 2, 3, 4].map((i) => {
      const at = html.indexOf(`data-node="${accounts[i]!.name}/r"`);
      const rect = html.indexOf('<rect x="', at) + '<rect x="'.length;
      return Number(html.slice(rect, html.indexOf('"', rect)));
    });
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(new Set(xs).size).toBe(5);
  });
});

describe('organization and matrix', () => {
  it('one tile per business unit, cells in declared phase order, every account listed', () => {
    const html = render((h) =>
      organizationSection(h, { accounts, phases: [{ name: 'dev', production: false }, { name: 'stage', production: false }, { name: 'prod', production: true }], organizationalUnits: [], findingsPerAccount: new Map([['bu3-prod', 2]]) }),
    );
    expect(html.match(/<details class="tile"/g)).toHaveLength(30);
    for (const a of accounts) expect(html).toContain(`data-account="${a.name}"`);
    expect(html).toContain('title="bu3 × prod: 1 account(s), 2 finding(s)"');
    const tile = html.slice(html.indexOf('data-bu="bu3"'));
    expect(tile.indexOf('bu3 × dev')).toBeLessThan(tile.indexOf('bu3 × stage'));
    expect(tile.indexOf('bu3 × stage')).toBeLessThan(tile.indexOf('bu3 × prod'));
  });

  it('matrix by phase with drill-down by business unit, principals by display name', () => {
    const matrix = [{ principal: arn(0, 'app'), account: 'bu0-dev', cells: { 'bu0-prod': ['read-data' as const], 'bu1-prod': ['write-data' as const] } }];
    const html = render((h) => matrixSection(h, matrix, accounts, PHASES));
    expect(html).toContain('<th>dev</th>');
    expect(html).toContain('1→2 <strong>(1×BU)</strong>');
    expect(html).toContain('<code>bu0-dev/app</code>');
    expect(html).toContain('data-phase="dev"');
  });
});

describe('content security policy', () => {
  it('allows exactly the report script by its hash', () => {
    const body = REPORT_SCRIPT_TAG.slice('<script>'.length, -'</script>'.length);
    expect(reportCsp()).toContain(`script-src 'sha256-${createHash('sha256').update(body).digest('base64')}'`);
    expect(reportCsp()).toContain("default-src 'none'");
  });
});

describe('access graph from a real verify', () => {
  it('shows the pass-role edge of an escalation chain next to the assumption edge', () => {
    const base = JSON.parse(readFileSync(new URL('../verify/testdata/small-org.json', import.meta.url), 'utf8')) as Model;
    const doc = (...Statement: object[]) => ({ Version: '2012-10-17', Statement }) as unknown as Model['roles'][number]['trustPolicy'];
    const role = (account: string, name: string, trustPolicy: Model['roles'][number]['trustPolicy'], ...docs: Model['roles'][number]['trustPolicy'][]) => ({
      account,
      name,
      path: '/',
      tags: {},
      trustPolicy,
      policies: docs.map((document, i) => ({ name: `p${i}`, kind: 'inline' as const, document })),
    });
    const model: Model = {
      ...base,
      users: [],
      serviceControlPolicies: [],
      roles: [
        role('retail-dev', 'appeng', doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: 'sts:AssumeRole' }),
          doc({ Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::222222222222:role/deployer' }),
          doc({ Effect: 'Allow', Action: ['lambda:CreateFunction', 'lambda:InvokeFunction'], Resource: '*' })),
        role('retail-dev', 'deployer', doc({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }),
          doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::333333333333:role/prod-deploy' })),
        role('retail-prod', 'prod-deploy', doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:role/deployer' }, Action: 'sts:AssumeRole' }),
          doc({ Effect: 'Allow', Action: '*', Resource: '*' })),
      ],
    };
    const report = verifyModel(model, { target: 't', evaluator: createEngineEvaluator() });
    expect(report.findings.some((f) => f.rule === 'escalation.path')).toBe(true);
    const html = renderHtml(report, new Date(0));
    const graph = html.slice(html.indexOf('<svg id="access-graph"'));
    expect(graph).toContain('class="edge edge-pass-role"');
    expect(graph).toContain('retail-dev/appeng → retail-dev/deployer: pass-role:lambda');
    expect(graph).toContain('retail-dev/deployer → retail-prod/prod-deploy: assume');
  });
});
