/**
 * Compares bulkhead's access-capability table with k9 Security's published mapping
 * (`npm run compare:k9 [-- --json] [-- --mapping FILE] [-- --dir DIR]`).
 *
 * k9's mapping ships in the Apache-2.0 npm package `@k9securityio/k9-cdk` as
 * `resources/capability_summary.json`, shaped `{ServiceName: {capability: [action, …]}}`; an action may be
 * listed under several capabilities. The mapping is never copied into this repository: the script fetches the
 * package with `npm pack` into a scratch directory outside the repo (default `<os tmpdir>/bulkhead-k9`,
 * overridable with `--dir DIR` or `BULKHEAD_K9_DIR`), extracts it with `tar` and reuses it on later runs.
 * `--mapping FILE` (or `BULKHEAD_K9_MAPPING`) reads a local copy instead.
 *
 * Metrics, over every distinct action k9 lists (its "k9 set" is the union of the capabilities it is listed
 * under; bulkhead's set is `capabilitiesOf(action)`):
 * - **action agreement**: share of k9's actions whose bulkhead set equals the k9 set exactly.
 * - **k9 ⊆ bulkhead**: share of k9's actions where every capability k9 gives is also in bulkhead's set
 *   (bulkhead may give more).
 * - **per capability C**: *k9 count* = k9's actions listed under C; *agreeing* = those of them bulkhead also
 *   gives C; *recall* = agreeing / k9 count; *extra* = k9's actions bulkhead gives C that k9 does not list
 *   under C.
 * - **per service**: action agreement and k9 ⊆ bulkhead within one k9 service group.
 * Every disagreeing action is listed with both sets.
 *
 * One name is translated: k9 lists the DynamoDB Streams API under `dynamodbstreams:`, but IAM authorizes it
 * under the `dynamodb:` prefix ("IAM policy to allow an AWS Lambda function to access DynamoDB stream records",
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/iam-policy-example-lamda-process-dynamodb-streams.html),
 * so `dynamodbstreams:X` is compared as `dynamodb:X`. An action the catalogue does not know counts as a
 * disagreement with an empty bulkhead set.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CAPABILITIES, type Capability, capabilitiesOf, isCapability, sortCapabilities } from '../src/catalog/index.js';
import { compareStrings } from '../src/util/order.js';

/** The k9 package version the figures in docs/capabilities.md were measured against. */
export const K9_PACKAGE = '@k9securityio/k9-cdk@2.2.1';

/** k9's mapping: service group → capability → actions. */
export type K9Mapping = Record<string, Record<string, string[]>>;

/** Action-name prefixes k9 writes differently from IAM (see the doc comment). */
const PREFIX_ALIASES: Readonly<Record<string, string>> = { dynamodbstreams: 'dynamodb' };

/** One action k9 lists, with both classifications. */
export interface ActionComparison {
  readonly service: string;
  /** The name as k9 writes it. */
  readonly k9Action: string;
  /** The name bulkhead looked up (after prefix translation). */
  readonly action: string;
  readonly k9: readonly Capability[];
  readonly bulkhead: readonly Capability[];
  readonly equal: boolean;
  readonly subset: boolean;
}

/** Counts for one capability. */
export interface CapabilityFigures {
  readonly capability: Capability;
  readonly k9Count: number;
  readonly agreeing: number;
  readonly recall: number;
  readonly extra: number;
}

/** Counts for one k9 service group. */
export interface ServiceFigures {
  readonly service: string;
  readonly actions: number;
  readonly equal: number;
  readonly subset: number;
  readonly agreement: number;
  readonly capabilities: readonly CapabilityFigures[];
}

/** The whole comparison. */
export interface Comparison {
  readonly actions: number;
  readonly equal: number;
  readonly subset: number;
  readonly agreement: number;
  readonly subsetShare: number;
  readonly capabilities: readonly CapabilityFigures[];
  readonly services: readonly ServiceFigures[];
  readonly differences: readonly ActionComparison[];
}

function translate(action: string): string {
  const colon = action.indexOf(':');
  const alias = PREFIX_ALIASES[action.slice(0, colon).toLowerCase()];
  return alias === undefined ? action : `${alias}${action.slice(colon)}`;
}

/** k9's actions of one service group with the union of their capabilities; throws on a malformed file. */
function k9Sets(service: string, byCap: Record<string, string[]>): Map<string, Set<Capability>> {
  const sets = new Map<string, Set<Capability>>();
  for (const [cap, actions] of Object.entries(byCap)) {
    if (!isCapability(cap) || !Array.isArray(actions)) throw new Error(`k9 mapping: ${service}.${cap} is not a capability list`);
    for (const a of actions) sets.set(a, (sets.get(a) ?? new Set()).add(cap));
  }
  return sets;
}

function ratio(n: number, d: number): number {
  return d === 0 ? 1 : n / d;
}

function capabilityFigures(rows: readonly ActionComparison[]): CapabilityFigures[] {
  return CAPABILITIES.map((capability) => {
    const listed = rows.filter((r) => r.k9.includes(capability));
    const agreeing = listed.filter((r) => r.bulkhead.includes(capability)).length;
    const extra = rows.filter((r) => !r.k9.includes(capability) && r.bulkhead.includes(capability)).length;
    return { capability, k9Count: listed.length, agreeing, recall: ratio(agreeing, listed.length), extra };
  });
}

/** Compares k9's mapping with a classifier (bulkhead's `capabilitiesOf` unless a test passes another). */
export function compareMapping(
  mapping: K9Mapping,
  classify: (action: string) => readonly Capability[] = capabilitiesOf,
): Comparison {
  const all: ActionComparison[] = [];
  const services: ServiceFigures[] = [];
  for (const service of Object.keys(mapping).sort(compareStrings)) {
    const rows = [...k9Sets(service, mapping[service]!)].sort(([a], [b]) => compareStrings(a, b)).map(([k9Action, set]) => {
      const action = translate(k9Action);
      const k9 = sortCapabilities(set);
      const bulkhead = sortCapabilities(classify(action));
      const subset = k9.every((c) => bulkhead.includes(c));
      return { service, k9Action, action, k9, bulkhead, subset, equal: subset && k9.length === bulkhead.length };
    });
    const equal = rows.filter((r) => r.equal).length;
    const subset = rows.filter((r) => r.subset).length;
    services.push({ service, actions: rows.length, equal, subset, agreement: ratio(equal, rows.length), capabilities: capabilityFigures(rows) });
    all.push(...rows);
  }
  const equal = all.filter((r) => r.equal).length;
  const subset = all.filter((r) => r.subset).length;
  return {
    actions: all.length,
    equal,
    subset,
    agreement: ratio(equal, all.length),
    subsetShare: ratio(subset, all.length),
    capabilities: capabilityFigures(all),
    services,
    differences: all.filter((r) => !r.equal),
  };
}

/** Where the mapping comes from, from flags and environment. */
interface Options {
  readonly json: boolean;
  readonly mapping: string | undefined;
  readonly dir: string;
}

function parseArgs(argv: readonly string[]): Options {
  let json = false;
  let mapping = process.env['BULKHEAD_K9_MAPPING'];
  let dir = process.env['BULKHEAD_K9_DIR'] ?? join(tmpdir(), 'bulkhead-k9');
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json') json = true;
    else if (arg === '--mapping' && argv[i + 1] !== undefined) mapping = argv[++i];
    else if (arg === '--dir' && argv[i + 1] !== undefined) dir = argv[++i]!;
    else throw new Error(`unknown argument \`${arg}\`; use --json, --mapping FILE or --dir DIR`);
  }
  return { json, mapping, dir };
}

/** The mapping file: the local copy, or the package fetched (once) into the scratch directory. */
function mappingPath(options: Options): string {
  if (options.mapping !== undefined) return options.mapping;
  const file = join(options.dir, 'package', 'resources', 'capability_summary.json');
  if (existsSync(file)) return file;
  mkdirSync(options.dir, { recursive: true });
  execFileSync('npm', ['pack', K9_PACKAGE, '--silent'], { cwd: options.dir, stdio: ['ignore', 'ignore', 'inherit'] });
  const tarball = readdirSync(options.dir).find((f) => f.startsWith('k9securityio-k9-cdk-') && f.endsWith('.tgz'));
  if (tarball === undefined) throw new Error(`npm pack left no tarball in ${options.dir}`);
  execFileSync('tar', ['-xzf', tarball, 'package/resources/capability_summary.json'], { cwd: options.dir });
  return file;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)} %`;
}

function capabilityLines(figures: readonly CapabilityFigures[], indent: string): string[] {
  return figures
    .filter((f) => f.k9Count > 0 || f.extra > 0)
    .map((f) => `${indent}${f.capability.padEnd(20)} k9 ${String(f.k9Count).padStart(3)}  agreeing ${String(f.agreeing).padStart(3)}  recall ${pct(f.recall).padStart(7)}  extra ${f.extra}`);
}

/** The human-readable report. */
export function renderComparison(c: Comparison): string {
  const lines = [
    `k9 mapping: ${K9_PACKAGE} resources/capability_summary.json`,
    `actions ${c.actions}: agreement ${c.equal} (${pct(c.agreement)}), k9 ⊆ bulkhead ${c.subset} (${pct(c.subsetShare)})`,
    '',
    'per capability:',
    ...capabilityLines(c.capabilities, '  '),
    '',
    'per service:',
  ];
  for (const s of c.services) {
    lines.push(`  ${s.service}: ${s.actions} actions, agreement ${s.equal} (${pct(s.agreement)}), k9 ⊆ bulkhead ${s.subset}`);
    lines.push(...capabilityLines(s.capabilities, '    '));
  }
  lines.push('', `differences (${c.differences.length}):`);
  for (const d of c.differences) {
    const name = d.action === d.k9Action ? d.action : `${d.k9Action} (as ${d.action})`;
    lines.push(`  ${name}: k9 [${d.k9.join(', ')}] bulkhead [${d.bulkhead.join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}

function main(): void {
  const options = parseArgs(process.argv.slice(2));
  const mapping = JSON.parse(readFileSync(mappingPath(options), 'utf8')) as K9Mapping;
  const comparison = compareMapping(mapping);
  process.stdout.write(options.json ? `${JSON.stringify(comparison, null, 2)}\n` : renderComparison(comparison));
}

if (import.meta.url === `file://${process.argv[1]}`) main();
