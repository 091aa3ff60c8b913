/**
 * The `migrate` operation: read a snapshot directory (from `bulkhead collect`, with its workload inventory) and a
 * target spec, plan the migration out of the kitchen-sink accounts, verify the projected organization, and render
 * the plan (see docs/migrate.md).
 */
import { error, fail, ok, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import { planMigration, type MigrationPlan } from '../migrate/migrate.js';
import { MIGRATE_FORMATS, renderMigration, type MigrateFormat } from '../migrate/render.js';
import { loadSnapshotModel } from './snapshot-input.js';
import { createEngineEvaluator } from '../verify/engine-adapter.js';
import type { Host } from './host.js';
import { plan, type SpecInput } from './plan.js';

/** What to migrate, into which design, and how to render it. */
export interface MigrateRequest {
  /** The snapshot directory (relative to the host's cwd). */
  readonly snapshot: string;
  /** The target design. */
  readonly spec: SpecInput;
  /** Render the plan in this format too (`text`, `json`, `markdown`, `html`). */
  readonly format?: string;
  /** Verify the projected organization (default true). */
  readonly prove?: boolean;
}

/** The plan and, when a format was asked for, its rendering. */
export interface MigrateOutcome {
  readonly plan: MigrationPlan;
  readonly rendered?: string;
}

/** Plans the migration of a collected organization into a target spec (see docs/migrate.md). */
export async function migrate(request: MigrateRequest, host: Host): Promise<Result<MigrateOutcome>> {
  const format = request.format;
  if (format !== undefined && !(MIGRATE_FORMATS as readonly string[]).includes(format)) {
    return fail([error('BH9237', `unknown migrate format \`${format}\`; use one of ${MIGRATE_FORMATS.map((f) => `\`${f}\``).join(', ')}`)]);
  }
  const model = await loadSnapshotModel(request.snapshot, host, (m) => error('BH9230', m));
  if (!model.ok) return model;
  if (model.value.inventory === undefined) {
    return fail([
      ...model.diagnostics,
      { ...error('BH9231', `snapshot \`${request.snapshot}\` has no workload inventory; collect it again with this version of \`bulkhead collect\` (without \`--no-resources\`)`), file: request.snapshot },
    ]);
  }
  const target = await plan(request.spec, host);
  if (!target.ok) return fail([...model.diagnostics, ...target.diagnostics]);
  const m = model.value;
  host.report({ kind: 'progress', operation: 'migrate', message: `migrate: ${m.inventory!.resources.length} resources in ${m.accounts.length} accounts` });
  const evaluator = createEngineEvaluator({
    ...(m.organization.regions[0] ? { defaultRegion: m.organization.regions[0] } : {}),
    ...(m.organization.id ? { organizationId: m.organization.id } : {}),
  });
  const label = 'path' in request.spec ? request.spec.path : request.spec.label;
  const planned = planMigration(m, target.value, { source: request.snapshot, target: label, evaluator, prove: request.prove !== false });
  const diagnostics: Diagnostic[] = [...model.diagnostics, ...target.diagnostics, ...evaluator.diagnostics, ...planned.diagnostics];
  const rendered = format !== undefined ? renderMigration(planned.plan, format as MigrateFormat) : undefined;
  return ok({ plan: planned.plan, ...(rendered !== undefined ? { rendered } : {}) }, diagnostics);
}
