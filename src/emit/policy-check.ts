/**
 * Checks the policy documents an emitter is about to write. cfn-lint does not look inside
 * `AWS::Organizations::Policy`, and Terraform only sees a JSON string, so a broken SCP would otherwise be
 * found by AWS at apply time. These are grammar and quota checks from the IAM and Organizations user guides
 * (policy grammar; "Quotas for AWS Organizations": SCP document ≤ 5,120 characters; IAM quotas: trust policy
 * ≤ 2,048 characters by default, managed policy ≤ 6,144 characters without whitespace).
 */
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { substituteAccountRefs } from './refs.js';

/** What a document is used as; the rules differ (trust policies need a Principal, SCPs must not have one). */
export type DocumentUse = 'scp' | 'rcp' | 'trust' | 'identity';

const VERSIONS = ['2012-10-17', '2008-10-17'];
const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
const LIMITS: Record<DocumentUse, { chars: number; what: string }> = {
  scp: { chars: 5120, what: 'service control policy' },
  rcp: { chars: 5120, what: 'resource control policy' },
  trust: { chars: 2048, what: 'role trust policy (default quota)' },
  identity: { chars: 6144, what: 'managed policy' },
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isStringOrStrings(v: unknown): boolean {
  return typeof v === 'string' || (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string'));
}

/**
 * Diagnostics for one policy document at `path` (a JSON path into the model). Account placeholders count as
 * 12-digit ids when measuring size, since that is what AWS will store.
 */
export function checkPolicyDocument(doc: unknown, use: DocumentUse, path: string, code: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const bad = (message: string, at = path) => out.push(error(code, message, at));
  if (!isObject(doc)) {
    bad(`policy document must be a JSON object with \`Version\` and \`Statement\`, got \`${JSON.stringify(doc)?.slice(0, 60)}\``);
    return out;
  }
  if (!VERSIONS.includes(String(doc['Version']))) {
    bad(`policy \`Version\` is \`${String(doc['Version'])}\`; set it to \`2012-10-17\``, `${path}.Version`);
  }
  for (const k of Object.keys(doc)) {
    if (!['Version', 'Id', 'Statement'].includes(k)) bad(`unknown policy key \`${k}\`; allowed are Version, Id and Statement`, `${path}.${k}`);
  }
  const raw = doc['Statement'];
  const statements = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  if (statements.length === 0) bad('policy has no `Statement`; add at least one statement', `${path}.Statement`);
  statements.forEach((s, i) => {
    const at = Array.isArray(raw) ? `${path}.Statement[${i}]` : `${path}.Statement`;
    if (!isObject(s)) {
      bad(`statement must be an object, got \`${JSON.stringify(s)?.slice(0, 60)}\``, at);
      return;
    }
    for (const k of Object.keys(s)) {
      if (!STATEMENT_KEYS.has(k)) bad(`unknown statement key \`${k}\`; check the spelling (e.g. \`Action\`, \`Resource\`)`, `${at}.${k}`);
    }
    if (s['Effect'] !== 'Allow' && s['Effect'] !== 'Deny') {
      bad(`\`Effect\` is \`${String(s['Effect'])}\`; use \`Allow\` or \`Deny\``, `${at}.Effect`);
    }
    const hasAction = 'Action' in s;
    const hasNotAction = 'NotAction' in s;
    if (hasAction === hasNotAction) bad('statement needs exactly one of `Action` or `NotAction`', at);
    for (const k of ['Action', 'NotAction', 'Resource', 'NotResource'] as const) {
      if (k in s && !isStringOrStrings(s[k])) bad(`\`${k}\` must be a string or a non-empty list of strings`, `${at}.${k}`);
    }
    if ('Condition' in s && !isObject(s['Condition'])) bad('`Condition` must be an object of operators', `${at}.Condition`);
    const hasPrincipal = 'Principal' in s || 'NotPrincipal' in s;
    const hasResource = 'Resource' in s || 'NotResource' in s;
    if (use === 'trust') {
      if (!hasPrincipal) bad('trust policy statement needs a `Principal` (who may assume the role)', at);
    } else if (use === 'scp' || use === 'identity') {
      if (hasPrincipal) bad(`a ${LIMITS[use].what} cannot have \`Principal\`; remove it`, at);
      if (!hasResource) bad('statement needs `Resource` or `NotResource`; use `"*"` for all resources', at);
    } else if (!hasResource) {
      bad('statement needs `Resource` or `NotResource`', at);
    }
  });
  const limit = LIMITS[use];
  const size = JSON.stringify(substituteAccountRefs(doc, () => '123456789012')).length;
  if (size > limit.chars) {
    bad(`${limit.what} is ${size} characters without whitespace, over the ${limit.chars} limit; split it or shorten it`);
  }
  return out;
}
