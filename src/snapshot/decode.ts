/**
 * Decoding of IAM policy documents as the IAM API returns them: URL-encoded JSON on real AWS
 * (GetAccountAuthorizationDetails, GetRole, GetPolicyVersion), but sometimes plain JSON (moto's
 * GAAD AssumeRolePolicyDocument). Both are accepted. Pure.
 */
import { error, fail, ok, type Result } from '../diagnostics/diagnostic.js';
import type { JsonValue } from '../model/organization.js';
import { SnapshotCodes } from './codes.js';

function undecodable(reason: string): Result<JsonValue> {
  return fail([error(SnapshotCodes.PolicyNotDecoded, reason)]);
}

/**
 * Decodes a policy document string. Plain JSON (starts with `{` after whitespace) is parsed as is;
 * anything else is URL-decoded first (AWS encodes with percent escapes; `+` is not used for spaces).
 * On failure the one error diagnostic's message says why (the collector records it as a `decode` error).
 */
export function decodePolicyDocument(raw: string | undefined): Result<JsonValue> {
  if (raw === undefined || raw === '') return undecodable('empty policy document');
  let text = raw.trim();
  if (!text.startsWith('{') && !text.startsWith('[')) {
    try {
      text = decodeURIComponent(text);
    } catch (e) {
      if (!(e instanceof URIError)) throw e;
      return undecodable('policy document is neither JSON nor valid URL-encoded JSON');
    }
  }
  try {
    return ok(JSON.parse(text) as JsonValue);
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    return undecodable(`policy document is not valid JSON (${e.message})`);
  }
}
