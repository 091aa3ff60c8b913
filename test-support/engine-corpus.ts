/**
 * The engine conformance corpus (test/corpus/engine, format in its README) turned into simulate inputs: one place
 * for the corpus runner, the batch benchmark and the fuzz campaign, so the three cannot drift apart.
 */

/** A JSON object. */
export type Json = Record<string, unknown>;

/** The part of a corpus case that decides its simulate input. */
export interface CorpusCaseShape {
  readonly input?: Json;
  readonly condition?: unknown;
  readonly context?: unknown;
  readonly version?: string;
  readonly match?: {
    readonly action?: readonly [string, string];
    readonly resource?: readonly [string, string];
    readonly notAction?: readonly [string, string];
    readonly notResource?: readonly [string, string];
  };
}

/** The caller of match/condition cases: a user in the resource's own account. */
export const CORPUS_SAME_USER = 'arn:aws:iam::111122223333:user/alice';

/** Case input over file defaults: top-level keys replace, `request` merges one level deep, `null` removes a default. */
export function mergeCaseInput(defaults: Json | undefined, input: Json | undefined): Json {
  const d = defaults ?? {};
  const i = input ?? {};
  const out: Json = { ...d, ...i };
  if (d['request'] || i['request']) out['request'] = { ...(d['request'] as Json), ...(i['request'] as Json) };
  for (const [k, v] of Object.entries(out)) if (v === null) delete out[k];
  const req = out['request'] as Json | undefined;
  if (req) for (const [k, v] of Object.entries(req)) if (v === null) delete req[k];
  return out;
}

/** A match/condition case as a simulate input: one identity Allow statement, the case's request against it. */
export function statementCaseInput(c: CorpusCaseShape): Json {
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
  return { request: { principal: CORPUS_SAME_USER, action, resource, resourceAccount: '111122223333', context: c.context ?? {} }, identityPolicies: [policy] };
}

/** A case's simulate input (undefined for validation-only cases). */
export function caseInput(defaults: Json | undefined, c: CorpusCaseShape & { readonly validate?: unknown }): Json | undefined {
  if (c.validate) return undefined;
  return c.condition !== undefined || c.match !== undefined ? statementCaseInput(c) : mergeCaseInput(defaults, c.input);
}
