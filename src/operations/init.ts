/** The `initSpec` operation: write a starter spec through the output guard (never over a file unless asked). */
import { dirname, isAbsolute, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Result } from '../diagnostics/diagnostic.js';
import type { FileWriteMode } from '../io/output.js';
import { starterSpec, type StarterOptions } from '../spec/starter.js';
import { hostPath, type Host } from './host.js';

/**
 * The JSON Schema that ships with this bulkhead: `schema/org-spec.schema.json` at the package root, which is two
 * folders above this module both in a clone (`src/operations/init.ts`) and in the built package
 * (`dist/operations/init.js`, `schema` is in the package's `files`).
 */
export const PACKAGE_SCHEMA_FILE = fileURLToPath(new URL('../../schema/org-spec.schema.json', import.meta.url));

/**
 * The modeline's schema reference for a spec written at `specFile` (absolute): the path of `schemaFile` relative to
 * the spec's folder, which is how yaml-language-server resolves a relative `$schema` ("the path relative to the open
 * yaml file", yaml-language-server README, https://github.com/redhat-developer/yaml-language-server). A relative path
 * to the schema of the bulkhead that wrote the spec exists in every layout: `node_modules/bulkhead/schema/…` for a
 * project that installed it, `schema/…` or `../schema/…` in a clone, the global prefix for a global install. The
 * package has no published schema URL to prefer, and a URL would need the network. Another drive (Windows), where
 * no relative path exists, gets a `file:` URL.
 */
export function schemaReference(specFile: string, schemaFile: string = PACKAGE_SCHEMA_FILE): string {
  const rel = relative(dirname(specFile), schemaFile);
  if (isAbsolute(rel)) return pathToFileURL(schemaFile).href;
  const posix = rel.split(sep).join('/');
  return posix.startsWith('../') ? posix : `./${posix}`;
}

/** Where and how to write the starter spec. */
export interface InitSpecRequest {
  readonly starter: StarterOptions;
  /** Output path (relative to the host's cwd). */
  readonly out: string;
  /** Replace an existing regular file. A device or FIFO is written to directly; a symlink is followed. */
  readonly overwrite?: boolean;
  /** The schema file the modeline points at; default: the one this package ships ({@link PACKAGE_SCHEMA_FILE}). */
  readonly schemaFile?: string;
}

/** Writes the starter spec (its modeline pointing at the schema, relative to where the spec is written) and says how it was written. */
export async function initSpec(request: InitSpecRequest, host: Host): Promise<Result<FileWriteMode>> {
  const out = hostPath(host, request.out);
  const starter = { ...request.starter, schema: request.starter.schema ?? schemaReference(out, request.schemaFile) };
  return host.files.writeFile(out, starterSpec(starter), { label: request.out, overwrite: request.overwrite === true });
}
