/**
 * Compact action lists for generated IAM policies: the planner asks for "every action with these
 * capabilities in these services" and gets a short, sorted list of names and wildcard patterns that
 * expands to exactly that set in the current catalogue — `service:*` when a service is fully covered,
 * `service:Prefix*` only when every catalogue action with that prefix is in the set.
 */
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../util/suggest.js';
import { allServices, getService, serviceExists } from './actions.js';
import { compareStrings } from '../util/order.js';
import { CAPABILITIES, type Capability, explainCapabilities, isCapability } from './capabilities.js';

/** The data services the capability rules curate; the default scope of generated policies. */
export const DEFAULT_POLICY_SERVICES: readonly string[] = [
  'cloudtrail',
  'dynamodb',
  'ec2',
  'ecr',
  'iam',
  'kms',
  'lambda',
  'logs',
  'rds',
  's3',
  'secretsmanager',
  'sns',
  'sqs',
  'ssm',
  'sts',
];

/** Options for policyActionsFor. */
export interface PolicyActionsOptions {
  /** Cut prefix patterns at any character instead of word boundaries: shorter, less readable. */
  readonly compact?: boolean;
}

/**
 * Diagnostics for capability names and service prefixes a spec asks policies for (BH4001 unknown
 * capability, BH4002 unknown service), with did-you-mean. `path` prefixes the JSON path of each entry.
 */
export function checkPolicyScope(
  capabilities: readonly string[],
  services: readonly string[],
  path: { capabilities?: string; services?: string } = {},
): Diagnostic[] {
  const out: Diagnostic[] = [];
  capabilities.forEach((c, i) => {
    if (!isCapability(c)) {
      out.push(
        error(
          'BH4001',
          `unknown capability \`${c}\`${didYouMean(c, CAPABILITIES)}; use one of ${CAPABILITIES.join(', ')}`,
          path.capabilities === undefined ? undefined : `${path.capabilities}[${i}]`,
        ),
      );
    }
  });
  services.forEach((s, i) => {
    if (!serviceExists(s)) {
      out.push(
        error(
          'BH4002',
          `unknown AWS service prefix \`${s}\`${didYouMean(s, allServices())}; use a prefix as IAM writes it, e.g. \`s3\` or \`secretsmanager\``,
          path.services === undefined ? undefined : `${path.services}[${i}]`,
        ),
      );
    }
  });
  return out;
}

/**
 * A short, sorted list of action names and patterns covering exactly the catalogue actions of `services` whose
 * capabilities are all among `caps` — least privilege: asking for read-data does not grant
 * `s3:PutReplicationConfiguration`, which also administers the bucket — (default: DEFAULT_POLICY_SERVICES). Patterns cut at word boundaries
 * (`s3:GetBucket*`); `{ compact: true }` cuts anywhere (`rds:Do*`), which is about a third shorter for large
 * sets such as administer-resource. Callers validate input first with checkPolicyScope; an unknown capability
 * or service here is a bug and throws.
 */
export function policyActionsFor(
  caps: readonly Capability[],
  services: readonly string[] = DEFAULT_POLICY_SERVICES,
  options: PolicyActionsOptions = {},
): string[] {
  const problems = checkPolicyScope(caps, services);
  if (problems.length > 0) throw new Error(problems.map((d) => d.message).join('; '));
  const wanted = new Set(caps);
  const out = new Set<string>();
  for (const s of new Set(services.map((x) => x.toLowerCase()))) {
    const svc = getService(s)!;
    const inSet = (action: string): boolean => explainCapabilities(action)!.capabilities.every((c) => wanted.has(c));
    for (const p of compress(svc.prefix, svc.actions.map((a) => a.name), inSet, options.compact === true)) out.add(p);
  }
  return [...out].sort(compareStrings);
}

/**
 * Compresses the names of one service that satisfy `inSet` into `service:*`, prefix patterns cut at a
 * word boundary (`Get*`, `GetObject*`), and plain names. A pattern is used only when every name of the
 * service it matches (case-insensitively, as IAM matches) is in the set.
 */
export function compress(
  prefix: string,
  names: readonly string[],
  inSet: (action: string) => boolean,
  anyCut = false,
): string[] {
  const sorted = [...names].sort((a, b) => compareStrings(a.toLowerCase(), b.toLowerCase()));
  const lower = sorted.map((n) => n.toLowerCase());
  const member = sorted.map((n) => inSet(`${prefix}:${n}`));
  const total = member.filter(Boolean).length;
  if (total === 0) return [];
  if (total === sorted.length) return [`${prefix}:*`];
  // counts[i] = members among sorted[0..i)
  const counts = [0];
  for (const m of member) counts.push(counts[counts.length - 1]! + (m ? 1 : 0));
  const range = (p: string): [number, number] => [lowerBound(lower, p), lowerBound(lower, `${p}\uffff`)];

  const chosen: string[] = []; // lowercase literal prefixes of chosen `Prefix*` patterns
  const exact: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (!member[i]) continue;
    const name = sorted[i]!;
    let picked: string | undefined;
    for (const cut of cuts(name, anyCut)) {
      const [lo, hi] = range(name.slice(0, cut).toLowerCase());
      if (counts[hi]! - counts[lo]! === hi - lo) {
        if (hi - lo > 1) picked = name.slice(0, cut);
        break; // shortest usable cut found (a single-name range is written as the plain name)
      }
    }
    if (picked !== undefined) chosen.push(picked);
    else exact.push(name);
  }
  // Drop patterns and names already covered by a shorter chosen prefix.
  const prefixes = [...new Set(chosen)].sort((a, b) => a.length - b.length);
  const kept: string[] = [];
  for (const p of prefixes) if (!kept.some((k) => p.toLowerCase().startsWith(k.toLowerCase()))) kept.push(p);
  const covered = (n: string): boolean => kept.some((k) => n.toLowerCase().startsWith(k.toLowerCase()));
  return [
    ...kept.map((k) => `${prefix}:${k}*`),
    ...[...new Set(exact)].filter((n) => !covered(n)).map((n) => `${prefix}:${n}`),
  ].sort(compareStrings);
}

/**
 * Cut positions for prefix patterns: before each word (a capital after a lowercase letter) and after the
 * whole name; with `anyCut`, after every character (shorter, less readable patterns such as `rds:Do*`).
 */
function cuts(name: string, anyCut: boolean): number[] {
  const out: number[] = [];
  for (let i = 1; i < name.length; i++) {
    const c = name[i]!;
    if (anyCut || (c >= 'A' && c <= 'Z' && !(name[i - 1]! >= 'A' && name[i - 1]! <= 'Z'))) out.push(i);
  }
  out.push(name.length);
  return out;
}

function lowerBound(xs: readonly string[], v: string): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
