/**
 * The delta core: verify both sides (the same core as `bulkhead verify`, keeping the access graph), then compare
 * structure, access and findings. Pure: the models come in, a `Delta` goes out.
 */
import type { OrganizationModel } from '../model/organization.js';
import { compareStrings } from '../util/order.js';
import { createEngineEvaluator } from '../verify/engine-adapter.js';
import { atOrAbove, severityRank, SEVERITIES, type FindingSeverity } from '../verify/finding.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { EngineEvaluator } from '../verify/engine-port.js';
import { assembleGraph, buildNodes, candidatePairs, evaluateShare, type AccessGraph, type Candidates, type GraphShare } from '../verify/graph.js';
import { finishVerify, prepareVerify, verifyEngineOptions, type IncompleteReason, type PreparedVerify, type VerifyReport } from '../verify/verify.js';
import { accessChanges, accessMap, unchangedPrincipals } from './access.js';
import { afterName, pairAccounts } from './accounts.js';
import { compareFindings } from './findings.js';
import { AnswerCache, reusingEvaluator, type GraphQuestions } from './reuse.js';
import { structuralChanges } from './structure.js';
import type { AccessChange, Delta, DeltaSummary, FindingDelta } from './types.js';

/** One side to compare: its model and label, and the spec whose intent applies to it when it is a snapshot. */
export interface DeltaSide {
  readonly model: OrganizationModel;
  readonly label: string;
  readonly spec?: OrganizationModel;
  /** ACTIVE accounts a snapshot has no file for (verify's `incomplete`), as reasons. */
  readonly incomplete?: readonly IncompleteReason[];
}

/** Options of the delta. */
export interface DeltaOptions {
  readonly mode?: Delta['mode'];
  readonly destroyAccountThreshold?: number;
  readonly defaultBoundaries?: boolean;
  /**
   * Give both sides verify's per-account stand-in resources ("any S3 bucket in retail-prod"), which only planned
   * models get by default; `computeDelta` sets it when one side is a plan and the other a snapshot, so the design's
   * access and live's compare on the same keys.
   */
  readonly abstractResources?: boolean;
  /**
   * Answer each distinct engine question once across both sides (default true): the after side re-asks the engine
   * only where a principal's or resource's inputs changed. `false` verifies both sides from scratch (the same delta).
   */
  readonly reuse?: boolean;
}

/** A side verified, with its access graph. */
export interface AnalysedSide {
  readonly report: VerifyReport;
  readonly graph: AccessGraph;
  /** How many diagnostics the engine raised for this side. */
  readonly engineWarnings: number;
}


/** An answer cache for `side`'s engine options: `cache` when its options are the same, else a new one. */
export function cacheFor(side: DeltaSide, cache?: AnswerCache): AnswerCache {
  const configuration = JSON.stringify(verifyEngineOptions(side.model));
  return cache?.configuration === configuration ? cache : new AnswerCache(configuration);
}

/** One side under way: prepared, its candidate pairs, and the evaluator its questions go to. */
export interface SideWork {
  readonly prepared: PreparedVerify;
  readonly candidates: Candidates;
  readonly evaluator: EngineEvaluator;
}

/**
 * Prepares one side as verify does (with verify's stand-in resources on a snapshot when `abstractResources`), and
 * its evaluator: the real engine, through `cache` when given (see `analyseSide`). Deterministic, so a worker thread
 * preparing the same side gets the same principal and resource indexes.
 */
export function startSide(side: DeltaSide, options: DeltaOptions, cache?: AnswerCache, questions: GraphQuestions = 'cache'): SideWork {
  const m = side.model;
  const engine = createEngineEvaluator(verifyEngineOptions(m));
  const evaluator = cache ? reusingEvaluator(engine, cache, questions) : engine;
  const base = prepareVerify(m, side.spec ? { spec: side.spec } : {});
  const prepared = options.abstractResources && m.source === 'snapshot' ? { ...base, ...buildNodes(base.effective, base.attribution, { abstractResources: true }) } : base;
  return { prepared, candidates: candidatePairs(prepared.principals, prepared.resources), evaluator };
}

/** The engine's answers about the principals `inShare` selects (all by default). */
export function sideShare(work: SideWork, inShare?: (principalIndex: number) => boolean): GraphShare {
  return evaluateShare(work.prepared.principals, work.prepared.resources, work.candidates, work.evaluator, inShare);
}

/**
 * Assembles a side's graph from its shares (computed here or on other threads, whose engine diagnostics come as
 * `notes`) and runs verify's rules over it.
 */
export function finishSide(side: DeltaSide, options: DeltaOptions, work: SideWork, shares: readonly GraphShare[], notes: readonly Diagnostic[] = []): AnalysedSide {
  const { prepared, candidates, evaluator } = work;
  const graph = assembleGraph(prepared.principals, prepared.resources, candidates, shares);
  evaluator.diagnostics.push(...notes);
  const report = finishVerify(
    prepared,
    graph,
    {
      target: side.label,
      evaluator,
      destroyAccountThreshold: options.destroyAccountThreshold ?? 3,
      ...(side.spec ? { spec: side.spec } : {}),
      ...(options.defaultBoundaries ? { defaultBoundaries: true } : {}),
      ...(side.incomplete && side.incomplete.length > 0 ? { incomplete: side.incomplete } : {}),
    },
    evaluator.diagnostics,
  );
  return { report, graph, engineWarnings: evaluator.diagnostics.length };
}

/**
 * Verifies one side single-threaded with the real engine and keeps the graph (verify's report drops it). With
 * `cache` (made by `cacheFor` for this side), engine questions answered before with the same inputs are not asked
 * again; `questions` says where the graph's own questions are answered (see reuse.ts: `engine` for a before side,
 * whose graph keeps them, the before side's graph for an after side over the same cache).
 */
export function analyseSide(side: DeltaSide, options: DeltaOptions, cache?: AnswerCache, questions: GraphQuestions = 'cache'): AnalysedSide {
  const work = startSide(side, options, cache, questions);
  return finishSide(side, options, work, [sideShare(work)]);
}

/** The most severe finding of `findings` about `principal` in `account`, else `info`. */
function severityFor(findings: readonly FindingDelta[], principal: string, account: string): FindingSeverity {
  let best: FindingSeverity = 'info';
  for (const f of findings) {
    if (f.finding.account !== account || (f.finding.principalName ?? f.finding.principal) !== principal) continue;
    if (severityRank(f.finding.severity) > severityRank(best)) best = f.finding.severity;
  }
  return best;
}

function summarise(delta: Omit<Delta, 'summary'>, before: AnalysedSide, after: AnalysedSide): DeltaSummary {
  const count = (c: string) => delta.structural.filter((s) => s.change === c).length;
  const warnings = [
    ...before.report.summary.warnings.map((w) => `before: ${w}`),
    ...after.report.summary.warnings.map((w) => `after: ${w}`),
  ].sort(compareStrings);
  const incomplete = [
    ...before.report.summary.incomplete.map((i) => `before: ${i.reason}`),
    ...after.report.summary.incomplete.map((i) => `after: ${i.reason}`),
  ].sort(compareStrings);
  return {
    structural: { added: count('added'), removed: count('removed'), changed: delta.structural.length - count('added') - count('removed') },
    access: { gained: delta.access.filter((a) => a.direction === 'gained').length, lost: delta.access.filter((a) => a.direction === 'lost').length },
    findings: {
      new: delta.findings.filter((f) => f.state === 'new').length,
      resolved: delta.findings.filter((f) => f.state === 'resolved').length,
      unchanged: delta.findings.filter((f) => f.state === 'unchanged').length,
    },
    warnings,
    incomplete,
  };
}

/** Compares two analysed sides. */
export function compareSides(before: DeltaSide & AnalysedSide, after: DeltaSide & AnalysedSide, options: DeltaOptions = {}): Delta {
  const pairing = pairAccounts(before.model, after.model);
  const toAfter = (n: string) => afterName(pairing, n);
  const findings = compareFindings(before.report.findings, after.report.findings, toAfter);
  // principals whose reachable access is unchanged on both sides are left out of both maps (see unchangedPrincipals)
  const skip = options.reuse === false ? undefined : unchangedPrincipals(before.graph, after.graph, toAfter);
  const raw = accessChanges(accessMap(before.graph, toAfter, skip?.before), accessMap(after.graph, (n) => n, skip?.after));
  const newOnes = findings.filter((f) => f.state === 'new');
  // resolved findings carry before-side names
  const resolved = findings.filter((f) => f.state === 'resolved').map((f) => ({ ...f, finding: { ...f.finding, account: toAfter(f.finding.account), ...(f.finding.principalName ? { principalName: renameDisplay(f.finding.principalName, toAfter) } : {}) } }));
  const access: AccessChange[] = raw.map((a) => ({ ...a, severity: severityFor(a.direction === 'gained' ? newOnes : resolved, a.principal, a.account) }));
  const partial = { mode: options.mode ?? 'diff', sides: { before: before.label, after: after.label }, structural: structuralChanges(before.model, after.model, pairing), access, findings };
  return { ...partial, summary: summarise(partial, before, after) };
}

function renameDisplay(name: string, toAfter: (n: string) => string): string {
  const cut = name.indexOf('/');
  return cut < 0 ? name : `${toAfter(name.slice(0, cut))}${name.slice(cut)}`;
}

/**
 * Verifies both sides and compares them. The after side reuses the before side's engine answers for unchanged
 * inputs (see reuse.ts; the graph's questions are answered from the before side's graph, graph-answers.ts) unless `reuse` is false, or the before side's engine raised warnings (a cached answer would
 * not repeat them for the after side, so it is then verified from scratch).
 */
export function computeDelta(before: DeltaSide, after: DeltaSide, given: DeltaOptions = {}): Delta {
  const options = resolveDeltaOptions(before, after, given);
  if (options.reuse === false) return compareSides({ ...before, ...analyseSide(before, options) }, { ...after, ...analyseSide(after, options) }, options);
  const cache = cacheFor(before);
  return deltaFromBefore(before, after, options, cache, analyseSide(before, options, cache, 'engine'));
}

/** `given` with `abstractResources` set when one side is a plan and the other a snapshot (see `DeltaOptions`). */
export function resolveDeltaOptions(before: DeltaSide, after: DeltaSide, given: DeltaOptions): DeltaOptions {
  return given.abstractResources === undefined && before.model.source !== after.model.source ? { ...given, abstractResources: true } : given;
}

/**
 * The rest of `computeDelta` once the before side is analysed (on any number of threads) with `cache` (made by
 * `cacheFor(before)`, the graph's questions left to the graph): the after side, reusing what it can, and the comparison.
 */
export function deltaFromBefore(before: DeltaSide, after: DeltaSide, options: DeltaOptions, cache: AnswerCache, analysedBefore: AnalysedSide): Delta {
  const clean = analysedBefore.engineWarnings === 0;
  const afterCache = clean ? cacheFor(after, cache) : undefined;
  // the before graph answers only for the same engine configuration (the same cache)
  const analysedAfter = analyseSide(after, options, afterCache, afterCache === cache ? analysedBefore.graph : 'engine');
  return compareSides({ ...before, ...analysedBefore }, { ...after, ...analysedAfter }, options);
}

/** Severities of `--fail-on`, most severe first, and `none`. */
export const FAIL_ON = [...SEVERITIES, 'none'] as const;

/** What fails a CI gate: new findings and access gains at or above `failOn` (nothing for `none`). */
export function failingChanges(delta: Delta, failOn: FindingSeverity | 'none'): { findings: FindingDelta[]; access: AccessChange[] } {
  if (failOn === 'none') return { findings: [], access: [] };
  return {
    findings: delta.findings.filter((f) => f.state === 'new' && atOrAbove(f.finding.severity, failOn)),
    access: delta.access.filter((a) => a.direction === 'gained' && atOrAbove(a.severity, failOn)),
  };
}
