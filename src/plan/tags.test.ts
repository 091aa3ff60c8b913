import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../diagnostics/diagnostic.js';
import { checkTags } from '../emit/prepare.js';
import { planFromYaml } from './index.js';

const spec = (orgTags: string, buTags = '{}') => `version: 1
organization:
  name: acme
  managementAccount: { name: acme-management, email: aws-management@acme.example }
  emailTemplate: "aws+{account}@acme.example"
  regions: [us-east-1]
  tags: ${orgTags}
phases:
  - { name: prod, production: true }
businessUnits:
  - { name: retail, tags: ${buTags} }
`;
const many = (n: number, prefix: string) => `{ ${Array.from({ length: n }, (_, i) => `${prefix}${i}: v`).join(', ')} }`;
const errors = (text: string) => planFromYaml(text, 'spec.yaml').diagnostics.filter((d) => d.severity === 'error');

describe('tags are checked at the spec', () => {
  it('counts the tags of one mapping, and the merged tags of each account once per spec entry', () => {
    expect(errors(spec(many(51, 'K'))).map(formatDiagnostic)).toEqual(['spec.yaml:7:9: error BH1026: 51 tags; AWS allows at most 50 on a resource: remove some (at organization.tags)']);
    expect(errors(spec(many(30, 'O'), many(19, 'B'))).map(formatDiagnostic)).toEqual([
      'spec.yaml:11:5: error BH1026: account `retail-prod` would have 51 tags (the organization\'s, its business unit\'s and its own); AWS allows at most 50: remove some (at businessUnits[0])',
    ]);
    expect(errors(spec(many(30, 'O'), many(18, 'B')))).toEqual([]);
  });

  it('counts the `Phase` tag the plan adds to each role: 49 own tags pass, 50 are one too many, a `Phase` of its own replaces it', () => {
    const withRole = (tags: string) => `${spec('{}')}roles:
  app:
    assumedFrom: { account: acme-management }
    access: { "*": { capabilities: [read-data], services: [s3] } }
    tags: ${tags}
`;
    expect(errors(withRole(many(49, 'R')))).toEqual([]);
    expect(errors(withRole(many(50, 'R'))).map(formatDiagnostic)).toEqual([
      'spec.yaml:16:11: error BH1026: role `app` would have 51 tags (its own and `Phase`, which the plan adds); AWS allows at most 50: remove some (at roles.app.tags)',
    ]);
    expect(errors(withRole(many(49, 'R').replace('R0:', 'Phase:')))).toEqual([]);
    expect(errors(withRole(`{ Phase: x, ${many(49, 'R').slice(2)}`))).toEqual([]);
    expect(errors(withRole(many(51, 'R'))).map((d) => d.message)).toEqual(['51 tags; AWS allows at most 50 on a resource: remove some']);
    const planned = planFromYaml(withRole(many(49, 'R')), 'spec.yaml');
    expect(planned.ok && planned.value.roles.every((r) => Object.keys(r.tags ?? {}).length === 50)).toBe(true);
  });

  // emit keeps its own check as a guard against bugs; a tag the spec accepts must never fail it
  const samples = ['ok', 'with space', 'a_b.c:d/e=f+g-h@i', 'ünïcödé', '数字', 'a"b', 'a{b', 'a;b', 'tab\there', 'aws:x', 'AWS:y', '', 'x'.repeat(128), 'x'.repeat(129), 'v'.repeat(256), 'v'.repeat(257)];
  for (const key of samples) {
    it(`agrees with emit on key ${JSON.stringify(key.length > 20 ? `${key.slice(0, 10)}…(${key.length})` : key)}`, () => {
      const specOk = errors(spec(JSON.stringify({ [key]: 'v' }))).length === 0;
      expect(specOk).toBe(checkTags({ [key]: 'v' }, 't', 'x').length === 0);
    });
    it(`agrees with emit on value ${JSON.stringify(key.length > 20 ? `${key.slice(0, 10)}…(${key.length})` : key)}`, () => {
      const specOk = errors(spec(JSON.stringify({ K: key }))).length === 0;
      expect(specOk).toBe(checkTags({ K: key }, 't', 'x').length === 0);
    });
  }
});
