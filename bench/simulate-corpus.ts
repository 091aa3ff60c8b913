/**
 * `simulate --batch` inputs made from the engine conformance corpus (test/corpus/engine): one JSON Lines input
 * per corpus case, the same way the corpus test builds its inputs. Deterministic: the same files give the same
 * lines in the same order. Used by bench/simulate.bench.ts and by the batch output regression test.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
const SAME_USER = 'arn:aws:iam::111122223333:user/alice';

/** Case input over file defaults, as the corpus test merges them. */
function merge(defaults: Json | undefined, input: Json | undefined): Json {
  const d = defaults ?? {};
  const i = input ?? {};
  const out: Json = { ...d, ...i };
  if (d['request'] || i['request']) out['request'] = { ...(d['request'] as Json), ...(i['request'] as Json) };
  for (const [k, v] of Object.entries(out)) if (v === null) delete out[k];
  const req = out['request'] as Json | undefined;
  if (req) for (const [k, v] of Object.entries(req)) if (v === null) delete req[k];
  return out;
}

/** A match/condition case: one identity Allow statement, as the corpus test builds it. */
function statementCase(c: Case): Json {
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
  return { request: { principal: SAME_USER, action, resource, resourceAccount: '111122223333', context: c.context ?? {} }, identityPolicies: [policy] };
}

/** A validation case: the policy in the slot of its type (many are refused, which is the point). */
function validateCase(v: { type: string; policy: unknown }): Json {
  const request = { principal: SAME_USER, action: 's3:GetObject', resource: 'arn:aws:s3:::bucket/key', resourceAccount: '111122223333' };
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
      const input = c.validate ? validateCase(c.validate) : c.condition !== undefined || c.match !== undefined ? statementCase(c) : merge(corpus.defaults, c.input);
      lines.push(JSON.stringify(input));
    }
  }
  return lines;
}

/** `n` lines cycling through the corpus lines (a batch of about `n` small requests). */
export function batchInput(n: number, dir = CORPUS): string[] {
  const base = corpusLines(dir);
  return Array.from({ length: n }, (_, i) => base[i % base.length]!);
}
