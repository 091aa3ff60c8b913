/**
 * The policy-change check operations for pipelines: `checkNewAccess` (does a new policy grant anything the
 * baseline does not?) and `checkNotGranted` (does a policy grant any of these actions or capabilities?). Policy
 * files are read through the host and parsed with positions (file:line:col on every problem).
 */
import { error, fail, ok, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import { actionsWithCapability, allActions, expandActionPattern, isCapability, isPattern, lookupAction, suggestAction, CAPABILITIES } from '../catalog/index.js';
import { DEFAULT_CATALOG } from '../policy/catalog-default.js';
import { locateDiagnostics } from '../policy/json-locate.js';
import { checkNewAccess as newAccess, checkNotGranted as notGranted, type CheckAnswer } from '../policy/new-access.js';
import { parseJsonText, parsePolicy } from '../policy/parse.js';
import type { Policy, PolicyType } from '../policy/types.js';
import { compareStrings } from '../util/order.js';
import { hostPath, type Host } from './host.js';

/** The policy types the checks read. */
export const CHECK_POLICY_TYPES = ['identity', 'resource', 'scp', 'rcp', 'trust'] as const satisfies readonly PolicyType[];

/** One of {@link CHECK_POLICY_TYPES}. */
export type CheckPolicyType = (typeof CHECK_POLICY_TYPES)[number];

/** Diagnostic codes of the checks' inputs (stable). */
export const CheckCode = {
  /** An `--actions` entry is not a catalogue action, or a pattern that matches none. */
  UnknownAction: 'BH9145',
  /** A `--capabilities` entry is not a capability. */
  UnknownCapability: 'BH9146',
  /** Neither actions nor capabilities were asked about. */
  NothingAsked: 'BH9147',
} as const;

/** Reads and parses one policy file for `type`, with positions. */
async function readPolicy(path: string, type: CheckPolicyType, host: Host): Promise<Result<Policy>> {
  const text = await host.files.readText(hostPath(host, path), path);
  if (!text.ok) return text;
  const json = parseJsonText(text.value);
  const parsed = json.ok ? parsePolicy(json.value, type, { catalog: DEFAULT_CATALOG }) : json;
  const place = (ds: readonly Diagnostic[]) => locateDiagnostics(ds, text.value).map((d) => ({ ...d, file: path }));
  return parsed.ok ? ok(parsed.value, place(parsed.diagnostics)) : fail(place(parsed.diagnostics));
}

/** A new-access request: the new policy, the baseline policy and their type (default identity). */
export interface CheckNewAccessRequest {
  readonly policy: string;
  readonly baseline: string;
  readonly type?: CheckPolicyType;
}

/** What NEW grants that the baseline does not (empty: no new access). */
export async function checkNewAccess(request: CheckNewAccessRequest, host: Host): Promise<Result<CheckAnswer>> {
  const type = request.type ?? 'identity';
  const [n, o] = [await readPolicy(request.policy, type, host), await readPolicy(request.baseline, type, host)];
  const diagnostics = [...n.diagnostics, ...o.diagnostics];
  if (!n.ok || !o.ok) return fail(diagnostics);
  return ok(newAccess(n.value, o.value, { allActions }), diagnostics);
}

/** A not-granted request: the policy, and actions and/or capabilities (and optionally resources). */
export interface CheckNotGrantedRequest {
  readonly policy: string;
  readonly type?: CheckPolicyType;
  /** `service:Action` or wildcard patterns over the catalogue. */
  readonly actions?: readonly string[];
  /** Capability names (src/catalog/capabilities.ts); each stands for every catalogue action that grants it. */
  readonly capabilities?: readonly string[];
  /** Resource ARNs or patterns (default `*`, any resource). */
  readonly resources?: readonly string[];
}

/** The asked actions, expanded over the catalogue, or a diagnostic per entry that names nothing. */
function askedActions(request: CheckNotGrantedRequest): Result<string[]> {
  const out = new Set<string>();
  const problems: Diagnostic[] = [];
  (request.actions ?? []).forEach((a, i) => {
    const hit = isPattern(a) ? expandActionPattern(a) : lookupAction(a) ? [lookupAction(a)!.action] : [];
    if (hit.length === 0) {
      const near = suggestAction(a);
      problems.push(error(CheckCode.UnknownAction, `\`${a}\` is no action in the catalogue${near ? `; did you mean \`${near}\`?` : '; write it as `service:Action`'}`, `actions[${i}]`));
    }
    for (const x of hit) out.add(x);
  });
  (request.capabilities ?? []).forEach((c, i) => {
    if (!isCapability(c)) {
      problems.push(error(CheckCode.UnknownCapability, `\`${c}\` is no capability; use one of ${CAPABILITIES.map((x) => `\`${x}\``).join(', ')}`, `capabilities[${i}]`));
      return;
    }
    for (const x of actionsWithCapability(c)) out.add(x);
  });
  if (problems.length > 0) return fail(problems);
  if (out.size === 0) return fail([error(CheckCode.NothingAsked, 'nothing to check: give `--actions` and/or `--capabilities`')]);
  return ok([...out].sort(compareStrings));
}

/** The grants the policy makes of the asked actions (empty: none granted). */
export async function checkNotGranted(request: CheckNotGrantedRequest, host: Host): Promise<Result<CheckAnswer>> {
  const actions = askedActions(request);
  if (!actions.ok) return actions;
  const p = await readPolicy(request.policy, request.type ?? 'identity', host);
  if (!p.ok) return p;
  return ok(notGranted(p.value, { actions: actions.value, ...(request.resources ? { resources: request.resources } : {}) }), p.diagnostics);
}
