/**
 * bulkhead library entry.
 * - The operations (`plan`, `emitToDirectory`, `verifyTarget`, `diff`, `drift`, `initSpec`, `synthesizeSnapshot`): whole workflows
 *   over an injected `Host` (files, clock, AWS clients, progress), each returning one `Result`. `nodeHost()` gives
 *   the host of this process. They never print.
 * - The pure core underneath (spec, plan, model, catalog, policy engine, emitters, snapshot loading, change sets,
 *   verification, report renderers), which touches no file system, network or console.
 */
export * from './diagnostics/diagnostic.js';
export { DIAGNOSTIC_CODES, describeCode, isDiagnosticCode, type DiagnosticCode, type CodeInfo } from './diagnostics/codes.js';
export * from './model/organization.js';
export * from './model/query.js';
export * from './model/account-ref.js';
export { VERSION } from './version.js';

// spec → plan
export { parseSpec, formatPath, type ParsedSpec } from './spec/parse.js';
export { specSchema, type Spec } from './spec/schema.js';
export { specJsonSchema } from './spec/json-schema.js';
export { starterSpec, type StarterOptions } from './spec/starter.js';
export * from './plan/index.js';
export { defaultPlanOptions } from './plan/defaults.js';
export { renderPlanText, type PlanTextOptions } from './report/plan-text.js';
export { colorWanted } from './report/color.js';
export { escapeText, escapeHtml, escapeJson, markdownText, markdownCode, type MarkdownCodeOptions } from './util/escape.js';

// catalogue and policy engine (namespaced: both have many exports)
export * as catalog from './catalog/index.js';
export * as policy from './policy/index.js';

// emit
export { emitTerraform, type EmitOptions, type EmitOutput } from './emit/terraform.js';
export { emitCloudFormation } from './emit/cloudformation.js';

// snapshots and change sets
export { loadSnapshot, parseSnapshot, snapshotToModel } from './snapshot/load.js';
export { diffModels, matchAccounts } from './changes/diff.js';

// verify and reports
export { verifyModel, type VerifyOptions, type VerifyReport } from './verify/verify.js';
export { baselineKey, findingBaselineKey, parseBaseline, type Baseline, type BaselineFindingKeyParts } from './verify/baseline.js';
export { applyExclusions, parseExclusions, EXPIRED_EXCLUSION_RULE, type Exclusion, type Exclusions, type ExclusionOutcome } from './verify/exclusions.js';
export { applyGate, type GateInput, type GateSummary } from './verify/gate.js';
export { renderJson } from './report/json.js';
export { renderSarif } from './report/sarif.js';
export { renderMarkdown } from './report/markdown.js';
export { renderHtml } from './report/html.js';
export { renderTerminal } from './report/terminal.js';
export { synthOrganization, type SynthOptions } from './synthetic/index.js';
export { renderReport, REPORT_FORMATS, type ReportFormat, type RenderOptions } from './report/render.js';

// operations: the library's workflows over an injected host
export { nodeHost, nodeFiles, nodeAws, type Host, type HostFiles, type HostEvent } from './operations/host.js';
export { plan, readSpec, type SpecInput } from './operations/plan.js';
export { emitToDirectory, type EmitFormat, type EmitToDirectoryRequest, type EmitToDirectoryResult } from './operations/emit.js';
export { verifyTarget, loadTarget, type VerifySource, type VerifyTargetRequest } from './operations/verify.js';
export {
  checkNewAccess,
  checkNotGranted,
  CHECK_POLICY_TYPES,
  type CheckNewAccessRequest,
  type CheckNotGrantedRequest,
  type CheckPolicyType,
} from './operations/check.js';
export { patternContains, patternsOverlap, type AccessCatalog, type CheckAnswer, type Grant, type NotGrantedQuestion } from './policy/new-access.js';
export { diff, loadSide, type DiffRequest } from './operations/diff.js';
export { drift, type DriftRequest } from './operations/drift.js';
export { computeDelta, compareSides, analyseSide, failingChanges, type DeltaSide, type DeltaOptions } from './delta/delta.js';
export { renderDelta, DELTA_FORMATS, type DeltaFormat } from './delta/render.js';
export type { Delta, StructuralChange, AccessChange, FindingDelta, DeltaSummary } from './delta/types.js';
export { initSpec, type InitSpecRequest } from './operations/init.js';
export { synthesizeSnapshot, type SynthesizeRequest } from './operations/synth.js';
export { collectToDirectory, type CollectRequest, type CollectResult } from './operations/collect.js';
export { listHistory, readHistoryEntry, readHistoryRef, type HistoryWriteResult } from './io/history.js';
export { HISTORY_MARKER, historyEntrySchema, pickHistoryEntry, type HistoryEntry, type HistoryListing } from './snapshot/history.js';
export { applyPlan, type ApplyRequest, type ApplyOutcome } from './operations/apply.js';
export { adopt, type AdoptRequest, type AdoptOutcome } from './operations/adopt.js';
export { migrate, type MigrateRequest, type MigrateOutcome } from './operations/migrate.js';
export { planMigration, type MigrationPlan, type MigrationOptions, type MigrationProof, type WorkloadRow } from './migrate/migrate.js';
export { renderMigration, MIGRATE_FORMATS, type MigrateFormat } from './migrate/render.js';
export { adoptOrganization, type Adopted, type AdoptFlag, type AdoptIds, type AdoptOptions } from './adopt/adopt.js';
export { simulateText, simulateLine, batchLines, type SimulateOptions } from './operations/simulate.js';
export type { DirOutputRequest, FileOutputOptions, FileWriteMode, OutputDirPlan, PathKind } from './io/output.js';
