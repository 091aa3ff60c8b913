/** The `plan` operation: a spec (file or text) → the organization model, every diagnostic positioned. */
import { ok, type Result } from '../diagnostics/diagnostic.js';
import type { OrganizationModel } from '../model/organization.js';
import { planFromYaml } from '../plan/index.js';
import { hostPath, type Host } from './host.js';

/** Where a spec comes from: a file (relative to the host's cwd) or text already read (stdin, a string). */
export type SpecInput = { readonly path: string } | { readonly text: string; readonly label: string };

/** Reads a spec's text; diagnostics name the file as the user gave it. */
export async function readSpec(input: SpecInput, host: Host): Promise<Result<{ text: string; label: string }>> {
  if ('text' in input) return ok({ text: input.text, label: input.label });
  const text = await host.files.readText(hostPath(host, input.path), input.path);
  return text.ok ? ok({ text: text.value, label: input.path }) : text;
}

/** Plans a spec: parse, validate, design the organization. The model comes with the spec's warnings. */
export async function plan(input: SpecInput, host: Host): Promise<Result<OrganizationModel>> {
  const spec = await readSpec(input, host);
  if (!spec.ok) return spec;
  return planFromYaml(spec.value.text, spec.value.label);
}
