/**
 * The planning context: what every stage of the planner reads (the spec, the options, settings derived from the
 * organization block) and writes (the diagnostics sink, the OUs, accounts, roles and SCPs planned so far), plus
 * the reference checks the stages share. Stages run in a fixed order (see `planOrganization`), so a stage may read
 * what an earlier one built.
 */
import { error, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { DiagnosticCode } from '../../diagnostics/codes.js';
import type { Account, OrganizationPolicy, PolicyDocument, Role, Tags } from '../../model/organization.js';
import { DEFAULT_ACCESS_ROLE } from '../../model/organization.js';
import { formatPath, type ParsedSpec, type PositionLocator, type SpecPath } from '../../spec/parse.js';
import { SHARED_CATALOGUE, type Spec } from '../../spec/schema.js';
import { didYouMean } from '../../util/suggest.js';
import type { ActionsFor } from '../role-policies.js';

/** Validates a policy document of a type; returns diagnostics with paths relative to the document. */
export type ValidatePolicy = (doc: PolicyDocument, type: 'scp' | 'rcp' | 'identity' | 'trust') => readonly Diagnostic[];

/** Options for planning. */
export interface PlanOptions {
  /** Capability → action patterns (the capability table). */
  readonly actionsFor: ActionsFor;
  /** Validates a policy document of a type; returns diagnostics with paths relative to the document. */
  readonly validatePolicy?: ValidatePolicy;
}

/** The state one planning run shares between its stages. */
export interface PlanContext {
  readonly spec: Spec;
  readonly locate: PositionLocator;
  readonly options: PlanOptions;
  /** `options.validatePolicy` without the engine's size diagnostic (checkLimits reports sizes with plan advice). */
  readonly validatePolicy: ValidatePolicy | undefined;
  /** Every problem found so far, positioned in the spec. */
  readonly diagnostics: Diagnostic[];
  readonly org: Spec['organization'];
  readonly prefix: string;
  /** `phase-first` unless the spec says; an unknown layout is reported by the name checks and planning goes on, so the other problems still show. */
  readonly layout: NonNullable<Spec['organization']['ouLayout']>;
  readonly accessRoleName: string;
  readonly phaseNames: readonly string[];
  readonly buNames: readonly string[];
  /** Planned OUs by path (with their tags), in the order first planned. */
  readonly ous: Map<string, Tags>;
  readonly accounts: Account[];
  /** The names of `accounts`, in the same order. */
  readonly accountNames: string[];
  /** Where in the spec each account comes from. */
  readonly accountPath: Map<string, SpecPath>;
  /** Where each account's email came from, to point email problems at the right place. */
  readonly emailPath: Map<string, SpecPath>;
  /** Each business unit's valid phases, in declared phase order. */
  readonly buPhases: Map<string, string[]>;
  readonly roles: Role[];
  /** Roles whose `assumedFrom` the planner already reported, so the engine's trust-policy findings are dropped. */
  readonly badTrust: Set<string>;
  readonly scps: OrganizationPolicy[];
  /** Resource control policies (the RCP presets). */
  readonly rcps: OrganizationPolicy[];
  /** Customer guardrail name → its index in `guardrails`. */
  readonly scpNames: Map<string, number>;
}

/** Starts a planning run over a parsed spec. */
export function createContext(parsed: ParsedSpec, options: PlanOptions): PlanContext {
  const { spec, locate } = parsed;
  const org = spec.organization;
  const validate = options.validatePolicy;
  return {
    spec,
    locate,
    options,
    // Policy sizes are checked by checkLimits with plan-specific advice, so the engine's size diagnostic is dropped here.
    validatePolicy: validate ? (doc, type) => validate(doc, type).filter((d) => d.code !== 'BH3002') : undefined,
    diagnostics: [],
    org,
    prefix: org.accountPrefix ?? '',
    layout: org.ouLayout ?? 'phase-first',
    accessRoleName: org.accessRoleName ?? DEFAULT_ACCESS_ROLE,
    phaseNames: spec.phases.map((p) => p.name),
    buNames: spec.businessUnits.map((b) => b.name),
    ous: new Map(),
    accounts: [],
    accountNames: [],
    accountPath: new Map(),
    emailPath: new Map(),
    buPhases: new Map(),
    roles: [],
    badTrust: new Set(),
    scps: [],
    rcps: [],
    scpNames: new Map(),
  };
}

/** Records a diagnostic at a spec path, with its source position (of the key when `atKey`). */
export function report(ctx: PlanContext, path: SpecPath, d: Diagnostic, atKey = false): void {
  const position = ctx.locate(path, atKey);
  ctx.diagnostics.push({ ...d, path: formatPath(path), ...(position ? { position } : {}) });
}

/** Checks a value of one of the spec's closed lists (parsing accepts any string so all problems surface together). */
export function inList(ctx: PlanContext, value: string, list: readonly string[], code: DiagnosticCode, what: string, path: SpecPath): boolean {
  if (list.includes(value)) return true;
  report(ctx, path, error(code, `unknown ${what} \`${value}\`${didYouMean(value, list) || `; use one of ${list.map((v) => `\`${v}\``).join(', ')}`}`));
  return false;
}

/** The declared phase of that name, if any. */
export function phaseOf(ctx: PlanContext, name: string): Spec['phases'][number] | undefined {
  return ctx.spec.phases.find((p) => p.name === name);
}

/** Checks that a phase is declared; reports BH1010 when not. */
export function checkPhase(ctx: PlanContext, name: string, path: SpecPath): boolean {
  if (phaseOf(ctx, name)) return true;
  const { phaseNames } = ctx;
  report(ctx, path, error('BH1010', `unknown phase \`${name}\`${didYouMean(name, phaseNames) || `; declared phases: ${phaseNames.map((p) => `\`${p}\``).join(', ')}`}`));
  return false;
}

/** Checks that a business unit is declared; reports BH1011 when not. */
export function checkBu(ctx: PlanContext, name: string, path: SpecPath): boolean {
  const { buNames } = ctx;
  if (buNames.includes(name)) return true;
  report(ctx, path, error('BH1011', `unknown business unit \`${name}\`${didYouMean(name, buNames) || `; declared business units: ${buNames.map((p) => `\`${p}\``).join(', ')}`}`));
  return false;
}

/** Checks that an account is planned (run after the accounts stage); reports BH1012 with a hint when not. */
export function checkAccount(ctx: PlanContext, name: string, path: SpecPath): boolean {
  const { accountNames, prefix } = ctx;
  if (accountNames.includes(name)) return true;
  const catalogueName = name.startsWith(prefix) ? name.slice(prefix.length) : name;
  const hint = (SHARED_CATALOGUE as readonly string[]).includes(catalogueName)
    ? `; \`${catalogueName}\` is a shared account of the catalogue: add it to \`sharedAccounts\` to plan it`
    : didYouMean(name, accountNames) || `; planned accounts: ${accountNames.map((p) => `\`${p}\``).join(', ')}`;
  report(ctx, path, error('BH1012', `unknown account \`${name}\`${hint}`));
  return false;
}

/** A spec value that may be one item or a list, as a list. */
export function list<T>(v: T | readonly T[] | undefined): readonly T[] | undefined {
  return v === undefined ? undefined : Array.isArray(v) ? (v as readonly T[]) : [v as T];
}
