/** Stable short fingerprints for findings (SARIF partialFingerprints, HTML anchors). */
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

/** A finding's identity: rule, principal, resource and account (not the message, which may be reworded). */
export function findingFingerprint(f: Finding): string {
  return fnv1a64(`${f.rule}\u0000${f.principal}\u0000${f.resource}\u0000${f.account}`);
}
