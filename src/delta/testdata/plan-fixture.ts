/** Plans a spec text for the delta tests (throws on a bad fixture: a test bug). */
import { planFromYaml } from '../../plan/index.js';
import type { OrganizationModel } from '../../model/organization.js';

/** The planned model of `text`. */
export function planSpecText(text: string, label: string): OrganizationModel {
  const m = planFromYaml(text, label);
  if (!m.ok) throw new Error(JSON.stringify(m.diagnostics));
  return m.value;
}
