/** The `synthesizeSnapshot` operation: a synthetic organization written as a snapshot directory (benchmarks, demos). */
import { fail, ok, type Result } from '../diagnostics/diagnostic.js';
import type { OrganizationModel } from '../model/organization.js';
import { snapshotFiles } from '../snapshot/format.js';
import { synthOrganization, synthSnapshot, type SynthOptions } from '../synthetic/index.js';
import { hostPath, type Host } from './host.js';

/** What to synthesize and where. */
export interface SynthesizeRequest {
  readonly options: SynthOptions;
  /** Snapshot directory to write (relative to the host's cwd); omitted: only the model is returned. */
  readonly out?: string;
  /** Replace a directory holding another kind of bulkhead output (never foreign files). */
  readonly force?: boolean;
}

/** Builds the synthetic model and, with `out`, writes it as a snapshot that `verify` reads. */
export async function synthesizeSnapshot(request: SynthesizeRequest, host: Host): Promise<Result<OrganizationModel>> {
  const model = synthOrganization(request.options);
  if (request.out === undefined) return ok(model);
  const dir = hostPath(host, request.out);
  const guard = await host.files.prepareDir(dir, { kind: 'snapshot', label: request.out, ...(request.force ? { force: true } : {}) });
  if (!guard.ok) return guard;
  const written = await host.files.commitDir(guard.value, snapshotFiles(synthSnapshot(model, host.now())));
  return written.ok ? ok(model, guard.value.diagnostics) : fail(written.diagnostics);
}
