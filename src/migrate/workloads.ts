/**
 * Workloads: every inventory resource gets a phase, a business unit and an application, decided from its own tags,
 * then its name's tokens (`orders-dev-table` → dev), then its CloudFormation stack (a stack's resources share its
 * attribution), then its account when the account holds one phase (or one business unit) only. The inference is
 * data (`WORKLOAD_TAG_KEYS`, `PHASE_TOKENS`); what stays undecided is reported, never guessed.
 */
import type { InventoryResource } from '../model/inventory.js';
import type { OrganizationModel, Tags } from '../model/organization.js';
import { findTag } from '../verify/attribution.js';
import type { Attribution } from '../verify/attribution.js';
import { compareStrings } from '../util/order.js';
import { pushTo } from '../util/multimap.js';

/** Tag keys (matched case-insensitively, first match wins) for each attribute of a workload. */
export const WORKLOAD_TAG_KEYS = {
  phase: ['environment', 'env', 'stage', 'phase', 'sdlc stage'],
  businessUnit: ['businessunit', 'business-unit', 'business_unit', 'business unit', 'bu', 'team'],
  application: ['application', 'app', 'service', 'workload'],
} as const;

/** Name tokens (lowercase, split on `-`, `_`, `.`, `/`, `:`) that name a phase, by phase family. */
export const PHASE_TOKENS: Readonly<Record<string, readonly string[]>> = {
  dev: ['dev', 'develop', 'development', 'sandbox'],
  test: ['test', 'qa', 'sit'],
  stage: ['stage', 'staging', 'stg', 'uat', 'preprod'],
  prod: ['prod', 'production', 'prd', 'live'],
};

/** How an attribute of a workload was decided. */
export type WorkloadSource = 'tag' | 'name' | 'stack' | 'account' | 'none';

/** One decided attribute. */
export interface WorkloadAttribute {
  readonly value?: string;
  readonly source: WorkloadSource;
  /** E.g. "tag `Environment=dev`", "name token `dev`", "stack `orders`", "account `payments-dev`". */
  readonly detail?: string;
}

/** An inventory resource with its workload attribution. */
export interface Workload {
  readonly index: number;
  readonly resource: InventoryResource;
  readonly phase: WorkloadAttribute;
  readonly businessUnit: WorkloadAttribute;
  readonly application: WorkloadAttribute;
}

/** The role a workload runs as: the role itself, or a function's execution role (undefined for other resources). */
export function workloadRole(w: Workload): string | undefined {
  return w.resource.type === 'iam:role' ? w.resource.arn : w.resource.lambda?.role;
}

/** The workloads of an inventory. */
export interface Workloads {
  /** Sorted by account, then ARN. */
  readonly workloads: readonly Workload[];
  readonly byArn: ReadonlyMap<string, Workload>;
  /** ARNs whose phase or business unit stayed undecided (sorted). */
  readonly unattributed: readonly string[];
}

/** The names of the design: known phases and business units (lowercase → canonical). */
export interface DesignVocabulary {
  readonly phases: ReadonlyMap<string, string>;
  readonly businessUnits: ReadonlyMap<string, string>;
}

/** The vocabulary of a target model (its phases and business units). */
export function vocabularyOf(target: OrganizationModel | undefined): DesignVocabulary {
  return {
    phases: new Map((target?.phases ?? []).map((p) => [p.name.toLowerCase(), p.name])),
    businessUnits: new Map((target?.businessUnits ?? []).map((b) => [b.name.toLowerCase(), b.name])),
  };
}

/** A phase value (tag value or name token) in the design's spelling; undefined when it names no phase. */
export function canonicalPhase(raw: string, vocab: DesignVocabulary, strict: boolean): string | undefined {
  const v = raw.trim().toLowerCase();
  const direct = vocab.phases.get(v);
  if (direct !== undefined) return direct;
  const family = Object.entries(PHASE_TOKENS).find(([, tokens]) => tokens.includes(v));
  if (!family) return strict ? undefined : v === '' ? undefined : v;
  for (const t of [family[0], ...family[1]]) {
    const hit = vocab.phases.get(t);
    if (hit !== undefined) return hit;
  }
  return vocab.phases.size === 0 ? family[0] : strict ? undefined : family[0];
}

/** The lowercase tokens of a resource name. */
export function nameTokens(name: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (const ch of name.toLowerCase()) {
    if (ch === '-' || ch === '_' || ch === '.' || ch === '/' || ch === ':' || ch === ' ') {
      if (cur !== '') out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur !== '') out.push(cur);
  return out;
}

const NONE: WorkloadAttribute = { source: 'none' };

/** Phase and business unit from a resource's own tags, else its name's tokens. */
function own(tags: Tags, name: string, vocab: DesignVocabulary): { phase: WorkloadAttribute; businessUnit: WorkloadAttribute; application: WorkloadAttribute } {
  const pt = findTag(tags, WORKLOAD_TAG_KEYS.phase);
  const bt = findTag(tags, WORKLOAD_TAG_KEYS.businessUnit);
  const at = findTag(tags, WORKLOAD_TAG_KEYS.application);
  let phase: WorkloadAttribute = pt ? { value: canonicalPhase(pt.value, vocab, false)!, source: 'tag', detail: `tag \`${pt.key}=${pt.value}\`` } : NONE;
  let businessUnit: WorkloadAttribute = bt
    ? { value: vocab.businessUnits.get(bt.value.toLowerCase()) ?? bt.value.toLowerCase(), source: 'tag', detail: `tag \`${bt.key}=${bt.value}\`` }
    : NONE;
  const tokens = nameTokens(name);
  if (phase.value === undefined) {
    for (const t of tokens) {
      const p = canonicalPhase(t, vocab, true);
      if (p !== undefined) {
        phase = { value: p, source: 'name', detail: `name token \`${t}\`` };
        break;
      }
    }
  }
  if (businessUnit.value === undefined) {
    const t = tokens.find((x) => vocab.businessUnits.has(x));
    if (t !== undefined) businessUnit = { value: vocab.businessUnits.get(t)!, source: 'name', detail: `name token \`${t}\`` };
  }
  const application: WorkloadAttribute = at ? { value: at.value, source: 'tag', detail: `tag \`${at.key}=${at.value}\`` } : NONE;
  return { phase, businessUnit, application };
}

type Attrs = ReturnType<typeof own>;
type Key = 'phase' | 'businessUnit' | 'application';

/** The attribution of each stack: its own resource's (tags, name), else the one value its members agree on. */
function stackAttributes(resources: readonly InventoryResource[], owns: readonly Attrs[], vocab: DesignVocabulary): Map<string, Attrs> {
  const members = new Map<string, number[]>();
  resources.forEach((r, i) => {
    if (r.stack) pushTo(members, r.stack.arn, i);
  });
  const stackResource = new Map(resources.map((r, i) => [r.arn, i] as const));
  const out = new Map<string, Attrs>();
  for (const [arn, idx] of members) {
    const name = resources[idx[0]!]!.stack!.name;
    const selfIndex = stackResource.get(arn);
    const self = selfIndex !== undefined ? owns[selfIndex]! : own({}, name, vocab);
    const agreed = (key: Key): WorkloadAttribute => {
      if (self[key].value !== undefined) return { value: self[key].value, source: 'stack', detail: `stack \`${name}\` (${self[key].detail})` };
      const values = new Set(idx.map((i) => owns[i]![key].value).filter((v): v is string => v !== undefined));
      return values.size === 1 ? { value: [...values][0]!, source: 'stack', detail: `stack \`${name}\` (its other resources)` } : NONE;
    };
    out.set(arn, { phase: agreed('phase'), businessUnit: agreed('businessUnit'), application: agreed('application') });
  }
  return out;
}

/** Per account, the one value its resources' own attributes name (undefined when none or several: a kitchen-sink). */
function accountSingles(resources: readonly InventoryResource[], owns: readonly Attrs[], key: Key): Map<string, Set<string>> {
  const seen = new Map<string, Set<string>>();
  resources.forEach((r, i) => {
    const v = owns[i]![key].value;
    const set = seen.get(r.account) ?? new Set<string>();
    if (v !== undefined) set.add(v);
    seen.set(r.account, set);
  });
  return seen;
}

/** The account's own attribute, when the account holds no resources of another value (not a kitchen-sink). */
function fromAccount(attribution: Attribution | undefined, seen: Map<string, Set<string>>, account: string, key: 'phase' | 'businessUnit'): WorkloadAttribute {
  const a = attribution?.accounts.get(account)?.[key];
  const values = seen.get(account) ?? new Set<string>();
  if (a?.value === undefined || values.size > 1 || (values.size === 1 && !values.has(a.value))) return NONE;
  return { value: a.value, source: 'account', detail: `account \`${account}\`` };
}

/** Decides the phase, business unit and application of every inventory resource. */
export function inferWorkloads(resources: readonly InventoryResource[], vocab: DesignVocabulary, attribution?: Attribution): Workloads {
  const sorted = [...resources].sort((a, b) => compareStrings(a.account, b.account) || compareStrings(a.arn, b.arn));
  const owns = sorted.map((r) => own(r.tags, r.name, vocab));
  const stacks = stackAttributes(sorted, owns, vocab);
  const seenPhase = accountSingles(sorted, owns, 'phase');
  const seenBu = accountSingles(sorted, owns, 'businessUnit');
  const workloads: Workload[] = sorted.map((resource, index) => {
    const mine = owns[index]!;
    const stack = resource.stack ? stacks.get(resource.stack.arn) : undefined;
    const pick = (key: Key, fallback: () => WorkloadAttribute): WorkloadAttribute =>
      mine[key].value !== undefined ? mine[key] : stack && stack[key].value !== undefined ? stack[key] : fallback();
    return {
      index,
      resource,
      phase: pick('phase', () => fromAccount(attribution, seenPhase, resource.account, 'phase')),
      businessUnit: pick('businessUnit', () => fromAccount(attribution, seenBu, resource.account, 'businessUnit')),
      application: pick('application', () => NONE),
    };
  });
  const unattributed = workloads.filter((w) => w.phase.value === undefined || w.businessUnit.value === undefined).map((w) => w.resource.arn);
  return { workloads, byArn: new Map(workloads.map((w) => [w.resource.arn, w])), unattributed: unattributed.sort(compareStrings) };
}
