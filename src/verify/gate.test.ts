import { describe, expect, it } from 'vitest';
import { baselineKey, findingBaselineKey, parseBaseline } from './baseline.js';
import { applyExclusions, expiryInstant, parseExclusions } from './exclusions.js';
import type { Finding } from './finding.js';

const finding = (over: Partial<Finding> = {}): Finding => ({
  rule: 'boundary.nonprod-to-prod',
  severity: 'critical',
  principal: 'arn:aws:iam::111111111111:role/dev',
  principalName: 'dev/app',
  resource: 'arn:aws:s3:::a',
  resources: ['arn:aws:s3:::a', 'arn:aws:s3:::b'],
  account: 'prod',
  capabilities: ['read-data'],
  path: [],
  evidence: [],
  message: 'm',
  ...over,
});

describe('baseline keys', () => {
  it('tell apart aggregated findings that share rule, principal, first resource and account', () => {
    const a = finding();
    const b = finding({ resources: ['arn:aws:s3:::a', 'arn:aws:s3:::c'] });
    expect(findingBaselineKey(a)).not.toBe(findingBaselineKey(b));
  });
  it('tell apart a finding whose capabilities grew', () => {
    expect(findingBaselineKey(finding())).not.toBe(findingBaselineKey(finding({ capabilities: ['read-data', 'write-data'] })));
  });
  it('ignore the message and the order of resources and capabilities', () => {
    const k = baselineKey({ rule: 'r', principal: 'p', account: 'a', resources: ['y', 'x'], capabilities: ['write-data', 'read-data'] });
    expect(k).toBe(baselineKey({ rule: 'r', principal: 'p', account: 'a', resources: ['x', 'y'], capabilities: ['read-data', 'write-data'] }));
    expect(findingBaselineKey(finding({ message: 'other' }))).toBe(findingBaselineKey(finding()));
  });
  it('read a report and name the bad field by JSON path', () => {
    const good = parseBaseline({ schemaVersion: 1, findings: [{ ...finding() }] }, 'b.json');
    expect(good.ok && good.value.keys.has(findingBaselineKey(finding()))).toBe(true);
    const bad = parseBaseline({ schemaVersion: 1, findings: [{ rule: 'r', principal: 'p', account: 'a', resources: 'x', capabilities: [] }] }, 'b.json');
    expect(bad.ok).toBe(false);
    expect(bad.diagnostics.map((d) => [d.code, d.path])).toEqual([['BH9141', 'findings[0].resources']]);
    expect(parseBaseline({ schemaVersion: 2, findings: [] }, 'b.json').diagnostics[0]?.code).toBe('BH9140');
    expect(parseBaseline([], 'b.json').diagnostics[0]?.code).toBe('BH9140');
  });
});

const FILE = `exclusions:
  - rule: boundary.*
    principal: dev/*
    resource: arn:aws:s3:::*
    reason: accepted
    owner: platform
    expires: 2027-03-31
  - rule: escalation.path
    reason: old
    owner: sec
    expires: 2026-01-31
`;

describe('exclusions', () => {
  it('read entries with their positions', () => {
    const r = parseExclusions(FILE, 'ex.yaml');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.entries.map((e) => [e.rule, e.principal, e.resource, e.position.line])).toEqual([
      ['boundary.*', 'dev/*', 'arn:aws:s3:::*', 2],
      ['escalation.path', '*', '*', 8],
    ]);
  });
  it('give file:line:col and a path for bad entries', () => {
    const r = parseExclusions('exclusions:\n  - rule: x\n    owner: o\n    reason: r\n    expires: 2027-02-30\n    colour: red\n  - rule: y\n', 'ex.yaml');
    expect(r.ok).toBe(false);
    const shown = r.diagnostics.map((d) => `${d.code} ${d.file}:${d.position?.line}:${d.position?.col} ${d.path}`).sort();
    expect(shown).toEqual([
      'BH9143 ex.yaml:6:5 exclusions[0].colour',
      'BH9143 ex.yaml:7:5 exclusions[1]',
      'BH9143 ex.yaml:7:5 exclusions[1]',
      'BH9143 ex.yaml:7:5 exclusions[1]',
      'BH9144 ex.yaml:5:14 exclusions[0].expires',
    ]);
    expect(parseExclusions('exclusions: {', 'ex.yaml').diagnostics[0]?.code).toBe('BH9142');
    expect(parseExclusions('- a', 'ex.yaml').diagnostics[0]?.code).toBe('BH9142');
    expect(parseExclusions('{"exclusions": [{"rule": "r", "reason": "x", "owner": "o", "expires": 7}]}', 'ex.json').diagnostics.map((d) => d.path)).toEqual(['exclusions[0].expires']);
  });
  it('suppress through the expiry day and turn expired entries into findings', () => {
    const r = parseExclusions(FILE, 'ex.yaml');
    if (!r.ok) throw new Error('bad fixture');
    const fs = [finding(), finding({ rule: 'escalation.path' }), finding({ principalName: 'prod/app', principal: 'arn:aws:iam::2:role/app' })];
    const out = applyExclusions(fs, r.value, new Date('2026-02-01T00:00:00Z'));
    expect(out.suppressed).toBe(1);
    expect(out.findings.map((f) => f.rule)).toEqual(['escalation.path', 'boundary.nonprod-to-prod', 'gate.exclusion-expired']);
    expect(out.findings[2]?.message).toContain('`ex.yaml:8`');
    // the day itself still suppresses
    expect(applyExclusions(fs, r.value, new Date('2026-01-31T23:59:59Z')).suppressed).toBe(2);
  });
  it('suppress an aggregated finding only when every resource matches', () => {
    const r = parseExclusions('exclusions:\n  - {rule: "*", resource: "arn:aws:s3:::a", reason: r, owner: o, expires: 2099-01-01}\n', 'ex.yaml');
    if (!r.ok) throw new Error('bad fixture');
    expect(applyExclusions([finding()], r.value, new Date(0)).suppressed).toBe(0);
    expect(applyExclusions([finding({ resources: ['arn:aws:s3:::a'] })], r.value, new Date(0)).suppressed).toBe(1);
  });
  it('refuse hostile YAML with a diagnostic, not a crash', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`), 'exclusions: []'].join('\n');
    expect(parseExclusions(bomb, 'ex.yaml').diagnostics.map((d) => d.code)).toEqual(['BH9142']);
    const deep = `exclusions: ${'['.repeat(5000)}${']'.repeat(5000)}`;
    const r = parseExclusions(deep, 'ex.yaml');
    expect(r.diagnostics.map((d) => [d.code, d.position?.line])).toEqual([['BH9142', 1]]);
  });
  it('read real dates only', () => {
    expect(expiryInstant('2027-02-29')).toBeUndefined();
    expect(expiryInstant('2028-02-29')).toBe(Date.UTC(2028, 2, 1));
    expect(expiryInstant('2027-1-01')).toBeUndefined();
  });
});
