/**
 * Runs the engine conformance corpus: every *.json file in this folder (see README.md for the format).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../../src/policy/simulate.js';
import { parsePolicy } from '../../../src/policy/index.js';
import type { PolicyType } from '../../../src/policy/types.js';

const here = dirname(fileURLToPath(import.meta.url));
const files = readdirSync(here).filter((f) => f.endsWith('.json')).sort();

type Json = Record<string, unknown>;
interface Case {
  name: string;
  doc: string;
  input?: Json;
  condition?: Json;
  context?: Json;
  version?: string;
  match?: { action?: [string, string]; resource?: [string, string]; notAction?: [string, string]; notResource?: [string, string] };
  validate?: { type: PolicyType; policy: unknown };
  expect: unknown;
}
interface CorpusFile {
  description: string;
  defaults?: Json;
  cases: Case[];
}

/** Case input over file defaults: top-level keys replace, `request` merges one level deep. */
function merge(defaults: Json | undefined, input: Json | undefined): Json {
  const d = defaults ?? {};
  const i = input ?? {};
  const out: Json = { ...d, ...i };
  if (d['request'] || i['request']) out['request'] = { ...(d['request'] as Json), ...(i['request'] as Json) };
  // null removes a default, at the top level and inside `request`
  for (const [k, v] of Object.entries(out)) if (v === null) delete out[k];
  const req = out['request'] as Json | undefined;
  if (req) for (const [k, v] of Object.entries(req)) if (v === null) delete req[k];
  return out;
}

function run(input: Json) {
  const r = simulate(input, false);
  if (!r.ok) return { error: [...new Set(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code))] };
  return {
    decision: r.value.decision,
    blockedBy: r.value.blockedBy,
    explanation: r.value.explanation.map((e) => `${e.policy}#${e.statement}`),
  };
}

const SAME_USER = 'arn:aws:iam::111122223333:user/alice';

let total = 0;
for (const file of files) {
  const corpus = JSON.parse(readFileSync(join(here, file), 'utf8')) as CorpusFile;
  describe(`${file}: ${corpus.description}`, () => {
    for (const c of corpus.cases) {
      total++;
      it(`${c.name} [${c.doc}]`, () => {
        expect(c.doc, 'every case cites the AWS doc section it encodes').toMatch(/\S/);
        if (c.validate) {
          const r = parsePolicy(c.validate.policy, c.validate.type);
          const e = c.expect as { errors?: string[]; warnings?: string[] };
          const errs = [...new Set(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code))].sort();
          const warns = [...new Set(r.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.code))].sort();
          expect({ errors: errs, warnings: warns }).toEqual({ errors: [...(e.errors ?? [])].sort(), warnings: [...(e.warnings ?? [])].sort() });
          return;
        }
        if (c.condition !== undefined || c.match !== undefined) {
          const st: Json = { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' };
          let action = 's3:GetObject';
          let resource = 'arn:aws:s3:::bucket/key';
          if (c.condition !== undefined) st['Condition'] = c.condition;
          if (c.match?.action) [st['Action'], action] = c.match.action;
          if (c.match?.notAction) {
            delete st['Action'];
            [st['NotAction'], action] = c.match.notAction;
          }
          if (c.match?.resource) [st['Resource'], resource] = c.match.resource;
          if (c.match?.notResource) {
            delete st['Resource'];
            [st['NotResource'], resource] = c.match.notResource;
          }
          const policy: Json = { Statement: [st] };
          if (c.version !== 'none') policy['Version'] = c.version ?? '2012-10-17';
          const out = run({
            request: { principal: SAME_USER, action, resource, resourceAccount: '111122223333', context: c.context ?? {} },
            identityPolicies: [policy],
          });
          expect('error' in out ? out : out.decision === 'Allowed').toEqual(c.expect);
          return;
        }
        const out = run(merge(corpus.defaults, c.input));
        const e = c.expect as { decision?: string; blockedBy?: string[]; explanation?: string[]; error?: string[] };
        if (e.error) {
          expect(out).toEqual({ error: expect.arrayContaining(e.error) });
          return;
        }
        expect('error' in out ? out : out.decision).toBe(e.decision);
        if (e.blockedBy && !('error' in out)) expect(out.blockedBy).toEqual(e.blockedBy);
        if (e.explanation && !('error' in out)) expect(out.explanation).toEqual(e.explanation);
      });
    }
  });
}

describe('corpus size', () => {
  it('has at least 300 cases', () => {
    expect(total).toBeGreaterThanOrEqual(300);
  });
});
