/**
 * Decoding of IAM policy documents as the IAM API returns them: URL-encoded JSON on real AWS
 * (GetAccountAuthorizationDetails, GetRole, GetPolicyVersion), but sometimes plain JSON (moto's
 * GAAD AssumeRolePolicyDocument). Both are accepted. Pure.
 */
import type { JsonValue } from '../model/organization.js';

/** Result of decoding: the document, or why it could not be read. */
export type DecodeResult = { readonly ok: true; readonly document: JsonValue } | { readonly ok: false; readonly reason: string };

/**
 * Decodes a policy document string. Plain JSON (starts with `{` after whitespace) is parsed as is;
 * anything else is URL-decoded first (AWS encodes with percent escapes; `+` is not used for spaces).
 */
export function decodePolicyDocument(raw: string | undefined): DecodeResult {
  if (raw === undefined || raw === '') return { ok: false, reason: 'empty policy document' };
  let text = raw.trim();
  if (!text.startsWith('{') && !text.startsWith('[')) {
    try {
      text = decodeURIComponent(text);
    } catch {
      return { ok: false, reason: 'policy document is neither JSON nor valid URL-encoded JSON' };
    }
  }
  try {
    return { ok: true, document: JSON.parse(text) as JsonValue };
  } catch (e) {
    return { ok: false, reason: `policy document is not valid JSON (${e instanceof Error ? e.message : String(e)})` };
  }
}
