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
import { mergeCaseInput, statementCaseInput } from '../../../test-support/engine-corpus.js';

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

function run(input: Json) {
  const r = simulate(input, false);
  if (!r.ok) return { error: [...new Set(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code))] };
  return {
    decision: r.value.decision,
    blockedBy: r.value.blockedBy,
    explanation: r.value.explanation.map((e) => `${e.policy}#${e.statement}`),
  };
}


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
          const out = run(statementCaseInput(c));
          expect('error' in out ? out : out.decision === 'Allowed').toEqual(c.expect);
          return;
        }
        const out = run(mergeCaseInput(corpus.defaults, c.input));
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
