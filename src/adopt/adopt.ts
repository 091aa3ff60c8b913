/**
 * `adopt`: a collected organization becomes a spec. Business units and phases from verify's attribution, shared
 * accounts recognised by name, tags and OU, roles common to many accounts as spec roles with capability access,
 * SCPs and RCPs as guardrails (a preset where equivalent); every account that does not fit is commented. The id
 * mapping (spec names → live ids) comes with it.
 */
import { ok, warning, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import type { JsonValue, OrganizationModel } from '../model/organization.js';
import { compareStrings } from '../util/order.js';
import { buildSpec, comment, type SpecComments } from './build.js';
import { classify } from './classify.js';
import { adoptGuardrails } from './guardrails.js';
import { adoptIds, type AdoptIds } from './ids.js';
import { specSafeNames, type Rename } from './names.js';
import { adoptRoles } from './roles.js';
import { writeSpecYaml } from './write.js';

export { adoptIds, type AdoptIds } from './ids.js';
export { matchPreset } from './guardrails.js';

/** Options of adoption. */
export interface AdoptOptions {
  /** Where the snapshot came from (labels the header comment). */
  readonly source?: string;
  /** A role becomes a spec role when found in at least this many business-unit accounts; default 2. */
  readonly minRoleAccounts?: number;
  /** Set when the snapshot lacks accounts or parts: what it lacks, said in the header comment. */
  readonly incomplete?: string;
}

/** One account (or role, or policy) that does not fit, as the report lists it. */
export interface AdoptFlag {
  readonly subject: string;
  readonly reason: string;
}

/** The adopted spec. */
export interface Adopted {
  /** The spec as YAML text, comments included. */
  readonly yaml: string;
  /** The same spec as data. */
  readonly spec: Record<string, JsonValue>;
  readonly ids: AdoptIds;
  /** Everything commented in the spec, sorted by subject. */
  readonly flags: readonly AdoptFlag[];
}

/** Adds roles and guardrails to the spec, with their comments and warnings. */
function addRolesAndGuardrails(model: OrganizationModel, spec: Record<string, JsonValue>, comments: SpecComments, c: ReturnType<typeof classify>, options: AdoptOptions, flags: AdoptFlag[], diagnostics: Diagnostic[]): void {
  const all = adoptRoles(model, c, options.minRoleAccounts ?? 2);
  const roles = all.filter((r) => r.skipped === undefined);
  for (const r of all) {
    if (r.skipped === undefined) continue;
    flags.push({ subject: `role ${r.name}`, reason: r.skipped });
    diagnostics.push(warning('BH9204', r.skipped));
  }
  if (roles.length > 0) {
    spec['roles'] = Object.fromEntries(roles.map((r) => [r.name, r.entry]));
    for (const r of roles) {
      for (const n of r.notes) comment(comments, ['roles', r.name], n);
      flags.push({ subject: `role ${r.name}`, reason: r.notes.join('; ') });
    }
  }
  const guardrails = adoptGuardrails(model);
  const written = guardrails.filter((g) => g.skipped === undefined);
  if (written.length > 0) spec['guardrails'] = written.map((g) => g.entry);
  for (const g of guardrails) {
    if (g.skipped === undefined) continue;
    flags.push({ subject: `${g.kind} ${g.policy.name}`, reason: g.skipped });
    diagnostics.push(warning('BH9201', g.skipped));
  }
  const skipped = guardrails.filter((g) => g.skipped !== undefined).map((g) => g.skipped!);
  if (skipped.length > 0 && written.length > 0) for (const s of skipped) comment(comments, ['guardrails'], s);
}

/** What a rename means for apply: accounts are matched by email, policies by name. */
function renameNote(r: Rename): string {
  const effect = r.kind === 'account'
    ? 'apply matches accounts by email and leaves its name alone'
    : `apply would create the ${r.kind.toUpperCase()} under the spec name (it matches policies by name) and leave \`${r.live}\` alone: rename the live policy first, or accept the new one`;
  return `live name \`${r.live}\`: ${r.why}, so the spec calls it \`${r.spec}\`; ${effect}`;
}

/** Comments each renamed account and guardrail at its spec entry, warns (BH9207) and flags it. */
function reportRenames(spec: Record<string, JsonValue>, renames: readonly Rename[], comments: SpecComments, flags: AdoptFlag[], diagnostics: Diagnostic[]): void {
  const entries = (key: string) => (Array.isArray(spec[key]) ? (spec[key] as JsonValue[]) : []);
  for (const r of renames) {
    const note = renameNote(r);
    const key = r.kind === 'account' ? 'accounts' : 'guardrails';
    const i = entries(key).findIndex((e) => e !== null && typeof e === 'object' && !Array.isArray(e) && e['name'] === r.spec);
    if (i >= 0) comment(comments, [key, i], note);
    else if (r.kind === 'account' && spec['organization'] && (spec['organization'] as Record<string, JsonValue>)['managementAccount']) comment(comments, ['organization'], note);
    flags.push({ subject: `${r.kind} ${r.spec}`, reason: note });
    diagnostics.push(warning('BH9207', note));
  }
}

/** Turns a collected model into a spec, its comments and the id mapping. */
export function adoptOrganization(live: OrganizationModel, options: AdoptOptions = {}): Result<Adopted> {
  const comments: SpecComments = new Map();
  const { model, renames } = specSafeNames(live);
  const c = classify(model);
  const built = buildSpec(model, c, comments);
  const spec = built.spec;
  const flags: AdoptFlag[] = [...built.flags];
  const diagnostics: Diagnostic[] = [];
  for (const a of c.accounts) {
    for (const m of a.misfits) {
      flags.push({ subject: `account ${a.account.name}`, reason: m });
      diagnostics.push(warning('BH9200', `account \`${a.account.name}\` does not fit: ${m}`));
    }
  }
  addRolesAndGuardrails(model, spec, comments, c, options, flags, diagnostics);
  reportRenames(spec, renames, comments, flags, diagnostics);
  const header = [
    `adopted by bulkhead from ${options.source ?? 'a snapshot'}: the organization as it is.`,
    'comments mark what does not fit the design (kitchen-sink, unattributed, mixed OU) and what apply would change.',
    ...(options.incomplete ? [`INCOMPLETE: ${options.incomplete}; what the snapshot lacks is missing from this spec too: re-collect before applying it.`] : []),
  ];
  const yaml = writeSpecYaml(spec, comments, header);
  flags.sort((a, b) => compareStrings(a.subject, b.subject) || compareStrings(a.reason, b.reason));
  return ok({ yaml, spec, ids: adoptIds(model, renames), flags }, diagnostics);
}
