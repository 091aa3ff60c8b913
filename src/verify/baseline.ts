/**
 * Baselines for `bulkhead verify --baseline FILE`: a previous `verify --format json` report whose findings are
 * accepted, so a pipeline gates only on findings that are new. Findings are matched by {@link baselineKey}, which
 * covers everything that makes a finding a different problem: rule, principal, account, every resource and the
 * capability set. (The SARIF fingerprint, rule + principal + first resource + account, is not enough: two
 * aggregated findings can share their first resource, and a finding whose capabilities grew is new access.)
 * Pure: the caller reads the file.
 */
import { error, fail, ok, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import { messageValue, quotedMessageValue } from '../util/message-value.js';
import { compareStrings } from '../util/order.js';
import { findingResources, type Finding } from './finding.js';

/** The parts of a finding the baseline key is made of. */
export interface BaselineFindingKeyParts {
  readonly rule: string;
  readonly principal: string;
  readonly account: string;
  readonly resources: readonly string[];
  readonly capabilities: readonly string[];
}

/** Diagnostic codes of baseline files (stable). */
export const BaselineCode = {
  /** The baseline is not JSON, or not a verify JSON report. */
  Invalid: 'BH9140',
  /** One baseline finding lacks a field the key needs, or has the wrong type. */
  BadFinding: 'BH9141',
} as const;

/**
 * The stable identity of a finding: rule, principal, account, the sorted resources and the sorted capabilities
 * (as JSON text, so no separator can be forged by a name). Two findings with the same key are the same problem; the message and evidence may change.
 */
export function baselineKey(f: BaselineFindingKeyParts): string {
  const resources = [...new Set(f.resources)].sort(compareStrings);
  const capabilities = [...new Set(f.capabilities)].sort(compareStrings);
  return JSON.stringify([f.rule, f.principal, f.account, resources, capabilities]);
}

/** The baseline key of a verify finding. */
export function findingBaselineKey(f: Finding): string {
  return baselineKey({ ...f, resources: findingResources(f) });
}

/** A parsed baseline: the keys of the findings it accepts. */
export interface Baseline {
  /** The file it was read from (echoed in the summary). */
  readonly label: string;
  readonly keys: ReadonlySet<string>;
  /** How many findings the baseline holds. */
  readonly findings: number;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

/** The key parts of one baseline finding at `path`, or a diagnostic naming the field that is wrong. */
function findingParts(v: unknown, path: string): Result<BaselineFindingKeyParts> {
  if (!isRecord(v)) return fail([error(BaselineCode.BadFinding, `a baseline finding must be an object; give the \`findings\` of a \`bulkhead verify --format json\` report`, path)]);
  const problems: Diagnostic[] = [];
  for (const k of ['rule', 'principal', 'account'] as const) {
    if (typeof v[k] !== 'string') problems.push(error(BaselineCode.BadFinding, `baseline finding field \`${k}\` must be a string, got ${quotedMessageValue(v[k])}; regenerate the baseline with \`bulkhead verify --format json\``, `${path}.${k}`));
  }
  for (const k of ['resources', 'capabilities'] as const) {
    if (!isStringArray(v[k])) problems.push(error(BaselineCode.BadFinding, `baseline finding field \`${k}\` must be a list of strings, got ${quotedMessageValue(v[k])}; regenerate the baseline with \`bulkhead verify --format json\``, `${path}.${k}`));
  }
  if (problems.length > 0) return fail(problems);
  return ok({
    rule: v['rule'] as string,
    principal: v['principal'] as string,
    account: v['account'] as string,
    resources: v['resources'] as string[],
    capabilities: v['capabilities'] as string[],
  });
}

/**
 * Reads a baseline from the parsed JSON of a verify report (`{schemaVersion: 1, findings: [...]}`). Diagnostics
 * carry JSON paths (`findings[3].rule`); the edge that read the text adds line:col.
 */
export function parseBaseline(value: unknown, label: string): Result<Baseline> {
  if (!isRecord(value) || !Array.isArray(value['findings'])) {
    return fail([error(BaselineCode.Invalid, `the baseline is not a verify JSON report (no \`findings\` list); write one with \`bulkhead verify TARGET --format json -o ${label}\``, '')]);
  }
  if (value['schemaVersion'] !== 1) {
    return fail([error(BaselineCode.Invalid, `baseline \`schemaVersion\` is \`${messageValue(value['schemaVersion'])}\`, this bulkhead reads version \`1\`; regenerate the baseline`, 'schemaVersion')]);
  }
  const keys = new Set<string>();
  const problems: Diagnostic[] = [];
  value['findings'].forEach((f, i) => {
    const parts = findingParts(f, `findings[${i}]`);
    if (parts.ok) keys.add(baselineKey(parts.value));
    else problems.push(...parts.diagnostics);
  });
  if (problems.length > 0) return fail(problems);
  return ok({ label, keys, findings: value['findings'].length });
}
