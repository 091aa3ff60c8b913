import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planFromYaml } from '../plan/index.js';
import type { OrganizationModel } from '../model/organization.js';
import { colorWanted } from './color.js';
import { renderPlanText } from './plan-text.js';

function planned(yaml: string): OrganizationModel {
  const r = planFromYaml(yaml, 'spec.yaml');
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  return r.value;
}

const spec = (phases: string): string => `version: 1
organization:
  name: o
  managementAccount: { name: o-management, email: m@o.example }
  emailTemplate: "aws+{account}@o.example"
  regions: [us-east-1]
phases:
${phases}
businessUnits:
  - { name: retail }
`;

/** The top-level OU lines under Workloads, in printed order. */
const phaseOus = (text: string): string[] => [...text.matchAll(/^ {4}[├└]── (\S+)\/$/gm)].map((m) => m[1]!);

describe('plan tree: phase OUs in declared order', () => {
  it('dev, stage, prod stay in that order (not Dev, Prod, Stage)', () => {
    const text = renderPlanText(planned(spec('  - { name: dev }\n  - { name: stage }\n  - { name: prod, production: true }')));
    expect(phaseOus(text)).toEqual(['Dev', 'Stage', 'Prod']);
  });
  it('follows the declared order whatever it is, including OUs renamed with ouName', () => {
    const text = renderPlanText(planned(spec('  - { name: prod, production: true }\n  - { name: qa, ouName: Testing }\n  - { name: dev }')));
    expect(phaseOus(text)).toEqual(['Prod', 'Testing', 'Dev']);
  });
  it('the article example lists Dev, Stage, Prod', () => {
    const text = renderPlanText(planned(readFileSync(new URL('../../examples/acme.yaml', import.meta.url), 'utf8')));
    expect(text.indexOf('Dev/')).toBeLessThan(text.indexOf('Stage/'));
    expect(text.indexOf('Stage/')).toBeLessThan(text.indexOf('Prod/'));
  });
});

describe('plan tree: colour', () => {
  const model = planned(readFileSync(new URL('../../examples/acme-full.yaml', import.meta.url), 'utf8'));
  it('has no escape sequence unless asked', () => {
    expect(renderPlanText(model)).not.toContain('\u001b');
    expect(renderPlanText(model, { color: false })).not.toContain('\u001b');
  });
  it('with color: styles headings, OUs, SCPs and production phases, and is the plain text once they are removed', () => {
    const colored = renderPlanText(model, { color: true });
    expect(colored).toContain('\u001b[1mWhy 15 accounts\u001b[22m');
    expect(colored).toContain('\u001b[34mProd/\u001b[39m');
    expect(colored).toContain('\u001b[33m[SCP: deny-prod-deletes]\u001b[39m');
    expect(colored).toContain('\u001b[31mprod\u001b[39m');
    expect(colored.replace(/\u001b\[\d+m/g, '')).toBe(renderPlanText(model));
  });
});

describe('colorWanted', () => {
  it('colours a terminal, not a pipe', () => {
    expect(colorWanted({}, true)).toBe(true);
    expect(colorWanted({}, false)).toBe(false);
  });
  it('NO_COLOR (non-empty) turns it off, even with FORCE_COLOR', () => {
    expect(colorWanted({ NO_COLOR: '1' }, true)).toBe(false);
    expect(colorWanted({ NO_COLOR: '1', FORCE_COLOR: '1' }, true)).toBe(false);
    expect(colorWanted({ NO_COLOR: '' }, true)).toBe(true);
  });
  it('FORCE_COLOR turns it on for a pipe unless 0 or false; TERM=dumb turns it off', () => {
    expect(colorWanted({ FORCE_COLOR: '1' }, false)).toBe(true);
    expect(colorWanted({ FORCE_COLOR: '0' }, false)).toBe(false);
    expect(colorWanted({ FORCE_COLOR: 'false' }, true)).toBe(true);
    expect(colorWanted({ TERM: 'dumb' }, true)).toBe(false);
  });
});
