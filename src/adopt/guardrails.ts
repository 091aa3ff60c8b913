/**
 * Organization policies → spec guardrails: a preset where the live document is the one the planner would write for
 * that preset (canonical JSON equal, with the regions, exempt roles, organization id and networks read back from the
 * document), else the custom document. AWS managed policies (FullAWSAccess, RCPFullAWSAccess) are AWS's own and
 * stay out of the spec; a custom RCP is a custom guardrail with `type: rcp`.
 */
import { canonicalJson } from '../changes/diff.js';
import type { JsonValue, OrganizationModel, OrganizationPolicy, PolicyDocument, PolicyTarget } from '../model/organization.js';
import { ROOT_PATH } from '../model/organization.js';
import { presetDocument, presetKind, type GuardrailPreset, type PresetOptions } from '../plan/guardrails.js';
import { GUARDRAIL_PRESETS, type SpecAttach } from '../spec/schema.js';
import { compareStrings } from '../util/order.js';

/** One adopted guardrail (a spec `guardrails` entry) with the policy it came from. */
export interface AdoptedGuardrail {
  readonly entry: Record<string, JsonValue>;
  readonly policy: OrganizationPolicy;
  readonly kind: 'scp' | 'rcp';
  /** Set when the policy could not be adopted (then `entry` is empty and nothing is written). */
  readonly skipped?: string;
}

/** Every string value under `key` in the document's conditions (any operator). */
function conditionValues(doc: JsonValue, key: string): string[] {
  const out = new Set<string>();
  const walk = (v: JsonValue): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k.toLowerCase() === key.toLowerCase()) for (const s of Array.isArray(x) ? x : [x]) if (typeof s === 'string') out.add(s);
        walk(x);
      }
    }
  };
  walk(doc);
  return [...out];
}

const ROLE_ARN_PREFIX = 'arn:aws:iam::*:role/';

/** The preset parameters a document carries, read back so the preset can be rebuilt and compared. */
function readOptions(doc: PolicyDocument, regions: readonly string[]): PresetOptions {
  const requested = conditionValues(doc, 'aws:RequestedRegion');
  const exempt = conditionValues(doc, 'aws:PrincipalARN')
    .filter((a) => a.startsWith(ROLE_ARN_PREFIX))
    .map((a) => a.slice(ROLE_ARN_PREFIX.length));
  const org = [...conditionValues(doc, 'aws:PrincipalOrgID'), ...conditionValues(doc, 'aws:SourceOrgID')][0];
  const ips = conditionValues(doc, 'aws:SourceIp');
  const vpcs = conditionValues(doc, 'aws:SourceVpc');
  return {
    regions: requested.length > 0 ? requested : regions,
    exemptRoles: exempt,
    ...(org !== undefined ? { organizationId: org } : {}),
    ...(ips.length > 0 ? { sourceIps: ips } : {}),
    ...(vpcs.length > 0 ? { sourceVpcs: vpcs } : {}),
  };
}

/** The preset whose planned document equals `doc`, and the options that rebuild it. */
export function matchPreset(doc: PolicyDocument, kind: 'scp' | 'rcp', regions: readonly string[]): { preset: GuardrailPreset; options: PresetOptions } | undefined {
  const want = canonicalJson(doc);
  const options = readOptions(doc, regions);
  for (const preset of GUARDRAIL_PRESETS) {
    if (presetKind(preset) !== kind) continue;
    if (canonicalJson(presetDocument(preset, options)) === want) return { preset, options };
  }
  return undefined;
}

/** A policy target as a spec `attach` entry. */
function attachOf(t: PolicyTarget): SpecAttach {
  if ('account' in t) return { account: t.account };
  return t.ou === ROOT_PATH ? 'root' : { ou: t.ou.slice(ROOT_PATH.length + 1) };
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => canonicalJson([...a].sort()) === canonicalJson([...b].sort());

/** The preset entry's parameters that differ from what the planner assumes by default. */
function presetParameters(model: OrganizationModel, preset: GuardrailPreset, o: PresetOptions): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  if (preset === 'region-restriction' && !sameList(o.regions, model.organization.regions)) out['regions'] = [...o.regions];
  if (!sameList(o.exemptRoles, [model.organization.accessRoleName])) out['exemptRoles'] = [...o.exemptRoles];
  // the organization's own id is left out: the preset then names the organization being designed
  // (`{{organization:id}}`), which apply resolves to this same id
  const perimeter = preset === 'data-perimeter-identity' || preset === 'data-perimeter-confused-deputy';
  if (perimeter && o.organizationId !== undefined && o.organizationId !== model.organization.id) out['organizationId'] = o.organizationId;
  if (preset === 'data-perimeter-network') {
    if (o.sourceIps) out['sourceIps'] = [...o.sourceIps];
    if (o.sourceVpcs) out['sourceVpcs'] = [...o.sourceVpcs];
  }
  return out;
}

/** One organization policy as a guardrail entry (or why it cannot be one). */
function adoptPolicy(model: OrganizationModel, policy: OrganizationPolicy, kind: 'scp' | 'rcp'): AdoptedGuardrail {
  const attach = [...policy.targets].map(attachOf).sort((a, b) => compareStrings(canonicalJson(a), canonicalJson(b)));
  if (attach.length === 0) return { entry: {}, policy, kind, skipped: `${kind.toUpperCase()} \`${policy.name}\` is attached nowhere; a guardrail needs an \`attach\` target, so it is left out (apply leaves it alone)` };
  const match = matchPreset(policy.document, kind, model.organization.regions);
  if (match) {
    const entry: Record<string, JsonValue> = { preset: match.preset };
    if (policy.name !== match.preset) entry['name'] = policy.name;
    entry['attach'] = attach as JsonValue;
    return { entry: { ...entry, ...presetParameters(model, match.preset, match.options) }, policy, kind };
  }
  const entry: Record<string, JsonValue> = { name: policy.name };
  if (kind === 'rcp') entry['type'] = 'rcp';
  if (policy.description) entry['description'] = policy.description.slice(0, 512);
  entry['attach'] = attach as JsonValue;
  entry['policy'] = policy.document;
  return { entry, policy, kind };
}

/** Every customer managed SCP and RCP of the model, as guardrails (sorted by name). */
export function adoptGuardrails(model: OrganizationModel): AdoptedGuardrail[] {
  const customer = (ps: readonly OrganizationPolicy[]) => [...ps].filter((p) => p.managedBy !== 'aws').sort((a, b) => compareStrings(a.name, b.name));
  return [...customer(model.serviceControlPolicies).map((p) => adoptPolicy(model, p, 'scp')), ...customer(model.resourceControlPolicies).map((p) => adoptPolicy(model, p, 'rcp'))];
}
