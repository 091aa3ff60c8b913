/**
 * The delta between two organizations (before × after): structural changes, the access delta and findings
 * new / resolved / unchanged. A report, not a change set (src/changes/ is the planned × live change set apply runs).
 */
import type { Capability, Evidence, Finding, FindingSeverity } from '../verify/finding.js';

/** What a structural change is about. */
export type DeltaSubject = 'account' | 'ou' | 'scp' | 'rcp' | 'role' | 'user' | 'permission-set' | 'assignment' | 'resource';

/** How it changed. `renamed` and `moved` are accounts matched by id or email under another name or OU. */
export type DeltaChangeKind = 'added' | 'removed' | 'changed' | 'renamed' | 'moved';

/** One structural change. */
export interface StructuralChange {
  readonly subject: DeltaSubject;
  readonly change: DeltaChangeKind;
  /** The thing changed, as people read it: `retail-prod`, `retail-prod/migrator`, `Root/Workloads`, `deny-leave`. */
  readonly name: string;
  /** What changed, one line each (statements added/removed/changed, targets, OU moves…), sorted. */
  readonly details: readonly string[];
}

/** One principal's gained or lost capabilities in one account, over the resources listed. */
export interface AccessChange {
  /** `gained`: the after side has it and the before side does not; `lost`: the reverse. */
  readonly direction: 'gained' | 'lost';
  /** `<account>/<role or user>` in the after side's names. */
  readonly principal: string;
  /** The account the resources live in (after side's name). */
  readonly account: string;
  /** Resource keys (an ARN, or `any s3:bucket` for a design's stand-ins), sorted. */
  readonly resources: readonly string[];
  readonly capabilities: readonly Capability[];
  /** Principals from the origin to the holder, on the side that has the access. */
  readonly path: readonly string[];
  /** Statements that grant it, on the side that has the access. */
  readonly evidence: readonly Evidence[];
  /** The most severe new (gained) or resolved (lost) finding about this principal and account; `info` when none. */
  readonly severity: FindingSeverity;
}

/** A finding and how it compares across the sides. */
export interface FindingDelta {
  readonly state: 'new' | 'resolved' | 'unchanged';
  /** The after side's finding (the before side's for `resolved`). */
  readonly finding: Finding;
  /** The match key: rule, principal, account, capabilities (and the resource when there is no principal). */
  readonly key: string;
}

/** Labels of the two sides and whether the access analysis ran on both. */
export interface DeltaSides {
  readonly before: string;
  readonly after: string;
}

/** Everything the delta found. */
export interface Delta {
  /** `diff` (before × after) or `drift` (design × live). */
  readonly mode: 'diff' | 'drift';
  readonly sides: DeltaSides;
  readonly structural: readonly StructuralChange[];
  readonly access: readonly AccessChange[];
  readonly findings: readonly FindingDelta[];
  readonly summary: DeltaSummary;
}

/** Counts for the summary line. */
export interface DeltaSummary {
  readonly structural: { readonly added: number; readonly removed: number; readonly changed: number };
  readonly access: { readonly gained: number; readonly lost: number };
  readonly findings: { readonly new: number; readonly resolved: number; readonly unchanged: number };
  /** Warnings of either side's analysis (`before: …`, `after: …`), sorted. */
  readonly warnings: readonly string[];
  /** Either side's analysis was incomplete (`summary.incomplete` of verify), so the delta may miss something. */
  readonly incomplete: readonly string[];
}
