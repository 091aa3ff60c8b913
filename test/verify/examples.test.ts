import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test-support/cli.js';

interface Expected {
  rule: string;
  principalEndsWith: string;
  resource?: string;
  account: string;
  capabilities: string[];
  pathEndsWith: string[];
  evidence: string[];
  /** The people who land in the finding's principal (`finding.people`), exactly. */
  people?: { group: string; members: string[]; permissionSet?: string; account: string }[];
}
interface Case {
  name: string;
  target: string;
  spec?: string;
  exit: number;
  expect: Expected[];
  onlyRules: string[];
}
interface JsonFinding {
  rule: string;
  principal: string;
  resource: string;
  account: string;
  capabilities: string[];
  path: string[];
  evidence: { source: string; statement: string }[];
  people?: unknown[];
}

const { cases } = JSON.parse(readFileSync('examples/violations/cases.json', 'utf8')) as { cases: Case[] };

describe('planted-violation examples', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const run = await runCli(['verify', c.target, '--format', 'json', ...(c.spec ? ['--spec', c.spec] : [])]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(c.exit);
      const out = JSON.parse(run.stdout) as { findings: JsonFinding[]; summary: { accessAnalysis: boolean } };
      expect(out.summary.accessAnalysis).toBe(true);
      expect([...new Set(out.findings.map((f) => f.rule))].sort()).toEqual([...c.onlyRules].sort());
      for (const e of c.expect) {
        const match = out.findings.find(
          (f) =>
            f.rule === e.rule &&
            f.principal.endsWith(e.principalEndsWith) &&
            f.account === e.account &&
            (e.resource === undefined || f.resource === e.resource) &&
            f.path.length === e.pathEndsWith.length &&
            f.path.every((p, i) => p.endsWith(e.pathEndsWith[i]!)),
        );
        expect(match, `no ${e.rule} finding for ${e.principalEndsWith} in ${out.findings.map((f) => `${f.rule} ${f.principal} ${f.path.join('>')}`).join('; ')}`).toBeDefined();
        expect(match!.capabilities).toEqual(e.capabilities);
        const ev = match!.evidence.map((x) => `${x.source}#${x.statement}`);
        for (const want of e.evidence) expect(ev).toContain(want);
        if (e.people !== undefined) expect(match!.people).toEqual(e.people);
      }
    });
  }

  it('the SCP exemption is what opens the path: without it there is no finding', async () => {
    const text = readFileSync('examples/violations/scp-exemption-opens-path.yaml', 'utf8').replace('role/break-glass*', 'role/no-exemption');
    const run = await runCli(['verify', '-', '--format', 'json'], { stdin: text });
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { findings: unknown[] }).findings).toEqual([]);
  });

  it('removing the trust from dev removes the chain', async () => {
    const text = readFileSync('examples/violations/dev-role-trusted-by-prod.yaml', 'utf8').replace(
      'assumedFrom: { account: retail-dev, role: appeng }',
      'assumedFrom: { account: identity }',
    );
    const run = await runCli(['verify', '-', '--format', 'json'], { stdin: text });
    expect(run.code).toBe(0);
  });

  it('a separate production group clears the prod permission set finding', async () => {
    const text = readFileSync('examples/violations/prod-permission-set-for-dev-group.yaml', 'utf8').replace(
      'roles: [appeng@dev, appeng@prod] }',
      'roles: [appeng@dev] }\n    - { name: retail-oncall, members: [carol], roles: [appeng@prod] }',
    );
    const run = await runCli(['verify', '-', '--format', 'json'], { stdin: text });
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { summary: { people: { paths: { group: string; permissionSet: string }[] } } };
    expect(out.summary.people.paths.map((p) => `${p.group}:${p.permissionSet}`)).toEqual(['retail-devs:dev-appeng', 'retail-oncall:prod-appeng']);
  });

  it('acme-full: people → permission set → role paths, and no findings', async () => {
    const run = await runCli(['verify', 'examples/acme-full.yaml']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('people (identity-center): 3 users, 2 groups, 3 permission sets, 6 assignments');
    expect(run.stdout).toContain('people alice, bob (group app-engineers) -> permission set dev-appeng -> 3 accounts (acquisition-dev, bi-dev, retail-dev)');
    expect(run.stdout).toMatch(/person carol \(group retail-oncall\) -> permission set prod-appeng -> retail-prod\/AWSReservedSSO_prod-appeng_[0-9a-f]{16}\n/);
    expect(run.stdout).toContain('findings: 0 (');
  });
});
