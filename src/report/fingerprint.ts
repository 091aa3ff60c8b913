/** Stable short fingerprints for findings (SARIF partialFingerprints, HTML anchors). */
import { findingBaselineKey } from '../verify/baseline.js';
import type { Finding } from '../verify/finding.js';

/** 64-bit FNV-1a of a string, as 16 hex digits. */
export function fnv1a64(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (const b of new TextEncoder().encode(text)) {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

/**
 * The name of the fingerprint in SARIF `partialFingerprints`. Version 2: the key became the baseline's (v1 hashed
 * rule, principal, first resource and account, so two aggregated findings of one principal could collide).
 */
export const FINDING_FINGERPRINT_NAME = 'bulkheadFinding/v2';

/**
 * A finding's identity, hashed: the key `verify --baseline` matches on (rule, principal, account, all resources,
 * the capability set; src/verify/baseline.ts), never the message, which may be reworded.
 */
export function findingFingerprint(f: Finding): string {
  return fnv1a64(findingBaselineKey(f));
}
