import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../diagnostics/diagnostic.js';
import { planFromYaml } from '../plan/index.js';
import { formatPath, parseSpec } from './parse.js';
import { ACME_SPEC_HEAD } from '../../test-support/acme-spec.js';

const MINIMAL = `${ACME_SPEC_HEAD}businessUnits:
  - { name: retail }
`;

const lines = (text: string) => parseSpec(text, 'spec.yaml').diagnostics.map(formatDiagnostic);

describe('parseSpec', () => {
  it('accepts a minimal spec', () => {
    const r = parseSpec(MINIMAL, 'spec.yaml');
    expect(r.diagnostics).toEqual([]);
    expect((r.ok ? r.value : undefined)?.spec.businessUnits[0]?.name).toBe('retail');
  });

  it('reports YAML syntax errors with line and column', () => {
    const out = lines('version: 1\norganization: [\n');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^spec\.yaml:\d+:\d+: error BH1001: invalid YAML/);
  });

  it('reports duplicate keys where the second one is', () => {
    const out = lines(MINIMAL.replace('  regions: [us-east-1]', '  regions: [us-east-1]\n  regions: [us-west-2]'));
    expect(out).toEqual(['spec.yaml:7:3: error BH1002: duplicate key `regions`; each key may appear once per mapping: remove or rename one']);
  });

  it('shows a long duplicate key as its start and its length', () => {
    const key = 'k'.repeat(70);
    const out = lines(`${MINIMAL}${key}: 1\n${key}: 2\n`);
    expect(out.find((l) => l.includes('BH1002'))).toContain(`duplicate key \`${'k'.repeat(40)}…(70 characters)\`;`);
  });

  it('names unknown keys and suggests the intended one', () => {
    const out = lines(MINIMAL.replace('  - { name: retail }', '  - { name: retail, ownr: x@y.z }'));
    expect(out).toEqual([
      'spec.yaml:11:21: error BH1004: unknown key `ownr` in `businessUnits[0]`; did you mean `owner`? (at businessUnits[0].ownr)',
    ]);
  });

  it('reports wrong types with the bad value and its path', () => {
    const out = lines(MINIMAL.replace('regions: [us-east-1]', 'regions: us-east-1'));
    expect(out).toEqual(['spec.yaml:6:12: error BH1003: expected a list, got string `us-east-1` (at organization.regions)']);
  });

  it('reports missing required keys', () => {
    const out = lines(MINIMAL.replace('  emailTemplate: "aws+{account}@acme.example"\n', ''));
    expect(out).toEqual(['spec.yaml:3:3: error BH1005: missing required key `emailTemplate`; add it (at organization.emailTemplate)']);
  });

  it('leaves closed-list names to the planner, so they are reported with every other reference problem', () => {
    const text = `${MINIMAL}sharedAccounts: [securty]\n`;
    expect(lines(text)).toEqual([]);
    const planned = planFromYaml(text, 'spec.yaml').diagnostics.map(formatDiagnostic);
    expect(planned).toEqual(['spec.yaml:12:18: error BH1013: unknown shared account `securty`; did you mean `security`? (at sharedAccounts[0])']);
  });

  it('rejects an unsupported version', () => {
    expect(lines(MINIMAL.replace('version: 1', 'version: 2'))[0]).toContain('error BH1006: `2` is not allowed here; use `1`');
  });

  it('collects every problem before failing', () => {
    const bad = MINIMAL.replace('version: 1', 'version: 1\nextra: true').replace('- { name: dev }', '- { name: dev, prod: 1 }');
    expect(lines(bad)).toHaveLength(2);
  });

  it('never throws on non-mapping documents', () => {
    for (const text of ['', '42', '- a\n- b', 'null', '"x"', '{', ': :', '\u0000\u0001', 'a: &x [*x]']) {
      const r = parseSpec(text, 's.yaml');
      expect(r.ok ? r.value : undefined).toBeUndefined();
      expect(r.diagnostics.length).toBeGreaterThan(0);
    }
  });

  it('reports YAML that only fails when converted (aliases, merge keys) as BH1001', () => {
    for (const text of ['a: *missing\n', '%YAML 1.1\n---\n<<: [1, 2]\n']) {
      const r = parseSpec(text, 's.yaml');
      expect(r.ok).toBe(false);
      expect(r.diagnostics.map((d) => d.code)).toEqual(['BH1001']);
    }
  });

  it('refuses oversized input, at the start of the file', () => {
    const r = parseSpec('a'.repeat(5 * 1024 * 1024 + 1), 's.yaml');
    expect(r.diagnostics[0]?.message).toContain('limit');
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([expect.stringMatching(/^s\.yaml:1:1: error BH1001: the spec is \d+ bytes; the limit is 5242880/)]);
  });
});

describe('parseSpec: whole-file problems are located too', () => {
  const MUST = 'the spec must be a mapping with `version: 1`, `organization`, `phases` and `businessUnits`; got';
  const cases: [string, string][] = [
    ['', `spec.yaml:1:1: error BH1003: ${MUST} null`],
    ['# only a comment\n', `spec.yaml:1:1: error BH1003: ${MUST} null`],
    ['~', `spec.yaml:1:1: error BH1003: ${MUST} null`],
    ['# header\n\n  - a\n  - b\n', `spec.yaml:3:3: error BH1003: ${MUST} a list`],
    ['# header\n"just text"\n', `spec.yaml:2:1: error BH1003: ${MUST} string \`just text\``],
  ];
  for (const [text, expected] of cases) it(JSON.stringify(text), () => expect(lines(text)).toEqual([expected]));
});

describe('parseSpec: line breaks (YAML 1.2.2 §5.4: CRLF, CR and LF are each one line break)', () => {
  it('reads a spec with CR-only line endings like the same spec with LF', () => {
    const r = parseSpec(MINIMAL.replace(/\n/g, '\r'), 'spec.yaml');
    expect(r.diagnostics).toEqual([]);
    expect((r.ok ? r.value : undefined)?.spec.businessUnits[0]?.name).toBe('retail');
  });

  it('keeps positions where an editor shows them, for CR, CRLF and mixed endings', () => {
    const bad = MINIMAL.replace('  - { name: retail }', '  - { name: retail, ownr: x@y.z }');
    const expected = lines(bad);
    expect(expected[0]).toMatch(/^spec\.yaml:11:21: error BH1004/);
    for (const eol of ['\r', '\r\n']) expect(lines(bad.replace(/\n/g, eol))).toEqual(expected);
    const mixed = bad.split('\n').map((l, i) => l + (i % 3 === 0 ? '\r' : i % 3 === 1 ? '\r\n' : '\n')).join('');
    expect(lines(mixed)).toEqual(expected);
  });

  it('reads a CR inside a quoted value as a line break (folded to a space)', () => {
    const r = parseSpec(MINIMAL.replace('  name: acme', '  name: "ac\r    me"'), 'spec.yaml');
    expect(r.ok ? r.value.spec.organization.name : r.diagnostics).toBe('ac me');
  });
});

describe('parseSpec: an alias inside its own anchor', () => {
  const cases: [string, string][] = [
    ['a: &self [*self]\n', 'spec.yaml:1:11: error BH1009: alias `*self` lies inside the value its anchor `&self` names, so the value would contain itself; write the value out'],
    ['a: &m\n  b: [1, { c: *m }]\n', 'spec.yaml:2:15: error BH1009: alias `*m` lies inside the value its anchor `&m` names, so the value would contain itself; write the value out'],
    ['%YAML 1.1\n---\na: &m\n  <<: *m\n', 'spec.yaml:4:7: error BH1009: alias `*m` lies inside the value its anchor `&m` names, so the value would contain itself; write the value out'],
  ];
  for (const [text, expected] of cases) it(JSON.stringify(text), () => expect(lines(text)).toEqual([expected]));

  it('still accepts an alias of an earlier value, beside its anchor', () => {
    const r = parseSpec(MINIMAL.replace('  regions: [us-east-1]', '  regions: &r [us-east-1]\n  x: *r'), 'spec.yaml');
    expect(r.diagnostics.map((d) => d.code)).not.toContain('BH1009');
  });

  it('stops a recursive value before the planner walks it (it recursed forever)', () => {
    const spec = MINIMAL.replace('businessUnits:', 'guardrails:\n  - { name: g, policy: { Version: &self [*self], Statement: [] } }\nbusinessUnits:');
    const r = planFromYaml(spec, 'spec.yaml');
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([expect.stringMatching(/^spec\.yaml:\d+:\d+: error BH1009: /)]);
  });
});

describe('formatPath', () => {
  it('writes keys and indexes like JSON paths', () => {
    expect(formatPath(['businessUnits', 2, 'phases', 0])).toBe('businessUnits[2].phases[0]');
    expect(formatPath(['roles', 'appeng', 'access', '*'])).toBe('roles.appeng.access["*"]');
  });
});

describe('parseSpec: YAML problems all have a position and bulkhead wording', () => {
  const cases: [string, string][] = [
    ['organization: *nope\n', 'spec.yaml:1:15: error BH1001: invalid YAML: alias `*nope` names no anchor defined before it; define `&nope` earlier or write the value out'],
    ['a: *b\nc: &b 1\n', 'spec.yaml:1:4: error BH1001: invalid YAML: alias `*b` names no anchor defined before it; define `&b` earlier or write the value out'],
    ['x: !custom 1\n', 'spec.yaml:1:4: error BH1001: invalid YAML: unknown tag `!custom`; a spec uses plain YAML values: remove the tag'],
    ['%YAML 1.1\n---\na: 1\n<<: [1, 2]\n', 'spec.yaml:4:1: error BH1001: invalid YAML: merge sources must be maps or map aliases; a merge key `<<` takes a mapping or an alias of one'],
    ['a: 1\nb: 2\na: 3\n', 'spec.yaml:3:1: error BH1002: duplicate key `a`; each key may appear once per mapping: remove or rename one'],
  ];
  for (const [text, expected] of cases) it(JSON.stringify(text), () => expect(lines(text)).toEqual([expected]));

  it('positions an alias bomb at the alias that multiplies', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', `b: &b [${Array(10).fill('*a').join(', ')}]`, `c: [${Array(10).fill('*b').join(', ')}]`, ''].join('\n');
    expect(lines(bomb)).toEqual([expect.stringMatching(/^spec\.yaml:3:5: error BH1001: invalid YAML: `\*b` expands to more than 100 copies/)]);
  });

  it('says a tagged or quoted version is a string, never "did you mean" the same text', () => {
    for (const v of ['!!str 1', '"1"']) {
      const out = lines(MINIMAL.replace('version: 1', `version: ${v}`));
      expect(out[0]).toMatch(/error BH1006: expected the number `1`, got string `1`; write it without quotes or a `!!str` tag \(at version\)$/);
      expect(out.join('\n')).not.toContain('did you mean');
    }
  });
});

describe('parseSpec: duplicate keys', () => {
  it('treats `1` and `"1"` as the same key (they become one property, so one would be dropped)', () => {
    expect(lines('a:\n  1: x\n  "1": y\n')).toEqual(['spec.yaml:3:3: error BH1002: duplicate key `1`; each key may appear once per mapping: remove or rename one']);
  });

  it('finds a duplicate among 20,000 keys in linear time (the yaml library compares every pair)', () => {
    const text = `${Array.from({ length: 20_000 }, (_, i) => `k${i}: 1`).join('\n')}\nk7: 2\n`;
    const start = performance.now();
    expect(lines(text)).toEqual(['spec.yaml:20001:1: error BH1002: duplicate key `k7`; each key may appear once per mapping: remove or rename one']);
    expect(performance.now() - start).toBeLessThan(5000);
  });
});
