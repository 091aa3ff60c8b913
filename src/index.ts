/**
 * bulkhead library entry: the pure core (spec, plan, model, catalog, policy engine, emitters, snapshot loading,
 * change sets, verification and report renderers). Nothing exported here touches the file system, the network or
 * the console; the CLI and the AWS adapters (src/cli, src/aws, the collector and the apply executor) are the edges.
 */
export * from './diagnostics/diagnostic.js';
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
export { renderPlanText } from './report/plan-text.js';

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
export { renderJson } from './report/json.js';
export { renderSarif } from './report/sarif.js';
export { renderMarkdown } from './report/markdown.js';
export { renderHtml } from './report/html.js';
export { renderTerminal } from './report/terminal.js';
export { synthOrganization, type SynthOptions } from './synthetic/index.js';
