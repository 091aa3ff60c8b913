/**
 * Progress of a long verify: the core reports steps and counts through a callback (it never prints); the
 * operation turns them into host events, which the CLI draws on one stderr line on a terminal only.
 */

/** One step of verify: `step` names it; `done`/`total` count principals when the step goes principal by principal. */
export interface VerifyProgressEvent {
  readonly step: string;
  readonly done?: number;
  readonly total?: number;
}

/** Receives verify's progress; may ignore it. */
export type VerifyProgress = (event: VerifyProgressEvent) => void;

/** How many progress events a counted step sends at most (one per percent). */
const STEPS = 100;

/**
 * A share predicate (see evaluateShare) that also reports how far the engine is: evaluateShare asks it once per
 * principal index, in order, before asking the engine about the principals in its share, so the index counts
 * progress over all principals (shares interleave, so the other threads are about as far). Reports at most
 * {@link STEPS} times.
 */
export function reportingShare(
  total: number,
  inShare: (principalIndex: number) => boolean,
  progress: VerifyProgress | undefined,
  step: string,
): (principalIndex: number) => boolean {
  if (progress === undefined) return inShare;
  const every = Math.max(1, Math.ceil(total / STEPS));
  progress({ step, done: 0, total });
  return (i) => {
    if (i > 0 && i % every === 0) progress({ step, done: i, total });
    return inShare(i);
  };
}
