/**
 * Checks the policy documents an emitter is about to write, with the policy engine's validator (grammar, element
 * rules per policy type, known actions, size quotas). cfn-lint does not look inside `AWS::Organizations::Policy`
 * and Terraform only sees a JSON string, so without this a broken SCP would be found by AWS at apply time.
 */
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { DiagnosticCode } from '../diagnostics/codes.js';
import { resolveAccountRefs } from '../model/account-ref.js';
import type { PolicyDocument } from '../model/organization.js';
import { validatePolicyDocument, type PolicySizeKind, type PolicyType } from '../policy/index.js';

/** What a document is used as; the rules differ (trust policies need a Principal, SCPs must not have one). */
export type DocumentUse = Extract<PolicyType, 'scp' | 'rcp' | 'trust' | 'identity'>;

/**
 * Stands in for account ids unknown at design time (`{{account:NAME}}`), so ARNs validate and sizes are measured
 * as AWS will store them (an id has 12 digits whatever it is).
 */
const PLACEHOLDER_ACCOUNT_ID = '000000000000';

/**
 * Diagnostics for one policy document at `path` (a JSON path into the model). The validator's codes are kept
 * (they say exactly what is wrong); `code` is used when the value is not a document at all.
 */
export function checkPolicyDocument(doc: unknown, use: DocumentUse, path: string, code: DiagnosticCode, sizeKind?: PolicySizeKind): Diagnostic[] {
  return createPolicyChecker()(doc, use, path, code, sizeKind);
}

/**
 * A `checkPolicyDocument` that validates each distinct document once. Planned organizations repeat the same
 * `{phase}-{role}` policy and trust policy in every business unit's account, so this turns thousands of
 * validations into a handful.
 */
export function createPolicyChecker(): typeof checkPolicyDocument {
  const cache = new Map<string, readonly Diagnostic[]>();
  return (doc, use, path, code, sizeKind) => {
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
      return [error(code, `policy document must be a JSON object with \`Version\` and \`Statement\`, got \`${JSON.stringify(doc)?.slice(0, 60)}\``, path)];
    }
    const key = `${use}\u0000${sizeKind ?? ''}\u0000${JSON.stringify(doc)}`;
    let found = cache.get(key);
    if (!found) {
      found = validatePolicyDocument(resolveAccountRefs(doc as PolicyDocument, () => PLACEHOLDER_ACCOUNT_ID), use, sizeKind ? { sizeKind } : {});
      cache.set(key, found);
    }
    return relocate(found, path);
  };
}

/** The validator's diagnostics, with paths made relative to the model instead of the document. */
function relocate(diagnostics: readonly Diagnostic[], path: string): Diagnostic[] {
  return diagnostics.map((d) => {
    const { position: _position, ...rest } = d;
    return { ...rest, path: d.path ? `${path}.${d.path}` : path };
  });
}
