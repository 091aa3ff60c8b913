/**
 * Exclusions for `bulkhead verify --exclusions FILE`: accepted findings, each with a reason, an owner and an
 * expiry date, written in YAML or JSON:
 *
 * ```yaml
 * exclusions:
 *   - rule: boundary.nonprod-to-prod          # wildcards `*` and `?`
 *     principal: arn:aws:iam::*:role/ci-*     # ARN or display name (`account/role`); default `*`
 *     resource: arn:aws:s3:::shared-*         # every resource of the finding must match; default `*`
 *     reason: the CI role reads the shared artefact bucket by design
 *     owner: platform-team
 *     expires: 2027-03-31                     # ISO date; suppresses through that day (UTC)
 * ```
 *
 * Patterns are matched with util/glob.ts (never a regular expression). An entry past its date suppresses nothing
 * and becomes a finding itself (`gate.exclusion-expired`, naming the entry and its file:line). Pure: the caller
 * reads the file and passes the clock.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { error, fail, ok, type Diagnostic, type Result, type SourcePosition } from '../diagnostics/diagnostic.js';
import { offsetToPosition } from '../policy/parse.js';
import { findDeepNesting, MAX_NESTING_DEPTH } from '../spec/depth.js';
import { globFromText, globMatch, type Glob } from '../util/glob.js';
import { findingResources, type Finding } from './finding.js';

/** Diagnostic codes of exclusion files (stable). */
export const ExclusionCode = {
  /** The file is not YAML/JSON, or not a mapping with an `exclusions` list. */
  Invalid: 'BH9142',
  /** An entry lacks a field, has an unknown one, or a value of the wrong shape. */
  BadEntry: 'BH9143',
  /** An entry's `expires` is not an ISO date (YYYY-MM-DD). */
  BadDate: 'BH9144',
} as const;

/** The rule id of the finding an expired exclusion becomes. */
export const EXPIRED_EXCLUSION_RULE = 'gate.exclusion-expired';

/** One exclusion entry, with where it is written. */
export interface Exclusion {
  /** 0-based index in the `exclusions` list. */
  readonly index: number;
  readonly rule: string;
  readonly principal: string;
  readonly resource: string;
  readonly reason: string;
  readonly owner: string;
  /** The ISO date as written. */
  readonly expires: string;
  /** The entry's position in the file. */
  readonly position: SourcePosition;
}

/** A parsed exclusions file. */
export interface Exclusions {
  readonly label: string;
  readonly entries: readonly Exclusion[];
}

/** An exclusions file larger than this (characters) is refused: hundreds of entries fit in far less. */
const MAX_EXCLUSIONS_CHARS = 5 * 1024 * 1024;

/** Alias expansions a file may make (the yaml library's `maxAliasCount`), as for the spec. */
const MAX_ALIAS_COUNT = 100;

const FIELDS = ['rule', 'principal', 'resource', 'reason', 'owner', 'expires'] as const;
const REQUIRED = new Set<string>(['rule', 'reason', 'owner', 'expires']);
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The end of an ISO date (the next UTC midnight) in epoch milliseconds, or undefined when it is no real date. */
export function expiryInstant(date: string): number | undefined {
  const m = ISO_DATE.exec(date);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return t + 86_400_000;
}

interface ReadContext {
  readonly doc: Document;
  readonly lc: LineCounter;
  readonly label: string;
  readonly problems: Diagnostic[];
}

/** The offset of the node at `path`; with `key`, of the last step's key (an unknown field points at its name). */
function offsetOf(ctx: ReadContext, path: readonly (string | number)[], key: boolean): number | undefined {
  if (key && path.length > 0) {
    const parent = ctx.doc.getIn(path.slice(0, -1), true);
    const pair = isMap(parent) ? parent.items.find((p) => isScalar(p.key) && String(p.key.value) === String(path[path.length - 1])) : undefined;
    if (pair && isScalar(pair.key)) return pair.key.range?.[0];
  }
  return (ctx.doc.getIn(path, true) as { range?: readonly number[] } | undefined)?.range?.[0];
}

function at(ctx: ReadContext, path: readonly (string | number)[], code: Diagnostic['code'], message: string, key = false): void {
  const offset = offsetOf(ctx, path, key);
  const position = offset === undefined ? { line: 1, col: 1 } : ctx.lc.linePos(offset);
  const jsonPath = path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');
  ctx.problems.push({ ...error(code, message, jsonPath), file: ctx.label, position });
}

/** Reads entry `i`, recording its problems; undefined when it has any. */
function readEntry(ctx: ReadContext, raw: unknown, i: number): Exclusion | undefined {
  const path = ['exclusions', i];
  if (!(raw instanceof Map)) {
    at(ctx, path, ExclusionCode.BadEntry, `exclusion #${i} must be a mapping with \`rule\`, \`reason\`, \`owner\` and \`expires\``);
    return undefined;
  }
  const before = ctx.problems.length;
  const entry = raw as Map<unknown, unknown>;
  for (const key of entry.keys()) {
    const k = String(key);
    if (!(FIELDS as readonly string[]).includes(k)) at(ctx, [...path, k], ExclusionCode.BadEntry, `unknown exclusion field \`${k}\`; the fields are ${FIELDS.map((f) => `\`${f}\``).join(', ')}`, true);
  }
  const text = (k: string): string => {
    const v = entry.get(k);
    if (v === undefined) {
      if (REQUIRED.has(k)) at(ctx, path, ExclusionCode.BadEntry, `exclusion #${i} lacks \`${k}\`; every entry needs \`rule\`, \`reason\`, \`owner\` and \`expires\``);
      return '*';
    }
    if (typeof v !== 'string' || v.trim() === '') {
      at(ctx, [...path, k], ExclusionCode.BadEntry, `exclusion field \`${k}\` must be a non-empty string, got \`${JSON.stringify(v)}\``);
      return '';
    }
    return v;
  };
  const [rule, principal, resource, reason, owner, expires] = FIELDS.map(text) as [string, string, string, string, string, string];
  if (typeof entry.get('expires') === 'string' && expiryInstant(expires) === undefined) {
    at(ctx, [...path, 'expires'], ExclusionCode.BadDate, `exclusion \`expires\` \`${expires}\` is not an ISO date; write it as YYYY-MM-DD, e.g. \`2027-03-31\``);
  }
  if (ctx.problems.length > before) return undefined;
  const offset = (ctx.doc.getIn(path, true) as { range?: readonly number[] } | undefined)?.range?.[0] ?? 0;
  return { index: i, rule, principal, resource, reason, owner, expires, position: ctx.lc.linePos(offset) };
}

/** Parses an exclusions file (YAML or JSON). Every problem has file:line:col and a path like `exclusions[2].expires`. */
export function parseExclusions(source: string, label: string): Result<Exclusions> {
  const text = source.replace(/\r\n?/g, '\n');
  if (text.length > MAX_EXCLUSIONS_CHARS) {
    return fail([{ ...error(ExclusionCode.Invalid, `the exclusions file is ${text.length} characters, more than the ${MAX_EXCLUSIONS_CHARS} read; split it or trim it`), file: label, position: { line: 1, col: 1 } }]);
  }
  const deep = findDeepNesting(text);
  if (deep) {
    return fail([{ ...error(ExclusionCode.Invalid, `the exclusions file nests deeper than ${MAX_NESTING_DEPTH} levels here; an exclusions file needs three: flatten it`), file: label, position: offsetToPosition(text, deep.offset) }]);
  }
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return fail(
      doc.errors.map((e) => ({ ...error(ExclusionCode.Invalid, `the exclusions file is not valid YAML or JSON: ${e.message.split('\n')[0]!.toLowerCase()}`), file: label, position: lc.linePos(e.pos[0]) })),
    );
  }
  const ctx: ReadContext = { doc, lc, label, problems: [] };
  const list = isMap(doc.contents) ? doc.contents.get('exclusions', true) : undefined;
  if (!isSeq(list)) {
    at(ctx, isMap(doc.contents) ? ['exclusions'] : [], ExclusionCode.Invalid, 'the exclusions file must be a mapping with an `exclusions` list of entries');
    return fail(ctx.problems);
  }
  let data: unknown[];
  try {
    data = (doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT, mapAsMap: true }) as Map<string, unknown[]>).get('exclusions') ?? [];
  } catch (e) {
    // the yaml library throws ReferenceError for an alias expanding past maxAliasCount (or a bad alias)
    if (!(e instanceof ReferenceError)) throw e;
    return fail([{ ...error(ExclusionCode.Invalid, `the exclusions file expands its YAML aliases more than ${MAX_ALIAS_COUNT} times; write the entries out`), file: label, position: { line: 1, col: 1 } }]);
  }
  const entries: Exclusion[] = [];
  data.forEach((raw, i) => {
    const e = readEntry(ctx, raw, i);
    if (e) entries.push(e);
  });
  return ctx.problems.length > 0 ? fail(ctx.problems) : ok({ label, entries });
}

/** An entry compiled for matching. */
interface CompiledExclusion {
  readonly entry: Exclusion;
  readonly rule: Glob;
  readonly principal: Glob;
  readonly resource: Glob;
}

/** The outcome of applying exclusions to findings. */
export interface ExclusionOutcome {
  /** Findings no live entry matched, then one finding per expired entry. */
  readonly findings: readonly Finding[];
  /** How many findings live entries suppressed. */
  readonly suppressed: number;
  /** The entries past their date. */
  readonly expired: readonly Exclusion[];
}

function matches(c: CompiledExclusion, f: Finding): boolean {
  if (!globMatch(c.rule, f.rule)) return false;
  if (!globMatch(c.principal, f.principal) && !(f.principalName !== undefined && globMatch(c.principal, f.principalName))) return false;
  const resources = findingResources(f);
  // an aggregated finding is excluded only when every one of its resources is: a new resource is new access
  return (resources.length === 0 ? ['-'] : resources).every((r) => globMatch(c.resource, r));
}

/** The finding an expired entry becomes. */
function expiredFinding(e: Exclusion, label: string): Finding {
  const where = `${label}:${e.position.line}`;
  return {
    rule: EXPIRED_EXCLUSION_RULE,
    severity: 'medium',
    principal: '-',
    resource: where,
    account: '-',
    capabilities: [],
    path: [],
    evidence: [],
    message: `exclusion #${e.index} at \`${where}\` (rule \`${e.rule}\`, owner \`${e.owner}\`) expired on \`${e.expires}\` and suppresses nothing; renew its date after review, or remove it and fix what it excluded`,
  };
}

/** Applies exclusions at time `now`: live entries suppress matching findings; expired ones become findings. */
export function applyExclusions(findings: readonly Finding[], exclusions: Exclusions, now: Date): ExclusionOutcome {
  const live: CompiledExclusion[] = [];
  const expired: Exclusion[] = [];
  for (const entry of exclusions.entries) {
    if (now.getTime() >= (expiryInstant(entry.expires) ?? 0)) expired.push(entry);
    else live.push({ entry, rule: globFromText(entry.rule), principal: globFromText(entry.principal), resource: globFromText(entry.resource) });
  }
  const kept = findings.filter((f) => f.rule === EXPIRED_EXCLUSION_RULE || !live.some((c) => matches(c, f)));
  return { findings: [...kept, ...expired.map((e) => expiredFinding(e, exclusions.label))], suppressed: findings.length - kept.length, expired };
}
