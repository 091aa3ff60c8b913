/**
 * The `emitToDirectory` operation: plan a spec (or take a model), emit Terraform or CloudFormation, and write it
 * into a directory through the output guard — refusing foreign files, keeping the user's Terraform state and
 * backend files, reading the previous manifest so renames become `moved` blocks, swapping the directory in
 * atomically.
 */
import { fail, hasErrors, ok, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import { emitCloudFormation } from '../emit/cloudformation.js';
import { parseManifest } from '../emit/manifest.js';
import { emitTerraform, type EmitOptions } from '../emit/terraform.js';
import { isTerraformUserFile } from '../emit/user-files.js';
import type { OrganizationModel } from '../model/organization.js';
import { hostPath, type Host } from './host.js';
import { plan, type SpecInput } from './plan.js';
import { loadEmitAdoption, withAdoptImports } from './emit-adopt.js';

/** The formats bulkhead emits. */
export type EmitFormat = 'terraform' | 'cloudformation';

/** What to emit and where. */
export interface EmitToDirectoryRequest {
  /** The spec to plan, or a model planned already. */
  readonly source: SpecInput | { readonly model: OrganizationModel };
  readonly format: EmitFormat;
  /** Output directory (relative to the host's cwd). */
  readonly out: string;
  /** Let the emit replace a directory holding another kind of bulkhead output. Never deletes foreign files. */
  readonly force?: boolean;
  /** Adoption, renames and the access role (the emitters' options, without `previous`). */
  readonly options?: Omit<EmitOptions, 'previous'>;
  /** A snapshot directory of the organization to adopt: import blocks for what it has (Terraform only). */
  readonly adopt?: string;
}

/** What was written. */
export interface EmitToDirectoryResult {
  readonly dir: string;
  readonly format: EmitFormat;
  readonly files: number;
  /** The user's entries carried over (Terraform state, backend, …). */
  readonly kept: readonly string[];
  /** `moved` blocks written for renamed objects. */
  readonly moved: number;
}

async function sourceModel(source: EmitToDirectoryRequest['source'], host: Host): Promise<Result<OrganizationModel>> {
  return 'model' in source ? ok(source.model) : plan(source, host);
}

/** Plans (when given a spec), emits and writes the directory; the diagnostics of every step come back. */
export async function emitToDirectory(request: EmitToDirectoryRequest, host: Host): Promise<Result<EmitToDirectoryResult>> {
  const model = await sourceModel(request.source, host);
  if (!model.ok) return model;
  const dir = hostPath(host, request.out);
  const specPath = 'path' in request.source ? hostPath(host, request.source.path) : undefined;
  const guard = await host.files.prepareDir(dir, {
    kind: 'emit',
    label: request.out,
    ...(request.format === 'terraform' ? { keep: isTerraformUserFile } : {}),
    ...(request.force ? { force: true } : {}),
    ...(specPath ? { protect: [{ path: specPath, label: `the spec \`${'path' in request.source ? request.source.path : ''}\`` }] } : {}),
  });
  if (!guard.ok) return fail([...model.diagnostics, ...guard.diagnostics]);
  const manifest = guard.value.owner?.kind === 'emit' ? parseManifest(guard.value.owner.manifestText) : undefined;
  const previous = manifest?.format === request.format ? manifest : undefined;
  const adoption = request.adopt !== undefined ? await loadEmitAdoption(request.adopt, request.format, model.value, host, request.options?.terraformLayout) : undefined;
  if (adoption && !adoption.ok) return fail([...model.diagnostics, ...adoption.diagnostics]);
  const accountIds = { ...adoption?.value.options.accountIds, ...request.options?.accountIds };
  const options: EmitOptions = { ...adoption?.value.options, ...request.options, accountIds, ...(previous ? { previous } : {}) };
  const emitted = request.format === 'terraform' ? emitTerraform(model.value, options) : emitCloudFormation(model.value, options);
  // A planned model's documents were validated (with file positions) by the planner; the emitter's own
  // validation would repeat those warnings at model paths. Errors are always kept.
  const fresh = emitted.diagnostics.filter((d) => d.severity === 'error' || !d.code.startsWith('BH3') || 'model' in request.source);
  const diagnostics: Diagnostic[] = [...model.diagnostics, ...(adoption?.diagnostics ?? []), ...guard.value.diagnostics, ...fresh];
  if (!emitted.ok || hasErrors(diagnostics)) return fail(diagnostics);
  const files = adoption ? withAdoptImports(emitted.value.files, emitted.value.manifest, model.value, adoption.value) : emitted.value.files;
  const written = await host.files.commitDir(guard.value, files);
  if (!written.ok) return fail([...diagnostics, ...written.diagnostics]);
  return ok({ dir, format: request.format, files: files.size, kept: guard.value.kept, moved: emitted.value.manifest.moved.length }, diagnostics);
}
