/** The `initSpec` operation: write a starter spec through the output guard (never over a file unless asked). */
import type { Result } from '../diagnostics/diagnostic.js';
import type { FileWriteMode } from '../io/output.js';
import { starterSpec, type StarterOptions } from '../spec/starter.js';
import { hostPath, type Host } from './host.js';

/** Where and how to write the starter spec. */
export interface InitSpecRequest {
  readonly starter: StarterOptions;
  /** Output path (relative to the host's cwd). */
  readonly out: string;
  /** Replace an existing regular file. A device or FIFO is written to directly; a symlink is followed. */
  readonly overwrite?: boolean;
}

/** Writes the starter spec and says how it was written. */
export async function initSpec(request: InitSpecRequest, host: Host): Promise<Result<FileWriteMode>> {
  return host.files.writeFile(hostPath(host, request.out), starterSpec(request.starter), { label: request.out, overwrite: request.overwrite === true });
}
