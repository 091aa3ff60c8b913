/**
 * `simulate --batch` inputs made from the engine conformance corpus (test/corpus/engine): one JSON Lines input
 * per corpus case, the same way the corpus test builds its inputs. Deterministic: the same files give the same
 * lines in the same order. Used by bench/simulate.bench.ts and by the batch output regression test.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { batchResultLine, simulateLine } from '../src/operations/simulate.js';
import { CORPUS_SAME_USER, mergeCaseInput, statementCaseInput } from '../test-support/engine-corpus.js';

type Json = Record<string, unknown>;
interface Case {
  input?: Json;
  condition?: Json;
  context?: Json;
  version?: string;
  match?: { action?: [string, string]; resource?: [string, string]; notAction?: [string, string]; notResource?: [string, string] };
  validate?: { type: string; policy: unknown };
}
interface CorpusFile {
  defaults?: Json;
  cases: Case[];
}

const CORPUS = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'corpus', 'engine');

/** A validation case: the policy in the slot of its type (many are refused, which is the point). */
function validateCase(v: { type: string; policy: unknown }): Json {
  const request = { principal: CORPUS_SAME_USER, action: 's3:GetObject', resource: 'arn:aws:s3:::bucket/key', resourceAccount: '111122223333' };
  switch (v.type) {
    case 'resource':
      return { request, identityPolicies: [], resourcePolicy: v.policy };
    case 'trust':
      return { request: { ...request, action: 'sts:AssumeRole', resource: 'arn:aws:iam::111122223333:role/r' }, identityPolicies: [], resourcePolicy: v.policy };
    case 'boundary':
      return { request, identityPolicies: [], permissionBoundary: v.policy };
    case 'session':
      return { request, identityPolicies: [], sessionPolicy: v.policy };
    case 'scp':
      return { request, identityPolicies: [], serviceControlPolicies: [[v.policy]] };
    case 'rcp':
      return { request, identityPolicies: [], resourceControlPolicies: [[v.policy]] };
    default:
      return { request, identityPolicies: [v.policy] };
  }
}

/** One JSON line per corpus case, files in name order, cases in file order. */
export function corpusLines(dir = CORPUS): string[] {
  const lines: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const corpus = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CorpusFile;
    for (const c of corpus.cases) {
      const input = c.validate ? validateCase(c.validate) : c.condition !== undefined || c.match !== undefined ? statementCaseInput(c) : mergeCaseInput(corpus.defaults, c.input);
      lines.push(JSON.stringify(input));
    }
  }
  return lines;
}

/** A request changed for copy `k`: `parts` says which of principal name, resource name and a context value. */
function vary(line: string, k: number, parts: { principal: boolean; resource: boolean }): string {
  const v = JSON.parse(line) as Json;
  const req = v['request'] as Json | undefined;
  if (typeof req !== 'object' || req === null || Array.isArray(req)) return line;
  const suffix = (s: unknown) => (typeof s === 'string' && s !== '*' && s !== '' ? `${s}-${k}` : s);
  const next: Json = { ...req };
  if (parts.principal && typeof req['principal'] === 'string' && /:(user|role)\//.test(req['principal'])) next['principal'] = suffix(req['principal']);
  if (parts.resource) next['resource'] = suffix(req['resource']);
  const ctx = req['context'];
  if (ctx === undefined || (typeof ctx === 'object' && ctx !== null && !Array.isArray(ctx))) next['context'] = { ...(ctx as Json | undefined), 'aws:SourceVpce': `vpce-0a1b2c3d${k.toString(16).padStart(8, '0')}` };
  return JSON.stringify({ ...v, request: next });
}

/** The variation of copy 1 whose output (with the current engine) equals the unchanged line's, most changes first. */
function variation(line: string): (k: number) => string {
  const same = batchResultLine(simulateLine(line, 1, { label: '-' }), 1);
  for (const parts of [{ principal: true, resource: true }, { principal: false, resource: true }, { principal: true, resource: false }, { principal: false, resource: false }]) {
    if (batchResultLine(simulateLine(vary(line, 1, parts), 1, { label: '-' }), 1) === same) return (k) => vary(line, k, parts);
  }
  return (k) => vary(line, k, { principal: false, resource: false }); // the decision is recomputed for this line
}

/**
 * `n` lines cycling through the corpus lines (a batch of about `n` small requests). Copy 0 is the corpus line;
 * every later copy changes the request (principal and resource names, an `aws:SourceVpce` context value) where
 * the result stays the one of the corpus line, so every line is distinct while the policy documents repeat.
 */
export function batchInput(n: number, dir = CORPUS): string[] {
  const base = corpusLines(dir);
  const vars = new Map<number, (k: number) => string>();
  return Array.from({ length: n }, (_, i) => {
    const j = i % base.length;
    const k = Math.floor(i / base.length);
    if (k === 0) return base[j]!;
    let f = vars.get(j);
    if (f === undefined) vars.set(j, (f = variation(base[j]!)));
    return f(k);
  });
}
